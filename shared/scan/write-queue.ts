import { createLimiter } from '../runtime';

/**
 * Writes started as they are pushed, at most `concurrency` at a time. Once one fails no further
 * write starts; `settle()` waits for every write started and rethrows the first error, so a
 * scan never fails (or returns) while its writes still go on behind its back, and no write's
 * rejection goes unhandled.
 */
export interface WriteQueue<T> {
  /** Queues one write; ignored once a write has failed. */
  push(item: T): void;
  /**
   * Resolves once fewer than `highWater` writes are queued or running (at once after a failure):
   * a producer that awaits it before pushing holds at most that many items in the queue.
   */
  room(): Promise<void>;
  /** The first write error, once a write has failed. */
  readonly failure: { readonly error: unknown } | undefined;
  /** Waits for every write pushed so far to settle, then rethrows the first error, if any. */
  settle(): Promise<void>;
}

export const createWriteQueue = <T>(
  concurrency: number,
  write: (item: T) => Promise<void>,
  highWater = concurrency * 16,
): WriteQueue<T> => {
  const limiter = createLimiter(concurrency);
  const pending = new Set<Promise<void>>();
  const waiting: (() => void)[] = [];
  let failure: { readonly error: unknown } | undefined;
  const hasRoom = (): boolean => failure !== undefined || pending.size < highWater;

  return {
    get failure() {
      return failure;
    },
    push(item) {
      if (failure) return;
      const done: Promise<void> = limiter
        .run(async () => {
          if (failure) return;
          try {
            await write(item);
          } catch (error) {
            failure ??= { error };
          }
        })
        .finally(() => {
          pending.delete(done);
          while (hasRoom() && waiting.length > 0) waiting.shift()?.();
        });
      pending.add(done);
    },
    room: () => (hasRoom() ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
    async settle() {
      while (pending.size > 0) await Promise.all(pending);
      if (failure) throw failure.error;
    },
  };
};
