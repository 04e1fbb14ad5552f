import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { loadPublishConfigFromEnv } from '../../shared/notify';
import { createPublishDeps } from './deps';
import { processDriftStream } from './process-batch';

const logger = new Logger({ serviceName: 'stage-drift-publish' });
const metrics = new Metrics({ namespace: 'StageDrift', serviceName: 'stage-drift-publish' });
// Fails at init, naming the bad environment variable, before any record is taken.
const config = loadPublishConfigFromEnv(process.env);
const deps = createPublishDeps(config);

/**
 * DynamoDB stream (inserts of drift events, filtered at the event source) -> SNS and Slack.
 * Retryable failures, malformed records and the records the deadline left unsent are returned
 * as batch item failures; permanent delivery failures went to the failure queue and are not retried.
 */
export const handler = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  logger.addContext(context);
  return processDriftStream(
    deps,
    event,
    { logger, metrics },
    { remainingMs: context.getRemainingTimeInMillis(), driftMetrics: config.driftMetrics === true },
  );
};
