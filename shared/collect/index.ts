export type { Clock } from './clock';
export { systemClock } from './clock';
export type { RequestBudget, TokenBucketOptions } from './request-budget';
export {
  FIRST_ANSWER_MARGIN_MS,
  FIRST_ANSWER_WAIT_MS,
  RequestBudgetError,
  TokenBucket,
} from './request-budget';
export type { ConcurrencyLimiter } from './pool';
export { ConcurrencyLimitError, createLimiter } from './pool';
export type { CallErrorKind, RetryContext, RetryObserver, RetryPolicy } from './retry';
export {
  ApiCallFailedError,
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  classifyError,
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
export { compareStageKeys } from './collect-result';
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
