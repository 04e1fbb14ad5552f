import { parseStagesDocumentPair, StagesDocumentError } from '../../shared/normalize';
import type { LabelledStagesDocument, ParseStagesDocumentOptions } from '../../shared/normalize';
import { httpDefaultStageCli, seed000SdkStage, seed001SdkStage } from './seed-documents';

// Issue 12, item 4: HTTP vs WebSocket is decided once for the two documents of a diff, so a
// stage keeps its key when one side lacks every WebSocket-only member.

const before = (document: unknown): LabelledStagesDocument => ({ label: 'before.json', document });
const after = (document: unknown): LabelledStagesDocument => ({ label: 'after.json', document });

const errorOf = (
  a: LabelledStagesDocument,
  b: LabelledStagesDocument,
  options?: ParseStagesDocumentOptions,
): StagesDocumentError => {
  try {
    parseStagesDocumentPair(a, b, options);
  } catch (error) {
    if (error instanceof StagesDocumentError) return error;
    throw error;
  }
  throw new Error('expected a StagesDocumentError, nothing was thrown');
};

/** A WebSocket stage (`aws apigatewayv2 get-stages`) and the same stage once its logging level is gone. */
const websocketStage = (defaults: Record<string, unknown>) => ({
  Items: [
    {
      StageName: 'production',
      DeploymentId: 'ws0001',
      DefaultRouteSettings: defaults,
      RouteSettings: { sendMessage: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50.0 } },
    },
  ],
});

describe('parseStagesDocumentPair', () => {
  it('keys both sides as WEBSOCKET when only one side has a WebSocket-only member', () => {
    const pair = parseStagesDocumentPair(
      before(websocketStage({ DetailedMetricsEnabled: true, LoggingLevel: 'INFO' })),
      after(websocketStage({ DetailedMetricsEnabled: true })),
    );

    expect(pair.apiType).toBe('WEBSOCKET');
    expect(pair.before.stages.map((s) => s.key.apiType)).toEqual(['WEBSOCKET']);
    expect(pair.after.stages.map((s) => s.key.apiType)).toEqual(['WEBSOCKET']);
    expect(pair.after.apiType).toBe('WEBSOCKET');
  });

  it('decides the same whichever side has the WebSocket-only member', () => {
    const pair = parseStagesDocumentPair(
      before(websocketStage({ DetailedMetricsEnabled: true })),
      after({ Items: [{ StageName: 'production', RouteSettings: { $connect: {} } }] }),
    );

    expect(pair.apiType).toBe('WEBSOCKET');
    expect(pair.before.stages[0]?.key.apiType).toBe('WEBSOCKET');
  });

  it('keys both sides as HTTP when neither has a WebSocket-only member', () => {
    const pair = parseStagesDocumentPair(
      before({ Items: [httpDefaultStageCli()] }),
      after({ Items: [{ ...httpDefaultStageCli(), DeploymentId: 'def456' }] }),
    );

    expect(pair.apiType).toBe('HTTP');
    expect([...pair.before.stages, ...pair.after.stages].map((s) => s.key.apiType)).toEqual(['HTTP', 'HTTP']);
  });

  it('takes an explicit WEBSOCKET for two documents that do not say', () => {
    const plain = { Items: [{ StageName: 'production', DeploymentId: 'ws0001' }] };

    expect(parseStagesDocumentPair(before(plain), after(plain), { apiType: 'WEBSOCKET' }).apiType).toBe(
      'WEBSOCKET',
    );
  });

  it('refuses an explicit HTTP for a document with a WebSocket-only member, naming the file and the member', () => {
    const error = errorOf(
      before(websocketStage({ DetailedMetricsEnabled: true })),
      after({ Items: [seed001SdkStage()] }),
      { apiType: 'HTTP' },
    );

    expect(error.message).toMatch(/^after\.json: /);
    expect(error.message).toContain('apiType HTTP was given');
    expect(error.message).toContain('stage "production": ClientCertificateId');
    expect(error.message).toContain('only WebSocket APIs');
  });

  it('refuses an HTTP document and a WebSocket document of one diff', () => {
    const error = errorOf(
      before({ Items: [httpDefaultStageCli()] }),
      after({ Items: [{ StageName: '$default', DefaultRouteSettings: { LoggingLevel: 'ERROR' } }] }),
    );

    expect(error.message).toBe(
      'before.json holds HTTP stages (stage "$default": ApiGatewayManaged, which only HTTP APIs have) ' +
        'but after.json holds WebSocket stages (stage "$default": DefaultRouteSettings.LoggingLevel, ' +
        'which only WebSocket APIs have): diff two documents of the same API',
    );
  });

  it('refuses a REST document and a v2 document, as before', () => {
    const error = errorOf(before({ item: [seed000SdkStage()] }), after({ Items: [seed001SdkStage()] }));

    expect(error.message).toBe(
      'before.json holds REST stages but after.json holds WEBSOCKET stages: diff two documents of the same API',
    );
  });

  it('prefixes an error in one document with its label', () => {
    expect(errorOf(before({ item: [{ deploymentId: 'x' }] }), after({ item: [] })).message).toBe(
      'before.json: stage #1 has no stageName',
    );
  });
});
