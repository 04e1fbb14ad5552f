import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfigFromEnv } from '../../shared/config';
import { SEVERITIES } from '../../shared/model';
import type { ScanSummary, ScanTaskOutcome } from '../../shared/scan';
import { runScan, runTargetedScan, totalsOf } from '../../shared/scan';
import { createScanDeps } from './deps';
import { consumeTask, planRun } from './fan-out';
import { isFromQueue, readEventBodies } from './rescan-events';
import { TaskMessageError } from './task-queue';

const logger = new Logger({ serviceName: 'stage-drift-snapshot' });
const metrics = new Metrics({ namespace: 'StageDrift', serviceName: 'stage-drift-snapshot' });
// Fails at init, naming the bad environment variable, before any scan starts.
const config = loadConfigFromEnv(process.env);
let ready: ReturnType<typeof createScanDeps> | undefined;
// Built on first use and reused by the container; a failure (STS, the table) is retried next time.
const scanDeps = () => {
  ready ??= createScanDeps(config).catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
};

const scanAll = async () => {
  const { deps, account } = await scanDeps();
  return runScan(deps, { scopes: config.regions.map((region) => ({ account, region })), now: new Date() });
};

/**
 * Five metrics every scan (the alarms and dashboards need them); the rest only when non-zero:
 * CloudWatch bills each custom metric for the hours it receives data, so zeros cost money.
 */
const emitScanMetrics = (summary: ScanSummary, completed: number, extra: [string, number][] = []) => {
  const totals = totalsOf(summary);
  metrics.addMetric('StagesScanned', MetricUnit.Count, totals.stagesRead);
  metrics.addMetric('ScanFailures', MetricUnit.Count, totals.failures);
  metrics.addMetric('ControlPlaneCalls', MetricUnit.Count, totals.calls);
  metrics.addMetric('ScanDuration', MetricUnit.Milliseconds, summary.durationMs);
  metrics.addMetric('ScanCompleted', MetricUnit.Count, completed);
  const sparse: [string, number][] = [
    ['StagesChanged', totals.stagesChanged],
    ['Throttled', totals.throttled],
    ...SEVERITIES.map((severity): [string, number] => [`Drifts${severity}`, totals.events[severity]]),
    ...extra,
  ];
  for (const [name, value] of sparse) if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
  for (const scope of summary.scopes) {
    if (scope.failures.length > 0)
      logger.warn('scope read with failures', {
        scope: `${scope.account}/${scope.region}`,
        failures: scope.failures,
      });
  }
  return totals;
};

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

/** The schedule in fan-out mode: one task per account and region into the FIFO queue. */
const planTasks = async (event: unknown) => {
  const { fanOut } = await scanDeps();
  if (!fanOut) throw new Error('fan-out is not configured');
  const scheduled = (event as { scheduledTime?: unknown } | null)?.scheduledTime;
  // The scheduler's own time names the tick (the same on its retries); else this minute.
  const tick =
    typeof scheduled === 'string' && scheduled !== '' ? scheduled : new Date().toISOString().slice(0, 16);
  const planned = await planRun(fanOut.plan, fanOut.config, config.regions, tick);
  metrics.addMetric('TasksPlanned', MetricUnit.Count, planned.tasks);
  metrics.publishStoredMetrics();
  logger.info('tasks planned', { tick, ...planned });
  return planned;
};

/**
 * SQS from the events queue: CloudTrail events of stage changes, coalesced by the batching
 * window; one targeted rescan per API they touched, in this account's configured regions. A
 * failure retries the whole batch (the rescans are idempotent).
 */
const rescanBatch = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { deps, account } = await scanDeps();
  const { events, unreadable } = readEventBodies(event.Records);
  for (const message of unreadable) logger.error('event message dropped', { ...message });
  try {
    const result = await runTargetedScan(deps, {
      events,
      now: new Date(),
      scopes: config.regions.map((region) => ({ account, region })),
    });
    const totals = emitScanMetrics(result.summary, 0, [['TargetedRescans', result.summary.scopes.length]]);
    logger.info('targeted rescans finished', {
      messages: event.Records.length,
      targets: result.targets.map((t) => ({
        api: `${t.target.account}/${t.target.region}/${t.target.apiId}`,
        outcome: t.outcome,
        ...(t.outcome === 'skipped' ? { reason: t.reason } : {}),
      })),
      skippedEvents: result.skippedEvents.length,
      durationMs: result.summary.durationMs,
      ...totals,
    });
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('targeted rescan failed', error as Error);
    metrics.addMetric('ScanFailures', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
  }
};

const isSqsEvent = (event: unknown): event is SQSEvent =>
  Array.isArray((event as { Records?: unknown } | null)?.Records) &&
  (event as SQSEvent).Records.every((r) => r.eventSource === 'aws:sqs');

/**
 * Scheduled (EventBridge): a scan of every configured region of this account, or, in fan-out
 * mode, the plan of one task per account + region. SQS from the task queue: the tasks, one at a
 * time. SQS from the events queue (`STAGE_DRIFT_EVENTS_QUEUE_ARN`): targeted rescans. The queue
 * is told by the records' `eventSourceARN`, not guessed from the bodies, so a malformed message
 * of either queue is handled by its own queue's rules.
 */
export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  logger.appendKeys({ runId: context.awsRequestId });
  if (isSqsEvent(event) && isFromQueue(event.Records, config.eventsQueueArn)) return rescanBatch(event);
  if (isSqsEvent(event)) {
    return consumeBatch(event, context).catch((error: unknown) => {
      logger.error('scan failed', error as Error);
      throw error;
    });
  }
  if (config.fanOut) {
    return planTasks(event).catch((error: unknown) => {
      logger.error('planning failed', error as Error);
      throw error;
    });
  }
  const summary = await scanAll().catch((error: unknown) => {
    // Logged here so the line carries the run id; rethrown so the invocation fails and alarms.
    logger.error('scan failed', error as Error);
    throw error;
  });
  const totals = emitScanMetrics(summary, 1);
  logger.info('scan finished', { baseline: summary.baseline, durationMs: summary.durationMs, ...totals });
  return { baseline: summary.baseline, durationMs: summary.durationMs, ...totals };
};
