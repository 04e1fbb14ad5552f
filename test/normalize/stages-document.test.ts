import type { RestStageSnapshot } from '../../shared/model';
import { parseStagesDocument, StageNormalizeError, StagesDocumentError } from '../../shared/normalize';
import type { ParseStagesDocumentOptions } from '../../shared/normalize';
import {
  httpDefaultStageCli,
  seed000SdkStage,
  seed001SdkStage,
  seed002HalDocument,
  seed004WireStage,
} from './seed-documents';

const errorOf = (document: unknown, options?: ParseStagesDocumentOptions): StagesDocumentError => {
  try {
    parseStagesDocument(document, options);
  } catch (error) {
    if (error instanceof StagesDocumentError) return error;
    throw error;
  }
  throw new Error('expected a StagesDocumentError, nothing was thrown');
};

const halStages = (): Record<string, unknown>[] =>
  (seed002HalDocument()._embedded as { item: Record<string, unknown>[] }).item;

describe('parseStagesDocument', () => {
  it('reads the seed 002 HAL sample into the beta and prod REST stages', () => {
    const { apiType, stages } = parseStagesDocument(seed002HalDocument());

    expect(apiType).toBe('REST');
    expect(stages).toStrictEqual<RestStageSnapshot[]>([
      {
        key: { account: '-', region: '-', apiType: 'REST', apiId: '-', stageName: 'beta' },
        apiName: '-',
        config: {
          cacheClusterEnabled: false,
          deploymentId: 'vakw79',
          tracingEnabled: false,
          variables: { function: 'HelloWorld', url: '', version: 'v-beta' },
        },
        volatile: {
          cacheClusterStatus: 'NOT_AVAILABLE',
          createdDate: '2016-04-15T17:38:08.000Z',
          lastUpdatedDate: '2016-04-15T17:45:48.000Z',
        },
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      {
        key: { account: '-', region: '-', apiType: 'REST', apiId: '-', stageName: 'prod' },
        apiName: '-',
        config: {
          cacheClusterEnabled: false,
          deploymentId: 'vakw79',
          tracingEnabled: false,
          variables: { function: 'HelloEveryone', url: '', version: 'v-prod' },
        },
        volatile: {
          cacheClusterStatus: 'NOT_AVAILABLE',
          createdDate: '2016-04-15T17:53:35.000Z',
          lastUpdatedDate: '2016-04-15T18:30:10.000Z',
        },
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  it.each([
    ['the HAL form (seed 002)', () => seed002HalDocument()],
    ['aws apigateway get-stages (`item`)', () => ({ item: halStages() })],
    ['the SDK v3 output with $metadata', () => ({ $metadata: { httpStatusCode: 200 }, item: halStages() })],
    ['the HAL form with one embedded stage per document', () => ({ _embedded: { item: halStages()[0] } })],
  ])('reads REST stages from %s', (_form, document) => {
    const parsed = parseStagesDocument(document());

    expect(parsed.apiType).toBe('REST');
    expect(parsed.stages[0]).toStrictEqual(parseStagesDocument(seed002HalDocument()).stages[0]);
  });

  it.each([
    ['aws apigateway get-stage (one stage)', seed000SdkStage()],
    ['a single stage with only shared members', { stageName: 'prod', deploymentId: 'abc' }],
  ])('reads %s as a REST stage', (_form, document) => {
    const parsed = parseStagesDocument(document);

    expect(parsed.apiType).toBe('REST');
    expect(parsed.stages.map((s) => s.key.stageName)).toStrictEqual([document.stageName]);
  });

  it.each([
    ['aws apigatewayv2 get-stages (`Items`)', { Items: [seed001SdkStage()] }],
    ['the v2 raw REST form (`items`)', { items: [seed004WireStage()] }],
    ['aws apigatewayv2 get-stage (one PascalCase stage)', seed001SdkStage()],
    ['one camelCase v2 stage', seed004WireStage()],
  ])('reads %s as the same WebSocket stage', (_form, document) => {
    const parsed = parseStagesDocument(document);

    expect(parsed.apiType).toBe('WEBSOCKET');
    expect(parsed.stages).toStrictEqual(parseStagesDocument({ Items: [seed001SdkStage()] }).stages);
    expect(parsed.stages[0]?.config).toHaveProperty('routeSettings.$connect');
  });

  it.each([
    ['a $connect route', 'WEBSOCKET', { StageName: 's', RouteSettings: { $connect: {} } }],
    ['a $disconnect route (camelCase)', 'WEBSOCKET', { stageName: 's', routeSettings: { $disconnect: {} } }],
    [
      'a logging level in the default route settings',
      'WEBSOCKET',
      { StageName: 's', DefaultRouteSettings: { LoggingLevel: 'OFF' } },
    ],
    [
      'data tracing on a route',
      'WEBSOCKET',
      { StageName: 's', RouteSettings: { send: { DataTraceEnabled: false } } },
    ],
    ['a client certificate', 'WEBSOCKET', { StageName: 's', ClientCertificateId: 'cert' }],
    ['only detailed metrics (the HTTP $default stage)', 'HTTP', httpDefaultStageCli()],
    [
      'throttling on an HTTP route',
      'HTTP',
      { StageName: 's', RouteSettings: { 'GET /pets': { ThrottlingRateLimit: 5 } } },
    ],
  ])('tells a v2 stage with %s to be %s', (_signal, expected, stage) => {
    expect(parseStagesDocument({ Items: [stage] }).apiType).toBe(expected);
  });

  it('takes the API type from the options over the heuristic', () => {
    const plain = { StageName: 's', RouteSettings: { 'GET /pets': { ThrottlingRateLimit: 5 } } };
    const parsed = parseStagesDocument({ Items: [plain] }, { apiType: 'WEBSOCKET' });

    expect(parsed.apiType).toBe('WEBSOCKET');
    expect(parsed.stages[0]?.key.apiType).toBe('WEBSOCKET');
  });

  it.each([
    [
      'HTTP',
      { Items: [seed001SdkStage()] },
      'apiType HTTP was given, but this document has a member only WebSocket APIs have (stage "production": ClientCertificateId)',
    ],
    [
      'WEBSOCKET',
      { Items: [httpDefaultStageCli()] },
      'apiType WEBSOCKET was given, but this document has a member only HTTP APIs have (stage "$default": ApiGatewayManaged)',
    ],
  ] as const)(
    'refuses apiType %s for a stage only the other protocol can have',
    (apiType, document, message) => {
      expect(errorOf(document, { apiType }).message).toBe(message);
    },
  );

  it('reads an empty v2 page as an HTTP document without stages', () => {
    expect(parseStagesDocument({ Items: [] })).toStrictEqual({
      apiType: 'HTTP',
      stages: [],
      single: false,
      warnings: [],
      protocolEvidence: {},
    });
  });

  it('reads an empty REST document', () => {
    const empty = { apiType: 'REST', stages: [], single: false, warnings: [] };
    expect(parseStagesDocument({ item: [] })).toStrictEqual(empty);
    expect(parseStagesDocument({ _embedded: {} })).toStrictEqual(empty);
  });

  it('tells a get-stage document (one stage) from a get-stages document', () => {
    expect(parseStagesDocument(seed000SdkStage()).single).toBe(true);
    expect(parseStagesDocument({ Items: [seed001SdkStage()] }).single).toBe(false);
  });

  it.each([
    ['NextToken', { Items: [seed001SdkStage()], NextToken: 'page-2' }],
    ['nextToken', { items: [seed004WireStage()], nextToken: 'page-2' }],
  ])('passes on %s so a caller can tell a partial page', (_name, document) => {
    expect(parseStagesDocument(document).nextToken).toBe('page-2');
  });

  it('puts the account, region, API id and name of the options into every stage', () => {
    const { stages } = parseStagesDocument(seed002HalDocument(), {
      account: '123456789012',
      region: 'us-east-1',
      apiId: 'a1b2c3d4e5',
      apiName: 'pets',
    });

    expect(stages.map((s) => [s.key, s.apiName])).toStrictEqual([
      [
        {
          account: '123456789012',
          region: 'us-east-1',
          apiType: 'REST',
          apiId: 'a1b2c3d4e5',
          stageName: 'beta',
        },
        'pets',
      ],
      [
        {
          account: '123456789012',
          region: 'us-east-1',
          apiType: 'REST',
          apiId: 'a1b2c3d4e5',
          stageName: 'prod',
        },
        'pets',
      ],
    ]);
  });

  it('sorts the stages by name whatever the document order', () => {
    const { stages } = parseStagesDocument({
      item: [{ stageName: 'prod' }, { stageName: 'beta' }, { stageName: 'dev' }, { stageName: 'Alpha' }],
    });

    expect(stages.map((s) => s.key.stageName)).toStrictEqual(['Alpha', 'beta', 'dev', 'prod']);
  });

  it.each([
    [
      'an array',
      [seed000SdkStage()],
      undefined,
      'not a stages document: expected an object with `item`, `Items` or `items`, or a single stage with `stageName`, got an array',
    ],
    [
      'a string',
      'prod',
      undefined,
      'not a stages document: expected an object with `item`, `Items` or `items`, or a single stage with `stageName`, got "prod"',
    ],
    [
      'an object without stages',
      { restApiId: 'abc' },
      undefined,
      'not a stages document: expected an object with `item`, `Items` or `items`, or a single stage with `stageName`',
    ],
    [
      '`item` that is not a list',
      { item: { stageName: 'prod' } },
      undefined,
      '`item` must be an array of stages, got an object',
    ],
    [
      '`Items` that is not a list',
      { Items: 'prod' },
      undefined,
      '`Items` must be an array of stages, got "prod"',
    ],
    [
      '`_embedded` that is not an object',
      { _embedded: [] },
      undefined,
      '`_embedded` must be an object, got an array',
    ],
    [
      'two kinds of containers',
      { item: [], Items: [] },
      undefined,
      'ambiguous stages document: it has both `item` and `Items`; expected one of them',
    ],
    [
      'a stage without a name',
      { item: [{ stageName: 'a' }, { stageName: 'b' }, { deploymentId: 'x' }] },
      undefined,
      'stage #3 has no stageName',
    ],
    [
      'a v2 stage without a name',
      { Items: [{ StageName: 'a' }, { AutoDeploy: true }] },
      undefined,
      'stage #2 has no StageName',
    ],
    [
      'a stage that is not an object',
      { item: ['prod'] },
      undefined,
      'stage #1 is not an object (got "prod")',
    ],
    [
      'the same stage twice',
      { item: [{ stageName: 'prod' }, { stageName: 'beta' }, { stageName: 'prod' }] },
      undefined,
      'duplicate stage name "prod" (stages #1 and #3)',
    ],
    [
      'a stage with a bad field',
      {
        item: [
          { stageName: 'beta' },
          { stageName: 'prod', methodSettings: { '*/*': { throttlingRateLimit: 'fast' } } },
        ],
      },
      undefined,
      'stage #2 ("prod"): methodSettings["*/*"].throttlingRateLimit: expected a number, got "fast"',
    ],
    [
      'a single stage with a bad field',
      { StageName: 'prod', AutoDeploy: 'yes' },
      undefined,
      'the stage ("prod"): AutoDeploy: expected a boolean (true or false), got "yes"',
    ],
    [
      'a single stage with members of both APIs',
      { stageName: 'prod', methodSettings: {}, routeSettings: {} },
      undefined,
      'ambiguous stage: it has REST (v1) members (methodSettings) and HTTP/WebSocket (v2) members (routeSettings)',
    ],
    [
      'an API type that does not fit the document',
      { item: [] },
      { apiType: 'HTTP' as const },
      'apiType HTTP was given, but this is a REST API (v1) stages document',
    ],
    [
      'REST asked of a v2 document',
      { Items: [] },
      { apiType: 'REST' as const },
      'apiType REST was given, but this is an HTTP or WebSocket API (v2) stages document',
    ],
  ])('rejects %s, saying what is wrong', (_case, document, options, message) => {
    const error = errorOf(document, options);

    expect(error.message).toBe(message);
    expect(error.name).toBe('StagesDocumentError');
  });

  it('keeps the normalize error as the cause of a bad stage', () => {
    const error = errorOf({ item: [{ stageName: 'prod', tracingEnabled: 'on' }] });

    expect(error.cause).toBeInstanceOf(StageNormalizeError);
    expect((error.cause as StageNormalizeError).field).toBe('tracingEnabled');
  });
});
