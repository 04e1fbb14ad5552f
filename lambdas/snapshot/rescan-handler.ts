import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { ConfigError, ENV, loadConfigFromEnv } from '../../shared/config';
import { runFailureReport, runTargetedScan } from '../../shared/scan';
import { createFailureReports } from './failure-reports';
import { cacheUntilFailure } from './own-account-deps';
import { createRescanDeps } from './rescan-deps';
import { isFromQueue, readEventBodies } from './rescan-events';
import { createFindingsExport } from './findings-export';
import { emitScanMetrics } from './scan-metrics';

const logger = new Logger({ serviceName: 'stage-drift-rescan' });
// The scan metrics of both scanning functions share one `service` dimension: no second set of
// custom metrics is billed.
const metrics = new Metrics({ namespace: 'StageDrift', serviceName: 'stage-drift-snapshot' });
const telemetry = { metrics, logger };
// Fails at init, naming the bad environment variable, before any rescan starts.
const config = loadConfigFromEnv(process.env);
const queueArn = config.eventsQueueArn;
if (queueArn === undefined) {
  throw new ConfigError(ENV.eventsQueueArn, 'required: the ARN of the events queue this function drains');
}
// No attribution lookup: a rescan attributes from the CloudTrail records that triggered it, a
// member account's too (forwarded by its StageDriftEventForwarder), and reads it through its reader role.
const scanDeps = cacheUntilFailure(() => createRescanDeps(config));
// Off by default (STAGE_DRIFT_SECURITY_HUB): the posture changes of each rescan as Security Hub findings.
const exportFindings = createFindingsExport(config);
// What a rescan could not read goes to the failure queue (STAGE_DRIFT_FAILURE_QUEUE_URL), whose alarm pages.
const failureReports = createFailureReports(config.failureQueueUrl, logger);

/**
 * Logs each refused event (forged: its account is not its record's) and each refused target (an
 * account or region this monitor is not configured for, or whose reader role refused us): never
 * rescanned. Returns how many, for the `RefusedEvents` metric.
 */
const reportRefusals = (result: Awaited<ReturnType<typeof runTargetedScan>>): number => {
  for (const event of result.refusedEvents) logger.warn('event refused', { ...event });
  const targets = result.targets.filter((t) => t.outcome === 'refused');
  for (const { target, reason } of targets) {
    logger.warn('event refused', { api: `${target.account}/${target.region}/${target.apiId}`, reason });
  }
  return result.refusedEvents.length + targets.length;
};

const recordsOf = (event: unknown): SQSRecord[] => {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) ? (records as SQSRecord[]) : [];
};

/**
 * SQS from the events queue: CloudTrail events of stage changes, coalesced by the batching
 * window; one targeted rescan per API they touched, in this account's configured regions. A body
 * that is not JSON is dropped; any other failure retries the whole batch (rescans are idempotent).
 */
export const handler = async (event: unknown, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  logger.appendKeys({ runId: context.awsRequestId });
  const records = recordsOf(event);
  if (!isFromQueue(records, queueArn)) {
    // Only the events queue's mapping invokes this function: anything else is a wiring mistake.
    const error = new Error(
      `expected a batch of the events queue ${queueArn}; check the function's triggers`,
    );
    logger.error('unexpected event', error);
    throw error;
  }
  const { deps, account, admit } = await scanDeps().catch((error: unknown) => {
    // Logged here so the line carries the run id; rethrown so the batch is retried (after
    // EVENTS_MAX_RECEIVE_COUNT deliveries its events land in the failure queue, whose alarm pages).
    logger.error('targeted rescan failed', error as Error);
    throw error;
  });
  const { events, unreadable } = readEventBodies(records);
  for (const message of unreadable) logger.error('event message dropped', { ...message });
  try {
    const result = await runTargetedScan(deps, { events, now: new Date(), admit });
    const refused = reportRefusals(result);
    const totals = emitScanMetrics(telemetry, result.summary, config, [
      ['TargetedRescans', result.summary.scopes.length],
      ['RefusedEvents', refused],
    ]);
    await failureReports.sendFailuresOf(result.summary, {
      source: 'rescan',
      runId: context.awsRequestId,
      failedAt: new Date(),
    });
    const findings = await exportFindings?.(
      result.summary,
      { account, controls: deps.postureControls },
      telemetry,
    );
    logger.info('targeted rescans finished', {
      messages: records.length,
      targets: result.targets.map((t) => ({
        api: `${t.target.account}/${t.target.region}/${t.target.apiId}`,
        outcome: t.outcome,
        ...(t.outcome === 'rescanned' ? {} : { reason: t.reason }),
      })),
      skippedEvents: result.skippedEvents.length,
      ...(refused > 0 ? { refusedEvents: refused } : {}),
      durationMs: result.summary.durationMs,
      ...totals,
      ...findings,
    });
    return { batchItemFailures: [] };
  } catch (error) {
    logger.error('targeted rescan failed', error as Error);
    metrics.addMetric('ScanFailures', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    // Reported at once (the failure queue's alarm pages); the batch is delivered again, and after
    // EVENTS_MAX_RECEIVE_COUNT deliveries its events land in the failure queue themselves.
    await failureReports.send(
      runFailureReport(error, { source: 'rescan', runId: context.awsRequestId, failedAt: new Date() }),
    );
    return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })) };
  }
};
