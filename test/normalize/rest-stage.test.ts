import { contentHash } from '../../shared/model';
import type { ApiRef } from '../../shared/model';
import { normalizeRestStage, StageNormalizeError } from '../../shared/normalize';
import type { NormalizeContext } from '../../shared/normalize';
import { seed000CanonicalConfig, seed000SdkStage } from './seed-documents';

const API: ApiRef = { apiId: 'a1b2c3d4e5', apiType: 'REST', name: 'pets' };
const CONTEXT: NormalizeContext = { account: '123456789012', region: 'us-east-1', api: API };

const normalize = (input: unknown, context: NormalizeContext = CONTEXT) => normalizeRestStage(input, context);
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

describe('normalizeRestStage', () => {
  it('turns the seed 000 SDK stage with every field into its canonical config, volatile fields apart', () => {
    const snapshot = normalize(seed000SdkStage());

    expect(snapshot.key).toStrictEqual({
      account: '123456789012',
      region: 'us-east-1',
      apiType: 'REST',
      apiId: 'a1b2c3d4e5',
      stageName: 'prod',
    });
    expect(snapshot.apiName).toBe('pets');
    expect(snapshot.config).toStrictEqual(seed000CanonicalConfig());
    expect(snapshot.volatile).toStrictEqual({
      cacheClusterStatus: 'AVAILABLE',
      createdDate: '2016-04-15T17:53:35.000Z',
      lastUpdatedDate: '2016-04-15T18:30:10.000Z',
    });
    expect(snapshot.hash).toBe(contentHash(seed000CanonicalConfig()));
    expect(snapshot.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['deploymentId', 'vakw79', 'vakw79'],
    ['clientCertificateId', 'q1w2e3', 'q1w2e3'],
    ['description', 'Production stage', 'Production stage'],
    ['cacheClusterEnabled', true, true],
    ['cacheClusterSize', '6.1', '6.1'],
    ['methodSettings', { '*/*': { loggingLevel: 'INFO' } }, { '*/*': { loggingLevel: 'INFO' } }],
    ['variables', { b: '2', a: '1' }, { a: '1', b: '2' }],
    ['documentationVersion', '1.0', '1.0'],
    ['accessLogSettings', { format: '$context.requestId' }, { format: '$context.requestId' }],
    [
      'canarySettings',
      { percentTraffic: 5.5, useStageCache: true },
      { percentTraffic: 5.5, useStageCache: true },
    ],
    ['tracingEnabled', true, true],
    [
      'webAclArn',
      'arn:aws:wafv2:us-east-1:1:regional/webacl/a/b',
      'arn:aws:wafv2:us-east-1:1:regional/webacl/a/b',
    ],
    ['tags', { team: 'payments' }, { team: 'payments' }],
  ])('puts %s under its own name in the config', (field, value, expected) => {
    const { config } = normalize({ stageName: 'prod', [field]: value });

    expect((config as unknown as Record<string, unknown>)[field]).toStrictEqual(expected);
  });

  it.each([
    ['createdDate', new Date('2016-04-15T17:38:08Z'), '2016-04-15T17:38:08.000Z'],
    ['lastUpdatedDate', new Date('2016-04-15T17:45:48Z'), '2016-04-15T17:45:48.000Z'],
    ['cacheClusterStatus', 'NOT_AVAILABLE', 'NOT_AVAILABLE'],
  ])('keeps %s in volatile and out of the config', (field, value, expected) => {
    const snapshot = normalize({ stageName: 'prod', [field]: value });

    expect(snapshot.volatile).toStrictEqual({ [field]: expected });
    expect(Object.keys(snapshot.config)).not.toContain(field);
  });

  it.each([
    ['SDK v3 output (Date dates)', seed000SdkStage()],
    [
      'aws apigateway get-stages CLI JSON (ISO dates)',
      {
        ...seed000SdkStage(),
        createdDate: '2016-04-15T17:53:35+00:00',
        lastUpdatedDate: '2016-04-15T18:30:10Z',
      },
    ],
    [
      'raw REST form (epoch seconds) with HAL _links',
      {
        _links: { self: { href: '/restapis/a1b2c3d4e5/stages/prod' } },
        ...seed000SdkStage(),
        createdDate: 1460742815,
        lastUpdatedDate: 1460745010.0,
      },
    ],
  ])('gives the same snapshot for the %s', (_shape, input) => {
    expect(normalize(input)).toStrictEqual(normalize(seed000SdkStage()));
  });

  it.each([
    ['lastUpdatedDate', new Date('2030-01-01T00:00:00Z')],
    ['createdDate', new Date('2020-06-06T06:06:06Z')],
    ['cacheClusterStatus', 'FLUSH_IN_PROGRESS'],
  ])('keeps the hash when only %s changes', (field, value) => {
    expect(hashOf({ ...seed000SdkStage(), [field]: value })).toBe(hashOf(seed000SdkStage()));
  });

  it.each([
    ['methodSettings', {}],
    ['variables', {}],
    ['tags', {}],
    ['accessLogSettings', {}],
    ['accessLogSettings', { format: '', destinationArn: null }],
    ['canarySettings', {}],
    ['canarySettings', { stageVariableOverrides: {} }],
    ['methodSettings', { '*/*': {} }],
    ['methodSettings', { '*/*': { loggingLevel: null } }],
    ['description', ''],
    ['clientCertificateId', ''],
    ['webAclArn', ''],
    ['cacheClusterSize', ''],
    ['documentationVersion', ''],
  ])('treats %s = %j like an absent member: same hash as null and as absent', (field, empty) => {
    const absent = hashOf({ stageName: 'prod', deploymentId: 'vakw79' });

    expect(hashOf({ stageName: 'prod', deploymentId: 'vakw79', [field]: empty })).toBe(absent);
    expect(hashOf({ stageName: 'prod', deploymentId: 'vakw79', [field]: null })).toBe(absent);
    expect(hashOf({ stageName: 'prod', deploymentId: 'vakw79', [field]: undefined })).toBe(absent);
  });

  it.each(['cacheClusterEnabled', 'tracingEnabled'])(
    'always states %s, false when absent or null',
    (field) => {
      const absent = normalize({ stageName: 'prod' });

      expect((absent.config as unknown as Record<string, unknown>)[field]).toBe(false);
      expect(normalize({ stageName: 'prod', [field]: null }).hash).toBe(absent.hash);
      expect(normalize({ stageName: 'prod', [field]: false }).hash).toBe(absent.hash);
      expect(normalize({ stageName: 'prod', [field]: true }).hash).not.toBe(absent.hash);
    },
  );

  it('keeps empty-string values inside variables, tags and canary overrides', () => {
    const { config } = normalize({
      stageName: 'beta',
      variables: { url: '', version: 'v-beta' },
      tags: { owner: '' },
      canarySettings: { stageVariableOverrides: { url: '' } },
    });

    expect(config.variables).toStrictEqual({ url: '', version: 'v-beta' });
    expect(config.tags).toStrictEqual({ owner: '' });
    expect(config.canarySettings).toStrictEqual({ stageVariableOverrides: { url: '' } });
  });

  it('drops null entries of maps but keeps the rest', () => {
    const { config } = normalize({
      stageName: 'prod',
      variables: { a: null, b: 'x' },
      methodSettings: { 'a/GET': null },
    });

    expect(config.variables).toStrictEqual({ b: 'x' });
    expect(config.methodSettings).toBeUndefined();
  });

  it('sorts maps by key and does not let input key order change the hash', () => {
    const forward = {
      stageName: 'prod',
      variables: { a: '1', b: '2', c: '3' },
      methodSettings: {
        '*/*': { metricsEnabled: true, loggingLevel: 'INFO' },
        'pets/GET': { cachingEnabled: true },
      },
    };
    const backward = {
      methodSettings: {
        'pets/GET': { cachingEnabled: true },
        '*/*': { loggingLevel: 'INFO', metricsEnabled: true },
      },
      variables: { c: '3', b: '2', a: '1' },
      stageName: 'prod',
    };

    expect(normalize(backward)).toStrictEqual(normalize(forward));
    expect(Object.keys(normalize(backward).config.variables ?? {})).toStrictEqual(['a', 'b', 'c']);
  });

  it('keeps numbers as numbers', () => {
    const { config } = normalize({
      stageName: 'prod',
      methodSettings: {
        '*/*': { throttlingBurstLimit: 0, throttlingRateLimit: 12.25, cacheTtlInSeconds: 3600 },
      },
      canarySettings: { percentTraffic: 0 },
    });

    expect(config.methodSettings?.['*/*']).toStrictEqual({
      cacheTtlInSeconds: 3600,
      throttlingBurstLimit: 0,
      throttlingRateLimit: 12.25,
    });
    expect(config.canarySettings).toStrictEqual({ percentTraffic: 0 });
  });

  it('ignores members it does not know, at the top and inside settings', () => {
    const plain = normalize({ stageName: 'prod', methodSettings: { '*/*': { metricsEnabled: true } } });
    const withExtras = normalize({
      stageName: 'prod',
      $metadata: { httpStatusCode: 200 },
      _links: { self: { href: '/restapis/x/stages/prod' } },
      someFutureField: [1, 2, 3],
      methodSettings: { '*/*': { metricsEnabled: true, futureSetting: 'x' } },
    });

    expect(withExtras).toStrictEqual(plain);
  });

  it('renormalizes a canonical config given the stage name in the context', () => {
    const first = normalize(seed000SdkStage());

    const again = normalize(first.config, { ...CONTEXT, stageName: 'prod' });

    expect(again.config).toStrictEqual(first.config);
    expect(again.hash).toBe(first.hash);
  });

  it('copies the API tags, sorted, and leaves them out when there are none', () => {
    const tagged = normalize(
      { stageName: 'prod' },
      { ...CONTEXT, api: { ...API, tags: { z: '1', a: '2' } } },
    );

    expect(tagged.apiTags).toStrictEqual({ a: '2', z: '1' });
    expect(Object.keys(tagged.apiTags ?? {})).toStrictEqual(['a', 'z']);
    expect('apiTags' in normalize({ stageName: 'prod' }, { ...CONTEXT, api: { ...API, tags: {} } })).toBe(
      false,
    );
  });

  it.each([
    ['a string', 'prod', 'stage: expected an object, got "prod"', undefined],
    ['an array', [{ stageName: 'prod' }], 'stage: expected an object, got an array', undefined],
    ['null', null, 'stage: expected an object, got null', undefined],
    ['no stage name', { deploymentId: 'x' }, 'stage has no stageName', 'stageName'],
    [
      'a v2 stage',
      { StageName: 'prod' },
      'stage has no stageName (it has StageName: an HTTP or WebSocket stage goes to normalizeV2Stage)',
      'stageName',
    ],
    ['a numeric stage name', { stageName: 5 }, 'stageName: expected a non-empty string, got 5', 'stageName'],
    ['an empty stage name', { stageName: '' }, 'stageName: expected a non-empty string, got ""', 'stageName'],
    [
      'a throttling rate that is not a number',
      { stageName: 'prod', methodSettings: { '*/*': { throttlingRateLimit: 'fast' } } },
      'methodSettings["*/*"].throttlingRateLimit: expected a number, got "fast"',
      'methodSettings["*/*"].throttlingRateLimit',
    ],
    [
      'a boolean given as a string',
      { stageName: 'prod', cacheClusterEnabled: 'yes' },
      'cacheClusterEnabled: expected a boolean (true or false), got "yes"',
      'cacheClusterEnabled',
    ],
    [
      'a cache size given as a number',
      { stageName: 'prod', cacheClusterSize: 0.5 },
      'cacheClusterSize: expected a string, got 0.5',
      'cacheClusterSize',
    ],
    [
      'variables given as a list',
      { stageName: 'prod', variables: ['a'] },
      'variables: expected an object, got an array',
      'variables',
    ],
    [
      'a method setting that is not an object',
      { stageName: 'prod', methodSettings: { '*/*': 'INFO' } },
      'methodSettings["*/*"]: expected an object, got "INFO"',
      'methodSettings["*/*"]',
    ],
    [
      'a canary percentage given as a string',
      { stageName: 'prod', canarySettings: { percentTraffic: '10' } },
      'canarySettings.percentTraffic: expected a number, got "10"',
      'canarySettings.percentTraffic',
    ],
    [
      'a tag value that is not a string',
      { stageName: 'prod', tags: { team: true } },
      'tags["team"]: expected a string, got true',
      'tags["team"]',
    ],
    [
      'an unreadable date',
      { stageName: 'prod', createdDate: 'yesterday' },
      'createdDate: expected a date (a Date, an ISO-8601 string with a time zone, or epoch seconds), got "yesterday"',
      'createdDate',
    ],
  ])('rejects %s with a message that names what is wrong', (_case, input, message, field) => {
    const error = errorOf(() => normalize(input));

    expect(error.message).toBe(message);
    expect(error.name).toBe('StageNormalizeError');
    expect(error.field).toBe(field);
  });

  it.each([
    ['variables', { stageName: 'prod', variables: { token: 1234567 } }, 'variables["token"]'],
    [
      'canary overrides',
      { stageName: 'prod', canarySettings: { stageVariableOverrides: { token: false } } },
      'canarySettings.stageVariableOverrides["token"]',
    ],
  ])('names the type, never the value, of a bad entry in %s', (_map, input, field) => {
    const error = errorOf(() => normalize(input));

    expect(error.message).toMatch(
      new RegExp(`^${field.replace(/[[\]".]/g, '\\$&')}: expected a string, got a \\w+$`),
    );
    expect(error.message).not.toMatch(/1234567|false/);
  });

  it('rejects a context for another API type', () => {
    const error = errorOf(() =>
      normalize({ stageName: 'prod' }, { ...CONTEXT, api: { ...API, apiType: 'HTTP' } }),
    );

    expect(error.message).toBe('normalizeRestStage normalizes REST stages, but context.api.apiType is HTTP');
  });

  it('rejects a stage name that disagrees with context.stageName', () => {
    const error = errorOf(() => normalize({ stageName: 'prod' }, { ...CONTEXT, stageName: 'beta' }));

    expect(error.message).toBe('stageName is "prod" but context.stageName is "beta"');
  });
});
