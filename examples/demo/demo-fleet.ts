import type { Fleet } from '../../test/support/simulator';

const created = new Date('2025-03-02T09:14:00Z');
const logGroup = (name: string) => `arn:aws:logs:eu-west-1:123456789012:log-group:${name}`;

/** A small, realistic account: two REST APIs, two HTTP APIs and a WebSocket API. */
export const demoFleet = (): Fleet => ({
  restApis: [
    {
      id: 'a1b2c3d4e5',
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
          variables: {
            backendUrl: 'https://orders.internal.example.com',
            dbPassword: 'hunter2-do-not-print',
          },
          accessLogSettings: {
            destinationArn: logGroup('orders-access'),
            format: '$context.requestId $context.status',
          },
          tracingEnabled: true,
          webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders-acl/1f2e3d4c',
          tags: { env: 'prod' },
          createdDate: created.getTime() / 1000,
        },
        {
          stageName: 'staging',
          deploymentId: 'vakw79',
          cacheClusterEnabled: false,
          methodSettings: { '*/*': { loggingLevel: 'ERROR', metricsEnabled: false } },
          tracingEnabled: false,
          createdDate: created.getTime() / 1000,
        },
      ],
    },
    {
      id: 'f6g7h8i9j0',
      name: 'payments-api',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'p9q8r7',
          cacheClusterEnabled: true,
          cacheClusterSize: '0.5',
          tracingEnabled: true,
          createdDate: created.getTime() / 1000,
        },
        {
          stageName: 'staging',
          deploymentId: 'p9q8r7',
          cacheClusterEnabled: false,
          tracingEnabled: false,
          createdDate: created.getTime() / 1000,
        },
      ],
    },
  ],
  v2Apis: [
    {
      apiId: 'k1l2m3n4o5',
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
        {
          stageName: '$default',
          autoDeploy: true,
          apiGatewayManaged: true,
          deploymentId: 'a9b8c7',
          createdDate: created.toISOString(),
        },
      ],
    },
    {
      apiId: 'p6q7r8s9t0',
      name: 'search-http',
      protocolType: 'HTTP',
      createdDate: created,
      stages: [
        { stageName: 'prod', deploymentId: 's1s2s3', autoDeploy: false, createdDate: created.toISOString() },
      ],
    },
    {
      apiId: 'u1v2w3x4y5',
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
          routeSettings: { $connect: { loggingLevel: 'ERROR' } },
          createdDate: created.toISOString(),
        },
      ],
    },
  ],
});
