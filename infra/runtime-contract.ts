import * as path from 'node:path';

/**
 * What the construct and the Lambda handlers must agree on, in one place: entry points,
 * environment variable names and the metrics the alarms watch. Infra refers to the handlers by
 * path only; `test/infra/runtime-contract.test.ts` checks these names against the handler sources.
 */
const ROOT = path.join(__dirname, '..');

export const PROJECT_ROOT = ROOT;
export const LOCK_FILE = path.join(ROOT, 'package-lock.json');

export const SNAPSHOT_ENTRY = path.join(ROOT, 'lambdas', 'snapshot', 'handler.ts');
export const PUBLISH_ENTRY = path.join(ROOT, 'lambdas', 'publish', 'handler.ts');

/**
 * Environment variables the publish function reads (`PUBLISH_ENV` of shared/notify/publish-config.ts;
 * the snapshot function's are `ENV` of shared/config).
 */
export const PUBLISH_ENV = {
  topicArn: 'STAGE_DRIFT_TOPIC_ARN',
  table: 'STAGE_DRIFT_TABLE',
  slackSecretArn: 'STAGE_DRIFT_SLACK_SECRET_ARN',
  slackMinSeverity: 'STAGE_DRIFT_SLACK_MIN_SEVERITY',
  failureQueueUrl: 'STAGE_DRIFT_FAILURE_QUEUE_URL',
  digestThreshold: 'STAGE_DRIFT_DIGEST_THRESHOLD',
} as const;

/** Partition key prefix of the publish function's delivery marks (`shared/notify/delivery-log.ts`). */
export const DELIVERY_PK_PREFIX = 'DELIVERY#';

/** Embedded-metric-format namespace of both functions (Powertools `namespace`). */
export const METRICS_NAMESPACE = 'StageDrift';
/** Powertools `serviceName`s; Powertools adds it to every metric as the `service` dimension. */
export const SNAPSHOT_SERVICE = 'stage-drift-snapshot';
export const PUBLISH_SERVICE = 'stage-drift-publish';

/** Metrics the snapshot function emits once per run. */
export const SNAPSHOT_METRICS = {
  /** 1 per finished run: the heartbeat. */
  scanCompleted: 'ScanCompleted',
  /** APIs or regions that could not be read, e.g. throttling retries exhausted before their deadline. */
  scanFailures: 'ScanFailures',
} as const;
