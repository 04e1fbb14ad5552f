import type { ApiRef } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage, parseStagesDocument } from '../../shared/normalize';
import type { NormalizeContext } from '../../shared/normalize';
import { httpDefaultStageCli, seed000SdkStage, seed001SdkStage } from './seed-documents';

// Issue 12, item 5: where AWS documents a default, the default and its absence are one canonical
// form (README: null, absent, "" and {} are the same), and createdDate is compared to the second.

const REST: NormalizeContext = {
  account: '123456789012',
  region: 'eu-west-1',
  api: { apiId: 'a1b2c3d4e5', apiType: 'REST', name: 'pets' },
};
const http: ApiRef = { apiId: 'h1t2t3p4q5', apiType: 'HTTP', name: 'pets-http' };
const websocket: ApiRef = { apiId: 'w5x6y7z8a9', apiType: 'WEBSOCKET', name: 'chat' };
const v2 = (api: ApiRef): NormalizeContext => ({ ...REST, api });

describe('the canonical form of AWS defaults', () => {
  it.each([
    ['DetailedMetricsEnabled: false', { DetailedMetricsEnabled: false }],
    ['DataTraceEnabled: false', { DataTraceEnabled: false }],
    ['both false (camelCase wire form)', { detailedMetricsEnabled: false, dataTraceEnabled: false }],
  ])('reads DefaultRouteSettings {%s} as absent default route settings', (_case, defaults) => {
    const withDefaults = normalizeV2Stage(
      { StageName: 'prod', DefaultRouteSettings: defaults },
      v2(websocket),
    );
    const without = normalizeV2Stage({ StageName: 'prod' }, v2(websocket));

    expect(withDefaults.config).toStrictEqual(without.config);
    expect(withDefaults.hash).toBe(without.hash);
    expect('defaultRouteSettings' in withDefaults.config).toBe(false);
  });

  it('reads the HTTP $default stage as aws apigatewayv2 get-stages prints it like one without DefaultRouteSettings', () => {
    const printed = httpDefaultStageCli();
    const withoutDefaults = { ...printed };
    delete withoutDefaults.DefaultRouteSettings;

    expect(normalizeV2Stage(printed, v2(http)).hash).toBe(normalizeV2Stage(withoutDefaults, v2(http)).hash);
  });

  it('keeps the stage-wide settings that are not defaults', () => {
    const { config } = normalizeV2Stage(
      {
        StageName: 'prod',
        DefaultRouteSettings: { DataTraceEnabled: false, DetailedMetricsEnabled: true, LoggingLevel: 'INFO' },
      },
      v2(websocket),
    );

    expect(config.defaultRouteSettings).toStrictEqual({ detailedMetricsEnabled: true, loggingLevel: 'INFO' });
  });

  it('keeps an explicit false on a route, which overrides the default route settings', () => {
    const { config } = normalizeV2Stage(
      {
        StageName: 'prod',
        DefaultRouteSettings: { DataTraceEnabled: true },
        RouteSettings: { $connect: { DataTraceEnabled: false } },
      },
      v2(websocket),
    );

    expect(config.routeSettings).toStrictEqual({ $connect: { dataTraceEnabled: false } });
  });

  it.each([
    ['dataTraceEnabled', { dataTraceEnabled: false }],
    ['metricsEnabled', { metricsEnabled: false }],
    ['cachingEnabled', { cachingEnabled: false }],
    ['cacheDataEncrypted', { cacheDataEncrypted: false }],
    [
      'every default-false boolean at once',
      { dataTraceEnabled: false, metricsEnabled: false, cachingEnabled: false, cacheDataEncrypted: false },
    ],
  ])('reads methodSettings["*/*"] with %s false as no stage-wide method settings', (_case, settings) => {
    const withDefaults = normalizeRestStage({ stageName: 'prod', methodSettings: { '*/*': settings } }, REST);
    const without = normalizeRestStage({ stageName: 'prod' }, REST);

    expect(withDefaults.config).toStrictEqual(without.config);
    expect(withDefaults.hash).toBe(without.hash);
  });

  it('keeps an explicit false on one method, which overrides */*', () => {
    const { config } = normalizeRestStage(
      {
        stageName: 'prod',
        methodSettings: { '*/*': { dataTraceEnabled: true }, '~1pets/GET': { dataTraceEnabled: false } },
      },
      REST,
    );

    expect(config.methodSettings).toStrictEqual({
      '*/*': { dataTraceEnabled: true },
      '~1pets/GET': { dataTraceEnabled: false },
    });
  });

  it('drops only the defaults of the seed 000 stage-wide method settings', () => {
    const { config } = normalizeRestStage(seed000SdkStage(), REST);
    const methodSettings = seed000SdkStage().methodSettings as Record<string, Record<string, unknown>>;
    const { dataTraceEnabled, ...configured } = methodSettings['*/*']!;

    expect(dataTraceEnabled).toBe(false);
    expect(config.methodSettings?.['*/*']).toStrictEqual(configured);
  });
});

describe('createdDate', () => {
  it.each([
    [
      'epoch seconds with a fraction vs whole',
      { createdDate: 1460741888.123 },
      { createdDate: 1460741888 },
      '2016-04-15T17:38:08.000Z',
    ],
    [
      'ISO with milliseconds vs without',
      { createdDate: '2016-04-15T17:38:08.999Z' },
      { createdDate: '2016-04-15T17:38:08Z' },
      '2016-04-15T17:38:08.000Z',
    ],
  ])('is kept to the second on a REST stage: %s', (_case, precise, whole, expected) => {
    const a = normalizeRestStage({ stageName: 'prod', ...precise }, REST);
    const b = normalizeRestStage({ stageName: 'prod', ...whole }, REST);

    expect(a.volatile.createdDate).toBe(expected);
    expect(b.volatile.createdDate).toBe(expected);
  });

  it('is kept to the second for a v2 stage from the SDK (Date with milliseconds) and the CLI (no fraction)', () => {
    const sdk = normalizeV2Stage(
      { ...seed001SdkStage(), CreatedDate: new Date('2023-03-01T08:00:00.456Z') },
      v2(websocket),
    );
    const cli = normalizeV2Stage(
      { ...seed001SdkStage(), CreatedDate: '2023-03-01T08:00:00+00:00' },
      v2(websocket),
    );

    expect(sdk.volatile.createdDate).toBe('2023-03-01T08:00:00.000Z');
    expect(cli.volatile.createdDate).toBe('2023-03-01T08:00:00.000Z');
  });

  it('keeps lastUpdatedDate to the millisecond (it is never compared)', () => {
    const { volatile } = normalizeV2Stage(
      { StageName: 'prod', LastUpdatedDate: '2023-03-02T09:30:00.250Z' },
      v2(websocket),
    );

    expect(volatile.lastUpdatedDate).toBe('2023-03-02T09:30:00.250Z');
  });

  it('parses a get-stages page whose dates lost their fractions to the same createdDate', () => {
    const precise = parseStagesDocument({ item: [{ stageName: 'prod', createdDate: 1460742088.5 }] });
    const whole = parseStagesDocument({ item: [{ stageName: 'prod', createdDate: '2016-04-15T17:41:28Z' }] });

    expect(precise.stages[0]?.volatile.createdDate).toBe('2016-04-15T17:41:28.000Z');
    expect(whole.stages[0]?.volatile.createdDate).toBe('2016-04-15T17:41:28.000Z');
  });
});
