import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SEVERITIES } from '../../shared/model';
import type { ScanSummary } from '../../shared/scan';
import { totalsOf } from '../../shared/scan';

/** The Powertools instances a handler emits its scan metrics and scope warnings with. */
export interface ScanTelemetry {
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/** What decides which scan metrics are sent: the `driftMetrics` setting (EnvConfig). */
export interface ScanMetricsOptions {
  /** Also the activity metrics ({@link ACTIVITY_METRICS}). @default false */
  readonly driftMetrics?: boolean;
}

/**
 * The activity metrics, sent only with `driftMetrics` on: counts of what a scan saw and did, which
 * no alarm reads and the summary log line carries anyway. Every other scan metric is a failure
 * (`ScanFailures`, `CloudTrailLookupFailures`, `AssumeRoleFailures`, `RefusedEvents`, …) and is
 * always sent when non-zero.
 */
export const ACTIVITY_METRICS: ReadonlySet<string> = new Set([
  'StagesChanged',
  'Throttled',
  ...SEVERITIES.map((severity) => `Drifts${severity}`),
  'TargetedRescans',
  'ScansContinued',
  'ScansSuperseded',
]);

/**
 * The scan metrics, each only when non-zero: CloudWatch bills a custom metric for every hour it
 * receives data, so zeros cost money, and the activity metrics ({@link ACTIVITY_METRICS}) only
 * with `driftMetrics` on (a change spread over the day would bill them most hours). The run's
 * totals (stages read, calls, changes, duration, completion) are in the handler's summary log
 * line, not metrics: the heartbeat alarm watches AWS/Lambda `Invocations`, and what a scan could
 * not read is reported to the failure queue (its alarm pages), `ScanFailures` counting it for
 * graphs. Used by both scanning handlers (the
 * scheduled scan and the event-driven rescans).
 */
export const emitScanMetrics = (
  { metrics, logger }: ScanTelemetry,
  summary: ScanSummary,
  options: ScanMetricsOptions,
  extra: [string, number][] = [],
) => {
  const totals = totalsOf(summary);
  const lookupFailures = summary.scopes.reduce((n, s) => n + (s.attribution?.lookupFailures ?? 0), 0);
  const sparse: [string, number][] = [
    ['ScanFailures', totals.failures],
    ['StagesChanged', totals.stagesChanged],
    ['Throttled', totals.throttled],
    ['CloudTrailLookupFailures', lookupFailures],
    ...SEVERITIES.map((severity): [string, number] => [`Drifts${severity}`, totals.events[severity]]),
    ...extra,
  ];
  const sent = sparse.filter(
    ([name, value]) => value > 0 && (options.driftMetrics === true || !ACTIVITY_METRICS.has(name)),
  );
  for (const [name, value] of sent) metrics.addMetric(name, MetricUnit.Count, value);
  // Nothing to send, no EMF line (Powertools would warn about an empty one).
  if (sent.length > 0) metrics.publishStoredMetrics();
  for (const scope of summary.scopes) {
    if (scope.failures.length > 0)
      logger.warn('scope read with failures', {
        scope: `${scope.account}/${scope.region}`,
        failures: scope.failures,
      });
    const failedLookups = scope.attribution?.lookupFailures ?? 0;
    if (failedLookups > 0)
      logger.warn('CloudTrail lookup failed', {
        scope: `${scope.account}/${scope.region}`,
        lookupFailures: failedLookups,
        // The lookup's details (the SDK's text: no secret in it), the alerts have a fixed reason.
        warnings: scope.warnings,
      });
  }
  return totals;
};
