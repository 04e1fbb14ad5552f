import { labelForPath } from '../../shared/diff';

describe('labelForPath', () => {
  it.each([
    [['methodSettings', '*/*', 'loggingLevel'], 'Execution logging level (*/*)'],
    [['methodSettings', 'pets/GET', 'throttlingBurstLimit'], 'Throttling burst limit (pets/GET)'],
    [['methodSettings', 'pets/GET', 'cacheDataEncrypted'], 'Cache encryption (pets/GET)'],
    [['methodSettings', 'orders/POST'], 'Method settings (orders/POST)'],
    [['routeSettings', 'GET /pets', 'throttlingRateLimit'], 'Route throttling rate limit (GET /pets)'],
    [['routeSettings', '$connect', 'dataTraceEnabled'], 'Route data trace logging ($connect)'],
    [['routeSettings', 'GET /pets'], 'Route settings (GET /pets)'],
    [['defaultRouteSettings', 'loggingLevel'], 'Default route execution logging level'],
    [['defaultRouteSettings', 'detailedMetricsEnabled'], 'Default route detailed metrics'],
    [['defaultRouteSettings'], 'Default route settings'],
    [['variables', 'dbHost'], 'Stage variable dbHost'],
    [['stageVariables', 'petsTable'], 'Stage variable petsTable'],
    [['canarySettings', 'stageVariableOverrides', 'dbHost'], 'Canary stage variable override dbHost'],
    [['canarySettings', 'percentTraffic'], 'Canary traffic percentage'],
    [['canarySettings'], 'Canary'],
    [['tags', 'team'], 'Tag team'],
    [['webAclArn'], 'WAF web ACL'],
    [['accessLogSettings', 'destinationArn'], 'Access log destination'],
    [['accessLogSettings', 'format'], 'Access log format'],
    [['accessLogSettings'], 'Access logging'],
    [['tracingEnabled'], 'X-Ray tracing'],
    [['clientCertificateId'], 'Client certificate'],
    [['deploymentId'], 'Deployment'],
    [['autoDeploy'], 'Automatic deployment'],
  ])('labels %j as %s', (path, label) => {
    expect(labelForPath(path)).toBe(label);
  });

  it.each([
    [['someNewField']],
    [['methodSettings', '*/*', 'someNewField']],
    [['accessLogSettings', 'x', 'y']],
  ])('falls back to the dotted path for the unknown %j', (path) => {
    expect(labelForPath(path)).toBe(path.join('.'));
  });

  it('does not take inherited object members for labels', () => {
    expect(labelForPath(['constructor'])).toBe('constructor');
    expect(labelForPath(['methodSettings', '*/*', 'toString'])).toBe('methodSettings.*/*.toString');
  });
});
