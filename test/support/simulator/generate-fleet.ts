import {
  SIM_ACCOUNT_ID,
  SIM_REGION,
  type Fleet,
  type RestApiEndpointType,
  type SimRestApi,
  type SimV2Api,
} from './fleet';
import { createPrng, type Prng } from './prng';

export interface GenerateFleetOptions {
  /** Number of REST APIs (v1). */
  restApis: number;
  /** Number of HTTP APIs (v2). */
  httpApis: number;
  /** @default 0 */
  websocketApis?: number;
  /** Stages per API, 0 to 10 (the service quota). @default 3 */
  stagesPerApi?: number;
  /**
   * REST: entries in `methodSettings`, the first one being `*\/*`. v2: entries in
   * `routeSettings` is this minus one (`defaultRouteSettings` plays the part of `*\/*`).
   * 0 to 50. @default 3
   */
  methodSettingsPerStage?: number;
  /** Seed of the deterministic generator: the same options give the same fleet. @default 1 */
  seed?: number;
}

const MAX_STAGES_PER_API = 10;
const MAX_METHOD_SETTINGS = 50;

const STAGE_NAMES = [
  'prod',
  'staging',
  'dev',
  'test',
  'qa',
  'uat',
  'beta',
  'perf',
  'sandbox',
  'demo',
] as const;
const DOMAINS = [
  'orders',
  'pets',
  'billing',
  'inventory',
  'users',
  'notifications',
  'search',
  'reports',
  'shipping',
  'auth',
];
const TEAMS = ['payments', 'catalog', 'identity', 'search', 'platform', 'growth', 'checkout', 'ledger'];
const RESOURCE_PATHS = [
  '/pets',
  '/pets/{petId}',
  '/orders',
  '/orders/{orderId}',
  '/users',
  '/users/{userId}',
  '/health',
  '/search',
  '/checkout',
  '/inventory/{sku}',
  '/{proxy+}',
];
const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const WEBSOCKET_ROUTES = [
  '$connect',
  '$disconnect',
  '$default',
  'sendMessage',
  'joinRoom',
  'leaveRoom',
  'subscribe',
];
const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
const LOGGING_LEVELS = ['INFO', 'ERROR', 'OFF'];
const CACHE_CONTROL_STRATEGIES = [
  'FAIL_WITH_403',
  'SUCCEED_WITH_RESPONSE_HEADER',
  'SUCCEED_WITHOUT_RESPONSE_HEADER',
];
const ACCESS_LOG_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",' +
  '"httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status",' +
  '"protocol":"$context.protocol","responseLength":"$context.responseLength"}';

/** 2022-01-01T00:00:00Z in epoch seconds: generated resources are created after it. */
const EPOCH_START_SECONDS = 1_640_995_200;
const DAY_SECONDS = 86_400;

const checkCount = (name: string, value: number, max: number, hint: string): number => {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`generateFleet: ${name} must be an integer from 0 to ${max}${hint}; got ${value}`);
  }
  return value;
};

/** Method-setting keys as the service writes them: `{resource_path}/{http_method}`, '/' escaped as '~1'. */
const METHOD_SETTING_KEYS = RESOURCE_PATHS.flatMap((path) =>
  HTTP_METHODS.map((method) => `${path.slice(1).replaceAll('/', '~1')}/${method}`),
);
const HTTP_ROUTE_KEYS = [
  '$default',
  ...RESOURCE_PATHS.flatMap((path) => HTTP_METHODS.map((m) => `${m} ${path}`)),
];

