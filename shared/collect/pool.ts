/** Thrown for a concurrency that could never run a task. */
export class ConcurrencyLimitError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConcurrencyLimitError';
  }
}

/** Runs at most `concurrency` tasks at a time; the others wait in arrival order. */
export interface ConcurrencyLimiter {
  readonly concurrency: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
  run<T>(task: () => Promise<T>): Promise<T>;
}

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
