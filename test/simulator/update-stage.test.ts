/**
 * Writes against the control-plane simulator, through the real SDK v3 clients, each read back
 * with GetStage. A `revert` is tested against these semantics, so they are pinned here.
 *
 * What moto 5.2.1 implements of the same operations (read from moto/apigateway/models.py
 * `Stage.apply_operations` / `update_stage`, moto/apigateway/responses.py, moto/apigatewayv2/
 * models.py and responses.py, moto/wafv2/models.py), for choosing between the two emulators:
 *
 * | operation / patch path                               | moto 5.2.1                                        | simulator |
 * | ---------------------------------------------------- | ------------------------------------------------- | --------- |
 * | v1 replace /description, /deploymentId               | yes (any op; matched by substring)                | yes       |
 * | v1 replace /cacheClusterEnabled, /cacheClusterSize   | yes (status AVAILABLE / NOT_AVAILABLE)            | yes       |
 * | v1 replace /tracingEnabled                           | yes                                               | yes       |
 * | v1 replace /clientCertificateId                      | no: falls into the method-settings branch, ignored | yes       |
 * | v1 replace /documentationVersion                     | no: ignored likewise                              | yes       |
 * | v1 replace/remove /variables/{name}                  | yes                                               | yes       |
 * | v1 add /variables/{name}                             | no: raises a plain Exception (500)                | yes       |
 * | v1 replace /accessLogSettings/{format,destinationArn}| yes                                               | yes       |
 * | v1 remove /accessLogSettings                         | yes                                               | yes       |
 * | v1 /canarySettings/... (replace, remove, copy)       | no: replace silently ignored, no canary model     | yes       |
 * | v1 replace /{resource}/{method}/{setting}            | yes; a new entry gets moto's defaults             | yes; a new entry holds just the member set |
 * | v1 remove /{resource}/{method} (whole entry)         | no: silently ignored                              | yes       |
 * | v1 invalid path / value                              | no: ignored, or a Python ValueError (500)         | 400 naming the path |
 * | v1 unknown stage on UpdateStage                      | 404 "Invalid stage identifier specified"          | same      |
 * | v1 CreateStage, 409 "Stage already exists"           | yes (no canarySettings, no documentationVersion)  | yes       |
 * | v1 DeleteStage                                       | yes (202)                                         | yes       |
 * | v1 TagResource / UntagResource on a stage            | yes (stage ARNs only)                             | yes (stages and REST APIs) |
 * | v1 GetTags                                           | no                                                | yes       |
 * | v2 UpdateStage                                       | no (not implemented)                              | yes       |
 * | v2 DeleteRouteSettings, DeleteAccessLogSettings      | no                                                | yes       |
 * | v2 CreateStage / DeleteStage                         | yes; no 409 (replaces), delete of unknown is silent | yes, 409 and 404 |
 * | v2 Tag/Untag/GetTags                                 | yes, in a tagger apart from the stage's `tags`    | yes, on the stage's `tags` |
 * | WAFv2 Associate/Disassociate/GetWebACLForResource    | yes; sets the v1 stage's webAclArn, needs a real web ACL | yes; any regional web ACL ARN |
 *
 * Semantics the simulator guesses where AWS documents none (see the report in the change):
 * - a method-settings entry that does not exist is created with only the member patched (AWS
 *   fills in its defaults); keys keep the path's `~1` escapes (`~1pets~1{id}/GET`), as AWS
 *   writes them (its update-stage example answers `"~1resourceName/GET"`), not `/pets/{id}/GET`;
 * - `replace` with `""`, or `remove`, drops description, clientCertificateId, documentationVersion;
 * - replacing a canary member creates the canary; `add /canarySettings` is refused;
 * - `replace /cacheClusterEnabled false` also drops cacheClusterSize;
 * - v2 UpdateStage merges accessLogSettings and defaultRouteSettings member by member,
 *   routeSettings per route key then member by member, stageVariables per key with `""`
 *   removing the variable (Terraform removes v2 stage variables that way); `""` clears
 *   description and clientCertificateId;
 * - tag and WAF writes also stamp the stage's lastUpdatedDate; a stage left without tags has no
 *   `tags` member.
 */
