import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ScanMetricsOptions } from '../../../lambdas/snapshot/scan-metrics';
import { emitScanMetrics } from '../../../lambdas/snapshot/scan-metrics';
import type { ScanSummary, ScopeSummary } from '../../../shared/scan';
import { captureJsonLines } from '../capture-output';

const scope = (extra: Partial<ScopeSummary> = {}): ScopeSummary => ({
  account: '123456789012',
  region: 'eu-west-1',
  baseline: false,
  apisListed: 2,
  apisRead: 2,
  stagesRead: 3,
  stagesChanged: 1,
  events: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, INFO: 0 },
  replayed: 0,
  superseded: 0,
  warnings: [],
  failures: [],
  calls: { GetRestApis: 1, GetStages: 1, GetApis: 1, GetStagesV2: 1, throttled: 0, retries: 0 },
  durationMs: 1200,
  ...extra,
});

const summaryOf = (...scopes: ScopeSummary[]): ScanSummary => ({
  startedAt: '2024-06-01T01:00:00.000Z',
  baseline: false,
  postureSummaries: [],
  postureChanges: [],
  scopes,
  events: [],
  durationMs: 1500,
});

const emit = (
  summary: ScanSummary,
  options: ScanMetricsOptions = { driftMetrics: true },
  extra: [string, number][] = [],
) =>
  captureJsonLines(() =>
    Promise.resolve(
      emitScanMetrics(
        {
          metrics: new Metrics({ namespace: 'StageDrift', serviceName: 'test' }),
          logger: new Logger({ serviceName: 'test' }),
        },
        summary,
        options,
        extra,
      ),
    ),
  );

describe('emitScanMetrics', () => {
  it('counts failed CloudTrail lookups in a metric and logs a warning per scope with the reason', async () => {
    // Prepare
    const failed = scope({
      attribution: { attributed: 0, unattributed: 1, lookupCalls: 2, lookupFailures: 1 },
      warnings: [
        'CloudTrail lookup for 123456789012/eu-west-1 failed: LookupEvents on apigateway.amazonaws.com failed',
      ],
    });

    // Act
    const { lines } = await emit(summaryOf(failed, scope({ region: 'us-east-1' })));

    // Assess
    const emf = lines.find((line) => '_aws' in line);
    expect(emf).toMatchObject({ CloudTrailLookupFailures: 1 });
    expect(lines.filter((line) => line.message === 'CloudTrail lookup failed')).toEqual([
      expect.objectContaining({
        level: 'WARN',
        scope: '123456789012/eu-west-1',
        lookupFailures: 1,
        warnings: failed.warnings,
      }),
    ]);
  });

  it('emits no lookup-failure metric and no warning when every lookup worked', async () => {
    const { lines } = await emit(
      summaryOf(scope({ attribution: { attributed: 1, unattributed: 0, lookupCalls: 2 } })),
    );
    expect(lines.find((line) => '_aws' in line)).not.toHaveProperty('CloudTrailLookupFailures');
    expect(lines.filter((line) => line.level === 'WARN')).toEqual([]);
  });

  it('sends the activity metrics only with driftMetrics on, the failure metrics always', async () => {
    // Prepare: a scope that changed, was throttled and could not read one API
    const busy = scope({
      failures: [{ kind: 'access', errorName: 'AccessDenied', message: 'the reader role refused' }],
      calls: { GetRestApis: 1, GetStages: 1, GetApis: 1, GetStagesV2: 1, throttled: 2, retries: 2 },
    });
    const extra: [string, number][] = [
      ['TargetedRescans', 1],
      ['RefusedEvents', 1],
    ];

    // Act
    const off = await emit(summaryOf(busy), {}, extra);
    const on = await emit(summaryOf(busy), { driftMetrics: true }, extra);

    // Assess
    const metricsOf = (lines: Record<string, unknown>[]) => {
      const emf = lines.find((line) => '_aws' in line) as
        { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } } | undefined;
      return (emf?._aws.CloudWatchMetrics[0]?.Metrics ?? []).map((m) => m.Name).sort();
    };
    expect(metricsOf(off.lines)).toEqual(['RefusedEvents', 'ScanFailures']);
    expect(metricsOf(on.lines)).toEqual([
      'DriftsHIGH',
      'RefusedEvents',
      'ScanFailures',
      'StagesChanged',
      'TargetedRescans',
      'Throttled',
    ]);
  });

  it('sends no EMF line at all when only activity metrics would be non-zero and driftMetrics is off', async () => {
    const { lines } = await emit(summaryOf(scope()), {}, [['TargetedRescans', 1]]);
    expect(lines.filter((line) => '_aws' in line)).toEqual([]);
  });
});
