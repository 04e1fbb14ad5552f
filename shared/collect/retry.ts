import type { BackoffPolicy, Clock } from '../runtime';
import { backoffDelayMs, fitToDeadline, parseRetryAfter } from '../runtime';
import type { CallErrorKind } from './errors';
import { ApiCallFailedError, httpStatusOf } from './errors';
import type { RequestBudget } from './request-budget';

/**
 * How the collector retries one control-plane call: a full-jitter backoff (`baseDelayMs` is the
 * first ceiling, doubling per attempt up to `maxDelayMs`; each wait drawn in `[0, ceiling)`) and
 * the two limits below.
 */
export interface RetryPolicy extends BackoffPolicy {
  /**
   * Throttling (429) is retried until this much time has passed since the call started;
   * the call then fails. Waits are cut so that no sleep runs past the deadline.
   */
  readonly throttleDeadlineMs: number;
  /** Retries of a 5xx or network error before the call fails. */
  readonly maxTransientRetries: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  throttleDeadlineMs: 120_000,
  maxTransientRetries: 3,
};

const THROTTLING_NAMES = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
]);
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const NETWORK_ERROR_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

interface SdkErrorFields {
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $fault?: string;
  readonly $response?: { readonly headers?: Readonly<Record<string, string | undefined>> };
  readonly code?: unknown;
  readonly retryAfterSeconds?: unknown;
}

const sdkFields = (error: Error): SdkErrorFields => error as SdkErrorFields;

/**
 * Sorts an error thrown by `client.send` into a retry class, or `undefined` when it is not a
 * service or network error at all (a bug: the caller must rethrow it).
 */
export const classifyError = (error: unknown): CallErrorKind | undefined => {
  if (!(error instanceof Error)) return undefined;
  const fields = sdkFields(error);
  const status = httpStatusOf(error);
  if (status === 429 || THROTTLING_NAMES.has(error.name)) return 'throttled';
  if (status !== undefined) return status >= 500 ? 'transient' : 'rejected';
  if (fields.$fault === 'server') return 'transient';
  if (NETWORK_ERROR_NAMES.has(error.name)) return 'transient';
  if (typeof fields.code === 'string' && NETWORK_ERROR_CODES.has(fields.code)) return 'transient';
  if (fields.$metadata !== undefined || fields.$fault === 'client') return 'rejected';
  return undefined;
};

/**
 * The wait the service asked for, in ms (at most `maxMs`): v1 models it as `retryAfterSeconds`
 * (from the `Retry-After` header); v2 does not model it, so the raw header on the error's hidden
 * `$response` is read too. Seconds or an HTTP date (`parseRetryAfter`).
 */
export const retryAfterMs = (
  error: unknown,
  clock: Pick<Clock, 'now'>,
  maxMs?: number,
): number | undefined => {
  if (!(error instanceof Error)) return undefined;
  const fields = sdkFields(error);
  const headers = fields.$response?.headers ?? {};
  const headerName = Object.keys(headers).find((k) => k.toLowerCase() === 'retry-after');
  const raw = fields.retryAfterSeconds ?? (headerName === undefined ? undefined : headers[headerName]);
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  return parseRetryAfter(raw, clock.now(), maxMs);
};

/** Told about every send, so the caller can count calls. */
export interface RetryObserver {
  /** A request is about to be sent (first attempt or retry). */
  sent?(retry: boolean): void;
  /** The service throttled a request. */
  throttled?(): void;
}

/** Counters of calls: sends under the operation's name (`K`), re-sends as `retries`, 429s as `throttled`. */
export type CallCounters<K extends string> = Record<K | 'retries' | 'throttled', number>;

/**
 * The observer that counts each send under `operation`, each re-send as `retries`, each 429 as
 * `throttled`. An operation's counter that is absent starts at 0 (a collect's single-API reads
 * appear in its counts only once made).
 */
export const countCalls = <K extends string>(
  counts: Partial<Record<K, number>> & CallCounters<never>,
  operation: K,
): RetryObserver => ({
  sent: (retry) => {
    const byOperation: Partial<Record<K, number>> = counts;
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    if (retry) counts.retries += 1;
  },
  throttled: () => {
    counts.throttled += 1;
  },
});

export interface RetryContext {
  readonly budget: RequestBudget;
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  readonly observer?: RetryObserver;
  /** When aborted, no further attempt starts; the abort reason is thrown. */
  readonly signal?: AbortSignal;
}

/**
 * Sends through the budget, retrying throttling until the deadline and transient errors a
 * bounded number of times. Throws `ApiCallFailedError` when the call fails for good, and
 * rethrows anything that is not a service or network error unchanged.
 */
export const sendWithRetry = async <T>(send: () => Promise<T>, context: RetryContext): Promise<T> => {
  const { budget, clock, policy, random, observer, signal } = context;
  const startedAt = clock.now();
  let transientRetries = 0;
  for (let attempt = 1; ; attempt += 1) {
    signal?.throwIfAborted();
    await budget.acquire();
    if (signal?.aborted) {
      budget.answered?.(); // nothing will come back from this one: callers waiting on it go on
      signal.throwIfAborted();
    }
    observer?.sent?.(attempt > 1);
    try {
      const answer = await send();
      budget.answered?.();
      return answer;
    } catch (error) {
      budget.answered?.();
      const kind = classifyError(error);
      if (kind === undefined || !(error instanceof Error)) throw error;
      if (kind === 'rejected') {
        throw new ApiCallFailedError(error.message, { kind, attempts: attempt, cause: error });
      }
      let delay = backoffDelayMs(attempt - 1, policy, random);
      if (kind === 'throttled') {
        observer?.throttled?.();
        const hinted = retryAfterMs(error, clock);
        const elapsed = clock.now() - startedAt;
        const fitted = fitToDeadline(delay, policy.throttleDeadlineMs - elapsed, hinted);
        if (fitted === undefined) {
          throw new ApiCallFailedError(
            `still throttled after ${attempt} attempts over ${Math.round(elapsed)} ms ` +
              `(throttleDeadlineMs ${policy.throttleDeadlineMs}): ${error.message}. ` +
              'Lower ratePerSecond or concurrency, or raise throttleDeadlineMs.',
            { kind, attempts: attempt, cause: error },
          );
        }
        delay = fitted;
      } else {
        transientRetries += 1;
        if (transientRetries > policy.maxTransientRetries) {
          throw new ApiCallFailedError(
            `failed ${attempt} times (${policy.maxTransientRetries} retries): ${error.message}`,
            { kind, attempts: attempt, cause: error },
          );
        }
        const hinted = retryAfterMs(error, clock, policy.maxDelayMs);
        if (hinted !== undefined) delay = Math.max(delay, hinted);
      }
      await clock.sleep(delay);
    }
  }
};
