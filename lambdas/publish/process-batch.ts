import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { publishStreamRecords } from '../../shared/notify';
import type { EventOutcome } from '../../shared/notify';
import type { PublishFunctionDeps } from './deps';

/** Failed only because the deadline stopped the batch: the one "stopped" warning covers it. */
const onlyOutOfTime = (outcome: EventOutcome): boolean =>
  outcome.channels.every((c) => c.status !== 'failed-retryable' || c.outOfTime === true);

/**
 * One stream batch: publish within the invocation's remaining time (`remainingMs`), log what
 * needs a person (malformed records with their key, failures, a batch the deadline stopped),
 * count, and answer with the records to retry (ReportBatchItemFailures).
 */
export const processDriftStream = async (
  deps: PublishFunctionDeps,
  event: DynamoDBStreamEvent,
  tools: { readonly logger: Logger; readonly metrics: Metrics },
  options: { readonly remainingMs?: number; readonly driftMetrics?: boolean } = {},
): Promise<DynamoDBBatchResponse> => {
  const { logger, metrics } = tools;
  if (options.remainingMs !== undefined) deps.deadline.start(options.remainingMs);
  const result = await publishStreamRecords(deps, event.Records);
  for (const record of result.malformed) logger.error('malformed drift record', { ...record });
  if (result.stopped) {
    logger.warn('batch stopped before the deadline', {
      unsent: result.stopped.unsent,
      reason: result.stopped.reason,
      remainingMs: deps.deadline.remainingMs(),
    });
  }
  for (const outcome of result.outcomes) {
    if (outcome.status === 'failed-retryable' && !onlyOutOfTime(outcome))
      logger.warn('publish failed, will retry', { ...outcome });
    if (outcome.status === 'failed-permanent') logger.error('publish refused for good', { ...outcome });
    for (const c of outcome.channels)
      if (c.warning) logger.warn('delivery warning', { eventId: outcome.eventId, ...c });
  }
  const { counts } = result;
  // Each only when non-zero (CloudWatch bills a custom metric for every hour it has data); the
  // activity counts only with `driftMetrics` (STAGE_DRIFT_DRIFT_METRICS), the failures always.
  // The log line below has every count.
  const activity: [string, number][] = options.driftMetrics
    ? [
        ['AlertsPublished', counts.published],
        ['AlertDuplicatesSkipped', counts['skipped-duplicate']],
        ['SlackDigests', result.slackDigests],
      ]
    : [];
  const all: [string, number][] = [
    ...activity,
    ['AlertFailuresRetryable', counts['failed-retryable']],
    ['AlertFailuresPermanent', counts['failed-permanent']],
    ['MalformedRecords', result.malformed.length],
  ];
  const sent = all.filter(([, value]) => value > 0);
  for (const [name, value] of sent) metrics.addMetric(name, MetricUnit.Count, value);
  // Nothing to send, no EMF line (Powertools would warn about an empty one).
  if (sent.length > 0) metrics.publishStoredMetrics();
  logger.info('batch published', {
    records: event.Records.length,
    ignored: result.ignored,
    malformed: result.malformed.length,
    ...counts,
    slackMessages: result.slackMessages,
    slackDigests: result.slackDigests,
    batchItemFailures: result.batchItemFailures.length,
  });
  return { batchItemFailures: result.batchItemFailures.map((f) => ({ itemIdentifier: f.itemIdentifier })) };
};
