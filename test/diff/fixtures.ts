import type { DiffOptions } from '../../shared/diff';
import type {
  ApiType,
  JsonObject,
  RestStageConfig,
  RestStageSnapshot,
  StageSnapshot,
  V2StageConfig,
  V2StageSnapshot,
  VolatileFields,
} from '../../shared/model';
import { contentHash } from '../../shared/model';

/**
 * Canonical configs shaped like the seed pages and `examples/`: the REST `prod` stage of an
 * orders API, an HTTP pets API and a WebSocket chat API, each as the normalizer emits them.
 */
export const REST_PROD: RestStageConfig = {
  accessLogSettings: {
    destinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:orders-api-access',
    format: '{"requestId":"$context.requestId","status":"$context.status"}',
  },
  cacheClusterEnabled: true,
  cacheClusterSize: '0.5',
  clientCertificateId: 'kx8m2p',
  deploymentId: 'vakw79',
  description: 'Production',
  documentationVersion: '1.4.0',
  methodSettings: {
    '*/*': {
      cacheDataEncrypted: true,
      cacheTtlInSeconds: 300,
      cachingEnabled: true,
      loggingLevel: 'INFO',
      metricsEnabled: true,
      requireAuthorizationForCacheControl: true,
      throttlingBurstLimit: 500,
      throttlingRateLimit: 1000,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    },
    'orders/POST': {
      cacheDataEncrypted: false,
      cacheTtlInSeconds: 300,
      cachingEnabled: false,
      dataTraceEnabled: false,
      loggingLevel: 'ERROR',
      metricsEnabled: true,
      requireAuthorizationForCacheControl: true,
      throttlingBurstLimit: 50,
      throttlingRateLimit: 100,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    },
  },
  tags: { env: 'prod', team: 'orders' },
  tracingEnabled: true,
  variables: { backendUrl: 'https://orders.internal.example.com', dbPassword: 's3cr3t-hunter2' },
  webAclArn:
    'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders-acl/1f2e3d4c-0000-4b5a-8c9d-abcdef012345',
};

/** `prod` with a 10% canary on the next deployment. */
export const REST_PROD_WITH_CANARY: RestStageConfig = {
  ...REST_PROD,
  canarySettings: {
    deploymentId: 'p3q9zz',
    percentTraffic: 10,
    stageVariableOverrides: { backendUrl: 'https://orders-canary.internal.example.com' },
    useStageCache: false,
  },
};

/** The seed sample's `beta` stage: almost nothing configured. */
export const REST_BETA: RestStageConfig = {
  cacheClusterEnabled: false,
  deploymentId: 'vakw79',
  tracingEnabled: false,
  variables: { function: 'HelloWorld', version: 'v-beta' },
};

export const HTTP_PROD: V2StageConfig = {
  accessLogSettings: {
    destinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:pets-http-access',
    format: '$context.requestId $context.httpMethod $context.routeKey $context.status',
  },
  apiGatewayManaged: false,
  autoDeploy: false,
  defaultRouteSettings: { detailedMetricsEnabled: true, throttlingBurstLimit: 200, throttlingRateLimit: 100 },
  deploymentId: 'd7x1k2',
  description: 'Public pets API',
  routeSettings: {
    'GET /pets': { detailedMetricsEnabled: true, throttlingBurstLimit: 100, throttlingRateLimit: 50 },
  },
  stageVariables: { petsTable: 'pets-prod' },
  tags: { team: 'pets' },
};

export const WEBSOCKET_PROD: V2StageConfig = {
  accessLogSettings: {
    destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:chat-ws-access',
    format: '$context.requestId $context.eventType $context.routeKey $context.status',
  },
  apiGatewayManaged: false,
  autoDeploy: false,
  clientCertificateId: 'w3bs0k',
  defaultRouteSettings: {
    detailedMetricsEnabled: true,
    loggingLevel: 'INFO',
    throttlingBurstLimit: 500,
    throttlingRateLimit: 1000,
  },
  deploymentId: 'ws0001',
  routeSettings: {
    $connect: { dataTraceEnabled: false, detailedMetricsEnabled: true, loggingLevel: 'ERROR' },
    sendMessage: { throttlingBurstLimit: 100, throttlingRateLimit: 50 },
  },
  stageVariables: { connectionsTable: 'chat-connections' },
  tags: { team: 'chat' },
};

export const CONFIG_BY_API_TYPE: Readonly<Record<ApiType, RestStageConfig | V2StageConfig>> = {
  REST: REST_PROD,
  HTTP: HTTP_PROD,
  WEBSOCKET: WEBSOCKET_PROD,
};

type DeepMutable<T> = T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

/** A deep copy of `config` changed by `change`, which may mutate its draft freely. */
export const edit = <T>(config: T, change: (draft: DeepMutable<T>) => void): T => {
  const draft = structuredClone(config) as DeepMutable<T>;
  change(draft);
  return draft as T;
};

export const OPTIONS: DiffOptions = { fingerprintKey: 'test-fingerprint-key-5b1d0c9e7a3f42d8' };

export interface SnapshotOptions {
  readonly account?: string;
  readonly region?: string;
  readonly apiId?: string;
  readonly apiName?: string;
  readonly stageName?: string;
  readonly apiTags?: Readonly<Record<string, string>>;
  readonly volatile?: VolatileFields;
}

const DEFAULT_VOLATILE: VolatileFields = {
  createdDate: '2025-03-02T09:14:00Z',
  lastUpdatedDate: '2026-11-20T08:00:00Z',
};

export const restSnapshot = (config: RestStageConfig, options: SnapshotOptions = {}): RestStageSnapshot => ({
  key: {
    account: options.account ?? '123456789012',
    region: options.region ?? 'eu-west-1',
    apiType: 'REST',
    apiId: options.apiId ?? 'a1b2c3d4e5',
    stageName: options.stageName ?? 'prod',
  },
  apiName: options.apiName ?? 'orders-api',
  ...(options.apiTags !== undefined ? { apiTags: options.apiTags } : {}),
  volatile: options.volatile ?? DEFAULT_VOLATILE,
  hash: contentHash(config),
  config,
});

export const v2Snapshot = (
  apiType: 'HTTP' | 'WEBSOCKET',
  config: V2StageConfig,
  options: SnapshotOptions = {},
): V2StageSnapshot => ({
  key: {
    account: options.account ?? '123456789012',
    region: options.region ?? 'eu-west-1',
    apiType,
    apiId: options.apiId ?? (apiType === 'HTTP' ? 'h7t7p9x2k1' : 'w5s0c8k3t4'),
    stageName: options.stageName ?? 'prod',
  },
  apiName: options.apiName ?? (apiType === 'HTTP' ? 'pets-api' : 'chat-api'),
  ...(options.apiTags !== undefined ? { apiTags: options.apiTags } : {}),
  volatile: options.volatile ?? DEFAULT_VOLATILE,
  hash: contentHash(config),
  config,
});

/** A snapshot of any API type. */
export const snapshotOf = (
  apiType: ApiType,
  config: RestStageConfig | V2StageConfig,
  options: SnapshotOptions = {},
): StageSnapshot =>
  apiType === 'REST'
    ? restSnapshot(config as RestStageConfig, options)
    : v2Snapshot(apiType, config as V2StageConfig, options);

/** A typed config as the plain JSON object `diffConfigs` walks. */
export const json = (config: RestStageConfig | V2StageConfig): JsonObject => config as unknown as JsonObject;
