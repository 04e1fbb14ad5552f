import fc from 'fast-check';
import { escapeControlChars, formatValue } from '../../shared/notify/values';

/** Characters that move the cursor, recolour, reorder or break a line when printed as they are. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** The inverse of the escaping, to prove that two different texts never print alike. */
const unescape = (text: string): string =>
  text.replace(/\\(\\|n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})/g, (_all, code: string) => {
    if (code === '\\') return '\\';
    if (code === 'n') return '\n';
    if (code === 'r') return '\r';
    if (code === 't') return '\t';
    return String.fromCharCode(parseInt(code.slice(1), 16));
  });

const riskyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', ' ', '\\', 'n', 'x', '1', 'b', '|', '<', '&', '"'),
    fc.constantFrom('\n', '\r', '\t', '\x00', '\x1b', '\x7f', '\u0085', '\u009b', '\u2028', '\u2029'),
    fc.constantFrom('\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069', 'é', '日'),
  ),
  maxLength: 30,
});

describe('escapeControlChars', () => {
  it.each([
    ['a newline', 'a\nb', 'a\\nb'],
    ['a carriage return', 'a\rb', 'a\\rb'],
    ['a tab', 'a\tb', 'a\\tb'],
    ['ESC (an ANSI sequence)', '\x1b[2K', '\\x1b[2K'],
    ['NUL and DEL', '\x00\x7f', '\\x00\\x7f'],
    ['a C1 control (CSI)', '\u009b31m', '\\u009b31m'],
    ['a right-to-left override', 'abc\u202edef', 'abc\\u202edef'],
    ['an isolate', '\u2066x\u2069', '\\u2066x\\u2069'],
    ['a line separator', 'a\u2028b', 'a\\u2028b'],
    ['a backslash, so no escape can be forged', 'a\\nb', 'a\\\\nb'],
  ])('shows %s visibly', (_case, text, shown) => {
    expect(escapeControlChars(text)).toBe(shown);
  });

  it('leaves printable text, accents and other scripts alone', () => {
    expect(escapeControlChars('Production (hotfix 4711) é 日本 */* | <b> & "q"')).toBe(
      'Production (hotfix 4711) é 日本 */* | <b> & "q"',
    );
  });

  it('never lets a control, bidi or separator character through, and never maps two texts to one', () => {
    fc.assert(
      fc.property(riskyText, (text) => {
        const shown = escapeControlChars(text);
        expect(shown).not.toMatch(UNSAFE);
        expect(unescape(shown)).toBe(text);
      }),
    );
  });
});

describe('formatValue', () => {
  it('escapes a string value', () => {
    expect(formatValue('x\r\x1b[2KNo drift.')).toBe('x\\r\\x1b[2KNo drift.');
  });

  it('prints an object value as JSON that still parses to the same value, with nothing unsafe in it', () => {
    fc.assert(
      fc.property(fc.dictionary(riskyText, riskyText, { maxKeys: 3 }), (value) => {
        const shown = formatValue(value);
        expect(shown).not.toMatch(UNSAFE);
        expect(JSON.parse(shown)).toEqual(value);
      }),
    );
  });
});
