import type { ApiType, ChangeKind, RestStageConfig, Severity, V2StageConfig } from '../../shared/model';
import type { DiffOptions } from '../../shared/diff';
import { DEFAULT_SEVERITY_RULES, diffConfigs, diffStages } from '../../shared/diff';
import {
  edit,
  HTTP_PROD,
  json,
  OPTIONS,
  REST_PROD,
  REST_PROD_WITH_CANARY,
  snapshotOf,
  WEBSOCKET_PROD,
} from './fixtures';

interface Row {
  readonly name: string;
  readonly apiType: ApiType;
  readonly before: RestStageConfig | V2StageConfig;
  readonly after: RestStageConfig | V2StageConfig;
  readonly path: readonly string[];
  readonly kind: ChangeKind;
  readonly severity: Severity;
  readonly rule: string;
  readonly control?: string;
}

/** `REST_PROD` with execution logging off stage-wide, so per-method entries fall back to OFF. */
const REST_LOGGING_OFF = edit(REST_PROD, (c) => {
  c.methodSettings!['*/*']!.loggingLevel = 'OFF';
});
/** `REST_PROD` with nothing cached and the cache unencrypted: the flag is moot until caching is on. */
const REST_CACHE_OFF_UNENCRYPTED = edit(REST_PROD, (c) => {
  c.methodSettings!['*/*']!.cachingEnabled = false;
  c.methodSettings!['*/*']!.cacheDataEncrypted = false;
});
/** `REST_PROD` with every method caching unencrypted. */
const REST_CACHING_UNENCRYPTED = edit(REST_PROD, (c) => {
  c.methodSettings!['*/*']!.cacheDataEncrypted = false;
});
const REST_WITHOUT_ACCESS_LOGS = edit(REST_PROD, (c) => {
  delete c.accessLogSettings;
});
const HTTP_WITHOUT_ACCESS_LOGS = edit(HTTP_PROD, (c) => {
  delete c.accessLogSettings;
});

