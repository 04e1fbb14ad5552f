import type { JsonValue, RedactedValue } from '../../shared/model';

const isRedacted = (value: unknown): value is RedactedValue =>
  typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true;

/** A change value for people: strings bare, absent as `(none)`, secrets as their fingerprint. */
export const formatValue = (value: JsonValue | RedactedValue | undefined): string => {
  if (value === undefined) return '(none)';
  if (isRedacted(value)) return `[hidden ${value.fingerprint}]`;
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value, (_key, v: unknown) => (isRedacted(v) ? `[hidden ${v.fingerprint}]` : v));
};
