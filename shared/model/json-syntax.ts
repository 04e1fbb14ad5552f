/** Where a text stops being JSON: 1-based line and column (in UTF-16 units, as editors count). */
export interface JsonSyntaxErrorPlace {
  readonly line: number;
  readonly column: number;
  /** The text ends before the document is complete (a missing bracket, brace or quote). */
  readonly atEnd: boolean;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]$/;

/**
 * The offset of the first character at which `text` stops being JSON (RFC 8259, what
 * `JSON.parse` accepts), `text.length` when it ends too soon, or -1 when it is valid JSON.
 */
const findSyntaxError = (text: string): number => {
  let i = 0;
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i += 1;
  };
  const digits = (): boolean => {
    if (!isDigit(text[i])) return false;
    while (isDigit(text[i])) i += 1;
    return true;
  };
  const number = (): boolean => {
    if (text[i] === '-') i += 1;
    if (text[i] === '0') i += 1;
    else if (!digits()) return false;
    if (text[i] === '.') {
      i += 1;
      if (!digits()) return false;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i += 1;
      if (text[i] === '+' || text[i] === '-') i += 1;
      if (!digits()) return false;
    }
    return true;
  };
  const string = (): boolean => {
    i += 1; // the opening quote
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i += 1;
        return true;
      }
      if (c < ' ') return false;
      if (c === '\\') {
        i += 1; // a bad escape is reported at the character after the backslash
        const e = text[i];
        if (e === 'u') {
          i += 1;
          for (let n = 0; n < 4; n += 1, i += 1) if (!HEX.test(text[i] ?? '')) return false;
        } else if (e !== undefined && ESCAPES.has(e)) i += 1;
        else return false;
      } else i += 1;
    }
    return false;
  };
  const literal = (word: string): boolean => {
    for (const c of word) {
      if (text[i] !== c) return false;
      i += 1;
    }
    return true;
  };
  const members = (close: string, member: () => boolean): boolean => {
    i += 1; // the opening bracket or brace
    skipSpace();
    if (text[i] === close) {
      i += 1;
      return true;
    }
    for (;;) {
      if (!member()) return false;
      skipSpace();
      if (text[i] === close) {
        i += 1;
        return true;
      }
      if (text[i] !== ',') return false;
      i += 1;
    }
  };
  const value = (): boolean => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      return members('}', () => {
        skipSpace();
        if (text[i] !== '"' || !string()) return false;
        skipSpace();
        if (text[i] !== ':') return false;
        i += 1;
        return value();
      });
    }
    if (c === '[') return members(']', value);
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || isDigit(c)) return number();
    return false;
  };
  if (!value()) return i;
  skipSpace();
  return i < text.length ? i : -1;
};

/**
 * Where `text` stops being JSON, or `undefined` when it is valid. For error messages that must
 * not quote the text: V8's own message repeats the characters around the error, which may be a
 * secret. `undefined` also for a document nested too deep to check.
 */
export const locateJsonSyntaxError = (text: string): JsonSyntaxErrorPlace | undefined => {
  let offset: number;
  try {
    offset = findSyntaxError(text);
  } catch {
    return undefined; // nested deeper than the stack: no place to give
  }
  if (offset < 0) return undefined;
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return {
    line: before.split('\n').length,
    column: offset - lineStart + 1,
    atEnd: offset === text.length,
  };
};

/**
 * Why `text` (which `JSON.parse` refused) is not JSON: where, and how to fix it, never any of
 * its characters. E.g. `not valid JSON at line 3, column 14: check for a missing quote or comma
 * near there (keys and strings take double quotes)`.
 */
export const describeJsonSyntaxError = (text: string): string => {
  if (text.trim() === '') return 'not valid JSON: it is empty';
  const place = locateJsonSyntaxError(text);
  if (place === undefined) return 'not valid JSON: check its brackets and quotes';
  const where = `line ${place.line}, column ${place.column}`;
  return place.atEnd
    ? `not valid JSON: it ends at ${where} before the document is complete: ` +
        'check for a missing closing bracket, brace or quote'
    : `not valid JSON at ${where}: check for a missing quote or comma near there ` +
        '(keys and strings take double quotes)';
};
