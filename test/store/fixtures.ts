import type {
  RestStageConfig,
  RestStageSnapshot,
  StageChangeKind,
  StageDrift,
  StageKey,
  StageSnapshot,
  V2StageConfig,
  V2StageSnapshot,
} from '../../shared/model';
import { contentHash } from '../../shared/model';
import { ManualClock } from '../../shared/runtime';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export const restKey = (
  apiId = 'a1b2c3d4e5',
  stageName = 'prod',
): StageKey & { readonly apiType: 'REST' } => ({
  account: ACCOUNT,
  region: REGION,
  apiType: 'REST',
  apiId,
  stageName,
});

export const httpKey = (
  apiId = 'h1t2t3p4a5',
  stageName = '$default',
): StageKey & { readonly apiType: 'HTTP' } => ({
  account: ACCOUNT,
  region: REGION,
  apiType: 'HTTP',
  apiId,
  stageName,
});

/** A REST stage snapshot with a correct hash; `config` overrides the defaults. */
export const restSnapshot = (
  key: StageKey & { readonly apiType: 'REST' } = restKey(),
  config: Partial<RestStageConfig> = {},
  createdDate = '2024-01-15T09:30:00.000Z',
): RestStageSnapshot => {
  const full: RestStageConfig = {
    deploymentId: 'dep001',
    cacheClusterEnabled: false,
    tracingEnabled: false,
    methodSettings: { '*/*': { loggingLevel: 'INFO', metricsEnabled: true, dataTraceEnabled: false } },
    ...config,
  };
  return {
    key,
    apiName: 'orders-api',
    volatile: { createdDate, lastUpdatedDate: '2024-03-01T12:00:00.000Z' },
    hash: contentHash(full),
    config: full,
  };
};

export const httpSnapshot = (
  key: StageKey & { readonly apiType: 'HTTP' } = httpKey(),
  config: Partial<V2StageConfig> = {},
): V2StageSnapshot => {
  const full: V2StageConfig = { apiGatewayManaged: false, autoDeploy: true, ...config };
  return {
    key,
    apiName: 'payments-http',
    volatile: { createdDate: '2024-02-01T08:00:00.000Z' },
    hash: contentHash(full),
    config: full,
  };
};

/** The drift between two snapshots, shaped as the diff module returns it (one change). */
export const driftOf = (
  previous: StageSnapshot | undefined,
  next: StageSnapshot | undefined,
  change: StageChangeKind = previous && next ? 'MODIFIED' : next ? 'CREATED' : 'DELETED',
): StageDrift => {
  const key = (next ?? previous)!.key;
  return {
    key,
    apiName: (next ?? previous)!.apiName,
    change,
    severity: change === 'MODIFIED' ? 'HIGH' : 'MEDIUM',
    rule: `stage-${change.toLowerCase()}`,
    changes:
      change === 'MODIFIED'
        ? [
            {
              path: ['tracingEnabled'],
              label: 'X-Ray tracing',
              kind: 'changed',
              before: false,
              after: true,
              severity: 'HIGH',
              rule: 'tracing',
            },
          ]
        : [],
    ...(previous ? { beforeHash: previous.hash } : {}),
    ...(next ? { afterHash: next.hash } : {}),
  };
};

/** A controllable clock: `set(iso)` moves it, `sleep` records the delay and returns at once. */
export const manualClock = (startIso = '2024-06-01T00:00:00.000Z'): ManualClock =>
  new ManualClock({ start: startIso, mode: 'on-sleep' });
