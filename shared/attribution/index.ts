export type {
  Attribution,
  AttributionOptions,
  AttributionResult,
  AttributionWindow,
  DriftAttribution,
} from './attribution';
export { attributeDrift, toAttribution, toDriftAttribution } from './attribution';
export type { ChangeSource, SourceClassification } from './classify';
export {
  CHANGE_SOURCES,
  CLOUDFORMATION_STACK_NAME_TAG,
  classifySource,
  isInfrastructureAsCode,
} from './classify';
export type { EventPattern, EventPatternMatcher } from './cloudtrail-events';
export {
  API_CALL_DETAIL_TYPE,
  API_GATEWAY_ARN_PREFIXES,
  API_GATEWAY_EVENT_SOURCE,
  API_GATEWAY_STAGE_CALLS_PATTERN,
  API_GATEWAY_STAGE_EVENT_NAMES,
  STAGE_CHANGE_EVENT_NAMES,
  STAGE_CHANGE_EVENT_PATTERN,
  WAF_REGIONAL_EVENT_SOURCE,
  WAF_STAGE_ASSOCIATION_PATTERN,
  WAF_STAGE_EVENT_NAMES,
  WAFV2_EVENT_SOURCE,
  matchesEventPattern,
} from './cloudtrail-events';
export type { CloudTrailRecord, CloudTrailUserIdentity } from './cloudtrail-record';
export { accountOfRecord, parseCloudTrailRecord } from './cloudtrail-record';
export type {
  LookupCalls,
  LookupFailure,
  LookupFailureKind,
  LookupProblem,
  LookupStageEventsRequest,
  LookupStageEventsResult,
} from './lookup-events';
export {
  DEFAULT_LOOKUP_EVENT_SOURCES,
  emptyLookupCalls,
  LOOKUP_EVENTS_PAGE_SIZE,
  LOOKUP_EVENTS_RATE,
  LOOKUP_FAILURE_REASONS,
  lookupFailureReason,
  lookupStageEvents,
} from './lookup-events';
export {
  AttributionInputError,
  CloudTrailRecordError,
  LookupEventsInputError,
  UnsupportedEventPatternError,
} from './errors';
export type { ApiGatewayArn, RecordScope } from './record-scope';
export { parseApiGatewayArn, scopeOfRecord } from './record-scope';
export type { RescanPlan, RescanTarget, SkippedEvent } from './rescan-targets';
export { toRescanTargets } from './rescan-targets';
export type { TrailStatus } from './trail-status';
export { readTrailStatus, selectorsLogWriteManagementEvents } from './trail-status';
