/**
 * A time source in milliseconds. The collector never reads the wall clock or calls
 * `setTimeout` directly, so tests can run budgets and backoff in virtual time.
 */
export interface Clock {
  /** Milliseconds; only differences are used, except to resolve an HTTP-date `Retry-After`. */
  now(): number;
  /** Resolves after `ms` milliseconds (at once for `ms <= 0`). */
  sleep(ms: number): Promise<void>;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()),
};
