import { StageNormalizeError } from './errors';
import { describeValue } from './field-readers';

/** At or above this magnitude an epoch number is taken as milliseconds (1e11 s is the year 5138). */
const EPOCH_MILLISECONDS_THRESHOLD = 1e11;

/**
 * ISO-8601 as AWS and its CLIs print it: a date, then optionally a time with a zone.
 * A time without a zone is refused: it would be read in the host's local time zone.
 */
const ISO_TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?))?$/;

const EXPECTED = 'a date (a Date, an ISO-8601 string with a time zone, or epoch seconds)';

const fail = (field: string, value: unknown): never => {
  throw new StageNormalizeError(`${field}: expected ${EXPECTED}, got ${describeValue(value)}`, { field });
};

const toZone = (zone: string): string => {
  if (zone === 'Z' || zone === 'z') return 'Z';
  const digits = zone.slice(1).replace(':', '');
  return `${zone.charAt(0)}${digits.slice(0, 2)}:${digits.slice(2, 4).padEnd(2, '0')}`;
};

/** Milliseconds since the epoch of an ISO-8601 string, or `undefined` when it is not one. */
const parseIso = (text: string): number | undefined => {
  const match = ISO_TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [, date, hoursMinutes, seconds, fraction, zone] = match;
  const canonical =
    hoursMinutes === undefined || zone === undefined
      ? `${date}T00:00:00.000Z`
      : `${date}T${hoursMinutes}:${seconds ?? '00'}.${(fraction ?? '').slice(0, 3).padEnd(3, '0')}${toZone(zone)}`;
  const millis = Date.parse(canonical);
  return Number.isNaN(millis) ? undefined : millis;
};

/**
 * A timestamp in canonical form: ISO-8601 in UTC with milliseconds (`2016-04-15T17:38:08.000Z`).
 * Accepts a `Date` (SDK v3), an ISO-8601 string with a zone (`Z`, `+00:00`, `+0000`; CLI and
 * v2 wire form), or an epoch number (v1 wire form): seconds, fractions allowed, rounded to the
 * millisecond — numbers of magnitude 1e11 or more are taken as milliseconds. `null`,
 * `undefined` and `""` give `undefined`. Anything else throws a `StageNormalizeError` naming
 * `field`.
 *
 * With `precision: 'second'` the fraction is dropped (`...08.000Z`): what `createdDate` is kept
 * to, so a producer that prints whole seconds (the AWS CLI) and one that keeps milliseconds (the
 * SDK) give the same instant, and a stage is never taken for recreated because of a fraction.
 */
export const toIsoTimestamp = (
  value: unknown,
  field = 'date',
  precision: 'millisecond' | 'second' = 'millisecond',
): string | undefined => {
  if (value === undefined || value === null || value === '') return undefined;
  let millis: number | undefined;
  if (value instanceof Date) millis = value.getTime();
  else if (typeof value === 'number' && Number.isFinite(value)) {
    millis = Math.round(Math.abs(value) >= EPOCH_MILLISECONDS_THRESHOLD ? value : value * 1000);
  } else if (typeof value === 'string') millis = parseIso(value.trim());
  if (millis === undefined || Number.isNaN(millis)) return fail(field, value);
  const date = new Date(precision === 'second' ? Math.floor(millis / 1000) * 1000 : millis);
  return Number.isNaN(date.getTime()) ? fail(field, value) : date.toISOString();
};
