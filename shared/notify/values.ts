import type { JsonValue, RedactedValue } from '../model';

/** A `{ redacted: true, fingerprint }` stand-in for a stage variable value. */
export const isRedactedValue = (value: unknown): value is RedactedValue =>
  typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true;

/**
 * Characters that act instead of print: C0 controls, DEL, C1 controls, the bidi marks,
 * embeddings, overrides and isolates (U+061C, U+200E-200F, U+202A-202E, U+2066-2069) and the
 * line and paragraph separators (U+2028-2029).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
/** The same, and the backslash that starts an escape (so none can be forged). */
const UNSAFE_OR_BACKSLASH = new RegExp(`\\\\|${UNSAFE.source}`, 'g');
/** What `JSON.stringify` leaves as it is (it escapes C0 controls, `"` and `\` itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

const hex = (c: string, digits: number) => c.charCodeAt(0).toString(16).padStart(digits, '0');
const unicodeEscape = (c: string): string => `\\u${hex(c, 4)}`;
const visibleEscape = (c: string): string =>
  NAMED_ESCAPES[c] ?? (c < '\u0080' ? `\\x${hex(c, 2)}` : unicodeEscape(c));

/**
 * Stage data (names, tags, descriptions, values) as it may reach a terminal, a markdown table
 * or a chat message: every control, bidi or separator character written as a visible escape
 * (`\n`, `\r`, `\t`, `\x1b`, `\u009b`, `\u202e`) and `\` as `\\`, so two different texts never
 * print alike and none can erase, recolour, reorder or add a line.
 */
export const escapeControlChars = (text: string): string => text.replace(UNSAFE_OR_BACKSLASH, visibleEscape);

/** Whether `text` holds a control, bidi or separator character (see {@link escapeControlChars}). */
export const hasControlChars = (text: string): boolean => UNSAFE.test(text);

/**
 * JSON text with the characters `JSON.stringify` leaves raw (DEL, C1, bidi, U+2028-2029) written
 * as `\uXXXX`: the same JSON value, safe to print.
 */
export const escapeJsonControlChars = (json: string): string => json.replace(UNSAFE_IN_JSON, unicodeEscape);

/**
 * A change value for people: strings bare, absent as `(none)`, secrets as their fingerprint,
 * control characters escaped ({@link escapeControlChars}; objects as JSON, which escapes its own).
 * Shared by the CLI reports and the Slack alerts, so both read the same.
 */
export const formatValue = (value: JsonValue | RedactedValue | undefined): string => {
  if (value === undefined) return '(none)';
  if (isRedactedValue(value)) return `[hidden ${value.fingerprint}]`;
  if (typeof value === 'string') return value === '' ? '""' : escapeControlChars(value);
  return escapeJsonControlChars(
    JSON.stringify(value, (_key, v: unknown) => (isRedactedValue(v) ? `[hidden ${v.fingerprint}]` : v)),
  );
};