const uniqueId = (prng: Prng, used: Set<string>, length: number): string => {
  for (;;) {
    const id = prng.id(length);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
};

interface Dates {
  created: number;
  updated: number;
}

const stageDates = (prng: Prng, apiCreated: number): Dates => {
  const created = apiCreated + prng.int(0, 30 * DAY_SECONDS);
  return { created, updated: created + prng.int(0, 200 * DAY_SECONDS) };
};

const isoSeconds = (epochSeconds: number): string =>
  new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');

const logGroupArn = (name: string): string =>
  `arn:aws:logs:${SIM_REGION}:${SIM_ACCOUNT_ID}:log-group:${name}`;

const webAclArn = (prng: Prng, team: string): string =>
  `arn:aws:wafv2:${SIM_REGION}:${SIM_ACCOUNT_ID}:regional/webacl/${team}-edge-acl/` +
  `${prng.id(8)}-${prng.id(4)}-${prng.id(4)}-${prng.id(4)}-${prng.id(12)}`;

const apiTags = (prng: Prng, team: string, index: number): Record<string, string> | undefined => {
  if (prng.chance(0.1)) return undefined;
  const tags: Record<string, string> = { team, 'cost-center': `cc-${1000 + prng.int(0, 98) * 10}` };
  if (prng.chance(0.6)) tags['aws:cloudformation:stack-name'] = `${team}-api-${index}`;
  return tags;
};

const stageTags = (prng: Prng, team: string, stageName: string): Record<string, string> | undefined => {
  if (prng.chance(0.15)) return undefined;
  const tags: Record<string, string> = { team, env: stageName };
  if (prng.chance(0.05)) tags['stage-drift:ignore'] = 'true';
  return tags;
};

const stageNamesFor = (count: number, withDefault: boolean): string[] => {
  const names: string[] = STAGE_NAMES.slice(0, count);
  if (withDefault && count > 0) names[names.length - 1] = '$default';
  return names;
};

const restMethodSetting = (prng: Prng, production: boolean): Record<string, unknown> => {
  const cachingEnabled = prng.chance(0.2);
  return {
    metricsEnabled: prng.chance(production ? 0.8 : 0.3),
    loggingLevel: production ? prng.pick(['INFO', 'ERROR', 'ERROR', 'OFF']) : prng.pick(LOGGING_LEVELS),
    dataTraceEnabled: prng.chance(production ? 0.05 : 0.4),
    throttlingBurstLimit: prng.pick([100, 500, 1000, 2000, 5000]),
    throttlingRateLimit: prng.pick([50, 100.5, 1000, 10000]),
    cachingEnabled,
    cacheTtlInSeconds: cachingEnabled ? prng.pick([60, 300, 3600]) : 300,
    cacheDataEncrypted: cachingEnabled ? prng.chance(0.7) : false,
    requireAuthorizationForCacheControl: true,
    unauthorizedCacheControlHeaderStrategy: prng.pick(CACHE_CONTROL_STRATEGIES),
  };
};

const restStage = (
  prng: Prng,
  api: { id: string; name: string; team: string; created: number },
  stageName: string,
  methodSettingsCount: number,
): Record<string, unknown> => {
  const production = stageName === 'prod' || stageName === 'staging';
  const dates = stageDates(prng, api.created);
  const cacheClusterEnabled = prng.chance(production ? 0.3 : 0.05);
  const deploymentId = prng.id(6);
  const methodSettings: Record<string, unknown> = {};
  if (methodSettingsCount > 0) {
    methodSettings['*/*'] = restMethodSetting(prng, production);
    for (const key of prng.sample(METHOD_SETTING_KEYS, methodSettingsCount - 1)) {
      methodSettings[key] = restMethodSetting(prng, production);
    }
  }
  const stage: Record<string, unknown> = {
    deploymentId,
    stageName,
    cacheClusterEnabled,
    cacheClusterStatus: cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
    methodSettings,
    tracingEnabled: prng.chance(production ? 0.7 : 0.2),
    createdDate: dates.created,
    lastUpdatedDate: dates.updated,
  };
  if (prng.chance(0.7)) stage.description = `${stageName} stage of ${api.name}`;
  if (cacheClusterEnabled) stage.cacheClusterSize = prng.pick(CACHE_SIZES);
  if (prng.chance(0.15)) stage.clientCertificateId = prng.id(6);
  if (prng.chance(0.8)) {
    stage.variables = {
      lambdaAlias: stageName,
      backendUrl: `https://${stageName}.${api.team}.internal.example.com`,
      logLevel: prng.pick(['DEBUG', 'INFO', 'WARN']),
    };
  }
  if (prng.chance(0.2)) stage.documentationVersion = `1.${prng.int(0, 9)}.${prng.int(0, 20)}`;
  if (prng.chance(production ? 0.9 : 0.5)) {
    stage.accessLogSettings = {
      format: ACCESS_LOG_FORMAT,
      destinationArn: logGroupArn(`/aws/apigateway/${api.name}/${stageName}`),
    };
  }
  if (stageName === 'prod' && prng.chance(0.15)) {
    stage.canarySettings = {
      percentTraffic: prng.pick([5, 10, 12.5, 25]),
      deploymentId: prng.id(6),
      stageVariableOverrides: { lambdaAlias: 'canary' },
      useStageCache: prng.chance(0.5),
    };
  }
  if (production && prng.chance(0.4)) stage.webAclArn = webAclArn(prng, api.team);
  const tags = stageTags(prng, api.team, stageName);
  if (tags) stage.tags = tags;
  return stage;
};

const routeSetting = (prng: Prng, websocket: boolean, production: boolean): Record<string, unknown> => {
  const setting: Record<string, unknown> = {
    detailedMetricsEnabled: prng.chance(production ? 0.6 : 0.2),
    throttlingBurstLimit: prng.pick([100, 500, 1000, 5000]),
    throttlingRateLimit: prng.pick([50, 100.5, 1000, 10000]),
  };
  if (websocket) {
    // Logging level and data trace are supported only for WebSocket APIs.
    setting.loggingLevel = prng.pick(LOGGING_LEVELS);
    setting.dataTraceEnabled = prng.chance(production ? 0.05 : 0.4);
  }
  return setting;
};

const v2Stage = (
  prng: Prng,
  api: { name: string; team: string; created: number; websocket: boolean },
  stageName: string,
  routeSettingsCount: number,
): Record<string, unknown> => {
  const production = stageName === 'prod' || stageName === 'staging';
  const managed = stageName === '$default' && prng.chance(0.5);
  const autoDeploy = stageName === '$default' ? true : prng.chance(0.3);
  const dates = stageDates(prng, api.created);
  const deploymentId = prng.id(6);
  const routeKeys = api.websocket ? WEBSOCKET_ROUTES : HTTP_ROUTE_KEYS;
  const routeSettings: Record<string, unknown> = {};
  for (const key of prng.sample(routeKeys, routeSettingsCount)) {
    routeSettings[key] = routeSetting(prng, api.websocket, production);
  }
  const stage: Record<string, unknown> = {
    stageName,
    deploymentId,
    autoDeploy,
    defaultRouteSettings: routeSetting(prng, api.websocket, production),
    routeSettings,
    createdDate: isoSeconds(dates.created),
    lastUpdatedDate: isoSeconds(dates.updated),
  };
  if (managed) stage.apiGatewayManaged = true;
  if (!managed && prng.chance(0.6)) stage.description = `${stageName} stage of ${api.name}`;
  if (autoDeploy)
    stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deploymentId}'`;
  if (api.websocket && prng.chance(0.15)) stage.clientCertificateId = prng.id(6);
  if (prng.chance(production ? 0.85 : 0.4)) {
    stage.accessLogSettings = {
      destinationArn: logGroupArn(
        `/aws/apigateway/${api.name}/${stageName === '$default' ? 'default' : stageName}`,
      ),
      format: ACCESS_LOG_FORMAT,
    };
  }
  if (prng.chance(0.7)) {
    stage.stageVariables = {
      functionAlias: stageName === '$default' ? 'live' : stageName,
      backendHost: `${api.team}.internal.example.com`,
    };
  }
  const tags = stageTags(prng, api.team, stageName);
  if (tags) stage.tags = tags;
  return stage;
};