import {
  APIGatewayClient,
  BadRequestException,
  ConflictException,
  CreateStageCommand,
  DeleteStageCommand,
  GetStageCommand,
  GetTagsCommand,
  NotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStageCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  BadRequestException as V2BadRequestException,
  ConflictException as V2ConflictException,
  CreateStageCommand as CreateV2StageCommand,
  DeleteAccessLogSettingsCommand,
  DeleteRouteSettingsCommand,
  DeleteStageCommand as DeleteV2StageCommand,
  GetStageCommand as GetV2StageCommand,
  GetTagsCommand as GetV2TagsCommand,
  NotFoundException as V2NotFoundException,
  TagResourceCommand as TagV2ResourceCommand,
  UntagResourceCommand as UntagV2ResourceCommand,
  UpdateStageCommand as UpdateV2StageCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  AssociateWebACLCommand,
  DisassociateWebACLCommand,
  GetWebACLForResourceCommand,
  WAFInvalidParameterException,
  WAFNonexistentItemException,
  WAFV2Client,
} from '@aws-sdk/client-wafv2';
import { stageArnOf, startSimulator, type ControlPlaneSimulator, type Fleet } from '../support/simulator';

const REST_ID = 'abc123defg';
const HTTP_ID = 'http123456';
const WS_ID = 'ws98765432';
const NOW_MS = Date.parse('2025-06-01T12:00:00Z');
const WEB_ACL =
  'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge-acl/a1b2c3d4-0000-1111-2222-333344445555';

const restStage = (): Record<string, unknown> => ({
  deploymentId: 'dep111',
  stageName: 'prod',
  description: 'production',
  cacheClusterEnabled: false,
  cacheClusterStatus: 'NOT_AVAILABLE',
  methodSettings: {
    '*/*': { loggingLevel: 'INFO', metricsEnabled: true },
    '~1pets~1{id}/GET': { loggingLevel: 'ERROR', cachingEnabled: false },
    '~1orders/POST': { throttlingBurstLimit: 10 },
  },
  variables: { lambdaAlias: 'prod', region: 'eu' },
  accessLogSettings: {
    format: '$context.requestId',
    destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:a',
  },
  canarySettings: {
    percentTraffic: 10,
    deploymentId: 'dep222',
    stageVariableOverrides: { lambdaAlias: 'canary' },
    useStageCache: false,
  },
  tracingEnabled: false,
  tags: { env: 'prod' },
  createdDate: 1_700_000_000,
  lastUpdatedDate: 1_700_000_100,
});

const v2Stage = (stageName: string, websocket: boolean): Record<string, unknown> => ({
  stageName,
  deploymentId: 'dep333',
  autoDeploy: false,
  description: 'v2 prod',
  defaultRouteSettings: websocket
    ? {
        dataTraceEnabled: false,
        detailedMetricsEnabled: false,
        loggingLevel: 'ERROR',
        throttlingBurstLimit: 100,
      }
    : { detailedMetricsEnabled: false, throttlingBurstLimit: 100 },
  routeSettings: websocket
    ? { $connect: { loggingLevel: 'INFO', throttlingBurstLimit: 10 } }
    : { 'GET /pets': { throttlingBurstLimit: 10, throttlingRateLimit: 5 } },
  accessLogSettings: {
    destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:v2',
    format: '$context.requestId',
  },
  stageVariables: { backend: 'https://example.com', mode: 'live' },
  tags: { env: 'prod' },
  createdDate: '2024-01-02T03:04:05Z',
  lastUpdatedDate: '2024-01-02T03:04:05Z',
});

const freshFleet = (): Fleet => ({
  restApis: [
    { id: REST_ID, name: 'orders', createdDate: new Date('2024-01-01T00:00:00Z'), stages: [restStage()] },
  ],
  v2Apis: [
    {
      apiId: HTTP_ID,
      name: 'pets-http',
      protocolType: 'HTTP',
      createdDate: new Date('2024-01-01T00:00:00Z'),
      stages: [v2Stage('prod', false)],
    },
    {
      apiId: WS_ID,
      name: 'chat',
      protocolType: 'WEBSOCKET',
      createdDate: new Date('2024-01-01T00:00:00Z'),
      stages: [v2Stage('prod', true)],
    },
  ],
});

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

let sim: ControlPlaneSimulator;
let v1: APIGatewayClient;
let v2: ApiGatewayV2Client;
let waf: WAFV2Client;