// One row per line of the default severity table (issue 2), for REST and for v2 where the field exists.
const ROWS: readonly Row[] = [
  // execution logging set to OFF or removed: HIGH, APIGateway.1
  {
    name: 'reports execution logging set to OFF on */* as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: REST_LOGGING_OFF,
    path: ['methodSettings', '*/*', 'loggingLevel'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'execution-logging-off',
    control: 'APIGateway.1',
  },
  {
    name: 'reports the stage-wide logging level removed as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      delete c.methodSettings!['*/*']!.loggingLevel;
    }),
    path: ['methodSettings', '*/*', 'loggingLevel'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'execution-logging-off',
    control: 'APIGateway.1',
  },
  {
    name: 'reports a method settings entry with ERROR logging removed, when the stage logs nothing, as HIGH',
    apiType: 'REST',
    before: REST_LOGGING_OFF,
    after: edit(REST_LOGGING_OFF, (c) => {
      delete c.methodSettings!['orders/POST'];
    }),
    path: ['methodSettings', 'orders/POST', 'loggingLevel'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'execution-logging-off',
    control: 'APIGateway.1',
  },
  {
    name: 'reports a new method override that logs nothing, under a stage that logs INFO, as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['pets/GET'] = { ...c.methodSettings!['*/*']!, loggingLevel: 'OFF' };
    }),
    path: ['methodSettings', 'pets/GET', 'loggingLevel'],
    kind: 'added',
    severity: 'HIGH',
    rule: 'execution-logging-off',
    control: 'APIGateway.1',
  },
  {
    name: 'reports the default route logging level set to OFF as HIGH',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      c.defaultRouteSettings!.loggingLevel = 'OFF';
    }),
    path: ['defaultRouteSettings', 'loggingLevel'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'execution-logging-off',
    control: 'APIGateway.1',
  },
  {
    name: 'reports a route logging level set from ERROR to OFF as HIGH',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      c.routeSettings!.$connect!.loggingLevel = 'OFF';
    }),
    path: ['routeSettings', '$connect', 'loggingLevel'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'execution-logging-off',
    control: 'APIGateway.1',
  },
  {
    name: 'reports the default route settings removed while they logged INFO as HIGH',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      delete c.defaultRouteSettings;
    }),
    path: ['defaultRouteSettings'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'execution-logging-off',
    control: 'APIGateway.1',
  },
  // dataTraceEnabled turned on: HIGH
  {
    name: 'reports data trace turned on for every method as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['*/*']!.dataTraceEnabled = true;
    }),
    path: ['methodSettings', '*/*', 'dataTraceEnabled'],
    kind: 'added',
    severity: 'HIGH',
    rule: 'data-trace-on',
  },
  {
    name: 'reports data trace turned on for the default route as HIGH',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      c.defaultRouteSettings!.dataTraceEnabled = true;
    }),
    path: ['defaultRouteSettings', 'dataTraceEnabled'],
    kind: 'added',
    severity: 'HIGH',
    rule: 'data-trace-on',
  },
  {
    name: 'reports data trace turned on for one route as HIGH',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      c.routeSettings!.$connect!.dataTraceEnabled = true;
    }),
    path: ['routeSettings', '$connect', 'dataTraceEnabled'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'data-trace-on',
  },
  // access logging removed: HIGH, APIGateway.9 for v2
  {
    name: 'reports access logging removed from a REST stage as HIGH without a control',
    apiType: 'REST',
    before: REST_PROD,
    after: REST_WITHOUT_ACCESS_LOGS,
    path: ['accessLogSettings'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'access-logging-removed',
  },
  {
    name: 'reports the access log destination removed as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      delete c.accessLogSettings!.destinationArn;
    }),
    path: ['accessLogSettings', 'destinationArn'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'access-logging-removed',
  },
  {
    name: 'reports access logging removed from an HTTP stage as HIGH, APIGateway.9',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: HTTP_WITHOUT_ACCESS_LOGS,
    path: ['accessLogSettings'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'access-logging-removed',
    control: 'APIGateway.9',
  },
  {
    name: 'reports access logging removed from a WebSocket stage as HIGH, APIGateway.9',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      delete c.accessLogSettings;
    }),
    path: ['accessLogSettings'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'access-logging-removed',
    control: 'APIGateway.9',
  },
  // access log destination or format changed: MEDIUM
  {
    name: 'reports the access log format changed as MEDIUM',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.accessLogSettings!.format = '$context.requestId';
    }),
    path: ['accessLogSettings', 'format'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'access-log-settings-changed',
  },
  {
    name: 'reports the access log destination changed as MEDIUM',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      c.accessLogSettings!.destinationArn =
        'arn:aws:firehose:eu-west-1:123456789012:deliverystream/amazon-apigateway-pets';
    }),
    path: ['accessLogSettings', 'destinationArn'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'access-log-settings-changed',
  },
  {
    name: 'reports access logging added as MEDIUM',
    apiType: 'HTTP',
    before: HTTP_WITHOUT_ACCESS_LOGS,
    after: HTTP_PROD,
    path: ['accessLogSettings'],
    kind: 'added',
    severity: 'MEDIUM',
    rule: 'access-log-settings-changed',
  },
  // webAclArn removed or changed: HIGH, APIGateway.4; attached: LOW
  {
    name: 'reports a WAF detached from a stage as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      delete c.webAclArn;
    }),
    path: ['webAclArn'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'waf-detached-or-changed',
    control: 'APIGateway.4',
  },
  {
    name: 'reports a WAF web ACL replaced by another as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.webAclArn =
        'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/allow-all/00000000-0000-4000-8000-000000000000';
    }),
    path: ['webAclArn'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'waf-detached-or-changed',
    control: 'APIGateway.4',
  },
  {
    name: 'reports a WAF attached to a stage as LOW',
    apiType: 'REST',
    before: edit(REST_PROD, (c) => {
      delete c.webAclArn;
    }),
    after: REST_PROD,
    path: ['webAclArn'],
    kind: 'added',
    severity: 'LOW',
    rule: 'waf-attached',
  },
  // clientCertificateId removed: HIGH, APIGateway.2 (a REST control)
  {
    name: 'reports the client certificate removed from a REST stage as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      delete c.clientCertificateId;
    }),
    path: ['clientCertificateId'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'client-certificate-removed',
    control: 'APIGateway.2',
  },
  {
    name: 'reports the client certificate removed from a WebSocket stage as HIGH',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      delete c.clientCertificateId;
    }),
    path: ['clientCertificateId'],
    kind: 'removed',
    severity: 'HIGH',
    rule: 'client-certificate-removed',
  },
  // responses cached without encryption: HIGH, APIGateway.5 (REST)
  {
    name: 'reports cache encryption turned off where */* caches as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['*/*']!.cacheDataEncrypted = false;
    }),
    path: ['methodSettings', '*/*', 'cacheDataEncrypted'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'cache-unencrypted',
    control: 'APIGateway.5',
  },
  {
    name: 'reports caching turned on for a method whose cache is not encrypted as HIGH',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['orders/POST']!.cachingEnabled = true;
    }),
    path: ['methodSettings', 'orders/POST', 'cachingEnabled'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'cache-unencrypted',
    control: 'APIGateway.5',
  },
  {
    name: 'reports caching turned on stage-wide with encryption off as HIGH',
    apiType: 'REST',
    before: REST_CACHE_OFF_UNENCRYPTED,
    after: edit(REST_CACHE_OFF_UNENCRYPTED, (c) => {
      c.methodSettings!['*/*']!.cachingEnabled = true;
    }),
    path: ['methodSettings', '*/*', 'cachingEnabled'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'cache-unencrypted',
    control: 'APIGateway.5',
  },
  {
    name: 'reports the cache cluster turned on while methods cache unencrypted as HIGH',
    apiType: 'REST',
    before: edit(REST_CACHING_UNENCRYPTED, (c) => void (c.cacheClusterEnabled = false)),
    after: REST_CACHING_UNENCRYPTED,
    path: ['cacheClusterEnabled'],
    kind: 'changed',
    severity: 'HIGH',
    rule: 'cache-unencrypted',
    control: 'APIGateway.5',
  },
  {
    name: 'reports caching and encryption turned off together as LOW (nothing is cached)',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['*/*']!.cachingEnabled = false;
      c.methodSettings!['*/*']!.cacheDataEncrypted = false;
    }),
    path: ['methodSettings', '*/*', 'cacheDataEncrypted'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'cache-settings-changed',
  },
  {
    name: 'reports a new method entry that caches unencrypted as HIGH, not as its throttling',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['pets/GET'] = {
        ...c.methodSettings!['*/*']!,
        cacheDataEncrypted: false,
        throttlingRateLimit: 10_000,
      };
    }),
    path: ['methodSettings', 'pets/GET', 'cacheDataEncrypted'],
    kind: 'added',
    severity: 'HIGH',
    rule: 'cache-unencrypted',
    control: 'APIGateway.5',
  },
  // the ignore tag added (MEDIUM) or removed (LOW)
  {
    name: 'reports the ignore tag added as a MEDIUM monitoring opt-out',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => void (c.tags = { ...c.tags, 'stage-drift:ignore': 'true' })),
    path: ['tags', 'stage-drift:ignore'],
    kind: 'added',
    severity: 'MEDIUM',
    rule: 'monitoring-opt-out',
  },
  {
    name: 'reports the ignore tag removed as LOW',
    apiType: 'REST',
    before: edit(REST_PROD, (c) => void (c.tags = { ...c.tags, 'stage-drift:ignore': 'true' })),
    after: REST_PROD,
    path: ['tags', 'stage-drift:ignore'],
    kind: 'removed',
    severity: 'LOW',
    rule: 'monitoring-resumed',
  },
  // tracingEnabled turned off: MEDIUM, APIGateway.3
  {
    name: 'reports X-Ray tracing turned off as MEDIUM',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.tracingEnabled = false;
    }),
    path: ['tracingEnabled'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'tracing-off',
    control: 'APIGateway.3',
  },
  // throttling limits changed, added or removed: MEDIUM
  {
    name: 'reports the stage-wide throttling rate changed as MEDIUM',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['*/*']!.throttlingRateLimit = 5000;
    }),
    path: ['methodSettings', '*/*', 'throttlingRateLimit'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'throttling-changed',
  },
  {
    name: 'reports a method burst limit removed as MEDIUM',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      delete c.methodSettings!['orders/POST']!.throttlingBurstLimit;
    }),
    path: ['methodSettings', 'orders/POST', 'throttlingBurstLimit'],
    kind: 'removed',
    severity: 'MEDIUM',
    rule: 'throttling-changed',
  },
  {
    name: 'reports the default route throttling rate changed as MEDIUM',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      c.defaultRouteSettings!.throttlingRateLimit = 1000;
    }),
    path: ['defaultRouteSettings', 'throttlingRateLimit'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'throttling-changed',
  },
  {
    name: 'reports a route throttling limit added as MEDIUM',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      c.routeSettings!['POST /pets'] = { throttlingBurstLimit: 10, throttlingRateLimit: 5 };
    }),
    path: ['routeSettings', 'POST /pets', 'throttlingBurstLimit'],
    kind: 'added',
    severity: 'MEDIUM',
    rule: 'throttling-changed',
  },
  {
    name: 'reports a route throttling limit removed as MEDIUM',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      delete c.routeSettings!.sendMessage;
    }),
    path: ['routeSettings', 'sendMessage', 'throttlingRateLimit'],
    kind: 'removed',
    severity: 'MEDIUM',
    rule: 'throttling-changed',
  },
  // canary settings added, removed or changed: MEDIUM (REST only)
  {
    name: 'reports a canary added as MEDIUM',
    apiType: 'REST',
    before: REST_PROD,
    after: REST_PROD_WITH_CANARY,
    path: ['canarySettings'],
    kind: 'added',
    severity: 'MEDIUM',
    rule: 'canary-settings-changed',
  },
  {
    name: 'reports canary traffic moved as MEDIUM',
    apiType: 'REST',
    before: REST_PROD_WITH_CANARY,
    after: edit(REST_PROD_WITH_CANARY, (c) => {
      c.canarySettings!.percentTraffic = 50;
    }),
    path: ['canarySettings', 'percentTraffic'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'canary-settings-changed',
  },
  {
    name: 'reports a canary removed as MEDIUM',
    apiType: 'REST',
    before: REST_PROD_WITH_CANARY,
    after: REST_PROD,
    path: ['canarySettings'],
    kind: 'removed',
    severity: 'MEDIUM',
    rule: 'canary-settings-changed',
  },
  // stage variables changed: MEDIUM
  {
    name: 'reports a stage variable changed as MEDIUM',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.variables!.backendUrl = 'https://orders-v2.internal.example.com';
    }),
    path: ['variables', 'backendUrl'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'stage-variables-changed',
  },
  {
    name: 'reports a stage variable added as MEDIUM',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.variables!.featureFlags = 'checkout-v2';
    }),
    path: ['variables', 'featureFlags'],
    kind: 'added',
    severity: 'MEDIUM',
    rule: 'stage-variables-changed',
  },
  {
    name: 'reports a canary stage variable override changed as MEDIUM',
    apiType: 'REST',
    before: REST_PROD_WITH_CANARY,
    after: edit(REST_PROD_WITH_CANARY, (c) => {
      c.canarySettings!.stageVariableOverrides!.backendUrl = 'https://orders-canary-2.internal.example.com';
    }),
    path: ['canarySettings', 'stageVariableOverrides', 'backendUrl'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'stage-variables-changed',
  },
  {
    name: 'reports an HTTP stage variable changed as MEDIUM',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      c.stageVariables!.petsTable = 'pets-prod-v2';
    }),
    path: ['stageVariables', 'petsTable'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'stage-variables-changed',
  },
  {
    name: 'reports a WebSocket stage variable removed as MEDIUM',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      delete c.stageVariables;
    }),
    path: ['stageVariables', 'connectionsTable'],
    kind: 'removed',
    severity: 'MEDIUM',
    rule: 'stage-variables-changed',
  },
  // autoDeploy changed: MEDIUM (v2 only)
  {
    name: 'reports automatic deployment turned on as MEDIUM',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      c.autoDeploy = true;
    }),
    path: ['autoDeploy'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'auto-deploy-changed',
  },
  {
    name: 'reports automatic deployment turned off as MEDIUM',
    apiType: 'WEBSOCKET',
    before: edit(WEBSOCKET_PROD, (c) => {
      c.autoDeploy = true;
    }),
    after: WEBSOCKET_PROD,
    path: ['autoDeploy'],
    kind: 'changed',
    severity: 'MEDIUM',
    rule: 'auto-deploy-changed',
  },
  // caching and metrics settings, cache size: LOW
  {
    name: 'reports the cache cluster resized as LOW',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.cacheClusterSize = '6.1';
    }),
    path: ['cacheClusterSize'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'cache-settings-changed',
  },
  {
    name: 'reports the cache cluster turned off as LOW',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.cacheClusterEnabled = false;
    }),
    path: ['cacheClusterEnabled'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'cache-settings-changed',
  },
  {
    name: 'reports a method cache TTL changed as LOW',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['*/*']!.cacheTtlInSeconds = 60;
    }),
    path: ['methodSettings', '*/*', 'cacheTtlInSeconds'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'cache-settings-changed',
  },
  {
    name: 'reports method metrics turned off as LOW',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.methodSettings!['*/*']!.metricsEnabled = false;
    }),
    path: ['methodSettings', '*/*', 'metricsEnabled'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'metrics-settings-changed',
  },
  {
    name: 'reports default route detailed metrics turned off as LOW',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      c.defaultRouteSettings!.detailedMetricsEnabled = false;
    }),
    path: ['defaultRouteSettings', 'detailedMetricsEnabled'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'metrics-settings-changed',
  },
  {
    name: 'reports route detailed metrics turned off as LOW',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      c.routeSettings!.$connect!.detailedMetricsEnabled = false;
    }),
    path: ['routeSettings', '$connect', 'detailedMetricsEnabled'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'metrics-settings-changed',
  },
  // description, tags, documentation version: LOW
  {
    name: 'reports the description changed as LOW',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.description = 'Production (eu-west-1)';
    }),
    path: ['description'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'description-changed',
  },
  {
    name: 'reports the description removed as LOW',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      delete c.description;
    }),
    path: ['description'],
    kind: 'removed',
    severity: 'LOW',
    rule: 'description-changed',
  },
  {
    name: 'reports the documentation version changed as LOW',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.documentationVersion = '1.5.0';
    }),
    path: ['documentationVersion'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'documentation-version-changed',
  },
  {
    name: 'reports a stage tag changed as LOW',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.tags!.team = 'payments';
    }),
    path: ['tags', 'team'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'tags-changed',
  },
  {
    name: 'reports a stage tag added as LOW',
    apiType: 'WEBSOCKET',
    before: WEBSOCKET_PROD,
    after: edit(WEBSOCKET_PROD, (c) => {
      c.tags!['cost-center'] = 'cc-1234';
    }),
    path: ['tags', 'cost-center'],
    kind: 'added',
    severity: 'LOW',
    rule: 'tags-changed',
  },
  // deploymentId changed (a deployment): INFO
  {
    name: 'reports a REST deployment as INFO',
    apiType: 'REST',
    before: REST_PROD,
    after: edit(REST_PROD, (c) => {
      c.deploymentId = 'p3q9zz';
    }),
    path: ['deploymentId'],
    kind: 'changed',
    severity: 'INFO',
    rule: 'deployment-changed',
  },
  {
    name: 'reports an HTTP deployment as INFO',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      c.deploymentId = 'e8f9a0';
    }),
    path: ['deploymentId'],
    kind: 'changed',
    severity: 'INFO',
    rule: 'deployment-changed',
  },
  {
    name: 'reports the first deployment of a WebSocket stage as INFO',
    apiType: 'WEBSOCKET',
    before: edit(WEBSOCKET_PROD, (c) => {
      delete c.deploymentId;
    }),
    after: WEBSOCKET_PROD,
    path: ['deploymentId'],
    kind: 'added',
    severity: 'INFO',
    rule: 'deployment-changed',
  },
  // everything else: LOW, rule `other`
  {
    name: 'reports execution logging turned on as LOW',
    apiType: 'REST',
    before: REST_LOGGING_OFF,
    after: REST_PROD,
    path: ['methodSettings', '*/*', 'loggingLevel'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'other',
  },
  {
    name: 'reports X-Ray tracing turned on as LOW',
    apiType: 'REST',
    before: edit(REST_PROD, (c) => {
      c.tracingEnabled = false;
    }),
    after: REST_PROD,
    path: ['tracingEnabled'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'other',
  },
  {
    name: 'reports data trace turned off as LOW',
    apiType: 'WEBSOCKET',
    before: edit(WEBSOCKET_PROD, (c) => {
      c.defaultRouteSettings!.dataTraceEnabled = true;
    }),
    after: WEBSOCKET_PROD,
    path: ['defaultRouteSettings', 'dataTraceEnabled'],
    kind: 'removed',
    severity: 'LOW',
    rule: 'other',
  },
  {
    name: 'reports a client certificate attached as LOW',
    apiType: 'REST',
    before: edit(REST_PROD, (c) => {
      delete c.clientCertificateId;
    }),
    after: REST_PROD,
    path: ['clientCertificateId'],
    kind: 'added',
    severity: 'LOW',
    rule: 'other',
  },
  {
    name: 'reports a stage handed over to API Gateway management as LOW',
    apiType: 'HTTP',
    before: HTTP_PROD,
    after: edit(HTTP_PROD, (c) => {
      c.apiGatewayManaged = true;
    }),
    path: ['apiGatewayManaged'],
    kind: 'changed',
    severity: 'LOW',
    rule: 'other',
  },
];

describe('default severity rules', () => {
  it.each(ROWS)('$name ($apiType)', ({ apiType, before, after, path, kind, severity, rule, control }) => {
    const changes = diffConfigs(json(before), json(after), apiType, OPTIONS);

    // Assess: the row's change is there, decided by the row's rule, and nothing is worse.
    const change = changes.find((c) => c.path.join('\u0000') === path.join('\u0000'));
    expect(change).toMatchObject({ path, kind, severity, rule });
    expect(change?.control).toBe(control);
    expect(changes[0]?.severity).toBe(severity);
  });

  it.each(ROWS)(
    'gives the stage the severity of its change: $name ($apiType)',
    ({ apiType, before, after, severity }) => {
      const drift = diffStages(snapshotOf(apiType, before), snapshotOf(apiType, after), OPTIONS);

      expect(drift).toMatchObject({ change: 'MODIFIED', rule: 'stage-modified', severity });
    },
  );

  it('covers every field rule of the table with at least one row', () => {
    const fieldRules = DEFAULT_SEVERITY_RULES.filter((r) => r.scope === 'field').map((r) => r.id);

    const covered = new Set(ROWS.map((row) => row.rule));

    expect(fieldRules.filter((id) => !covered.has(id))).toEqual([]);
  });

  it('gives every rule a unique kebab-case id and a one-line description', () => {
    const ids = DEFAULT_SEVERITY_RULES.map((r) => r.id);

    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of DEFAULT_SEVERITY_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(rule.description).toMatch(/^\S.*\.$/);
      expect(rule.description).not.toContain('\n');
    }
  });

  it('tries `other` last, so every leaf is decided by exactly one rule', () => {
    expect(DEFAULT_SEVERITY_RULES[DEFAULT_SEVERITY_RULES.length - 1]).toMatchObject({
      id: 'other',
      paths: ['**'],
      severity: 'LOW',
    });
  });

  it.each([
    ['stage-deleted', 'HIGH'],
    ['stage-recreated', 'MEDIUM'],
    ['stage-created', 'INFO'],
    ['stage-modified', 'INFO'],
  ])('rates the stage rule %s as %s', (id, severity) => {
    expect(DEFAULT_SEVERITY_RULES.find((r) => r.id === id)).toMatchObject({ scope: 'stage', severity });
  });
});

