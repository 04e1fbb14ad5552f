import type { DiffOptions } from '../../shared/diff';
import { diffStages } from '../../shared/diff';
import type { ApiType, ChangeKind, Severity, StageChangeKind, StageSnapshot } from '../../shared/model';
import { parseStagesDocument } from '../../shared/normalize';
import { seed001SdkStage } from '../normalize/seed-documents';

/**
 * Before/after pairs built from real AWS responses, through the path an offline diff takes
 * (document -> normalize -> diff): every severity rule, in both directions, with the expected
 * path, kind, severity and Security Hub control of the change that decides the stage.
 *
 * The documents are the AWS CLI's own examples (`aws apigateway get-stage`, `aws apigatewayv2
 * get-stages`, the `update-stage` outputs) and the seed pages' Stage shapes, with the fields a
 * row needs filled in with real-shaped values.
 */

type Doc = Record<string, unknown>;
type Draft = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** `aws apigateway get-stage --rest-api-id 1234123412 --stage-name dev` (AWS CLI example), extended. */
const restCliStage = (): Doc => ({
  stageName: 'dev',
  cacheClusterSize: '0.5',
  cacheClusterEnabled: false,
  cacheClusterStatus: 'NOT_AVAILABLE',
  deploymentId: 'rbh1fj',
  lastUpdatedDate: 1466802961,
  createdDate: 1466802961,
  methodSettings: {
    '*/*': {
      cacheTtlInSeconds: 300,
      loggingLevel: 'INFO',
      dataTraceEnabled: false,
      metricsEnabled: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
      throttlingRateLimit: 500.0,
      cacheDataEncrypted: false,
      cachingEnabled: false,
      throttlingBurstLimit: 1000,
      requireAuthorizationForCacheControl: true,
    },
    '~1resource/GET': {
      cacheTtlInSeconds: 300,
      loggingLevel: 'INFO',
      dataTraceEnabled: false,
      metricsEnabled: true,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
      throttlingRateLimit: 500.0,
      cacheDataEncrypted: false,
      cachingEnabled: false,
      throttlingBurstLimit: 1000,
      requireAuthorizationForCacheControl: true,
    },
  },
  description: 'Development stage',
  documentationVersion: '1.0',
  variables: { version: 'v-dev', url: 'https://dev.internal.example.com' },
  accessLogSettings: {
    format: '{"requestId":"$context.requestId"}',
    destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:api-access',
  },
  canarySettings: { percentTraffic: 10.0, deploymentId: 'cnry42', useStageCache: false },
  clientCertificateId: 'q1w2e3',
  tracingEnabled: true,
  webAclArn:
    'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api-acl/1f2e3d4c-0000-4b5a-8c9d-abcdef012345',
  tags: { team: 'platform' },
});

/** The `prod` item of `aws apigatewayv2 get-stages --api-id a1b2c3d4` (AWS CLI example), extended. */
const httpCliStage = (): Doc => ({
  AccessLogSettings: {
    DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:http-access',
    Format: '$context.requestId $context.routeKey $context.status',
  },
  AutoDeploy: true,
  CreatedDate: '2020-04-08T00:35:06+00:00',
  DefaultRouteSettings: { DetailedMetricsEnabled: false },
  DeploymentId: 'nlh4ht',
  LastDeploymentStatusMessage: "Successfully deployed stage with deployment ID 'nlh4ht'",
  LastUpdatedDate: '2020-04-08T00:35:48+00:00',
  RouteSettings: {},
  StageName: 'prod',
  StageVariables: {},
  Tags: {},
});

/** Seed 001's WebSocket stage (`aws apigatewayv2 get-stages`), logging INFO, `$connect` without data trace. */
const websocketCliStage = (): Doc => {
  const stage = seed001SdkStage() as Draft;
  stage.DefaultRouteSettings.LoggingLevel = 'INFO';
  stage.RouteSettings.$connect = { DataTraceEnabled: false, DetailedMetricsEnabled: false };
  // As the AWS CLI prints them: ISO strings, not the SDK's Date objects.
  stage.CreatedDate = (stage.CreatedDate as Date).toISOString();
  stage.LastUpdatedDate = (stage.LastUpdatedDate as Date).toISOString();
  return stage;
};