beforeAll(async () => {
  sim = await startSimulator({ fleet: freshFleet(), now: () => NOW_MS });
  v1 = new APIGatewayClient(clientConfig(sim.endpoint));
  v2 = new ApiGatewayV2Client(clientConfig(sim.endpoint));
  waf = new WAFV2Client(clientConfig(sim.endpoint));
});
afterAll(async () => {
  v1.destroy();
  v2.destroy();
  waf.destroy();
  await sim.close();
});
beforeEach(() => {
  sim.fleet = freshFleet();
  sim.clearFailures();
  sim.resetCounts();
});

const patch = (...patchOperations: PatchOperation[]) =>
  v1.send(new UpdateStageCommand({ restApiId: REST_ID, stageName: 'prod', patchOperations }));
/** The output without `$metadata`: just the Stage, as GetStage parsed it. */
const stageOf = <T extends { $metadata: unknown }>(output: T): Omit<T, '$metadata'> => {
  const stage: Partial<T> = { ...output };
  delete stage.$metadata;
  return stage as Omit<T, '$metadata'>;
};
const readRest = async (stageName = 'prod') =>
  stageOf(await v1.send(new GetStageCommand({ restApiId: REST_ID, stageName })));
const readV2 = async (apiId = HTTP_ID, stageName = 'prod') =>
  stageOf(await v2.send(new GetV2StageCommand({ ApiId: apiId, StageName: stageName })));
const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );

