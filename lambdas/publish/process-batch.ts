import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { PublishDeps } from '../../shared/notify';
import { publishStreamRecords } from '../../shared/notify';

/**
 * One stream batch: publish, log what needs a person (malformed records with their key,
 * failures), count, and answer with the records to retry (ReportBatchItemFailures).
 */
export const processDriftStream = async (
  deps: PublishDeps,
  event: DynamoDBStreamEvent,
  tools: { readonly logger: Logger; readonly metrics: Metrics },
): Promise<DynamoDBBatchResponse> => {
  const { logger, metrics } = tools;
  const result = await publishStreamRecords(deps, event.Records);
  for (const record of result.malformed) logger.error('malformed drift record', { ...record });
  for (const outcome of result.outcomes) {
    if (outcome.status === 'failed-retryable') logger.warn('publish failed, will retry', { ...outcome });
    if (outcome.status === 'failed-permanent') logger.error('publish refused for good', { ...outcome });
    for (const c of outcome.channels)
      if (c.warning) logger.warn('delivery warning', { eventId: outcome.eventId, ...c });
  }
  const { counts } = result;
  metrics.addMetric('AlertsPublished', MetricUnit.Count, counts.published);
  metrics.addMetric('AlertDuplicatesSkipped', MetricUnit.Count, counts['skipped-duplicate']);
  metrics.addMetric('AlertFailuresRetryable', MetricUnit.Count, counts['failed-retryable']);
  metrics.addMetric('AlertFailuresPermanent', MetricUnit.Count, counts['failed-permanent']);
  metrics.addMetric('MalformedRecords', MetricUnit.Count, result.malformed.length);
  metrics.addMetric('SlackDigests', MetricUnit.Count, result.slackDigests);
  metrics.publishStoredMetrics();
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
