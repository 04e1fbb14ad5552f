// shared/runtime's, re-exported for the callers outside shared/ that still take them from here
// (cli/commands/scan.ts, bench/, examples/demo): new code imports them from shared/runtime.
export type { Clock } from '../runtime';
export { createLimiter, systemClock } from '../runtime';
export type { RequestBudget, TokenBucketOptions } from './request-budget';
export { FIRST_ANSWER_MARGIN_MS, FIRST_ANSWER_WAIT_MS, TokenBucket } from './request-budget';
export type { CallErrorKind } from './errors';
export {
  ApiCallFailedError,
  CollectOptionsError,
  PaginationLoopError,
  RequestBudgetError,
  httpStatusOf,
} from './errors';
export type { CallCounters, RetryContext, RetryObserver, RetryPolicy } from './retry';
export { DEFAULT_RETRY_POLICY, classifyError, countCalls, retryAfterMs, sendWithRetry } from './retry';
export type { CollectOptions, CollectSession, ResolvedCollectOptions } from './collect-options';
export { createCollectorBudget, createCollectSession } from './collect-options';
export type {
  ApiStagesSink,
  CallCounts,
  CollectFailure,
  CollectOperation,
  CollectResult,
  FamilyCollectResult,
  FamilyOperationNames,
  FamilyOperations,
  ListingStatus,
  RawStage,
} from './collect-result';
export {
  FAMILY_OPERATIONS,
  addCallCounts,
  compareStageKeys,
  emptyCallCounts,
  totalCalls,
} from './collect-result';
export { readAllPages } from './calls';
export { COLLECTOR_CLIENT_CONFIG } from './client-config';
export type { ApiFamilyAdapter, ApiListing, ApiRead, CollectDeps, FamilyReadPaths } from './api-family';
export { API_FAMILY_ADAPTERS, apiFamilyOf } from './api-families';
export { restFamily } from './rest-family';
export type { RestApiRef } from './rest-family';
export { v2Family } from './v2-family';
export type { V2ApiRef } from './v2-family';
export { collectStages } from './collect-stages';
export { collectRestApiStages } from './rest-api-stages';
export { collectHttpApiStages } from './http-api-stages';
export type { ApiSubsetOptions, ApiSubsetResult } from './api-subset-stages';
export { collectApiSubsetStages } from './api-subset-stages';
export type { TargetApi, TargetedCollectResult } from './targeted-stages';
export { collectApiStages } from './targeted-stages';
