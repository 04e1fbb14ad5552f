/**
 * A `Retry-After` value in ms: delta-seconds (`"3"`, also a number) or an HTTP date, which is
 * read against `nowMs`. A wait in the past, or negative, is 0; one longer than `maxMs` is
 * `maxMs`. `undefined` when the value is absent, blank or neither form.
 */
export const parseRetryAfter = (
  value: string | number | null | undefined,
  nowMs: number,
  maxMs = Number.POSITIVE_INFINITY,
): number | undefined => {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.min(maxMs, Math.max(0, seconds * 1000));
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.min(maxMs, Math.max(0, date - nowMs));
};
