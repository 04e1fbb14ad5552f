import { contentHash } from '../../shared/model';
import type { ApiRef } from '../../shared/model';
import { normalizeV2Stage, StageNormalizeError } from '../../shared/normalize';
import type { NormalizeContext } from '../../shared/normalize';
import {
  httpDefaultStageCli,
  seed001CanonicalConfig,
  seed001SdkStage,
  seed004WireStage,
} from './seed-documents';

const API: ApiRef = { apiId: 'w5x6y7z8a9', apiType: 'WEBSOCKET', name: 'chat' };
const CONTEXT: NormalizeContext = { account: '123456789012', region: 'eu-west-1', api: API };

const normalize = (input: unknown, context: NormalizeContext = CONTEXT) => normalizeV2Stage(input, context);
const hashOf = (input: unknown): string => normalize(input).hash;
const errorOf = (run: () => unknown): StageNormalizeError => {
  try {
    run();
  } catch (error) {
    if (error instanceof StageNormalizeError) return error;
    throw error;
  }
  throw new Error('expected a StageNormalizeError, nothing was thrown');
};

describe('normalizeV2Stage', () => {
  it('turns the seed 001 PascalCase stage into its canonical camelCase config, volatile fields apart', () => {
    const snapshot = normalize(seed001SdkStage());

    expect(snapshot.key).toStrictEqual({
      account: '123456789012',
      region: 'eu-west-1',
      apiType: 'WEBSOCKET',
      apiId: 'w5x6y7z8a9',
      stageName: 'production',
    });
    expect(snapshot.apiName).toBe('chat');
    expect(snapshot.config).toStrictEqual(seed001CanonicalConfig());
    expect(snapshot.volatile).toStrictEqual({
      createdDate: '2023-03-01T08:00:00.000Z',
      lastDeploymentStatusMessage: 'Deployment attempt succeeded',
      lastUpdatedDate: '2023-03-02T09:30:00.000Z',
    });
    expect(snapshot.hash).toBe(contentHash(seed001CanonicalConfig()));
  });

  it('gives the seed 004 camelCase wire stage a snapshot identical to the PascalCase one', () => {
    expect(normalize(seed004WireStage())).toStrictEqual(normalize(seed001SdkStage()));
  });

  it.each([
    [
      'AccessLogSettings',
      { Format: '$context.requestId' },
      'accessLogSettings',
      { format: '$context.requestId' },
    ],
    ['ApiGatewayManaged', true, 'apiGatewayManaged', true],
    ['AutoDeploy', true, 'autoDeploy', true],
    ['ClientCertificateId', 'cert-1', 'clientCertificateId', 'cert-1'],
    ['DefaultRouteSettings', { LoggingLevel: 'INFO' }, 'defaultRouteSettings', { loggingLevel: 'INFO' }],
    ['DeploymentId', 'dep1', 'deploymentId', 'dep1'],
    ['Description', 'chat', 'description', 'chat'],
    [
      'RouteSettings',
      { 'GET /pets': { ThrottlingRateLimit: 5 } },
      'routeSettings',
      { 'GET /pets': { throttlingRateLimit: 5 } },
    ],
    ['StageVariables', { LambdaAlias: 'live' }, 'stageVariables', { LambdaAlias: 'live' }],
    ['Tags', { Team: 'chat' }, 'tags', { Team: 'chat' }],
  ])('renames %s to %s', (pascal, value, canonical, expected) => {
    const { config } = normalize({ StageName: 'prod', [pascal]: value });

    expect((config as unknown as Record<string, unknown>)[canonical]).toStrictEqual(expected);
    expect(Object.keys(config)).not.toContain(pascal);
  });

  it.each([
    ['DataTraceEnabled', true, 'dataTraceEnabled'],
    ['DetailedMetricsEnabled', true, 'detailedMetricsEnabled'],
    ['LoggingLevel', 'ERROR', 'loggingLevel'],
    ['ThrottlingBurstLimit', 10, 'throttlingBurstLimit'],
    ['ThrottlingRateLimit', 2.5, 'throttlingRateLimit'],
  ])('renames the route setting %s to %s in default and per-route settings', (pascal, value, canonical) => {
    const { config } = normalize({
      StageName: 'prod',
      DefaultRouteSettings: { [pascal]: value },
      RouteSettings: { $connect: { [pascal]: value } },
    });

    expect(config.defaultRouteSettings).toStrictEqual({ [canonical]: value });
    expect(config.routeSettings).toStrictEqual({ $connect: { [canonical]: value } });
  });

  it('never renames route keys, stage variable names or tag keys', () => {
    const { config } = normalize({
      StageName: 'prod',
      RouteSettings: { 'GET /Pets': { LoggingLevel: 'INFO' }, SendMessage: { LoggingLevel: 'ERROR' } },
      StageVariables: { LambdaAlias: 'live', Url: '' },
      Tags: { CostCenter: '42' },
    });

    expect(Object.keys(config.routeSettings ?? {})).toStrictEqual(['GET /Pets', 'SendMessage']);
    expect(config.stageVariables).toStrictEqual({ LambdaAlias: 'live', Url: '' });
    expect(config.tags).toStrictEqual({ CostCenter: '42' });
  });

  it('reduces the HTTP API $default stage of the CLI to what is configured', () => {
    const snapshot = normalize(httpDefaultStageCli(), { ...CONTEXT, api: { ...API, apiType: 'HTTP' } });

    expect(snapshot.key.apiType).toBe('HTTP');
    expect(snapshot.key.stageName).toBe('$default');
    // DefaultRouteSettings {DetailedMetricsEnabled: false} is the AWS default: the same as none.
    expect(snapshot.config).toStrictEqual({
      apiGatewayManaged: true,
      autoDeploy: true,
      deploymentId: 'abc123',
    });
    expect(snapshot.volatile.createdDate).toBe('2024-05-01T10:00:00.000Z');
  });

  it.each(['ApiGatewayManaged', 'AutoDeploy'])('always states %s, false when absent or null', (pascal) => {
    const absent = normalize({ StageName: 'prod' });

    expect(absent.config).toStrictEqual({ apiGatewayManaged: false, autoDeploy: false });
    expect(hashOf({ StageName: 'prod', [pascal]: null })).toBe(absent.hash);
    expect(hashOf({ StageName: 'prod', [pascal]: false })).toBe(absent.hash);
    expect(hashOf({ StageName: 'prod', [pascal]: true })).not.toBe(absent.hash);
  });

  it.each([
    ['LastDeploymentStatusMessage', 'Deployment attempt failed'],
    ['LastUpdatedDate', new Date('2031-01-01T00:00:00Z')],
    ['CreatedDate', '2001-01-01T00:00:00Z'],
  ])('keeps the hash when only %s changes', (field, value) => {
    expect(hashOf({ ...seed001SdkStage(), [field]: value })).toBe(hashOf(seed001SdkStage()));
  });

  it.each([
    ['RouteSettings', {}],
    ['RouteSettings', { 'GET /pets': {} }],
    ['StageVariables', {}],
    ['Tags', {}],
    ['DefaultRouteSettings', {}],
    ['AccessLogSettings', { DestinationArn: '', Format: null }],
    ['Description', ''],
    ['ClientCertificateId', ''],
    ['DeploymentId', ''],
  ])('treats %s = %j like an absent member', (field, empty) => {
    const absent = hashOf({ StageName: 'prod', AutoDeploy: true });

    expect(hashOf({ StageName: 'prod', AutoDeploy: true, [field]: empty })).toBe(absent);
    expect(hashOf({ StageName: 'prod', AutoDeploy: true, [field]: null })).toBe(absent);
  });

  it.each([
    ['the ISO string of the wire form', '2023-03-01T08:00:00Z'],
    ['the ISO string of the CLI', '2023-03-01T08:00:00+00:00'],
    ['epoch seconds', 1677657600],
    ['a Date', new Date('2023-03-01T08:00:00Z')],
  ])('reads a created date given as %s', (_form, value) => {
    expect(normalize({ StageName: 'prod', CreatedDate: value }).volatile.createdDate).toBe(
      '2023-03-01T08:00:00.000Z',
    );
  });

  it.each([
    ['a stage without a name', { AutoDeploy: true }, 'stage has no StageName or stageName', 'StageName'],
    [
      'a stage name in both spellings',
      { StageName: 'prod', stageName: 'prod' },
      'StageName and stageName are both given: use one spelling',
      'stageName',
    ],
    [
      'a route throttling rate that is not a number (PascalCase)',
      { StageName: 'prod', RouteSettings: { 'GET /pets': { ThrottlingRateLimit: 'fast' } } },
      'RouteSettings["GET /pets"].ThrottlingRateLimit: expected a number, got "fast"',
      'RouteSettings["GET /pets"].ThrottlingRateLimit',
    ],
    [
      'a route throttling rate that is not a number (camelCase)',
      { stageName: 'prod', routeSettings: { 'GET /pets': { throttlingRateLimit: 'fast' } } },
      'routeSettings["GET /pets"].throttlingRateLimit: expected a number, got "fast"',
      'routeSettings["GET /pets"].throttlingRateLimit',
    ],
    [
      'AutoDeploy given as a string',
      { StageName: 'prod', AutoDeploy: 'true' },
      'AutoDeploy: expected a boolean (true or false), got "true"',
      'AutoDeploy',
    ],
    [
      'default route settings given as a list',
      { StageName: 'prod', DefaultRouteSettings: [] },
      'DefaultRouteSettings: expected an object, got an array',
      'DefaultRouteSettings',
    ],
    [
      'an access log format in both spellings',
      { StageName: 'prod', AccessLogSettings: { Format: 'a', format: 'a' } },
      'AccessLogSettings.Format and AccessLogSettings.format are both given: use one spelling',
      'AccessLogSettings.format',
    ],
    [
      'a stage variable that is not a string',
      { StageName: 'prod', StageVariables: { Token: 987654 } },
      'StageVariables["Token"]: expected a string, got a number',
      'StageVariables["Token"]',
    ],
    [
      'an unreadable date',
      { StageName: 'prod', LastUpdatedDate: '2023-03-01T08:00:00' },
      'LastUpdatedDate: expected a date (a Date, an ISO-8601 string with a time zone, or epoch seconds), got "2023-03-01T08:00:00"',
      'LastUpdatedDate',
    ],
  ])('rejects %s with a message that names the field', (_case, input, message, field) => {
    const error = errorOf(() => normalize(input));

    expect(error).toBeInstanceOf(StageNormalizeError);
    expect(error.message).toBe(message);
    expect(error.field).toBe(field);
  });

  it('rejects a REST context', () => {
    const error = errorOf(() =>
      normalize({ StageName: 'prod' }, { ...CONTEXT, api: { ...API, apiType: 'REST' } }),
    );

    expect(error.message).toBe(
      'normalizeV2Stage normalizes HTTP or WEBSOCKET stages, but context.api.apiType is REST',
    );
  });
});