const BASE: Readonly<Record<ApiType, () => Doc>> = {
  REST: restCliStage,
  HTTP: httpCliStage,
  WEBSOCKET: websocketCliStage,
};

const OPTIONS: DiffOptions = { fingerprintKey: 'real-shaped-pairs-fingerprint-key' };

/** What one direction of a pair must report: the deciding change, or a stage-level kind, or nothing. */
type Expected =
  | {
      readonly path: string;
      readonly kind: ChangeKind;
      readonly severity: Severity;
      readonly rule: string;
      readonly control?: string;
      readonly change?: StageChangeKind;
    }
  | { readonly stage: StageChangeKind; readonly severity: Severity }
  | 'no drift';

interface Pair {
  readonly name: string;
  readonly apiType: ApiType;
  /** Applied to a copy of the base document: the "after" side of the forward direction. */
  readonly mutate: (draft: Draft) => void;
  /** Starting point instead of the base document (changed the same way first). */
  readonly prepare?: (draft: Draft) => void;
  readonly forward: Expected;
  readonly reverse: Expected;
}

const ms = (draft: Draft, key = '*/*'): Draft => draft.methodSettings[key] as Draft;

const PAIRS: readonly Pair[] = [
  // REST: execution logging (APIGateway.1)
  {
    name: 'stage-wide execution logging INFO -> OFF',
    apiType: 'REST',
    mutate: (d) => {
      ms(d).loggingLevel = 'OFF';
      ms(d, '~1resource/GET').loggingLevel = 'OFF';
    },
    forward: {
      path: 'methodSettings.*/*.loggingLevel',
      kind: 'changed',
      severity: 'HIGH',
      rule: 'execution-logging-off',
      control: 'APIGateway.1',
    },
    reverse: { path: 'methodSettings.*/*.loggingLevel', kind: 'changed', severity: 'LOW', rule: 'other' },
  },
  {
    name: 'one method stops logging while */* logs INFO',
    apiType: 'REST',
    mutate: (d) => void (ms(d, '~1resource/GET').loggingLevel = 'OFF'),
    forward: {
      path: 'methodSettings.~1resource/GET.loggingLevel',
      kind: 'changed',
      severity: 'HIGH',
      rule: 'execution-logging-off',
      control: 'APIGateway.1',
    },
    reverse: {
      path: 'methodSettings.~1resource/GET.loggingLevel',
      kind: 'changed',
      severity: 'LOW',
      rule: 'other',
    },
  },
  // REST: data trace
  {
    name: 'data trace turned on stage-wide',
    apiType: 'REST',
    mutate: (d) => void (ms(d).dataTraceEnabled = true),
    forward: {
      path: 'methodSettings.*/*.dataTraceEnabled',
      kind: 'added',
      severity: 'HIGH',
      rule: 'data-trace-on',
    },
    reverse: { path: 'methodSettings.*/*.dataTraceEnabled', kind: 'removed', severity: 'LOW', rule: 'other' },
  },
  // REST: cache encryption (APIGateway.5), AWS's create -> update sequence
  {
    name: 'caching turned on stage-wide (update-stage /*/*/caching/enabled) while unencrypted',
    apiType: 'REST',
    mutate: (d) => {
      d.cacheClusterEnabled = true;
      ms(d).cachingEnabled = true;
    },
    forward: {
      path: 'cacheClusterEnabled',
      kind: 'changed',
      severity: 'HIGH',
      rule: 'cache-unencrypted',
      control: 'APIGateway.5',
    },
    reverse: {
      path: 'cacheClusterEnabled',
      kind: 'changed',
      severity: 'LOW',
      rule: 'cache-settings-changed',
    },
  },
  {
    name: 'per-method caching turned on while the cache cluster runs unencrypted',
    apiType: 'REST',
    prepare: (d) => void (d.cacheClusterEnabled = true),
    mutate: (d) => void (ms(d, '~1resource/GET').cachingEnabled = true),
    forward: {
      path: 'methodSettings.~1resource/GET.cachingEnabled',
      kind: 'changed',
      severity: 'HIGH',
      rule: 'cache-unencrypted',
      control: 'APIGateway.5',
    },
    reverse: {
      path: 'methodSettings.~1resource/GET.cachingEnabled',
      kind: 'changed',
      severity: 'LOW',
      rule: 'cache-settings-changed',
    },
  },
  {
    name: 'the cache cluster turned on while */* caches unencrypted',
    apiType: 'REST',
    prepare: (d) => void (ms(d).cachingEnabled = true),
    mutate: (d) => void (d.cacheClusterEnabled = true),
    forward: {
      path: 'cacheClusterEnabled',
      kind: 'changed',
      severity: 'HIGH',
      rule: 'cache-unencrypted',
      control: 'APIGateway.5',
    },
    reverse: {
      path: 'cacheClusterEnabled',
      kind: 'changed',
      severity: 'LOW',
      rule: 'cache-settings-changed',
    },
  },
  {
    name: 'cache encryption turned off where */* caches',
    apiType: 'REST',
    prepare: (d) => {
      d.cacheClusterEnabled = true;
      ms(d).cachingEnabled = true;
      ms(d).cacheDataEncrypted = true;
    },
    mutate: (d) => void (ms(d).cacheDataEncrypted = false),
    forward: {
      path: 'methodSettings.*/*.cacheDataEncrypted',
      kind: 'removed',
      severity: 'HIGH',
      rule: 'cache-unencrypted',
      control: 'APIGateway.5',
    },
    reverse: {
      path: 'methodSettings.*/*.cacheDataEncrypted',
      kind: 'added',
      severity: 'LOW',
      rule: 'cache-settings-changed',
    },
  },
  {
    name: 'caching and its encryption turned off together (nothing is cached any more)',
    apiType: 'REST',
    prepare: (d) => {
      d.cacheClusterEnabled = true;
      ms(d).cachingEnabled = true;
      ms(d).cacheDataEncrypted = true;
    },
    mutate: (d) => {
      d.cacheClusterEnabled = false;
      ms(d).cachingEnabled = false;
      ms(d).cacheDataEncrypted = false;
    },
    forward: {
      path: 'cacheClusterEnabled',
      kind: 'changed',
      severity: 'LOW',
      rule: 'cache-settings-changed',
    },
    reverse: {
      path: 'cacheClusterEnabled',
      kind: 'changed',
      severity: 'LOW',
      rule: 'cache-settings-changed',
    },
  },
  {
    name: 'a whole method entry that caches unencrypted appears (judged field by field)',
    apiType: 'REST',
    prepare: (d) => void (d.cacheClusterEnabled = true),
    mutate: (d) => {
      d.methodSettings['~1pets/POST'] = { ...ms(d), cachingEnabled: true, throttlingRateLimit: 100 };
    },
    forward: {
      path: 'methodSettings.~1pets/POST.cachingEnabled',
      kind: 'added',
      severity: 'HIGH',
      rule: 'cache-unencrypted',
      control: 'APIGateway.5',
    },
    reverse: {
      path: 'methodSettings.~1pets/POST.throttlingBurstLimit',
      kind: 'removed',
      severity: 'MEDIUM',
      rule: 'throttling-changed',
    },
  },
  // REST: access logging, WAF (APIGateway.4), client certificate (APIGateway.2), tracing (APIGateway.3)
  {
    name: 'REST access logging removed',
    apiType: 'REST',
    mutate: (d) => void delete d.accessLogSettings,
    forward: { path: 'accessLogSettings', kind: 'removed', severity: 'HIGH', rule: 'access-logging-removed' },
    reverse: {
      path: 'accessLogSettings',
      kind: 'added',
      severity: 'MEDIUM',
      rule: 'access-log-settings-changed',
    },
  },
  {
    name: 'REST access log format changed',
    apiType: 'REST',
    mutate: (d) => void (d.accessLogSettings.format = '$context.requestId'),
    forward: {
      path: 'accessLogSettings.format',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'access-log-settings-changed',
    },
    reverse: {
      path: 'accessLogSettings.format',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'access-log-settings-changed',
    },
  },
  {
    name: 'WAF web ACL detached',
    apiType: 'REST',
    mutate: (d) => void delete d.webAclArn,
    forward: {
      path: 'webAclArn',
      kind: 'removed',
      severity: 'HIGH',
      rule: 'waf-detached-or-changed',
      control: 'APIGateway.4',
    },
    reverse: { path: 'webAclArn', kind: 'added', severity: 'LOW', rule: 'waf-attached' },
  },
  {
    name: 'client certificate removed',
    apiType: 'REST',
    mutate: (d) => void delete d.clientCertificateId,
    forward: {
      path: 'clientCertificateId',
      kind: 'removed',
      severity: 'HIGH',
      rule: 'client-certificate-removed',
      control: 'APIGateway.2',
    },
    reverse: { path: 'clientCertificateId', kind: 'added', severity: 'LOW', rule: 'other' },
  },
  {
    name: 'X-Ray tracing turned off',
    apiType: 'REST',
    mutate: (d) => void (d.tracingEnabled = false),
    forward: {
      path: 'tracingEnabled',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'tracing-off',
      control: 'APIGateway.3',
    },
    reverse: { path: 'tracingEnabled', kind: 'changed', severity: 'LOW', rule: 'other' },
  },
  // REST: MEDIUM and LOW rules
  {
    name: 'stage-wide throttling rate changed',
    apiType: 'REST',
    mutate: (d) => {
      ms(d).throttlingRateLimit = 50;
      ms(d, '~1resource/GET').throttlingRateLimit = 50;
    },
    forward: {
      path: 'methodSettings.*/*.throttlingRateLimit',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'throttling-changed',
    },
    reverse: {
      path: 'methodSettings.*/*.throttlingRateLimit',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'throttling-changed',
    },
  },
  {
    name: 'a stage variable value changed',
    apiType: 'REST',
    mutate: (d) => void (d.variables.url = 'https://evil.example.net'),
    forward: { path: 'variables.url', kind: 'changed', severity: 'MEDIUM', rule: 'stage-variables-changed' },
    reverse: { path: 'variables.url', kind: 'changed', severity: 'MEDIUM', rule: 'stage-variables-changed' },
  },
  {
    name: 'canary traffic share raised',
    apiType: 'REST',
    mutate: (d) => void (d.canarySettings.percentTraffic = 50),
    forward: {
      path: 'canarySettings.percentTraffic',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'canary-settings-changed',
    },
    reverse: {
      path: 'canarySettings.percentTraffic',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'canary-settings-changed',
    },
  },
  {
    name: 'canary stage variable override added',
    apiType: 'REST',
    mutate: (d) => void (d.canarySettings.stageVariableOverrides = { version: 'v-canary' }),
    forward: {
      path: 'canarySettings.stageVariableOverrides.version',
      kind: 'added',
      severity: 'MEDIUM',
      rule: 'stage-variables-changed',
    },
    reverse: {
      path: 'canarySettings.stageVariableOverrides.version',
      kind: 'removed',
      severity: 'MEDIUM',
      rule: 'stage-variables-changed',
    },
  },
  {
    name: 'detailed metrics turned off stage-wide',
    apiType: 'REST',
    mutate: (d) => void (ms(d).metricsEnabled = false),
    forward: {
      path: 'methodSettings.*/*.metricsEnabled',
      kind: 'removed',
      severity: 'LOW',
      rule: 'metrics-settings-changed',
    },
    reverse: {
      path: 'methodSettings.*/*.metricsEnabled',
      kind: 'added',
      severity: 'LOW',
      rule: 'metrics-settings-changed',
    },
  },
  {
    name: 'cache cluster resized',
    apiType: 'REST',
    mutate: (d) => void (d.cacheClusterSize = '6.1'),
    forward: { path: 'cacheClusterSize', kind: 'changed', severity: 'LOW', rule: 'cache-settings-changed' },
    reverse: { path: 'cacheClusterSize', kind: 'changed', severity: 'LOW', rule: 'cache-settings-changed' },
  },
  {
    name: 'description changed',
    apiType: 'REST',
    mutate: (d) => void (d.description = 'Dev (do not use)'),
    forward: { path: 'description', kind: 'changed', severity: 'LOW', rule: 'description-changed' },
    reverse: { path: 'description', kind: 'changed', severity: 'LOW', rule: 'description-changed' },
  },
  {
    name: 'documentation version changed',
    apiType: 'REST',
    mutate: (d) => void (d.documentationVersion = '2.0'),
    forward: {
      path: 'documentationVersion',
      kind: 'changed',
      severity: 'LOW',
      rule: 'documentation-version-changed',
    },
    reverse: {
      path: 'documentationVersion',
      kind: 'changed',
      severity: 'LOW',
      rule: 'documentation-version-changed',
    },
  },
  {
    name: 'a stage tag changed',
    apiType: 'REST',
    mutate: (d) => void (d.tags.team = 'payments'),
    forward: { path: 'tags.team', kind: 'changed', severity: 'LOW', rule: 'tags-changed' },
    reverse: { path: 'tags.team', kind: 'changed', severity: 'LOW', rule: 'tags-changed' },
  },
  {
    name: 'a new deployment (update-stage /deploymentId)',
    apiType: 'REST',
    mutate: (d) => void (d.deploymentId = 'a1b2c3'),
    forward: { path: 'deploymentId', kind: 'changed', severity: 'INFO', rule: 'deployment-changed' },
    reverse: { path: 'deploymentId', kind: 'changed', severity: 'INFO', rule: 'deployment-changed' },
  },
  // The ignore tag: an opt-out is reported; the removal is the only news of an ignored stage.
  {
    name: 'the ignore tag added to a stage whose WAF is detached in the same window',
    apiType: 'REST',
    mutate: (d) => {
      d.tags['stage-drift:ignore'] = 'true';
      delete d.webAclArn;
    },
    forward: {
      path: 'webAclArn',
      kind: 'removed',
      severity: 'HIGH',
      rule: 'waf-detached-or-changed',
      control: 'APIGateway.4',
    },
    reverse: {
      path: 'tags.stage-drift:ignore',
      kind: 'removed',
      severity: 'LOW',
      rule: 'monitoring-resumed',
    },
  },
  {
    name: 'the ignore tag added alone',
    apiType: 'HTTP',
    mutate: (d) => void (d.Tags = { 'stage-drift:ignore': 'true' }),
    forward: {
      path: 'tags.stage-drift:ignore',
      kind: 'added',
      severity: 'MEDIUM',
      rule: 'monitoring-opt-out',
    },
    reverse: {
      path: 'tags.stage-drift:ignore',
      kind: 'removed',
      severity: 'LOW',
      rule: 'monitoring-resumed',
    },
  },
  // HTTP
  {
    name: 'HTTP access logging removed',
    apiType: 'HTTP',
    mutate: (d) => void delete d.AccessLogSettings,
    forward: {
      path: 'accessLogSettings',
      kind: 'removed',
      severity: 'HIGH',
      rule: 'access-logging-removed',
      control: 'APIGateway.9',
    },
    reverse: {
      path: 'accessLogSettings',
      kind: 'added',
      severity: 'MEDIUM',
      rule: 'access-log-settings-changed',
    },
  },
  {
    name: 'HTTP access log destination changed',
    apiType: 'HTTP',
    mutate: (d) =>
      void (d.AccessLogSettings.DestinationArn = 'arn:aws:logs:us-east-1:123456789012:log-group:other'),
    forward: {
      path: 'accessLogSettings.destinationArn',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'access-log-settings-changed',
    },
    reverse: {
      path: 'accessLogSettings.destinationArn',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'access-log-settings-changed',
    },
  },
  {
    name: 'automatic deployment turned off',
    apiType: 'HTTP',
    mutate: (d) => void (d.AutoDeploy = false),
    forward: { path: 'autoDeploy', kind: 'changed', severity: 'MEDIUM', rule: 'auto-deploy-changed' },
    reverse: { path: 'autoDeploy', kind: 'changed', severity: 'MEDIUM', rule: 'auto-deploy-changed' },
  },
  {
    name: 'default route detailed metrics turned on',
    apiType: 'HTTP',
    mutate: (d) => void (d.DefaultRouteSettings.DetailedMetricsEnabled = true),
    forward: {
      path: 'defaultRouteSettings',
      kind: 'added',
      severity: 'LOW',
      rule: 'metrics-settings-changed',
    },
    reverse: {
      path: 'defaultRouteSettings',
      kind: 'removed',
      severity: 'LOW',
      rule: 'metrics-settings-changed',
    },
  },
  {
    name: 'route throttling added for one route',
    apiType: 'HTTP',
    mutate: (d) =>
      void (d.RouteSettings = { 'GET /pets': { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 } }),
    forward: {
      path: 'routeSettings.GET /pets.throttlingBurstLimit',
      kind: 'added',
      severity: 'MEDIUM',
      rule: 'throttling-changed',
    },
    reverse: {
      path: 'routeSettings.GET /pets.throttlingBurstLimit',
      kind: 'removed',
      severity: 'MEDIUM',
      rule: 'throttling-changed',
    },
  },
  {
    name: 'a stage variable added',
    apiType: 'HTTP',
    mutate: (d) => void (d.StageVariables = { lambdaAlias: 'live' }),
    forward: {
      path: 'stageVariables.lambdaAlias',
      kind: 'added',
      severity: 'MEDIUM',
      rule: 'stage-variables-changed',
    },
    reverse: {
      path: 'stageVariables.lambdaAlias',
      kind: 'removed',
      severity: 'MEDIUM',
      rule: 'stage-variables-changed',
    },
  },
  {
    name: 'DefaultRouteSettings {DetailedMetricsEnabled: false} vs absent (an AWS default)',
    apiType: 'HTTP',
    mutate: (d) => void delete d.DefaultRouteSettings,
    forward: 'no drift',
    reverse: 'no drift',
  },
  // WebSocket
  {
    name: 'default route execution logging INFO -> OFF',
    apiType: 'WEBSOCKET',
    mutate: (d) => void (d.DefaultRouteSettings.LoggingLevel = 'OFF'),
    forward: {
      path: 'defaultRouteSettings.loggingLevel',
      kind: 'changed',
      severity: 'HIGH',
      rule: 'execution-logging-off',
      control: 'APIGateway.1',
    },
    reverse: { path: 'defaultRouteSettings.loggingLevel', kind: 'changed', severity: 'LOW', rule: 'other' },
  },
  {
    name: 'default route LoggingLevel removed',
    apiType: 'WEBSOCKET',
    mutate: (d) => void delete d.DefaultRouteSettings.LoggingLevel,
    forward: {
      path: 'defaultRouteSettings.loggingLevel',
      kind: 'removed',
      severity: 'HIGH',
      rule: 'execution-logging-off',
      control: 'APIGateway.1',
    },
    reverse: { path: 'defaultRouteSettings.loggingLevel', kind: 'added', severity: 'LOW', rule: 'other' },
  },
  {
    name: '$connect data trace turned on',
    apiType: 'WEBSOCKET',
    mutate: (d) => void (d.RouteSettings.$connect.DataTraceEnabled = true),
    forward: {
      path: 'routeSettings.$connect.dataTraceEnabled',
      kind: 'changed',
      severity: 'HIGH',
      rule: 'data-trace-on',
    },
    reverse: {
      path: 'routeSettings.$connect.dataTraceEnabled',
      kind: 'changed',
      severity: 'LOW',
      rule: 'other',
    },
  },
  {
    name: 'WebSocket client certificate removed (APIGateway.2 is for REST only)',
    apiType: 'WEBSOCKET',
    mutate: (d) => void delete d.ClientCertificateId,
    forward: {
      path: 'clientCertificateId',
      kind: 'removed',
      severity: 'HIGH',
      rule: 'client-certificate-removed',
    },
    reverse: { path: 'clientCertificateId', kind: 'added', severity: 'LOW', rule: 'other' },
  },
  {
    name: 'route throttling burst lowered',
    apiType: 'WEBSOCKET',
    mutate: (d) => void (d.RouteSettings.sendMessage.ThrottlingBurstLimit = 5),
    forward: {
      path: 'routeSettings.sendMessage.throttlingBurstLimit',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'throttling-changed',
    },
    reverse: {
      path: 'routeSettings.sendMessage.throttlingBurstLimit',
      kind: 'changed',
      severity: 'MEDIUM',
      rule: 'throttling-changed',
    },
  },
  // Stage-level: recreated, and a producer that drops fractions of a second
  {
    name: 'the stage deleted and created again (new createdDate)',
    apiType: 'WEBSOCKET',
    mutate: (d) => void (d.CreatedDate = '2023-06-01T08:00:00.000Z'),
    forward: { stage: 'RECREATED', severity: 'MEDIUM' },
    reverse: { stage: 'RECREATED', severity: 'MEDIUM' },
  },
  {
    name: 'createdDate with and without its fraction of a second',
    apiType: 'WEBSOCKET',
    prepare: (d) => void (d.CreatedDate = '2023-03-01T08:00:00.250Z'),
    mutate: (d) => void (d.CreatedDate = '2023-03-01T08:00:00Z'),
    forward: 'no drift',
    reverse: 'no drift',
  },
];

