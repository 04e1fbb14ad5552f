import type { Fleet, SimRestApi, SimV2Api } from '../support/simulator';
import { generateFleet, SIM_ACCOUNT_ID } from '../support/simulator';

/**
 * A small, hand-built fleet for the scan tests: every stage is written out, so a test can say
 * exactly which event a mutation must produce. Wire shapes as the simulator serves them
 * (REST dates in epoch seconds, v2 dates ISO-8601). Each call builds a fresh copy to mutate.
 */

export const REST_ORDERS = 'r0orders01';
export const REST_LEGACY = 'r0legacy01';
export const REST_QUIET = 'r0quiet001';
export const HTTP_PAYMENTS = 'h0paymnt01';
export const WS_CHAT = 'w0chat0001';

/** Stage variable values that must never reach a summary, a log or an event. */
export const SECRET_VALUES = ['s3cr3t-db-password', 'tok-9f8e7d6c5b4a', 'hunter2-rotated'] as const;

const wafArn = `arn:aws:wafv2:us-east-1:${SIM_ACCOUNT_ID}:regional/webacl/edge-acl/1a2b3c4d-1111-2222-3333-444455556666`;
const logArn = (name: string) => `arn:aws:logs:us-east-1:${SIM_ACCOUNT_ID}:log-group:/aws/apigateway/${name}`;

const methodSettings = (loggingLevel: string) => ({
  metricsEnabled: true,
  loggingLevel,
  dataTraceEnabled: false,
  throttlingBurstLimit: 500,
  throttlingRateLimit: 1000,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
});

export const restStage = (
  stageName: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  stageName,
  deploymentId: `dep-${stageName}`,
  cacheClusterEnabled: false,
  cacheClusterStatus: 'NOT_AVAILABLE',
  methodSettings: { '*/*': methodSettings('INFO') },
  tracingEnabled: true,
  createdDate: 1_704_067_200, // 2024-01-01T00:00:00Z
  lastUpdatedDate: 1_706_745_600,
  ...extra,
});

export const v2Stage = (stageName: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  stageName,
  deploymentId: `d2-${stageName.replace('$', '')}`,
  autoDeploy: false,
  defaultRouteSettings: {
    detailedMetricsEnabled: true,
    throttlingBurstLimit: 500,
    throttlingRateLimit: 1000,
  },
  routeSettings: {},
  createdDate: '2024-02-01T00:00:00Z',
  lastUpdatedDate: '2024-03-01T00:00:00Z',
  ...extra,
});

const restApi = (id: string, name: string, stages: Record<string, unknown>[]): SimRestApi => ({
  id,
  name,
  createdDate: new Date('2023-12-01T00:00:00Z'),
  stages,
});

const v2Api = (
  apiId: string,
  name: string,
  protocolType: 'HTTP' | 'WEBSOCKET',
  stages: Record<string, unknown>[],
): SimV2Api => ({ apiId, name, protocolType, createdDate: new Date('2024-01-15T00:00:00Z'), stages });

/** 3 REST APIs (7 stages), 1 HTTP API (2 stages), 1 WebSocket API (1 stage): 10 stages. */
export const scanFleet = (): Fleet => ({
  restApis: [
    restApi(REST_ORDERS, 'orders-api', [
      restStage('prod', {
        webAclArn: wafArn,
        accessLogSettings: { format: '$context.requestId', destinationArn: logArn('orders/prod') },
        variables: { dbPassword: SECRET_VALUES[0], logLevel: 'INFO' },
      }),
      restStage('staging', { webAclArn: wafArn }),
      restStage('dev', { tracingEnabled: false }),
    ]),
    restApi(REST_LEGACY, 'legacy-api', [restStage('prod'), restStage('dev')]),
    restApi(REST_QUIET, 'quiet-api', [
      restStage('prod', { tags: { team: 'platform', 'stage-drift:ignore': 'true' } }),
      restStage('dev'),
    ]),
  ],
  v2Apis: [
    v2Api(HTTP_PAYMENTS, 'payments-http', 'HTTP', [
      v2Stage('prod', { stageVariables: { apiToken: SECRET_VALUES[1], region: 'us-east-1' } }),
      v2Stage('$default', { autoDeploy: true }),
    ]),
    v2Api(WS_CHAT, 'chat-ws', 'WEBSOCKET', [
      v2Stage('prod', {
        defaultRouteSettings: {
          dataTraceEnabled: false,
          detailedMetricsEnabled: true,
          loggingLevel: 'ERROR',
          throttlingBurstLimit: 100,
          throttlingRateLimit: 50,
        },
      }),
    ]),
  ],
});

export const STAGES_IN_FLEET = 10;

/** The REST API `id` of `fleet` (throws when absent, so a typo fails loudly). */
export const restApiOf = (fleet: Fleet, id: string): SimRestApi => {
  const api = fleet.restApis.find((candidate) => candidate.id === id);
  if (!api) throw new Error(`no REST API ${id} in the fleet`);
  return api;
};

export const v2ApiOf = (fleet: Fleet, id: string): SimV2Api => {
  const api = fleet.v2Apis.find((candidate) => candidate.apiId === id);
  if (!api) throw new Error(`no v2 API ${id} in the fleet`);
  return api;
};

/** The wire stage `stageName` of the API `apiId` (REST or v2). */
export const stageOf = (fleet: Fleet, apiId: string, stageName: string): Record<string, unknown> => {
  const stages = [
    ...fleet.restApis.map((a) => ({ id: a.id, stages: a.stages })),
    ...fleet.v2Apis.map((a) => ({ id: a.apiId, stages: a.stages })),
  ].find((api) => api.id === apiId)?.stages;
  const stage = stages?.find((candidate) => candidate.stageName === stageName);
  if (!stage) throw new Error(`no stage ${apiId}/${stageName} in the fleet`);
  return stage;
};

/** Removes the stage `stageName` from the API `apiId`. */
export const removeStage = (fleet: Fleet, apiId: string, stageName: string): void => {
  for (const api of [...fleet.restApis, ...fleet.v2Apis]) {
    if (('id' in api ? api.id : api.apiId) === apiId) {
      api.stages = api.stages.filter((stage) => stage.stageName !== stageName);
    }
  }
};

/** 8 REST, 6 HTTP and 2 WebSocket APIs of 2 stages each (32 stages): enough for several chunks. */
export const chunkFleet = (): Fleet =>
  generateFleet({ restApis: 8, httpApis: 6, websocketApis: 2, stagesPerApi: 2, seed: 8 });

export const STAGES_IN_CHUNK_FLEET = 32;

/** Drift of every kind on `chunkFleet`, on APIs spread over the whole listing (so over several chunks). */
export const applyChunkDrift = (fleet: Fleet): void => {
  const [firstRest, secondRest, , , , , , lastRest] = fleet.restApis;
  firstRest!.stages[0]!.description = 'changed in the console';
  secondRest!.stages.pop(); // a stage deleted
  fleet.restApis = fleet.restApis.filter((api) => api !== lastRest); // an API deleted
  const lastV2 = fleet.v2Apis[fleet.v2Apis.length - 1]!;
  lastV2.stages.push({ ...lastV2.stages[0]!, stageName: 'added', deploymentId: 'dep-added' });
  fleet.v2Apis[2]!.stages[0]!.description = 'changed too';
};

/**
 * Paced calls on the virtual clock: 10 calls/s, burst 1, one at a time, so each call after the
 * first moves time 100 ms and half a virtual second reads a handful of APIs.
 */
export const PACED = { ratePerSecond: 10, burst: 1, concurrency: 1 } as const;
