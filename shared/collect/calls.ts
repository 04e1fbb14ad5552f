import type { ApiFamily } from '../model';
import type { CollectSession } from './collect-options';
import type { CallCounts, CollectFailure, CollectOperation } from './collect-result';
import { ApiCallFailedError, PaginationLoopError } from './errors';
import { countCalls, sendWithRetry } from './retry';

/**
 * One SDK send through the session's budget, with retries, counted in `counts` (each send
 * under its operation, re-sends also as `retries`, 429s as `throttled`). Takes no pool slot:
 * the caller holds one.
 */
export const sendCounted = <T>(
  session: CollectSession,
  counts: CallCounts,
  operation: CollectOperation,
  send: () => Promise<T>,
): Promise<T> =>
  sendWithRetry(send, {
    budget: session.budget,
    clock: session.options.clock,
    policy: session.options.retry,
    random: session.options.random,
    signal: session.signal,
    observer: countCalls(counts, operation),
  });

/**
 * Follows `next` tokens until the service gives none. An empty string ends paging too.
 * Throws `PaginationLoopError` on a repeated token.
 */
export const readAllPages = async <T>(
  /** Named in the error (a collect operation, or any list call). */
  operation: string,
  fetchPage: (
    token: string | undefined,
  ) => Promise<{ items: readonly T[] | undefined; next: string | undefined }>,
): Promise<T[]> => {
  const items: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...(page.items ?? []));
    token = page.next === '' ? undefined : page.next;
    if (token !== undefined) {
      if (seen.has(token)) throw new PaginationLoopError(operation, token);
      seen.add(token);
    }
  } while (token !== undefined);
  return items;
};

/**
 * Runs `task` for each item in the session's pool. Tasks record their own failures; whatever
 * a task throws is a bug: it aborts the session (no new task starts, in this half or the
 * other) and is rethrown once the tasks already running have settled.
 */
export const runInPool = async <T>(
  session: CollectSession,
  items: readonly T[],
  task: (item: T) => Promise<void>,
): Promise<void> => {
  await Promise.all(
    items.map((item) =>
      session.limiter.run(async () => {
        if (session.signal.aborted) return;
        try {
          await task(item);
        } catch (error) {
          session.abort(error);
        }
      }),
    ),
  );
  session.signal.throwIfAborted();
};

/** Runs one call (e.g. a listing page) in a pool slot. */
export const runInSlot = <T>(session: CollectSession, call: () => Promise<T>): Promise<T> =>
  session.limiter.run(async () => {
    session.signal.throwIfAborted();
    return call();
  });

/**
 * A failure record for an error that is a failed call or a broken answer, or `undefined` for
 * anything else (a bug, which the caller must rethrow).
 */
export const toFailure = (
  error: unknown,
  where: { apiType: ApiFamily; operation: CollectOperation; apiId?: string; apiName?: string },
): CollectFailure | undefined => {
  const base = {
    apiType: where.apiType,
    ...(where.apiId === undefined ? {} : { apiId: where.apiId }),
    ...(where.apiName === undefined ? {} : { apiName: where.apiName }),
    operation: where.operation,
  };
  if (error instanceof ApiCallFailedError) {
    return {
      ...base,
      errorName: error.errorName,
      message: error.message,
      ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    };
  }
  if (error instanceof PaginationLoopError) return { ...base, errorName: error.name, message: error.message };
  return undefined;
};
