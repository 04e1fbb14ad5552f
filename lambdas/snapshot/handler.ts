import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfigFromEnv } from '../../shared/config';
import type { ScanTaskOutcome } from '../../shared/scan';
import { runScan } from '../../shared/scan';
import { createScanDeps } from './deps';
import { consumeTask } from './fan-out';
import { cacheUntilFailure } from './own-account-deps';
import { emitScanMetrics } from './scan-metrics';
import { TaskMessageError } from './task-queue';

const logger = new Logger({ serviceName: 'stage-drift-snapshot' });
const metrics = new Metrics({ namespace: 'StageDrift', serviceName: 'stage-drift-snapshot' });
// Fails at init, naming the bad environment variable, before any scan starts.
const config = loadConfigFromEnv(process.env);
const scanDeps = cacheUntilFailure(() => createScanDeps(config));

const scanAll = async () => {
  const { deps, account } = await scanDeps();
  return runScan(deps, { scopes: config.regions.map((region) => ({ account, region })), now: new Date() });
};

const telemetry = { metrics, logger };

const OUTCOME_METRICS: Record<ScanTaskOutcome, [string, number][]> = {
  completed: [],
  continued: [['ScansContinued', 1]],
  failed: [['AssumeRoleFailures', 1]],
  superseded: [['ScansSuperseded', 1]],
};

/** SQS (fan-out mode): one task message per record (batch size 1), failures reported per item. */
const consumeBatch = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const { fanOut } = await scanDeps();
  if (!fanOut) throw new Error('a task message arrived but STAGE_DRIFT_TASK_QUEUE_URL is not set');
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const deadlineMs = fanOut.consume.clock.now() + context.getRemainingTimeInMillis();
      const result = await consumeTask(fanOut.consume, record.body, fanOut.config, {
        now: new Date(),
        deadlineMs,
      });
      const totals = emitScanMetrics(
        telemetry,
        result.summary,
        result.outcome === 'completed' ? 1 : 0,
        OUTCOME_METRICS[result.outcome],
      );
      const [scope] = result.summary.scopes;
      logger.info('task finished', {
        outcome: result.outcome,
        scope: `${scope?.account}/${scope?.region}`,
        chunk: result.next?.continuation ? result.next.continuation.chunk - 1 : (result.run?.chunks ?? 1),
        baseline: result.summary.baseline,
        durationMs: result.summary.durationMs,
        ...totals,
      });
    } catch (error) {
      // A malformed message is dropped: retrying cannot fix it. Anything else is retried by SQS
      // (then dead-lettered); both count as a failed scan for the alarm.
      metrics.addMetric('ScanFailures', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
      if (error instanceof TaskMessageError) {
        logger.error('task message dropped', { messageId: record.messageId, reason: error.message });
        continue;
      }
      logger.error('scan failed', error as Error);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

const isSqsEvent = (event: unknown): event is SQSEvent =>
  Array.isArray((event as { Records?: unknown } | null)?.Records) &&
  (event as SQSEvent).Records.every((r) => r.eventSource === 'aws:sqs');

/**
 * Scheduled (EventBridge): a scan of every configured region of this account. In fan-out mode,
 * SQS from the task queue: the tasks, one at a time; the schedule then invokes the planner
 * (planner-handler.ts), which enqueues them. The events queue (CloudTrail events -> targeted
 * rescans) has a function of its own, rescan-handler.ts, so a rescan never waits behind a full scan.
 */
export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  logger.appendKeys({ runId: context.awsRequestId });
  if (isSqsEvent(event)) {
    return consumeBatch(event, context).catch((error: unknown) => {
      logger.error('scan failed', error as Error);
      throw error;
    });
  }
  if (config.fanOut) {
    // The schedule invokes the planner in fan-out mode: anything else here is a wiring mistake.
    const error = new Error(
      'expected a batch of the task queue: in fan-out mode the planner function plans the tasks; ' +
        "check this function's triggers",
    );
    logger.error('unexpected event', error);
    throw error;
  }
  const summary = await scanAll().catch((error: unknown) => {
    // Logged here so the line carries the run id; rethrown so the invocation fails and alarms.
    logger.error('scan failed', error as Error);
    throw error;
  });
  const totals = emitScanMetrics(telemetry, summary, 1);
  logger.info('scan finished', { baseline: summary.baseline, durationMs: summary.durationMs, ...totals });
  return { baseline: summary.baseline, durationMs: summary.durationMs, ...totals };
};
