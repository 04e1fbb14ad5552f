/**
 * A time source in milliseconds. Code that waits or measures time takes one of these instead of
 * reading the wall clock or calling `setTimeout`, so tests run budgets, pacing and backoff in
 * virtual time (`ManualClock`).
 */
export interface Clock {
  /** Milliseconds since the epoch; mostly differences are used, and HTTP-date `Retry-After`s. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds (at once for `ms <= 0`). With `signal`, rejects with its
   * reason once it is aborted (at once when it already is), and the wait is dropped.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A wait that `signal` can cut short: `start(done)` begins it (`done` when it is over) and returns
 * how to cancel it. Rejects as `signal.throwIfAborted()` throws, with the signal's reason, when the
 * signal is aborted before or during the wait.
 */
export const abortableWait = async (
  signal: AbortSignal,
  start: (done: () => void) => () => void,
): Promise<void> => {
  signal.throwIfAborted();
  let aborted = false;
  await new Promise<void>((resolve) => {
    const onAbort = (): void => {
      aborted = true;
      cancel();
      resolve();
    };
    const cancel = start(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  if (aborted) signal.throwIfAborted();
};

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => {
    if (signal) {
      return abortableWait(signal, (done) => {
        if (ms <= 0) {
          done();
          return () => undefined;
        }
        const timer = setTimeout(done, ms);
        return () => clearTimeout(timer);
      });
    }
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  },
};
