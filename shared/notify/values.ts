import type { JsonValue, RedactedValue } from '../model';

/** A `{ redacted: true, fingerprint }` stand-in for a stage variable value. */
export const isRedactedValue = (value: unknown): value is RedactedValue =>
  typeof value === 'object' && value !== null && (value as { redacted?: unknown }).redacted === true;

/**
 * A change value for people: strings bare, absent as `(none)`, secrets as their fingerprint.
 * Shared by the CLI reports and the Slack alerts, so both read the same.
 */
export const formatValue = (value: JsonValue | RedactedValue | undefined): string => {
  if (value === undefined) return '(none)';
  if (isRedactedValue(value)) return `[hidden ${value.fingerprint}]`;
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value, (_key, v: unknown) => (isRedactedValue(v) ? `[hidden ${v.fingerprint}]` : v));
};
