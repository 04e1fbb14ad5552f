import type { Fleet, SimRestApi, SimV2Api } from '../support/simulator';

// Two scanned scopes for the query command tests: a busy eu-west-1 account (REST, HTTP and
// WebSocket APIs) and a small us-east-1 account. Wire shapes as the simulator serves them:
// REST stages in camelCase with epoch-second dates, v2 stages with ISO-8601 dates.

export const ACCOUNT_EU = '111122223333';
export const REGION_EU = 'eu-west-1';
export const ACCOUNT_US = '444455556666';
export const REGION_US = 'us-east-1';

export const ORDERS_API = 'a1b2c3d4e5';
export const PAYMENTS_API = 'f6g7h8i9j0';
export const PETS_API = 'k1l2m3n4o5';
export const CHAT_API = 'u1v2w3x4y5';
export const SEARCH_API = 'p6q7r8s9t0';

/** A stage variable value that only `show --show-secrets` may print. */
export const SECRET_VALUE = 'hunter2-in-the-store';

const created = new Date('2025-03-02T09:14:00Z');
const createdEpoch = created.getTime() / 1000;
const logGroup = (name: string) => `arn:aws:logs:${REGION_EU}:${ACCOUNT_EU}:log-group:${name}`;

export const euFleet = (): Fleet => ({
  restApis: [
    {
      id: ORDERS_API,
      name: 'orders-api',
      createdDate: created,
      tags: { team: 'orders' },
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'vakw79',
          description: 'Production',
          cacheClusterEnabled: false,
          methodSettings: {
            '*/*': {
              loggingLevel: 'INFO',
              metricsEnabled: true,
              dataTraceEnabled: false,
              throttlingBurstLimit: 500,
              throttlingRateLimit: 1000,
            },
          },
          variables: { backendUrl: 'https://orders.internal.example.com', dbPassword: SECRET_VALUE },
          accessLogSettings: {
            destinationArn: logGroup('orders-access'),
            format: '$context.requestId $context.status',
          },
          tracingEnabled: true,
          webAclArn: `arn:aws:wafv2:${REGION_EU}:${ACCOUNT_EU}:regional/webacl/orders-acl/1f2e3d4c`,
          tags: { env: 'prod' },
          createdDate: createdEpoch,
        },
        {
          stageName: 'staging',
          deploymentId: 'vakw79',
          cacheClusterEnabled: false,
          methodSettings: { '*/*': { loggingLevel: 'ERROR', metricsEnabled: false } },
          tracingEnabled: false,
          createdDate: createdEpoch,
        },
      ],
    },
    {
      id: PAYMENTS_API,
      name: 'payments-api',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'p9q8r7',
          cacheClusterEnabled: true,
          cacheClusterSize: '0.5',
          tracingEnabled: true,
          createdDate: createdEpoch,
        },
        {
          stageName: 'staging',
          deploymentId: 'p9q8r7',
          cacheClusterEnabled: false,
          tracingEnabled: false,
          createdDate: createdEpoch,
        },
      ],
    },
  ],
  v2Apis: [
    {
      apiId: PETS_API,
      name: 'pets-http',
      protocolType: 'HTTP',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'd7x1k2',
          autoDeploy: false,
          accessLogSettings: { destinationArn: logGroup('pets-access'), format: '$context.requestId' },
          defaultRouteSettings: {
            detailedMetricsEnabled: true,
            throttlingBurstLimit: 200,
            throttlingRateLimit: 100,
          },
          stageVariables: { backendUrl: 'https://pets.internal.example.com' },
          createdDate: created.toISOString(),
        },
      ],
    },
    {
      apiId: CHAT_API,
      name: 'chat-ws',
      protocolType: 'WEBSOCKET',
      createdDate: created,
      stages: [
        {
          stageName: 'production',
          deploymentId: 'ws0001',
          defaultRouteSettings: {
            loggingLevel: 'INFO',
            dataTraceEnabled: false,
            detailedMetricsEnabled: true,
          },
          createdDate: created.toISOString(),
        },
      ],
    },
  ],
});

export const usFleet = (): Fleet => ({
  restApis: [],
  v2Apis: [
    {
      apiId: SEARCH_API,
      name: 'search-http',
      protocolType: 'HTTP',
      createdDate: created,
      stages: [
        { stageName: 'prod', deploymentId: 's1s2s3', autoDeploy: false, createdDate: created.toISOString() },
      ],
    },
  ],
});

const restApi = (fleet: Fleet, id: string) => fleet.restApis.find((a) => a.id === id) as SimRestApi;
const v2Api = (fleet: Fleet, id: string) => fleet.v2Apis.find((a) => a.apiId === id) as SimV2Api;
const stage = (stages: Record<string, unknown>[], name: string) => stages.find((s) => s.stageName === name)!;

/** Between the baseline and the second scan: a stage variable changed in the console. */
export const changeVariable = (eu: Fleet): void => {
  const prod = stage(v2Api(eu, PETS_API).stages, 'prod');
  prod.stageVariables = { backendUrl: 'https://pets-v2.internal.example.com' };
};

/**
 * Before the third scan: execution logging off and the WAF detached on orders-api prod,
 * payments-api staging deleted, a canary stage created on search-http in the other account.
 */
export const breakThings = (eu: Fleet, us: Fleet): void => {
  const prod = stage(restApi(eu, ORDERS_API).stages, 'prod');
  const settings = prod.methodSettings as Record<string, Record<string, unknown>>;
  settings['*/*'] = { ...settings['*/*'], loggingLevel: 'OFF' };
  delete prod.webAclArn;
  const payments = restApi(eu, PAYMENTS_API);
  payments.stages = payments.stages.filter((s) => s.stageName !== 'staging');
  v2Api(us, SEARCH_API).stages.push({
    stageName: 'canary',
    deploymentId: 's4s5s6',
    autoDeploy: true,
    createdDate: '2026-11-01T16:45:00.000Z',
  });
};
