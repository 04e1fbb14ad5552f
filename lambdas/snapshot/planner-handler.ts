import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { ConfigError, ENV, loadConfigFromEnv } from '../../shared/config';
import type { PlanResult } from './plan-run';
import { planRun } from './plan-run';
import { createPlannerDeps, functionIdentity } from './planner-deps';

const logger = new Logger({ serviceName: 'stage-drift-planner' });
// `TasksPlanned` sits with the scan metrics, under the snapshot service (no second set to pay for).
const metrics = new Metrics({ namespace: 'StageDrift', serviceName: 'stage-drift-snapshot' });
// Fails at init, naming the bad environment variable, before anything is planned.
const config = loadConfigFromEnv(process.env);
const fanOut = config.fanOut;
if (fanOut === undefined) {
  throw new ConfigError(
    ENV.taskQueueUrl,
    'required: the URL of the FIFO task queue this function plans into',
  );
}
const deps = createPlannerDeps(fanOut);

/**
 * The schedule in fan-out mode: resolves the targets (the listed accounts, the ACTIVE accounts
 * of the OU and its child OUs) and enqueues one task per account + region into the FIFO queue,
 * where the snapshot function consumes them. The scheduler's `scheduledTime` names the tick.
 */
export const handler = async (event: unknown, context: Context): Promise<PlanResult> => {
  logger.addContext(context);
  logger.appendKeys({ runId: context.awsRequestId });
  const scheduled = (event as { scheduledTime?: unknown } | null)?.scheduledTime;
  // The scheduler's own time names the tick (the same on its retries); else this minute.
  const tick =
    typeof scheduled === 'string' && scheduled !== '' ? scheduled : new Date().toISOString().slice(0, 16);
  try {
    const self = functionIdentity(context.invokedFunctionArn);
    const planned = await planRun({ ...deps, ...self }, fanOut, config.regions, tick);
    metrics.addMetric('TasksPlanned', MetricUnit.Count, planned.tasks);
    metrics.publishStoredMetrics();
    logger.info('tasks planned', { tick, ...planned });
    return planned;
  } catch (error) {
    // Logged here so the line carries the run id; rethrown so the invocation fails and alarms.
    logger.error('planning failed', error as Error);
    throw error;
  }
};
