export type { Item } from './attributes';
export type { BatchGetAllRequest, UnprocessedKeysRetry } from './batch-get-all';
export { BATCH_GET_MAX_KEYS, batchGetAll } from './batch-get-all';
export { CHUNK_MAX_BYTES, INLINE_MAX_BYTES } from './body-codec';
export type {
  AlertEventRecord,
  ControlTransitionRecord,
  DriftAnnotations,
  DriftEventRecord,
  DriftRevert,
  EventAck,
  EventRevertedMark,
  EventStatus,
} from './drift-event';
export {
  EVENT_STATUSES,
  driftEventsOf,
  eventStatusOf,
  isPostureSummary,
  parseAlertEventItem,
  parseDriftEventItem,
  toDriftEventRecord,
} from './drift-event';
export type {
  PostureSummaryControl,
  PostureSummaryRecord,
  PostureSummaryStage,
} from './posture-summary-event';
export { POSTURE_SUMMARY_KIND, posturePk, postureSummaryIdFor } from './posture-summary-event';
export type { DynamoSnapshotStoreOptions, StoreClock } from './store-options';
export { DynamoSnapshotStore } from './dynamo-snapshot-store';
export { DynamoSnapshotHistory } from './dynamo-snapshot-history';
export type { DriftEventRef, RevertMarks } from './event-status';
export { DynamoEventStatus, eventItemKey } from './event-status';
export { eventIdFor } from './event-id';
export type { ItemType } from './keys';
export { ITEM_TYPES, driftMonthPk, latestSk, runPk, scopePk, stagePk, versionSk } from './keys';
export type {
  EventListing,
  EventPage,
  EventPageQuery,
  EventQuery,
  LatestEntry,
  RunListing,
  RunProgress,
  RunRecord,
  SnapshotHistory,
  SnapshotStore,
  StageWrite,
  StageWriteResult,
  StoreProblem,
  VersionAt,
  VersionEntry,
  WriteOutcome,
} from './snapshot-store';
export type { ItemKey } from './errors';
export { StoreError } from './errors';
export { GSI1_NAME, TTL_ATTRIBUTE, tableDefinition } from './table-definition';
export { loadOrCreateFingerprintKey } from './fingerprint-key';
export type { ScopeRef } from './scope-registry';
export { listScopes, registerScope } from './scope-registry';
