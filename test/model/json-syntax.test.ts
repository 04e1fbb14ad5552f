import fc from 'fast-check';
import { describeJsonSyntaxError, locateJsonSyntaxError } from '../../shared/model';

// The error of a file or setting that is not JSON says where and how to fix it, and never
// repeats its text: the text may hold a secret (`"Password": S3cr3t-Hunter2`).

const v8Message = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected invalid JSON');
};

/** The whole message: a place and one of the fixed hints, nothing taken from the input. */
const MESSAGE = new RegExp(
  [
    /^not valid JSON at line \d+, column \d+: check for a missing quote or comma near there \(keys and strings take double quotes\)$/,
    /^not valid JSON: it ends at line \d+, column \d+ before the document is complete: check for a missing closing bracket, brace or quote$/,
    /^not valid JSON: it is empty$/,
  ]
    .map((r) => r.source)
    .join('|'),
);

describe('locateJsonSyntaxError', () => {
  it.each([
    ['an unquoted value', '{"item":[{"variables":{"Password":S3cr3t-Hunter2}}]}', 1, 35],
    ['a missing comma on the third line', '{\n  "a": 1\n  "b": 2\n}', 3, 3],
    ['a trailing comma', '[1, 2,]', 1, 7],
    ['single quotes', "{'a': 1}", 1, 2],
    ['a bad escape', '["a\\qb"]', 1, 5],
    ['a bad unicode escape', '["\\u12x4"]', 1, 7],
    ['a raw newline in a string', '["a\nb"]', 1, 4],
    ['text after the value', '{} x', 1, 4],
    ['a leading byte-order mark', '\ufeff{}', 1, 1],
    ['a CRLF file', '{\r\n"a": tru\r\n}', 2, 9],
  ])('finds %s', (_case, text, line, column) => {
    expect(locateJsonSyntaxError(text)).toEqual({ line, column, atEnd: false });
  });

  it.each([
    ['a missing closing bracket', '{"item": [', 1, 11],
    ['an unterminated string', '{"a": "b', 1, 9],
    ['a cut number', '[1e', 1, 4],
  ])('places %s at the end', (_case, text, line, column) => {
    expect(locateJsonSyntaxError(text)).toEqual({ line, column, atEnd: true });
  });

  it('finds nothing in valid JSON', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(locateJsonSyntaxError(text)).toBeUndefined();
        expect(locateJsonSyntaxError(` \n${text}\t\r\n`)).toBeUndefined();
      }),
    );
  });

  it('finds an error wherever JSON.parse does, at the position V8 names when it names one', () => {
    const corrupted = fc
      .tuple(
        fc.json(),
        fc.nat(),
        fc.constantFrom('', ',', '}', ']', '"', ':', 'x', "'", '\\', '\n', '{', '['),
      )
      .map(([text, at, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + 1);
      });
    fc.assert(
      fc.property(corrupted, (text) => {
        fc.pre(!isValidJson(text));
        const place = locateJsonSyntaxError(text);
        expect(place).toBeDefined();
        const position = /at position (\d+)/.exec(v8Message(text));
        if (position && !place!.atEnd) {
          const before = text.slice(0, Number(position[1]));
          const line = before.split('\n').length;
          expect(place).toMatchObject({ line, column: before.length - before.lastIndexOf('\n') });
        }
      }),
      { numRuns: 500 },
    );
  });
});

const isValidJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('describeJsonSyntaxError', () => {
  it('says where and how to fix it, without repeating the text', () => {
    const message = describeJsonSyntaxError('{"item":[{"variables":{"Password":S3cr3t-Hunter2}}]}');
    expect(message).toBe(
      'not valid JSON at line 1, column 35: check for a missing quote or comma near there (keys and strings take double quotes)',
    );
    expect(message).not.toMatch(/S3cr3t|Hunter|Password/);
  });

  it('says when the text ends too soon, or is empty', () => {
    expect(describeJsonSyntaxError('{"a": [1, 2')).toBe(
      'not valid JSON: it ends at line 1, column 12 before the document is complete: check for a missing closing bracket, brace or quote',
    );
    expect(describeJsonSyntaxError(' \n')).toBe('not valid JSON: it is empty');
  });

  it('never takes anything from the input into the message', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        fc.pre(!isValidJson(text));
        expect(describeJsonSyntaxError(text)).toMatch(MESSAGE);
      }),
      { numRuns: 300 },
    );
  });
});