describe('execution logging in force', () => {
  it('does not raise a new method override that logs nothing when the stage logs nothing either', () => {
    const before = REST_LOGGING_OFF;
    const after = edit(REST_LOGGING_OFF, (c) => {
      c.methodSettings!['pets/GET'] = { ...c.methodSettings!['*/*']!, throttlingRateLimit: 20 };
    });

    const changes = diffConfigs(json(before), json(after), 'REST', OPTIONS);

    expect(changes[0]).toMatchObject({ severity: 'MEDIUM', rule: 'throttling-changed' });
    expect(changes.find((c) => c.path[2] === 'loggingLevel')).toMatchObject({
      path: ['methodSettings', 'pets/GET', 'loggingLevel'],
      severity: 'LOW',
      rule: 'other',
    });
  });

  it('does not raise a method override removed when the stage-wide level still logs', () => {
    const after = edit(REST_PROD, (c) => {
      delete c.methodSettings!['orders/POST'];
    });

    const changes = diffConfigs(json(REST_PROD), json(after), 'REST', OPTIONS);

    expect(changes[0]).toMatchObject({ severity: 'MEDIUM', rule: 'throttling-changed' });
    expect(changes.find((c) => c.path[2] === 'loggingLevel')).toMatchObject({
      path: ['methodSettings', 'orders/POST', 'loggingLevel'],
      severity: 'LOW',
    });
  });

  it('raises a route that stops logging when its default route logs nothing', () => {
    const before = edit(WEBSOCKET_PROD, (c) => {
      c.defaultRouteSettings!.loggingLevel = 'OFF';
    });
    const after = edit(before, (c) => {
      delete c.routeSettings!.$connect!.loggingLevel;
    });

    const changes = diffConfigs(json(before), json(after), 'WEBSOCKET', OPTIONS);

    expect(changes).toEqual([
      expect.objectContaining({
        path: ['routeSettings', '$connect', 'loggingLevel'],
        kind: 'removed',
        severity: 'HIGH',
        control: 'APIGateway.1',
      }),
    ]);
  });
});

