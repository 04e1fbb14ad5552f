// shared/runtime's, re-exported for the callers outside shared/ that still take them from here
// (cli/commands/scan.ts, bench/, examples/demo): new code imports them from shared/runtime.
export type { Clock } from '../runtime';
export { createLimiter, systemClock } from '../runtime';
export type { RequestBudget, TokenBucketOptions } from './request-budget';
export {
  FIRST_ANSWER_MARGIN_MS,
  FIRST_ANSWER_WAIT_MS,
  RequestBudgetError,
  TokenBucket,
} from './request-budget';
export type { CallCounters, CallErrorKind, RetryContext, RetryObserver, RetryPolicy } from './retry';
export {
  ApiCallFailedError,
  DEFAULT_RETRY_POLICY,
  classifyError,
  countCalls,
  httpStatusOf,
  retryAfterMs,
  sendWithRetry,
} from './retry';
export type { CollectOptions, CollectSession, ResolvedCollectOptions } from './collect-options';
export { CollectOptionsError, createCollectorBudget, createCollectSession } from './collect-options';
export type {
  ApiFamily,
  ApiStagesSink,
  CallCounts,
  CollectFailure,
  CollectOperation,
  CollectResult,
  FamilyCollectResult,
  ListingStatus,
  RawStage,
} from './collect-result';
export { addCallCounts, compareStageKeys, emptyCallCounts, totalCalls } from './collect-result';
export { PaginationLoopError, readAllPages } from './calls';
export { COLLECTOR_CLIENT_CONFIG } from './client-config';
export type { CollectDeps } from './collect-stages';
export { collectStages } from './collect-stages';
export { collectRestApiStages } from './rest-api-stages';
export { collectHttpApiStages } from './http-api-stages';
export type { ApiSubsetOptions, ApiSubsetResult } from './api-subset-stages';
export { collectApiSubsetStages } from './api-subset-stages';
export type { TargetApi, TargetedCollectResult } from './targeted-stages';
export { collectApiStages } from './targeted-stages';