const snapshotOf = (apiType: ApiType, document: Doc): StageSnapshot => {
  const parsed = parseStagesDocument(structuredClone(document), { apiType, apiId: 'a1b2c3d4e5' });
  expect(parsed.stages).toHaveLength(1);
  return parsed.stages[0] as StageSnapshot;
};

const sides = (pair: Pair): { readonly base: Doc; readonly changed: Doc } => {
  const base = BASE[pair.apiType]();
  pair.prepare?.(base);
  const changed = structuredClone(base);
  pair.mutate(changed);
  return { base, changed };
};

const assertDrift = (pair: Pair, before: Doc, after: Doc, expected: Expected): void => {
  const drift = diffStages(snapshotOf(pair.apiType, before), snapshotOf(pair.apiType, after), OPTIONS);
  if (expected === 'no drift') {
    expect(drift).toBeUndefined();
    return;
  }
  if ('stage' in expected) {
    expect(drift).toMatchObject({ change: expected.stage, severity: expected.severity });
    return;
  }
  expect(drift?.change).toBe(expected.change ?? 'MODIFIED');
  expect(drift?.severity).toBe(expected.severity);
  const change = drift?.changes.find((c) => c.path.join('.') === expected.path);
  expect({
    path: change?.path.join('.'),
    kind: change?.kind,
    severity: change?.severity,
    rule: change?.rule,
  }).toEqual({
    path: expected.path,
    kind: expected.kind,
    severity: expected.severity,
    rule: expected.rule,
  });
  expect(change?.control).toBe(expected.control);
};

describe('real-shaped before/after pairs', () => {
  it('holds at least 40 pairs over REST, HTTP and WebSocket', () => {
    expect(PAIRS.length * 2).toBeGreaterThanOrEqual(40);
    expect(new Set(PAIRS.map((p) => p.apiType))).toEqual(new Set(['REST', 'HTTP', 'WEBSOCKET']));
  });

  it.each(PAIRS)('$apiType: $name', (pair) => {
    const { base, changed } = sides(pair);
    assertDrift(pair, base, changed, pair.forward);
  });

  it.each(PAIRS)('$apiType, reversed: $name', (pair) => {
    const { base, changed } = sides(pair);
    assertDrift(pair, changed, base, pair.reverse);
  });
});
