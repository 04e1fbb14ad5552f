/** The shape of an exponential backoff. */
export interface BackoffPolicy {
  /** The first retry's ceiling; it doubles per retry. */
  readonly baseDelayMs: number;
  /** The largest ceiling. */
  readonly maxDelayMs: number;
  /**
   * - `full`: the wait is drawn uniformly in `[0, ceiling)`, in whole ms ("full jitter"), so
   *   clients that failed together do not retry together.
   * - `none`: the wait is the ceiling itself (one sender on its own, e.g. a paced webhook).
   * @default 'full'
   */
  readonly jitter?: 'full' | 'none';
}

/** Past this many doublings the ceiling is the cap anyway; stops `2 ** retry` overflowing. */
const MAX_DOUBLINGS = 30;

/** The ceiling of retry `retry` (0 = the first): `min(maxDelayMs, baseDelayMs * 2^retry)`. */
export const backoffCeilingMs = (retry: number, policy: BackoffPolicy): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, MAX_DOUBLINGS));

/**
 * The wait before retry `retry` (0 = the first). With full jitter `random` (uniform in [0, 1)) is
 * drawn once per call; pass a seeded one for repeatable waits.
 */
export const backoffDelayMs = (
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number => {
  const ceiling = backoffCeilingMs(retry, policy);
  return policy.jitter === 'none' ? ceiling : Math.floor(random() * ceiling);
};

/**
 * A wait fitted to a deadline `remainingMs` away: `delayMs` raised to `atLeastMs` (what the
 * service asked for, e.g. a `Retry-After`) and cut so it ends by the deadline. `undefined` when
 * the deadline has passed or `atLeastMs` would cross it: give up instead of waiting.
 */
export const fitToDeadline = (delayMs: number, remainingMs: number, atLeastMs = 0): number | undefined => {
  if (remainingMs <= 0 || atLeastMs > remainingMs) return undefined;
  return Math.min(Math.max(delayMs, atLeastMs), remainingMs);
};
