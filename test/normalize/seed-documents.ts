/**
 * Stage documents shaped exactly like the seed pages (../../../shared/seeds): the inputs of the
 * normalize tests. Each is a function so a test can change its copy freely.
 */

/** Seed 002, "Sample Response" of `GET /restapis/{restapi_id}/stages`, verbatim (HAL form). */
export const SEED_002_HAL_SAMPLE = String.raw`
{ "_links": { "curies": { "href": "{rel}.html", "name": "stage", "templated": true }, "self": { "href": "/restapis/{restapi_id}/stages{?deployment_id}", "templated": true }, "item": [ { "href": "/restapis/{restapi_id}/stages/beta" }, { "href": "/restapis/{restapi_id}/stages/prod" } ], "stage:by-name": { "href": "/restapis/{restapi_id}/stages/{stage_name}", "templated": true }, "stage:create": { "href": "/restapis/{restapi_id}/stages" } }, "_embedded": { "item": [ { "_links": { "self": { "href": "/restapis/{restapi_id}/stages/beta" }, "stage:delete": { "href": "/restapis/{restapi_id}/stages/beta" }, "stage:flush-authorizer-cache": { "href": "/restapis/{restapi_id}/stages/beta/cache/authorizers" }, "stage:update": { "href": "/restapis/{restapi_id}/stages/beta" } }, "cacheClusterEnabled": false, "cacheClusterStatus": "NOT_AVAILABLE", "createdDate": "2016-04-15T17:38:08Z", "deploymentId": "vakw79", "lastUpdatedDate": "2016-04-15T17:45:48Z", "methodSettings": {}, "stageName": "beta", "variables": { "version": "v-beta", "url": "", "function": "HelloWorld" } }, { "_links": { "self": { "href": "/restapis/{restapi_id}/stages/prod" }, "stage:delete": { "href": "/restapis/{restapi_id}/stages/prod" }, "stage:flush-authorizer-cache": { "href": "/restapis/{restapi_id}/stages/prod/cache/authorizers" }, "stage:update": { "href": "/restapis/{restapi_id}/stages/prod" } }, "cacheClusterEnabled": false, "cacheClusterStatus": "NOT_AVAILABLE", "createdDate": "2016-04-15T17:53:35Z", "deploymentId": "vakw79", "lastUpdatedDate": "2016-04-15T18:30:10Z", "methodSettings": {}, "stageName": "prod", "variables": { "version": "v-prod", "url": "", "function": "HelloEveryone" } } ] } }`;

export const seed002HalDocument = (): Record<string, unknown> =>
  JSON.parse(SEED_002_HAL_SAMPLE) as Record<string, unknown>;

/**
 * Seed 000 / 003: a v1 `Stage` with every member of the response syntax, as the SDK v3
 * (`@aws-sdk/client-api-gateway`) returns it: camelCase, `Date` dates.
 */
export const seed000SdkStage = (): Record<string, unknown> => ({
  deploymentId: 'vakw79',
  clientCertificateId: 'q1w2e3',
  stageName: 'prod',
  description: 'Production stage',
  cacheClusterEnabled: true,
  cacheClusterSize: '0.5',
  cacheClusterStatus: 'AVAILABLE',
  methodSettings: {
    '*/*': {
      metricsEnabled: true,
      loggingLevel: 'INFO',
      dataTraceEnabled: false,
      throttlingBurstLimit: 5000,
      throttlingRateLimit: 10000.0,
      cachingEnabled: true,
      cacheTtlInSeconds: 300,
      cacheDataEncrypted: true,
      requireAuthorizationForCacheControl: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    },
    '~1pets/GET': {
      metricsEnabled: false,
      loggingLevel: 'ERROR',
      dataTraceEnabled: false,
      throttlingBurstLimit: 100,
      throttlingRateLimit: 50.5,
      cachingEnabled: false,
      cacheTtlInSeconds: 0,
      cacheDataEncrypted: false,
      requireAuthorizationForCacheControl: false,
      unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
    },
  },
  variables: { version: 'v-prod', url: '', function: 'HelloEveryone' },
  documentationVersion: '1.0',
  accessLogSettings: {
    format: '{"requestId":"$context.requestId"}',
    destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:api-access',
  },
  canarySettings: {
    percentTraffic: 10.0,
    deploymentId: 'cnry42',
    stageVariableOverrides: { version: 'v-canary' },
    useStageCache: false,
  },
  tracingEnabled: true,
  webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api-acl/0a1b2c3d',
  tags: { team: 'payments', env: 'prod' },
  createdDate: new Date('2016-04-15T17:53:35.000Z'),
  lastUpdatedDate: new Date('2016-04-15T18:30:10.000Z'),
});

/**
 * The canonical config of `seed000SdkStage()`: sorted, wire names, volatile members out, and
 * the AWS defaults of the stage-wide method settings (`*\/*`: `dataTraceEnabled: false`) left out.
 */
