import type { Clock, ConcurrencyLimiter } from '../runtime';
import { createLimiter, systemClock } from '../runtime';
import type { RequestBudget } from './request-budget';
import { TokenBucket } from './request-budget';
import type { ApiStagesSink } from './collect-result';
import { CollectOptionsError } from './errors';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY } from './retry';

export interface CollectOptions {
  /**
   * Client-side request budget, requests per second, for all calls of one collect. The
   * account's whole API Gateway management budget is 10/s per region, shared with every deploy.
   * @default 3
   */
  readonly ratePerSecond?: number;
  /**
   * Requests that may go out back to back before `ratePerSecond` applies (the refill starts at
   * the collect's first answer: see {@link createCollectorBudget}). @default 10
   */
  readonly burst?: number;
  /** Calls in flight at once (listing pages and per-API stage reads share the slots). @default 4 */
  readonly concurrency?: number;
  /**
   * Throttling (429) is retried with backoff until this much time has passed since the call
   * started; the call, and with it that API (or listing), then fails.
   * @default 120000
   */
  readonly throttleDeadlineMs?: number;
  /** `limit` of each GetRestApis page; 1..500 (the service's maximum). @default 500 */
  readonly restPageSize?: number;
  /**
   * `MaxResults` of each v2 GetApis and GetStages page. The v2 API documents no maximum,
   * and without `MaxResults` it pages in small pages; 100 lists 600 APIs in 6 pages and, with
   * at most 10 stages per API (service quota), reads every API's stages in one page.
   * @default 100
   */
  readonly v2PageSize?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Read the stages of these APIs only. Both listings are still read in full (they give
   * names and tags, and tell a deleted API from a failed read); `apis` still lists every API.
   * @default every listed API
   */
  readonly apiIds?: readonly string[];
  /** Jitter source, uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Backoff shape. @default { baseDelayMs: 200, maxDelayMs: 10000, maxTransientRetries: 3 } */
  readonly backoff?: {
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
    readonly maxTransientRetries?: number;
  };
  /** A budget shared beyond one collect (e.g. across regions). @default createCollectorBudget(these options) */
  readonly budget?: RequestBudget;
}

export interface ResolvedCollectOptions {
  readonly concurrency: number;
  readonly restPageSize: number;
  readonly v2PageSize: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly retry: RetryPolicy;
  /** `undefined` = every listed API. */
  readonly apiIds: ReadonlySet<string> | undefined;
}

/**
 * What the two halves of one collect share: ONE budget, ONE pool of in-flight slots, and
 * one abort signal, so a bug found by one half stops the other.
 */
export interface CollectSession {
  readonly options: ResolvedCollectOptions;
  readonly budget: RequestBudget;
  readonly limiter: ConcurrencyLimiter;
  readonly signal: AbortSignal;
  /** Stops every task not yet started; `reason` is what they throw. */
  abort(reason: unknown): void;
  /** Where each API's stages go once read; `undefined` = into the result. */
  readonly onApiStages: ApiStagesSink | undefined;
}

/**
 * The token bucket of one collect (`ratePerSecond`, default 3; `burst`, default 10), or
 * `options.budget` when one is shared. It refills from the first answer on, not the first token.
 * See ARCHITECTURE.md, "Design notes: Refill from the first answer".
 */
export const createCollectorBudget = (options: CollectOptions, clock: Clock): RequestBudget => {
  if (options.budget) return options.budget;
  const burst = options.burst ?? 10;
  return new TokenBucket({
    ratePerSecond: options.ratePerSecond ?? 3,
    burst,
    refillFromFirstAnswer: true,
    clock,
  });
};

const check = (ok: boolean, message: string): void => {
  if (!ok) throw new CollectOptionsError(message);
};

const isInt = (value: number, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
  Number.isInteger(value) && value >= min && value <= max;

/**
 * One collect's budget, pool and abort signal, from validated options. With `onApiStages`, each
 * API's stages are handed to it as soon as they are all read, instead of being kept for the result.
 */
export const createCollectSession = (
  options: CollectOptions = {},
  onApiStages?: ApiStagesSink,
): CollectSession => {
  const ratePerSecond = options.ratePerSecond ?? 3;
  const burst = options.burst ?? 10;
  const concurrency = options.concurrency ?? 4;
  const restPageSize = options.restPageSize ?? 500;
  const v2PageSize = options.v2PageSize ?? 100;
  const retry: RetryPolicy = {
    baseDelayMs: options.backoff?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: options.backoff?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    maxTransientRetries: options.backoff?.maxTransientRetries ?? DEFAULT_RETRY_POLICY.maxTransientRetries,
    throttleDeadlineMs: options.throttleDeadlineMs ?? DEFAULT_RETRY_POLICY.throttleDeadlineMs,
  };
  check(
    Number.isFinite(ratePerSecond) && ratePerSecond > 0,
    `ratePerSecond must be > 0, got ${ratePerSecond}: pass e.g. 3 (the account budget is 10/s shared with deploys).`,
  );
  check(Number.isFinite(burst) && burst >= 1, `burst must be >= 1, got ${burst}: pass e.g. 10.`);
  check(isInt(concurrency, 1), `concurrency must be an integer >= 1, got ${concurrency}: pass e.g. 4.`);
  check(
    isInt(restPageSize, 1, 500),
    `restPageSize must be an integer from 1 to 500 (the GetRestApis limit), got ${restPageSize}.`,
  );
  check(isInt(v2PageSize, 1), `v2PageSize must be an integer >= 1, got ${v2PageSize}: pass e.g. 100.`);
  check(
    Number.isFinite(retry.throttleDeadlineMs) && retry.throttleDeadlineMs >= 0,
    `throttleDeadlineMs must be >= 0, got ${retry.throttleDeadlineMs}: pass e.g. 120000 (2 minutes).`,
  );
  check(
    Number.isFinite(retry.baseDelayMs) && retry.baseDelayMs >= 0,
    `backoff.baseDelayMs must be >= 0, got ${retry.baseDelayMs}: pass e.g. 200.`,
  );
  check(
    Number.isFinite(retry.maxDelayMs) && retry.maxDelayMs >= retry.baseDelayMs,
    `backoff.maxDelayMs must be >= backoff.baseDelayMs (${retry.baseDelayMs}), got ${retry.maxDelayMs}.`,
  );
  check(
    isInt(retry.maxTransientRetries, 0),
    `backoff.maxTransientRetries must be an integer >= 0, got ${retry.maxTransientRetries}: pass e.g. 3.`,
  );
  if (options.apiIds !== undefined) {
    const bad = options.apiIds.find((id) => typeof id !== 'string' || id === '');
    check(bad === undefined, `apiIds must be non-empty strings, got ${JSON.stringify(bad)}.`);
  }
  const clock = options.clock ?? systemClock;
  const controller = new AbortController();
  return {
    options: {
      concurrency,
      restPageSize,
      v2PageSize,
      clock,
      random: options.random ?? Math.random,
      retry,
      apiIds: options.apiIds === undefined ? undefined : new Set(options.apiIds),
    },
    budget: createCollectorBudget({ ...options, ratePerSecond, burst }, clock),
    limiter: createLimiter(concurrency),
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    onApiStages,
  };
};
