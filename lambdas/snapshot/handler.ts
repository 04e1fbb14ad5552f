import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { loadConfigFromEnv } from '../../shared/config';
import type { ScanFailureSource, ScanSummary, ScanTaskOutcome } from '../../shared/scan';
import { latenessOf, runFailureReport, runScheduledScan, scheduleTickOf } from '../../shared/scan';
import { createScanDeps } from './deps';
import { TaskMessageError, TaskRefusedError } from './errors';
import { createFailureReports } from './failure-reports';
import { consumeTask } from './fan-out';
import { cacheUntilFailure } from './own-account-deps';
import { createFindingsExport } from './findings-export';
import { emitScanMetrics } from './scan-metrics';

const logger = new Logger({ serviceName: 'stage-drift-snapshot' });
const metrics = new Metrics({ namespace: 'StageDrift', serviceName: 'stage-drift-snapshot' });
// Fails at init, naming the bad environment variable, before any scan starts.
const config = loadConfigFromEnv(process.env);
const scanDeps = cacheUntilFailure(() => createScanDeps(config));
// Off by default (STAGE_DRIFT_SECURITY_HUB): the posture changes of each scan as Security Hub findings.
const exportFindings = createFindingsExport(config);
// What a scan could not read goes to the failure queue (STAGE_DRIFT_FAILURE_QUEUE_URL), whose alarm pages.
const failureReports = createFailureReports(config.failureQueueUrl, logger);

/** Reports `summary`'s failures, if any, to the failure queue (throws if it cannot). */
const reportFailures = (summary: Pick<ScanSummary, 'scopes'>, source: ScanFailureSource, runId: string) =>
  failureReports.sendFailuresOf(summary, { source, runId, failedAt: new Date() });

/** Every configured region of this account, within the invocation's time (continued at the next run). */
const scanAll = async (context: Context) => {
  const { deps, account } = await scanDeps();
  return runScheduledScan(deps, {
    scopes: config.regions.map((region) => ({ account, region })),
    now: new Date(),
    deadlineMs: deps.clock.now() + context.getRemainingTimeInMillis(),
  });
};

const telemetry = { metrics, logger };

const OUTCOME_METRICS: Record<ScanTaskOutcome, [string, number][]> = {
  completed: [],
  continued: [['ScansContinued', 1]],
  failed: [['AssumeRoleFailures', 1]],
  superseded: [['ScansSuperseded', 1]],
  skipped: [],
};

/** SQS (fan-out mode): one task message per record (batch size 1), failures reported per item. */
const consumeBatch = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const { fanOut } = await scanDeps();
  const runId = context.awsRequestId;
  if (!fanOut) throw new Error('a task message arrived but STAGE_DRIFT_TASK_QUEUE_URL is not set');
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const deadlineMs = fanOut.consume.clock.now() + context.getRemainingTimeInMillis();
      const result = await consumeTask(fanOut.consume, record.body, fanOut.policy, {
        now: new Date(),
        deadlineMs,
      });
      const totals = emitScanMetrics(
        telemetry,
        result.summary,
        // The activity metrics only with STAGE_DRIFT_DRIFT_METRICS (driftMetrics).
        config,
        OUTCOME_METRICS[result.outcome],
      );
      await reportFailures(result.summary, 'scan-task', runId);
      const findings = await exportFindings?.(
        result.summary,
        { account: fanOut.policy.ownAccount, controls: fanOut.consume.postureControls },
        telemetry,
      );
      const [scope] = result.summary.scopes;
      logger.info('task finished', {
        outcome: result.outcome,
        scope: `${scope?.account}/${scope?.region}`,
        chunk: result.next?.continuation ? result.next.continuation.chunk - 1 : (result.run?.chunks ?? 1),
        baseline: result.summary.baseline,
        ...(result.scanMode ? { scanMode: result.scanMode } : {}),
        ...(result.run?.scanMode
          ? { modeAfter: { mode: result.run.scanMode, reason: result.run.scanModeReason } }
          : {}),
        durationMs: result.summary.durationMs,
        ...totals,
        ...findings,
      });
    } catch (error) {
      if (error instanceof TaskRefusedError) {
        // A scope the monitor is not configured for: never scanned, dropped (a retry cannot fix
        // it), counted apart from scan failures.
        metrics.addMetric('TasksRefused', MetricUnit.Count, 1);
        metrics.publishStoredMetrics();
        logger.warn('task refused', { messageId: record.messageId, reason: error.message });
        continue;
      }
      // A malformed message is dropped: retrying cannot fix it. Anything else is retried by SQS
      // (then dead-lettered); both are reported to the failure queue, whose alarm pages.
      metrics.addMetric('ScanFailures', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
      await failureReports.send(
        runFailureReport(error, { source: 'scan-task', runId, failedAt: new Date() }),
      );
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
 * Scheduled (EventBridge): a scan of every configured region of this account, stopped before the
 * function's deadline; a region's run that did not fit goes on at the next scheduled run, from
 * its run record (`runScheduledScan`), and regions not started go first then. In fan-out mode,
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
  const tick = scheduleTickOf(event);
  const late = tick && latenessOf(tick, new Date());
  if (tick && late !== undefined) {
    // Throttled behind a scan that outlasted the period: a newer tick is due, this one is skipped.
    const skipped = { skipped: 'late', scheduledTime: tick.scheduledTime.toISOString(), lateMs: late };
    logger.info('scheduled run skipped: a newer one is due', skipped);
    return skipped;
  }
  const result = await scanAll(context).catch((error: unknown) => {
    // Logged here so the line carries the run id; rethrown so the invocation fails and alarms.
    logger.error('scan failed', error as Error);
    throw error;
  });
  const { summary, completed, continued, waiting, skipped } = result;
  const totals = emitScanMetrics(telemetry, summary, config, continued ? [['ScansContinued', 1]] : []);
  // The stages read are stored; what was not read is reported (the failure queue's alarm pages).
  await reportFailures(summary, 'scheduled-scan', context.awsRequestId);
  const { account, deps } = await scanDeps();
  const findings = await exportFindings?.(summary, { account, controls: deps.postureControls }, telemetry);
  const outcome = {
    baseline: summary.baseline,
    durationMs: summary.durationMs,
    completed,
    resumed: result.resumed,
    ...(continued ? { continued: `${continued.account}/${continued.region}` } : {}),
    ...(waiting.length > 0 ? { waiting: waiting.map((s) => `${s.account}/${s.region}`) } : {}),
    ...(skipped.length > 0
      ? {
          eventsOnly: skipped.map(({ scope, scanMode }) => ({
            scope: `${scope.account}/${scope.region}`,
            ...scanMode,
          })),
        }
      : {}),
    ...totals,
    ...findings,
  };
  if (continued) {
    const run = summary.scopes.find((s) => s.account === continued.account && s.region === continued.region);
    logger.info('scan continues at the next run', {
      scope: outcome.continued,
      apisLeft: (run?.apisListed ?? 0) - (run?.apisRead ?? 0),
      reason: "the function's remaining time: the run is recorded as in progress and resumed from there",
    });
  }
  logger.info('scan finished', outcome);
  return outcome;
};