export const seed000CanonicalConfig = (): Record<string, unknown> => ({
  accessLogSettings: {
    destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:api-access',
    format: '{"requestId":"$context.requestId"}',
  },
  cacheClusterEnabled: true,
  cacheClusterSize: '0.5',
  canarySettings: {
    deploymentId: 'cnry42',
    percentTraffic: 10,
    stageVariableOverrides: { version: 'v-canary' },
    useStageCache: false,
  },
  clientCertificateId: 'q1w2e3',
  deploymentId: 'vakw79',
  description: 'Production stage',
  documentationVersion: '1.0',
  methodSettings: {
    '*/*': {
      cacheDataEncrypted: true,
      cacheTtlInSeconds: 300,
      cachingEnabled: true,
      loggingLevel: 'INFO',
      metricsEnabled: true,
      requireAuthorizationForCacheControl: true,
      throttlingBurstLimit: 5000,
      throttlingRateLimit: 10000,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    },
    '~1pets/GET': {
      cacheDataEncrypted: false,
      cacheTtlInSeconds: 0,
      cachingEnabled: false,
      dataTraceEnabled: false,
      loggingLevel: 'ERROR',
      metricsEnabled: false,
      requireAuthorizationForCacheControl: false,
      throttlingBurstLimit: 100,
      throttlingRateLimit: 50.5,
      unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
    },
  },
  tags: { env: 'prod', team: 'payments' },
  tracingEnabled: true,
  variables: { function: 'HelloEveryone', url: '', version: 'v-prod' },
  webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api-acl/0a1b2c3d',
});

/**
 * Seed 001: a WebSocket API stage as `@aws-sdk/client-apigatewayv2` and
 * `aws apigatewayv2 get-stages` return it, every member present, PascalCase.
 */
export const seed001SdkStage = (): Record<string, unknown> => ({
  AccessLogSettings: {
    DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ws-access',
    Format: '$context.requestId $context.routeKey',
  },
  ApiGatewayManaged: false,
  AutoDeploy: true,
  ClientCertificateId: 'ws-cert-1',
  CreatedDate: new Date('2023-03-01T08:00:00.000Z'),
  DefaultRouteSettings: {
    DataTraceEnabled: false,
    DetailedMetricsEnabled: true,
    LoggingLevel: 'ERROR',
    ThrottlingBurstLimit: 500,
    ThrottlingRateLimit: 1000.0,
  },
  DeploymentId: 'dep123',
  Description: 'chat production',
  LastDeploymentStatusMessage: 'Deployment attempt succeeded',
  LastUpdatedDate: new Date('2023-03-02T09:30:00.000Z'),
  RouteSettings: {
    sendMessage: { LoggingLevel: 'INFO', ThrottlingBurstLimit: 50, ThrottlingRateLimit: 25.5 },
    $connect: { DataTraceEnabled: true, DetailedMetricsEnabled: false },
  },
  StageName: 'production',
  StageVariables: { Token: 'abc', Url: '' },
  Tags: { Team: 'chat' },
});

/** Seed 004: the same stage in the v2 JSON wire form (camelCase, ISO string dates). */
export const seed004WireStage = (): Record<string, unknown> => ({
  stageName: 'production',
  description: 'chat production',
  deploymentId: 'dep123',
  clientCertificateId: 'ws-cert-1',
  defaultRouteSettings: {
    detailedMetricsEnabled: true,
    loggingLevel: 'ERROR',
    dataTraceEnabled: false,
    throttlingBurstLimit: 500,
    throttlingRateLimit: 1000,
  },
  routeSettings: {
    $connect: { dataTraceEnabled: true, detailedMetricsEnabled: false },
    sendMessage: { loggingLevel: 'INFO', throttlingBurstLimit: 50, throttlingRateLimit: 25.5 },
  },
  stageVariables: { Url: '', Token: 'abc' },
  accessLogSettings: {
    format: '$context.requestId $context.routeKey',
    destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ws-access',
  },
  createdDate: '2023-03-01T08:00:00Z',
  lastUpdatedDate: '2023-03-02T09:30:00.000Z',
  lastDeploymentStatusMessage: 'Deployment attempt succeeded',
  apiGatewayManaged: false,
  autoDeploy: true,
  tags: { Team: 'chat' },
});

/**
 * The canonical config of `seed001SdkStage()` and `seed004WireStage()`, the AWS default of the
 * default route settings (`DataTraceEnabled: false`) left out.
 */
export const seed001CanonicalConfig = (): Record<string, unknown> => ({
  accessLogSettings: {
    destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ws-access',
    format: '$context.requestId $context.routeKey',
  },
  apiGatewayManaged: false,
  autoDeploy: true,
  clientCertificateId: 'ws-cert-1',
  defaultRouteSettings: {
    detailedMetricsEnabled: true,
    loggingLevel: 'ERROR',
    throttlingBurstLimit: 500,
    throttlingRateLimit: 1000,
  },
  deploymentId: 'dep123',
  description: 'chat production',
  routeSettings: {
    $connect: { dataTraceEnabled: true, detailedMetricsEnabled: false },
    sendMessage: { loggingLevel: 'INFO', throttlingBurstLimit: 50, throttlingRateLimit: 25.5 },
  },
  stageVariables: { Token: 'abc', Url: '' },
  tags: { Team: 'chat' },
});

/** An HTTP API `$default` stage as `aws apigatewayv2 get-stages` prints it (seed 001 shape). */
export const httpDefaultStageCli = (): Record<string, unknown> => ({
  ApiGatewayManaged: true,
  AutoDeploy: true,
  CreatedDate: '2024-05-01T10:00:00+00:00',
  DefaultRouteSettings: { DetailedMetricsEnabled: false },
  DeploymentId: 'abc123',
  LastDeploymentStatusMessage: "Successfully deployed stage with deployment ID 'abc123'",
  LastUpdatedDate: '2024-05-01T10:00:01+00:00',
  RouteSettings: {},
  StageName: '$default',
  StageVariables: {},
  Tags: {},
});
