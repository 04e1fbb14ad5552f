import type { ApiRef } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage, parseStagesDocument } from '../../shared/normalize';
import type { NormalizeContext, NormalizeWarning } from '../../shared/normalize';
import { seed000SdkStage, seed001SdkStage, seed002HalDocument, seed004WireStage } from './seed-documents';

// Issue 12, item 6: a member the model does not know is not compared, but it is never dropped
// silently: the normalizer reports it, naming its path.

const PASCAL_REST_HINT =
  "a PascalCase REST document? use the AWS CLI's JSON output: aws apigateway get-stages --output json";

const REST: NormalizeContext = {
  account: '123456789012',
  region: 'eu-west-1',
  api: { apiId: 'a1b2c3d4e5', apiType: 'REST', name: 'pets' },
};
const websocket: ApiRef = { apiId: 'w5x6y7z8a9', apiType: 'WEBSOCKET', name: 'chat' };

const restWarnings = (stage: unknown): NormalizeWarning[] => {
  const warnings: NormalizeWarning[] = [];
  normalizeRestStage(stage, { ...REST, onWarning: (warning) => warnings.push(warning) });
  return warnings;
};

const v2Warnings = (stage: unknown): NormalizeWarning[] => {
  const warnings: NormalizeWarning[] = [];
  normalizeV2Stage(stage, { ...REST, api: websocket, onWarning: (warning) => warnings.push(warning) });
  return warnings;
};

describe('unknown members', () => {
  it.each([
    ['the seed 000 SDK stage', () => restWarnings(seed000SdkStage())],
    [
      'the seed 002 HAL stages (their _links are HAL, not stage members)',
      () => parseStagesDocument(seed002HalDocument()).warnings,
    ],
    ['the seed 001 SDK stage', () => v2Warnings(seed001SdkStage())],
    ['the seed 004 wire stage', () => v2Warnings(seed004WireStage())],
    [
      'an SDK GetStage output with its $metadata',
      () => restWarnings({ ...seed000SdkStage(), $metadata: { httpStatusCode: 200, requestId: 'r-1' } }),
    ],
  ])('are none in %s', (_case, warningsOf) => {
    expect(warningsOf()).toEqual([]);
  });

  it('names a member AWS added to a REST stage and one inside a method setting, by path', () => {
    const warnings = restWarnings({
      ...seed000SdkStage(),
      ipAddressType: 'dualstack',
      methodSettings: { '*/*': { metricsEnabled: true, payloadLoggingSampleRate: 5 } },
    });

    expect(warnings).toEqual([
      { path: 'ipAddressType', message: expect.stringMatching(/^unknown member ipAddressType\b/) },
      {
        path: 'methodSettings["*/*"].payloadLoggingSampleRate',
        message: expect.stringMatching(
          /^unknown member methodSettings\["\*\/\*"\]\.payloadLoggingSampleRate\b/,
        ),
      },
    ]);
    expect(warnings.map((w) => w.message).join('\n')).not.toContain('PascalCase');
  });

  it('names members unknown in the access log, canary and route settings of either API', () => {
    expect(
      restWarnings({
        stageName: 'prod',
        accessLogSettings: { format: '$context.requestId', sampling: 1 },
        canarySettings: { percentTraffic: 5, rampUp: true },
      }).map((w) => w.path),
    ).toEqual(['accessLogSettings.sampling', 'canarySettings.rampUp']);
    expect(
      v2Warnings({
        StageName: 'prod',
        AccessLogSettings: { Format: '$context.requestId', Sampling: 1 },
        DefaultRouteSettings: { LoggingLevel: 'INFO', PayloadLogging: true },
        RouteSettings: { $connect: { DataTraceEnabled: true, Sampled: false } },
        IpAddressType: 'ipv4',
      }).map((w) => w.path),
    ).toEqual([
      'AccessLogSettings.Sampling',
      'DefaultRouteSettings.PayloadLogging',
      'IpAddressType',
      'RouteSettings["$connect"].Sampled',
    ]);
  });

  it('points a PascalCase REST stage (MethodSettings, Variables) at the AWS CLI JSON output', () => {
    const warnings = restWarnings({
      stageName: 'prod',
      MethodSettings: { '*/*': { LoggingLevel: 'INFO' } },
      Variables: { version: 'v1' },
    });

    expect(warnings).toEqual([
      { path: 'MethodSettings', message: `unknown member MethodSettings (${PASCAL_REST_HINT})` },
      { path: 'Variables', message: `unknown member Variables (${PASCAL_REST_HINT})` },
    ]);
  });

  it('gives the same hint when a PascalCase REST stage is taken for a v2 one (it has StageName)', () => {
    const parsed = parseStagesDocument({
      StageName: 'prod',
      DeploymentId: 'vakw79',
      MethodSettings: { '*/*': { LoggingLevel: 'INFO' } },
      TracingEnabled: true,
    });

    expect(parsed.warnings).toEqual([
      {
        stage: 'prod',
        path: 'MethodSettings',
        message: `unknown member MethodSettings (${PASCAL_REST_HINT})`,
      },
      {
        stage: 'prod',
        path: 'TracingEnabled',
        message: `unknown member TracingEnabled (${PASCAL_REST_HINT})`,
      },
    ]);
  });

  it('lists the warnings of a get-stages document with the stage they were found in, by stage name', () => {
    const parsed = parseStagesDocument({
      item: [
        { stageName: 'prod', newSetting: 1 },
        { stageName: 'beta', newSetting: 2, nullMember: null },
      ],
    });

    expect(parsed.warnings.map((w) => [w.stage, w.path])).toEqual([
      ['beta', 'newSetting'],
      ['prod', 'newSetting'],
    ]);
  });

  it('does not change the snapshot: an unknown member is still not compared', () => {
    const plain = normalizeRestStage(seed000SdkStage(), REST);
    const extra = normalizeRestStage({ ...seed000SdkStage(), ipAddressType: 'dualstack' }, REST);

    expect(extra).toStrictEqual(plain);
  });
});
