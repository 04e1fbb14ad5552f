import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { loadConfigFromEnv } from '../../shared/config';
import { SEVERITIES } from '../../shared/model';
import { runScan, totalsOf } from '../../shared/scan';
import { createScanDeps } from './deps';

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

/** Scheduled (EventBridge) scan of every configured region of this account. */
export const handler = async (_event: unknown, context: Context) => {
  logger.addContext(context);
  logger.appendKeys({ runId: context.awsRequestId });
  const summary = await scanAll().catch((error: unknown) => {
    // Logged here so the line carries the run id; rethrown so the invocation fails and alarms.
    logger.error('scan failed', error as Error);
    throw error;
  });
  const totals = totalsOf(summary);
  // Five metrics every run (the alarms and dashboards need them); the rest only when non-zero:
  // CloudWatch bills each custom metric for the hours it receives data, so zeros cost money.
  metrics.addMetric('StagesScanned', MetricUnit.Count, totals.stagesRead);
  metrics.addMetric('ScanFailures', MetricUnit.Count, totals.failures);
  metrics.addMetric('ControlPlaneCalls', MetricUnit.Count, totals.calls);
  metrics.addMetric('ScanDuration', MetricUnit.Milliseconds, summary.durationMs);
  metrics.addMetric('ScanCompleted', MetricUnit.Count, 1);
  const sparse: [string, number][] = [
    ['StagesChanged', totals.stagesChanged],
    ['Throttled', totals.throttled],
    ...SEVERITIES.map((severity): [string, number] => [`Drifts${severity}`, totals.events[severity]]),
  ];
  for (const [name, value] of sparse) if (value > 0) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
  for (const scope of summary.scopes) {
    if (scope.failures.length > 0)
      logger.warn('scope read with failures', { scope: scope.region, failures: scope.failures });
  }
  logger.info('scan finished', { baseline: summary.baseline, durationMs: summary.durationMs, ...totals });
  return { baseline: summary.baseline, durationMs: summary.durationMs, ...totals };
};