describe('severity overrides', () => {
  const withOverrides = (severityOverrides: DiffOptions['severityOverrides']): DiffOptions => ({
    ...OPTIONS,
    severityOverrides,
  });

  it('lowers every tag change to INFO with a subtree pattern', () => {
    const after = edit(REST_PROD, (c) => void (c.tags!.team = 'payments'));

    const changes = diffConfigs(
      json(REST_PROD),
      json(after),
      'REST',
      withOverrides([{ path: 'tags.**', severity: 'INFO' }]),
    );

    expect(changes).toEqual([expect.objectContaining({ severity: 'INFO', rule: 'override:tags.**' })]);
  });

  it('raises a WAF detached to CRITICAL and keeps its control', () => {
    const after = edit(REST_PROD, (c) => void delete c.webAclArn);

    const drift = diffStages(
      snapshotOf('REST', REST_PROD),
      snapshotOf('REST', after),
      withOverrides([{ path: 'webAclArn', severity: 'CRITICAL' }]),
    );

    expect(drift?.severity).toBe('CRITICAL');
    expect(drift?.changes).toEqual([
      expect.objectContaining({ severity: 'CRITICAL', rule: 'override:webAclArn', control: 'APIGateway.4' }),
    ]);
  });

  it('applies an override only to its kind of change', () => {
    const overrides = withOverrides([{ path: 'webAclArn', severity: 'CRITICAL', kind: 'removed' }]);
    const replaced = edit(
      REST_PROD,
      (c) => void (c.webAclArn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/b/2'),
    );

    const changes = diffConfigs(json(REST_PROD), json(replaced), 'REST', overrides);

    expect(changes).toEqual([expect.objectContaining({ severity: 'HIGH', rule: 'waf-detached-or-changed' })]);
  });

  it('lets the first matching override win', () => {
    const after = edit(REST_PROD, (c) => void (c.deploymentId = 'p3q9zz'));
    const overrides = withOverrides([
      { path: 'deploymentId', severity: 'MEDIUM' },
      { path: '**', severity: 'LOW' },
    ]);

    expect(diffConfigs(json(REST_PROD), json(after), 'REST', overrides)).toEqual([
      expect.objectContaining({ severity: 'MEDIUM', rule: 'override:deploymentId' }),
    ]);
  });

  it("applies an override on a change's own path to all of its leaves", () => {
    const changes = diffConfigs(
      json(REST_PROD_WITH_CANARY),
      json(REST_PROD),
      'REST',
      withOverrides([{ path: 'canarySettings', severity: 'LOW' }]),
    );

    expect(changes).toEqual([expect.objectContaining({ path: ['canarySettings'], severity: 'LOW' })]);
  });

  it('leaves the other leaves of a removed object to the default rules', () => {
    const changes = diffConfigs(
      json(REST_PROD_WITH_CANARY),
      json(REST_PROD),
      'REST',
      withOverrides([{ path: 'canarySettings.percentTraffic', severity: 'INFO' }]),
    );

    expect(changes).toEqual([
      expect.objectContaining({
        path: ['canarySettings'],
        severity: 'MEDIUM',
        rule: 'canary-settings-changed',
      }),
    ]);
  });

  it('raises one field of a removed entry by an override on that field', () => {
    const after = edit(REST_PROD, (c) => void delete c.methodSettings!['orders/POST']);

    const changes = diffConfigs(
      json(REST_PROD),
      json(after),
      'REST',
      withOverrides([{ path: 'methodSettings.*.cacheTtlInSeconds', severity: 'CRITICAL' }]),
    );

    expect(changes[0]).toMatchObject({
      path: ['methodSettings', 'orders/POST', 'cacheTtlInSeconds'],
      severity: 'CRITICAL',
      rule: 'override:methodSettings.*.cacheTtlInSeconds',
    });
  });
});

describe('the leaf that decides a change', () => {
  it('judges a removed entry field by field: logging off and data trace on are two HIGH changes', () => {
    // Removing `orders/POST` both turns its execution logging off and lets it inherit data trace
    // from `*/*`: each field meets its own rule, with its own control.
    const before = edit(REST_PROD, (c) => void (c.methodSettings!['*/*']!.dataTraceEnabled = true));
    const after = edit(before, (c) => {
      c.methodSettings!['*/*']!.loggingLevel = 'OFF';
      delete c.methodSettings!['orders/POST'];
    });

    const changes = diffConfigs(json(before), json(after), 'REST', OPTIONS);

    const entry = changes.filter((c) => c.path[1] === 'orders/POST' && c.severity === 'HIGH');
    expect(entry.map((c) => [c.path[2], c.rule, c.control])).toEqual([
      ['dataTraceEnabled', 'data-trace-on', undefined],
      ['loggingLevel', 'execution-logging-off', 'APIGateway.1'],
    ]);
  });

  it('takes the first leaf in path order among equally severe leaves without a control', () => {
    const changes = diffConfigs(json(REST_PROD_WITH_CANARY), json(REST_PROD), 'REST', OPTIONS);

    // deploymentId, percentTraffic, stageVariableOverrides.backendUrl, useStageCache: all MEDIUM.
    expect(changes).toEqual([
      expect.objectContaining({ severity: 'MEDIUM', rule: 'canary-settings-changed' }),
    ]);
  });
});
