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

/**
 * Five metrics every scan (the alarms and dashboards need them); the rest only when non-zero:
 * CloudWatch bills each custom metric for the hours it receives data, so zeros cost money.
 * Used by both scanning handlers (the scheduled scan and the event-driven rescans).
 */
export const emitScanMetrics = (
  { metrics, logger }: ScanTelemetry,
  summary: ScanSummary,
  completed: number,
  extra: [string, number][] = [],
) => {
  const totals = totalsOf(summary);
  const lookupFailures = summary.scopes.reduce((n, s) => n + (s.attribution?.lookupFailures ?? 0), 0);
  metrics.addMetric('StagesScanned', MetricUnit.Count, totals.stagesRead);
  metrics.addMetric('ScanFailures', MetricUnit.Count, totals.failures);
  metrics.addMetric('ControlPlaneCalls', MetricUnit.Count, totals.calls);
  metrics.addMetric('ScanDuration', MetricUnit.Milliseconds, summary.durationMs);
  metrics.addMetric('ScanCompleted', MetricUnit.Count, completed);
  const sparse: [string, number][] = [
    ['StagesChanged', totals.stagesChanged],
    ['Throttled', totals.throttled],
    ['CloudTrailLookupFailures', lookupFailures],
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