/**
 * Builds a realistic fleet: stage names prod/staging/dev/..., deployment ids, access logs to
 * log-group ARNs, WAF on some production stages, canaries on a few, variables, tags, method
 * settings keyed like `~1pets/GET` and route settings keyed like `GET /pets` or `$connect`,
 * dates. Deterministic: the same options (and seed) give the same fleet.
 */
export const generateFleet = (options: GenerateFleetOptions): Fleet => {
  const restCount = checkCount('restApis', options.restApis, 100_000, '');
  const httpCount = checkCount('httpApis', options.httpApis, 100_000, '');
  const wsCount = checkCount('websocketApis', options.websocketApis ?? 0, 100_000, '');
  const stagesPerApi = checkCount(
    'stagesPerApi',
    options.stagesPerApi ?? 3,
    MAX_STAGES_PER_API,
    ' (API Gateway allows at most 10 stages per API)',
  );
  const settingsCount = checkCount(
    'methodSettingsPerStage',
    options.methodSettingsPerStage ?? 3,
    MAX_METHOD_SETTINGS,
    '',
  );
  const prng = createPrng(options.seed ?? 1);
  const usedIds = new Set<string>();

  const restApis: SimRestApi[] = [];
  for (let i = 0; i < restCount; i++) {
    const id = uniqueId(prng, usedIds, 10);
    const team = prng.pick(TEAMS);
    const name = `${prng.pick(DOMAINS)}-${team}-rest-${i}`;
    const created = EPOCH_START_SECONDS + prng.int(0, 700 * DAY_SECONDS);
    const endpointType: RestApiEndpointType = prng.chance(0.7)
      ? 'REGIONAL'
      : prng.chance(0.5)
        ? 'EDGE'
        : 'PRIVATE';
    const api: SimRestApi = {
      id,
      name,
      createdDate: new Date(created * 1000),
      endpointTypes: [endpointType],
      stages: stageNamesFor(stagesPerApi, false).map((stageName) =>
        restStage(prng, { id, name, team, created }, stageName, settingsCount),
      ),
    };
    if (prng.chance(0.6)) api.description = `${name} (${team})`;
    const tags = apiTags(prng, team, i);
    if (tags) api.tags = tags;
    restApis.push(api);
  }

  const v2Apis: SimV2Api[] = [];
  const kinds: Array<'HTTP' | 'WEBSOCKET'> = [
    ...Array<'HTTP'>(httpCount).fill('HTTP'),
    ...Array<'WEBSOCKET'>(wsCount).fill('WEBSOCKET'),
  ];
  kinds.forEach((protocolType, i) => {
    const websocket = protocolType === 'WEBSOCKET';
    const team = prng.pick(TEAMS);
    const name = `${prng.pick(DOMAINS)}-${team}-${websocket ? 'ws' : 'http'}-${i}`;
    const created = EPOCH_START_SECONDS + prng.int(0, 700 * DAY_SECONDS);
    const apiId = uniqueId(prng, usedIds, 10);
    const withDefault = !websocket && prng.chance(0.3);
    const routeSettingsCount = Math.max(0, settingsCount - 1);
    const api: SimV2Api = {
      apiId,
      name,
      protocolType,
      createdDate: new Date(created * 1000),
      stages: stageNamesFor(stagesPerApi, withDefault).map((stageName) =>
        v2Stage(prng, { name, team, created, websocket }, stageName, routeSettingsCount),
      ),
    };
    if (prng.chance(0.5)) api.description = `${name} (${team})`;
    const tags = apiTags(prng, team, i);
    if (tags) api.tags = tags;
    v2Apis.push(api);
  });

  return { restApis, v2Apis };
};