describe('v1 UpdateStage patch operations', () => {
  it('replaces the description, answers the updated Stage and stamps lastUpdatedDate', async () => {
    const answered = await patch({ op: 'replace', path: '/description', value: 'reverted' });
    const stage = await readRest();
    expect(answered.description).toBe('reverted');
    expect(stage.description).toBe('reverted');
    expect(stage.lastUpdatedDate).toEqual(new Date(NOW_MS));
    expect(stage.createdDate).toEqual(new Date(1_700_000_000_000));
    expect(sim.counts.byOperation).toMatchObject({ UpdateStage: 1, GetStage: 1 });
  });

  it('turns tracing on and off from "true" / "false" strings', async () => {
    await patch({ op: 'replace', path: '/tracingEnabled', value: 'true' });
    expect((await readRest()).tracingEnabled).toBe(true);
    await patch({ op: 'replace', path: '/tracingEnabled', value: 'false' });
    expect((await readRest()).tracingEnabled).toBe(false);
  });

  it('adds, replaces and removes stage variables', async () => {
    await patch(
      { op: 'add', path: '/variables/newVar', value: 'one' },
      { op: 'replace', path: '/variables/lambdaAlias', value: 'blue' },
      { op: 'remove', path: '/variables/region' },
    );
    expect((await readRest()).variables).toEqual({ lambdaAlias: 'blue', newVar: 'one' });
  });

  it('sets the stage-wide */* logging level through /*/*/logging/loglevel', async () => {
    await patch({ op: 'replace', path: '/*/*/logging/loglevel', value: 'ERROR' });
    expect((await readRest()).methodSettings?.['*/*']).toEqual({
      loggingLevel: 'ERROR',
      metricsEnabled: true,
    });
  });

  it('sets a method setting on a path with "/" in it, escaped as ~1, keeping the escape in the key', async () => {
    await patch(
      { op: 'replace', path: '/~1pets~1{id}/GET/logging/loglevel', value: 'OFF' },
      { op: 'replace', path: '/~1pets~1{id}/GET/caching/ttlInSeconds', value: '60' },
      { op: 'replace', path: '/~1pets~1{id}/GET/throttling/rateLimit', value: '12.5' },
      { op: 'replace', path: '/~1pets~1{id}/GET/caching/dataEncrypted', value: 'true' },
    );
    expect((await readRest()).methodSettings?.['~1pets~1{id}/GET']).toEqual({
      loggingLevel: 'OFF',
      cachingEnabled: false,
      cacheTtlInSeconds: 60,
      throttlingRateLimit: 12.5,
      cacheDataEncrypted: true,
    });
  });

  it('creates a method entry that did not exist, holding only the member patched', async () => {
    await patch(
      { op: 'replace', path: '/~1users/DELETE/metrics/enabled', value: 'true' },
      {
        op: 'replace',
        path: '/~1users/DELETE/caching/unauthorizedCacheControlHeaderStrategy',
        value: 'FAIL_WITH_403',
      },
      { op: 'replace', path: '/~1users/DELETE/logging/dataTrace', value: 'false' },
      { op: 'replace', path: '/~1users/DELETE/throttling/burstLimit', value: '200' },
      { op: 'replace', path: '/~1users/DELETE/caching/enabled', value: 'true' },
      { op: 'replace', path: '/~1users/DELETE/caching/requireAuthorizationForCacheControl', value: 'false' },
    );
    expect((await readRest()).methodSettings?.['~1users/DELETE']).toEqual({
      metricsEnabled: true,
      unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403',
      dataTraceEnabled: false,
      throttlingBurstLimit: 200,
      cachingEnabled: true,
      requireAuthorizationForCacheControl: false,
    });
  });

  it('removes a whole method entry, and the */* entry, with remove /{resource}/{method}', async () => {
    await patch({ op: 'remove', path: '/~1pets~1{id}/GET' }, { op: 'remove', path: '/*/*' });
    expect(Object.keys((await readRest()).methodSettings ?? {})).toEqual(['~1orders/POST']);
  });

  it('sets access log members one by one, and removes both with remove /accessLogSettings', async () => {
    await patch({ op: 'replace', path: '/accessLogSettings/format', value: '$context.status' });
    expect((await readRest()).accessLogSettings).toEqual({
      format: '$context.status',
      destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:a',
    });
    await patch({ op: 'remove', path: '/accessLogSettings' });
    expect((await readRest()).accessLogSettings).toBeUndefined();
    await patch(
      {
        op: 'replace',
        path: '/accessLogSettings/destinationArn',
        value: 'arn:aws:logs:us-east-1:123456789012:log-group:b',
      },
      { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
    );
    expect((await readRest()).accessLogSettings).toEqual({
      destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:b',
      format: '$context.requestId',
    });
  });

  it('sets and removes canary members, removes the canary, and creates one by replacing its members', async () => {
    await patch(
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '25.5' },
      { op: 'replace', path: '/canarySettings/useStageCache', value: 'true' },
      { op: 'replace', path: '/canarySettings/deploymentId', value: 'dep999' },
      { op: 'add', path: '/canarySettings/stageVariableOverrides/extra', value: 'x' },
      { op: 'remove', path: '/canarySettings/stageVariableOverrides/lambdaAlias' },
    );
    expect((await readRest()).canarySettings).toEqual({
      percentTraffic: 25.5,
      deploymentId: 'dep999',
      stageVariableOverrides: { extra: 'x' },
      useStageCache: true,
    });
    await patch({ op: 'remove', path: '/canarySettings' });
    expect((await readRest()).canarySettings).toBeUndefined();
    await patch(
      { op: 'replace', path: '/canarySettings/percentTraffic', value: '5' },
      { op: 'replace', path: '/canarySettings/deploymentId', value: 'dep444' },
    );
    expect((await readRest()).canarySettings).toEqual({ percentTraffic: 5, deploymentId: 'dep444' });
  });

  it('promotes a canary with copy', async () => {
    await patch(
      { op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId' },
      { op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables' },
    );
    const stage = await readRest();
    expect(stage.deploymentId).toBe('dep222');
    expect(stage.variables).toEqual({ lambdaAlias: 'canary', region: 'eu' });
  });

  it('enables the cache cluster with a size, and disabling it drops the size', async () => {
    await patch(
      { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
      { op: 'replace', path: '/cacheClusterSize', value: '6.1' },
    );
    expect(await readRest()).toMatchObject({
      cacheClusterEnabled: true,
      cacheClusterStatus: 'AVAILABLE',
      cacheClusterSize: '6.1',
    });
    await patch({ op: 'replace', path: '/cacheClusterEnabled', value: 'false' });
    const stage = await readRest();
    expect(stage).toMatchObject({ cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE' });
    expect(stage.cacheClusterSize).toBeUndefined();
  });

  it('sets and clears clientCertificateId and documentationVersion, and replaces deploymentId', async () => {
    await patch(
      { op: 'replace', path: '/clientCertificateId', value: 'cert77' },
      { op: 'replace', path: '/documentationVersion', value: '2.0.0' },
      { op: 'replace', path: '/deploymentId', value: 'dep555' },
    );
    expect(await readRest()).toMatchObject({
      clientCertificateId: 'cert77',
      documentationVersion: '2.0.0',
      deploymentId: 'dep555',
    });
    await patch(
      { op: 'replace', path: '/clientCertificateId', value: '' },
      { op: 'remove', path: '/documentationVersion' },
    );
    const stage = await readRest();
    expect(stage.clientCertificateId).toBeUndefined();
    expect(stage.documentationVersion).toBeUndefined();
  });

  it('mutates the stage object held in simulator.fleet, keeping its identity', async () => {
    const held = sim.fleet.restApis[0]!.stages[0]!;
    await patch({ op: 'replace', path: '/tracingEnabled', value: 'true' });
    expect(held.tracingEnabled).toBe(true);
    expect(held.lastUpdatedDate).toBe(NOW_MS / 1000);
  });

  describe('errors', () => {
    it.each([
      ['replace', '/foo'],
      ['replace', '/~1pets/GET/logging/verbosity'],
      ['add', '/description'],
      ['add', '/canarySettings'],
      ['remove', '/deploymentId'],
      ['replace', '/variables'],
    ])('answers %s %s with 400 BadRequestException naming the path', async (op, path) => {
      const error = await failure(patch({ op: op as PatchOperation['op'], path, value: 'x' }));
      expect(error).toBeInstanceOf(BadRequestException);
      expect(error).toMatchObject({
        $metadata: { httpStatusCode: 400 },
        message: expect.stringContaining(
          `Invalid patch path '${path}' specified for op '${op}'. Must be one of: [`,
        ),
      });
    });

    it('answers an invalid value with 400 naming the path, and applies none of the operations', async () => {
      const error = await failure(
        patch(
          { op: 'replace', path: '/description', value: 'changed' },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'LOUD' },
        ),
      );
      expect(error).toBeInstanceOf(BadRequestException);
      expect(error).toMatchObject({
        message:
          "Invalid value 'LOUD' specified for patch path '/*/*/logging/loglevel'. Must be one of: [OFF, ERROR, INFO]",
      });
      expect((await readRest()).description).toBe('production');
      await expect(patch({ op: 'replace', path: '/tracingEnabled', value: 'yes' })).rejects.toThrow(
        "Invalid value 'yes' specified for patch path '/tracingEnabled'. Must be 'true' or 'false'",
      );
    });

    it('refuses move naming the op and the path', async () => {
      await expect(patch({ op: 'move', path: '/description', from: '/variables/a' })).rejects.toThrow(
        "Invalid patch operation 'move' specified for path '/description'. Must be one of: [add, remove, replace, copy]",
      );
    });

    it('answers an unknown stage with 404 "Invalid stage identifier specified"', async () => {
      const error = await failure(
        v1.send(new UpdateStageCommand({ restApiId: REST_ID, stageName: 'nope', patchOperations: [] })),
      );
      expect(error).toBeInstanceOf(NotFoundException);
      expect(error).toMatchObject({
        message: 'Invalid stage identifier specified',
        $metadata: { httpStatusCode: 404 },
      });
    });

    it('applies failure rules to UpdateStage, changing nothing', async () => {
      sim.failOn({
        operation: 'UpdateStage',
        apiId: REST_ID,
        status: 429,
        errorType: 'TooManyRequestsException',
        times: 1,
      });
      await expect(patch({ op: 'replace', path: '/description', value: 'x' })).rejects.toMatchObject({
        name: 'TooManyRequestsException',
      });
      expect((await readRest()).description).toBe('production');
      expect(sim.counts).toMatchObject({ throttled: 1, byOperation: { UpdateStage: 1 } });
    });
  });
});

describe('v1 CreateStage and DeleteStage', () => {
  it('creates a stage (201) that GetStage then reads, and refuses a second one with 409', async () => {
    const created = await v1.send(
      new CreateStageCommand({
        restApiId: REST_ID,
        stageName: 'beta',
        deploymentId: 'dep111',
        description: 'beta stage',
        variables: { a: '1' },
        tracingEnabled: true,
        documentationVersion: '1.0',
        canarySettings: { percentTraffic: 5, deploymentId: 'dep222' },
        tags: { team: 'x' },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(await readRest('beta')).toEqual({
      stageName: 'beta',
      deploymentId: 'dep111',
      description: 'beta stage',
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
      methodSettings: {},
      variables: { a: '1' },
      tracingEnabled: true,
      documentationVersion: '1.0',
      canarySettings: { percentTraffic: 5, deploymentId: 'dep222' },
      tags: { team: 'x' },
      createdDate: new Date(NOW_MS),
      lastUpdatedDate: new Date(NOW_MS),
    });
    const error = await failure(
      v1.send(new CreateStageCommand({ restApiId: REST_ID, stageName: 'beta', deploymentId: 'dep111' })),
    );
    expect(error).toBeInstanceOf(ConflictException);
    expect(error).toMatchObject({ message: 'Stage already exists', $metadata: { httpStatusCode: 409 } });
  });

  it('deletes a stage (202): GetStage then answers 404', async () => {
    const out = await v1.send(new DeleteStageCommand({ restApiId: REST_ID, stageName: 'prod' }));
    expect(out.$metadata.httpStatusCode).toBe(202);
    await expect(readRest()).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      v1.send(new DeleteStageCommand({ restApiId: REST_ID, stageName: 'prod' })),
    ).rejects.toBeInstanceOf(NotFoundException);
    expect(sim.counts.byOperation).toMatchObject({ DeleteStage: 2 });
  });
});

describe('v1 tags', () => {
  const arn = stageArnOf('v1', REST_ID, 'prod');

  it('tags, reads and untags a stage by its ARN, and GetStage shows the tags', async () => {
    expect(arn).toBe(`arn:aws:apigateway:us-east-1::/restapis/${REST_ID}/stages/prod`);
    await v1.send(new TagResourceCommand({ resourceArn: arn, tags: { owner: 'ops', env: 'production' } }));
    expect((await v1.send(new GetTagsCommand({ resourceArn: arn }))).tags).toEqual({
      env: 'production',
      owner: 'ops',
    });
    await v1.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env', 'missing'] }));
    expect((await readRest()).tags).toEqual({ owner: 'ops' });
    await v1.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['owner'] }));
    expect((await readRest()).tags).toBeUndefined();
    expect(sim.counts.byOperation).toMatchObject({ TagResource: 1, GetTags: 1, UntagResource: 2 });
  });

  it('answers a stage the fleet lacks with 404 and a foreign ARN with 400', async () => {
    await expect(
      v1.send(new TagResourceCommand({ resourceArn: stageArnOf('v1', REST_ID, 'nope'), tags: { a: 'b' } })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      v1.send(new GetTagsCommand({ resourceArn: stageArnOf('v2', HTTP_ID, 'prod') })),
    ).rejects.toBeInstanceOf(BadRequestException);
  });
});

describe('v2 UpdateStage', () => {
  it('merges route settings per route key and default route settings member by member', async () => {
    const answered = await v2.send(
      new UpdateV2StageCommand({
        ApiId: WS_ID,
        StageName: 'prod',
        RouteSettings: { $connect: { LoggingLevel: 'ERROR' }, sendMessage: { DataTraceEnabled: true } },
        DefaultRouteSettings: { LoggingLevel: 'INFO', ThrottlingRateLimit: 50.5 },
      }),
    );
    const stage = await readV2(WS_ID);
    expect(answered.RouteSettings).toEqual(stage.RouteSettings);
    expect(stage.RouteSettings).toEqual({
      $connect: { LoggingLevel: 'ERROR', ThrottlingBurstLimit: 10 },
      sendMessage: { DataTraceEnabled: true },
    });
    expect(stage.DefaultRouteSettings).toEqual({
      DataTraceEnabled: false,
      DetailedMetricsEnabled: false,
      LoggingLevel: 'INFO',
      ThrottlingBurstLimit: 100,
      ThrottlingRateLimit: 50.5,
    });
    expect(stage.LastUpdatedDate).toEqual(new Date(NOW_MS));
  });

  it('updates access logs, and DeleteAccessLogSettings (204) removes them', async () => {
    await v2.send(
      new UpdateV2StageCommand({
        ApiId: HTTP_ID,
        StageName: 'prod',
        AccessLogSettings: { Format: '$context.status' },
      }),
    );
    expect((await readV2()).AccessLogSettings).toEqual({
      DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:v2',
      Format: '$context.status',
    });
    const out = await v2.send(new DeleteAccessLogSettingsCommand({ ApiId: HTTP_ID, StageName: 'prod' }));
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect((await readV2()).AccessLogSettings).toBeUndefined();
  });

  it('DeleteRouteSettings (204) removes one route key, URL-encoded in the path; 404 when it has none', async () => {
    const out = await v2.send(
      new DeleteRouteSettingsCommand({ ApiId: HTTP_ID, StageName: 'prod', RouteKey: 'GET /pets' }),
    );
    expect(out.$metadata.httpStatusCode).toBe(204);
    expect((await readV2()).RouteSettings).toEqual({});
    await expect(
      v2.send(new DeleteRouteSettingsCommand({ ApiId: HTTP_ID, StageName: 'prod', RouteKey: 'GET /pets' })),
    ).rejects.toBeInstanceOf(V2NotFoundException);
    expect(sim.counts.byOperation).toMatchObject({ DeleteRouteSettings: 2 });
  });

  it('merges stage variables per key, an empty value removing one; sets autoDeploy, description, clientCertificateId', async () => {
    await v2.send(
      new UpdateV2StageCommand({
        ApiId: WS_ID,
        StageName: 'prod',
        StageVariables: { mode: '', added: 'yes' },
        AutoDeploy: true,
        Description: 'changed',
        ClientCertificateId: 'cert88',
      }),
    );
    expect(await readV2(WS_ID)).toMatchObject({
      StageVariables: { backend: 'https://example.com', added: 'yes' },
      AutoDeploy: true,
      Description: 'changed',
      ClientCertificateId: 'cert88',
    });
    await v2.send(
      new UpdateV2StageCommand({ ApiId: WS_ID, StageName: 'prod', Description: '', ClientCertificateId: '' }),
    );
    const stage = await readV2(WS_ID);
    expect(stage.Description).toBeUndefined();
    expect(stage.ClientCertificateId).toBeUndefined();
  });

  it('refuses execution logging on an HTTP API, and answers an unknown stage with 404', async () => {
    const error = await failure(
      v2.send(
        new UpdateV2StageCommand({
          ApiId: HTTP_ID,
          StageName: 'prod',
          DefaultRouteSettings: { LoggingLevel: 'INFO' },
        }),
      ),
    );
    expect(error).toBeInstanceOf(V2BadRequestException);
    expect(error).toMatchObject({ message: 'Execution logs are not supported on protocolType HTTP' });
    const missing = await failure(v2.send(new UpdateV2StageCommand({ ApiId: HTTP_ID, StageName: 'nope' })));
    expect(missing).toBeInstanceOf(V2NotFoundException);
    expect(missing).toMatchObject({
      message: 'Invalid stage identifier specified nope',
      $metadata: { httpStatusCode: 404 },
    });
  });
});

describe('v2 CreateStage and DeleteStage', () => {
  it('creates a stage (201) with default route settings, refuses a duplicate with 409, deletes it (204)', async () => {
    const created = await v2.send(
      new CreateV2StageCommand({
        ApiId: WS_ID,
        StageName: 'beta',
        DeploymentId: 'dep1',
        StageVariables: { a: 'b' },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(await readV2(WS_ID, 'beta')).toEqual({
      StageName: 'beta',
      DeploymentId: 'dep1',
      StageVariables: { a: 'b' },
      DefaultRouteSettings: { DataTraceEnabled: false, DetailedMetricsEnabled: false, LoggingLevel: 'OFF' },
      RouteSettings: {},
      CreatedDate: new Date(NOW_MS),
      LastUpdatedDate: new Date(NOW_MS),
    });
    const error = await failure(v2.send(new CreateV2StageCommand({ ApiId: WS_ID, StageName: 'beta' })));
    expect(error).toBeInstanceOf(V2ConflictException);
    expect(error).toMatchObject({ message: 'Stage already exists', $metadata: { httpStatusCode: 409 } });
    const deleted = await v2.send(new DeleteV2StageCommand({ ApiId: WS_ID, StageName: 'beta' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    await expect(readV2(WS_ID, 'beta')).rejects.toBeInstanceOf(V2NotFoundException);
  });

  it('creates the $default stage of an HTTP API', async () => {
    await v2.send(new CreateV2StageCommand({ ApiId: HTTP_ID, StageName: '$default', AutoDeploy: true }));
    expect(await readV2(HTTP_ID, '$default')).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { DetailedMetricsEnabled: false },
    });
  });
});

describe('v2 tags', () => {
  it('tags (201), reads and untags (204) a stage; GetStage shows the tags', async () => {
    const arn = stageArnOf('v2', HTTP_ID, 'prod');
    expect(arn).toBe(`arn:aws:apigateway:us-east-1::/apis/${HTTP_ID}/stages/prod`);
    const tagged = await v2.send(new TagV2ResourceCommand({ ResourceArn: arn, Tags: { owner: 'ops' } }));
    expect(tagged.$metadata.httpStatusCode).toBe(201);
    expect((await v2.send(new GetV2TagsCommand({ ResourceArn: arn }))).Tags).toEqual({
      env: 'prod',
      owner: 'ops',
    });
    const untagged = await v2.send(new UntagV2ResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
    expect(untagged.$metadata.httpStatusCode).toBe(204);
    expect((await readV2()).Tags).toEqual({ owner: 'ops' });
    expect(sim.counts.byOperation).toMatchObject({ TagResourceV2: 1, GetTagsV2: 1, UntagResourceV2: 1 });
  });
});

describe('WAFv2 web ACL association', () => {
  const resourceArn = stageArnOf('v1', REST_ID, 'prod');

  it('associates, reads and disassociates a web ACL; GetStage shows webAclArn', async () => {
    expect(await waf.send(new GetWebACLForResourceCommand({ ResourceArn: resourceArn }))).not.toHaveProperty(
      'WebACL',
    );
    await waf.send(new AssociateWebACLCommand({ WebACLArn: WEB_ACL, ResourceArn: resourceArn }));
    expect((await readRest()).webAclArn).toBe(WEB_ACL);
    const { WebACL } = await waf.send(new GetWebACLForResourceCommand({ ResourceArn: resourceArn }));
    expect(WebACL).toEqual({ ARN: WEB_ACL, Name: 'edge-acl', Id: 'a1b2c3d4-0000-1111-2222-333344445555' });
    await waf.send(new DisassociateWebACLCommand({ ResourceArn: resourceArn }));
    expect((await readRest()).webAclArn).toBeUndefined();
    expect(sim.counts.byOperation).toMatchObject({
      AssociateWebACL: 1,
      GetWebACLForResource: 2,
      DisassociateWebACL: 1,
    });
  });

  it('refuses a v2 stage with WAFInvalidParameterException and an unknown stage with WAFNonexistentItemException', async () => {
    const invalid = await failure(
      waf.send(
        new AssociateWebACLCommand({ WebACLArn: WEB_ACL, ResourceArn: stageArnOf('v2', HTTP_ID, 'prod') }),
      ),
    );
    expect(invalid).toBeInstanceOf(WAFInvalidParameterException);
    expect(invalid).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    const missing = await failure(
      waf.send(new DisassociateWebACLCommand({ ResourceArn: stageArnOf('v1', REST_ID, 'nope') })),
    );
    expect(missing).toBeInstanceOf(WAFNonexistentItemException);
    expect(missing).toMatchObject({
      message: 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.',
    });
  });

  it('applies failure rules scoped to the API named in the ResourceArn', async () => {
    sim.failOn({
      operation: 'AssociateWebACL',
      apiId: REST_ID,
      status: 400,
      errorType: 'WAFUnavailableEntityException',
    });
    await expect(
      waf.send(new AssociateWebACLCommand({ WebACLArn: WEB_ACL, ResourceArn: resourceArn })),
    ).rejects.toMatchObject({ name: 'WAFUnavailableEntityException' });
    expect((await readRest()).webAclArn).toBeUndefined();
  });
});

describe('routing', () => {
  it('still answers a method a path does not serve with 405, listing the methods it does', async () => {
    const response = await fetch(`${sim.endpoint}/restapis/${REST_ID}/stages/prod`, {
      method: 'PUT',
      body: '{}',
    });
    expect(response.status).toBe(405);
    expect(await response.json()).toEqual({
      message: `The simulator answers only GET, PATCH, DELETE on /restapis/${REST_ID}/stages/prod; PUT is not supported`,
    });
  });

  it('answers a malformed JSON body with 400', async () => {
    const response = await fetch(`${sim.endpoint}/restapis/${REST_ID}/stages/prod`, {
      method: 'PATCH',
      body: '{',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^BadRequestException/);
  });
});
