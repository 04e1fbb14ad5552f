import { ConcurrencyLimitError } from './errors';

/** Runs at most `concurrency` tasks at a time; the others wait in arrival order. */
export interface ConcurrencyLimiter {
  readonly concurrency: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** A pool of `concurrency` slots (an integer >= 1, else `ConcurrencyLimitError`). */
export const createLimiter = (concurrency: number): ConcurrencyLimiter => {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConcurrencyLimitError(
      `concurrency must be an integer >= 1, got ${String(concurrency)}: pass e.g. 4.`,
    );
  }
  let active = 0;
  const queue: (() => void)[] = [];

  const release = (): void => {
    const next = queue.shift();
    // Hand the slot straight to the next task, so `active` never dips and overshoots.
    if (next) next();
    else active -= 1;
  };

  const acquire = (): Promise<void> => {
    if (active < concurrency) {
      active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => queue.push(resolve));
  };

  return {
    concurrency,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
};

/**
 * Calls `fn` for each item, at most `limit` at a time, starting them in order; resolves once all
 * have settled, or rejects with the first error (the others still run to their end). A `limit`
 * below 1 runs one at a time, a fraction is rounded down, and more than there are items is as many
 * as there are; NaN is refused (`ConcurrencyLimitError`).
 */
export const forEachLimit = async <T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> => {
  const limiter = createLimiter(Math.max(1, Math.min(Math.floor(limit), items.length)));
  await Promise.all(items.map((item) => limiter.run(() => fn(item))));
};
