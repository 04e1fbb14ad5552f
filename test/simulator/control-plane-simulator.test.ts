import {
  APIGatewayClient,
  APIGatewayServiceException,
  BadRequestException,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  NotFoundException,
  TooManyRequestsException,
  paginateGetRestApis,
} from '@aws-sdk/client-api-gateway';
import {
  AccessDeniedException,
  ApiGatewayV2Client,
  GetApisCommand,
  GetStageCommand as GetV2StageCommand,
  GetStagesCommand as GetV2StagesCommand,
  NotFoundException as V2NotFoundException,
  TooManyRequestsException as V2TooManyRequestsException,
} from '@aws-sdk/client-apigatewayv2';
import fc from 'fast-check';
import {
  generateFleet,
  startSimulator,
  type ControlPlaneSimulator,
  type Fleet,
  type SimulatorOptions,
} from '../support/simulator';

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

interface Harness {
  sim: ControlPlaneSimulator;
  v1: APIGatewayClient;
  v2: ApiGatewayV2Client;
  stop(): Promise<void>;
}

const startHarness = async (options: SimulatorOptions): Promise<Harness> => {
  const sim = await startSimulator(options);
  const v1 = new APIGatewayClient(clientConfig(sim.endpoint));
  const v2 = new ApiGatewayV2Client(clientConfig(sim.endpoint));
  return {
    sim,
    v1,
    v2,
    stop: async () => {
      v1.destroy();
      v2.destroy();
      await sim.close();
    },
  };
};

const listRestApiIds = async (h: Harness, limit?: number): Promise<{ ids: string[]; pages: number }> => {
  const ids: string[] = [];
  let pages = 0;
  let position: string | undefined;
  do {
    const page = await h.v1.send(new GetRestApisCommand({ limit, position }));
    pages += 1;
    ids.push(...(page.items ?? []).map((api) => api.id!));
    position = page.position;
  } while (position);
  return { ids, pages };
};

const listV2ApiIds = async (h: Harness, maxResults?: string): Promise<{ ids: string[]; pages: number }> => {
  const ids: string[] = [];
  let pages = 0;
  let nextToken: string | undefined;
  do {
    const page = await h.v2.send(new GetApisCommand({ MaxResults: maxResults, NextToken: nextToken }));
    pages += 1;
    ids.push(...(page.Items ?? []).map((api) => api.ApiId!));
    nextToken = page.NextToken;
  } while (nextToken);
  return { ids, pages };
};

const listV2StageNames = async (
  h: Harness,
  apiId: string,
  maxResults?: string,
): Promise<{ names: string[]; pages: number }> => {
  const names: string[] = [];
  let pages = 0;
  let nextToken: string | undefined;
  do {
    const page = await h.v2.send(
      new GetV2StagesCommand({ ApiId: apiId, MaxResults: maxResults, NextToken: nextToken }),
    );
    pages += 1;
    names.push(...(page.Items ?? []).map((stage) => stage.StageName!));
    nextToken = page.NextToken;
  } while (nextToken);
  return { names, pages };
};

const sorted = (values: readonly string[]): string[] => [...values].sort();

describe('control-plane simulator, read through the real SDK clients', () => {
  describe('paging', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({
        fleet: generateFleet({ restApis: 123, httpApis: 40, websocketApis: 17, stagesPerApi: 10, seed: 11 }),
      });
    });
    afterAll(() => h.stop());
    beforeEach(() => h.sim.resetCounts());

    it('returns every REST API exactly once across GetRestApis pages (limit/position)', async () => {
      // Act
      const { ids, pages } = await listRestApiIds(h, 10);
      // Assess
      expect(ids).toHaveLength(123);
      expect(new Set(ids).size).toBe(123);
      expect(sorted(ids)).toEqual(sorted(h.sim.fleet.restApis.map((api) => api.id)));
      expect(pages).toBe(13);
      expect(h.sim.counts.byOperation.GetRestApis).toBe(13);
    });

    it('pages GetRestApis by 25 when no limit is given, and omits position on the last page', async () => {
      const first = await h.v1.send(new GetRestApisCommand({}));
      expect(first.items).toHaveLength(25);
      expect(first.position).toEqual(expect.any(String));

      const { pages } = await listRestApiIds(h);
      expect(pages).toBe(5);

      const all = await h.v1.send(new GetRestApisCommand({ limit: 500 }));
      expect(all.items).toHaveLength(123);
      expect(all.position).toBeUndefined();
    });

    it("works with the SDK's own paginateGetRestApis", async () => {
      const ids: string[] = [];
      for await (const page of paginateGetRestApis({ client: h.v1, pageSize: 50 }, {})) {
        ids.push(...(page.items ?? []).map((api) => api.id!));
      }
      expect(sorted(ids)).toEqual(sorted(h.sim.fleet.restApis.map((api) => api.id)));
      expect(h.sim.counts.byOperation.GetRestApis).toBe(3);
    });

    it('returns every HTTP and WebSocket API exactly once across GetApis pages (nextToken)', async () => {
      const { ids, pages } = await listV2ApiIds(h, '7');
      expect(ids).toHaveLength(57);
      expect(new Set(ids).size).toBe(57);
      expect(sorted(ids)).toEqual(sorted(h.sim.fleet.v2Apis.map((api) => api.apiId)));
      expect(pages).toBe(9);
      expect(h.sim.counts.byOperation.GetApis).toBe(9);
    });

    it('pages v2 GetStages with nextToken and returns every stage exactly once', async () => {
      const api = h.sim.fleet.v2Apis[0]!;
      const { names, pages } = await listV2StageNames(h, api.apiId, '3');
      expect(names).toHaveLength(10);
      expect(sorted(names)).toEqual(sorted(api.stages.map((stage) => stage.stageName as string)));
      expect(pages).toBe(4);
      expect(h.sim.counts.byOperation.GetStagesV2).toBe(4);
    });

    it('answers v2 GetStages with one page of up to 25 stages when maxResults is absent', async () => {
      const api = h.sim.fleet.v2Apis[1]!;
      const page = await h.v2.send(new GetV2StagesCommand({ ApiId: api.apiId }));
      expect(page.Items).toHaveLength(10);
      expect(page.NextToken).toBeUndefined();
    });

    it('returns all stages of a REST API in one GetStages call (v1 GetStages is not paged)', async () => {
      const api = h.sim.fleet.restApis[5]!;
      const out = await h.v1.send(new GetStagesCommand({ restApiId: api.id }));
      expect(out.item?.map((stage) => stage.stageName)).toEqual(api.stages.map((stage) => stage.stageName));
      expect(h.sim.counts.byOperation.GetStages).toBe(1);
    });

    it('filters v1 GetStages by deploymentId', async () => {
      const api = h.sim.fleet.restApis[6]!;
      const wanted = api.stages[2]!;
      const out = await h.v1.send(
        new GetStagesCommand({ restApiId: api.id, deploymentId: wanted.deploymentId as string }),
      );
      expect(out.item?.map((stage) => stage.stageName)).toEqual([wanted.stageName]);
    });

    it('answers a limit above 500 with 400 BadRequestException', async () => {
      const error = await h.v1.send(new GetRestApisCommand({ limit: 501 })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestException);
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
      expect(h.sim.counts.errors).toBe(1);
    });

    it('refuses a page token from another collection with 400 BadRequestException', async () => {
      const restPage = await h.v1.send(new GetRestApisCommand({ limit: 1 }));
      const error = await h.v2
        .send(new GetApisCommand({ NextToken: restPage.position }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('paging, for any fleet size and page size', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ fleet: { restApis: [], v2Apis: [] } });
    });
    afterAll(() => h.stop());

    it('lists every API exactly once and uses ceil(n / pageSize) pages (at least one)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 60 }),
          fc.integer({ min: 0, max: 30 }),
          fc.integer({ min: 1, max: 20 }),
          fc.integer(),
          async (restCount, v2Count, pageSize, seed) => {
            h.sim.fleet = generateFleet({ restApis: restCount, httpApis: v2Count, stagesPerApi: 1, seed });
            const rest = await listRestApiIds(h, pageSize);
            const v2 = await listV2ApiIds(h, String(pageSize));
            expect(sorted(rest.ids)).toEqual(sorted(h.sim.fleet.restApis.map((api) => api.id)));
            expect(sorted(v2.ids)).toEqual(sorted(h.sim.fleet.v2Apis.map((api) => api.apiId)));
            expect(rest.pages).toBe(Math.max(1, Math.ceil(restCount / pageSize)));
            expect(v2.pages).toBe(Math.max(1, Math.ceil(v2Count / pageSize)));
          },
        ),
        { numRuns: 25 },
      );
    });
  });

  describe('wire format', () => {
    const created = new Date('2024-02-03T04:05:06Z');
    const fleet: Fleet = {
      restApis: [
        {
          id: 'abc123defg',
          name: 'orders-api',
          description: 'Orders',
          createdDate: created,
          endpointTypes: ['PRIVATE'],
          tags: { team: 'payments' },
          stages: [
            {
              deploymentId: 'dep111',
              clientCertificateId: 'cert22',
              stageName: 'prod',
              description: 'production',
              cacheClusterEnabled: true,
              cacheClusterSize: '0.5',
              cacheClusterStatus: 'AVAILABLE',
              methodSettings: {
                '*/*': {
                  metricsEnabled: true,
                  loggingLevel: 'INFO',
                  dataTraceEnabled: false,
                  throttlingBurstLimit: 5000,
                  throttlingRateLimit: 10000.5,
                  cachingEnabled: true,
                  cacheTtlInSeconds: 300,
                  cacheDataEncrypted: true,
                  requireAuthorizationForCacheControl: true,
                  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
                },
                '~1pets~1{petId}/GET': { loggingLevel: 'ERROR' },
              },
              variables: { lambdaAlias: 'prod' },
              documentationVersion: '1.2.0',
              accessLogSettings: {
                format: '$context.requestId',
                destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:access',
              },
              canarySettings: {
                percentTraffic: 12.5,
                deploymentId: 'dep222',
                stageVariableOverrides: { lambdaAlias: 'canary' },
                useStageCache: false,
              },
              tracingEnabled: true,
              webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/acl/1234',
              tags: { env: 'prod' },
              createdDate: 1_700_000_000,
              lastUpdatedDate: 1_700_000_123.25,
            },
            // A Date in a stage is written in the v1 wire format too (epoch seconds).
            { stageName: 'dev', deploymentId: 'dep111', methodSettings: {}, createdDate: created },
          ],
        },
      ],
      v2Apis: [
        {
          apiId: 'ws9876zyxw',
          name: 'chat',
          protocolType: 'WEBSOCKET',
          createdDate: created,
          stages: [
            {
              accessLogSettings: {
                destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ws',
                format: '$context.requestId',
              },
              apiGatewayManaged: false,
              autoDeploy: true,
              clientCertificateId: 'cert33',
              createdDate: '2024-01-02T03:04:05Z',
              defaultRouteSettings: {
                dataTraceEnabled: true,
                detailedMetricsEnabled: false,
                loggingLevel: 'INFO',
                throttlingBurstLimit: 100,
                throttlingRateLimit: 50.5,
              },
              deploymentId: 'dep333',
              description: 'chat prod',
              lastDeploymentStatusMessage: "Successfully deployed stage with deployment ID 'dep333'",
              lastUpdatedDate: new Date('2024-03-04T05:06:07.250Z'),
              routeSettings: { $connect: { loggingLevel: 'ERROR', throttlingBurstLimit: 10 } },
              stageName: 'prod',
              stageVariables: { backend: 'https://example.com' },
              tags: { env: 'prod' },
            },
          ],
        },
      ],
    };
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ fleet });
    });
    afterAll(() => h.stop());

    it('lets the v1 SDK parse a REST API item, with createdDate as epoch seconds', async () => {
      const out = await h.v1.send(new GetRestApisCommand({}));
      expect(out.items).toEqual([
        {
          id: 'abc123defg',
          name: 'orders-api',
          description: 'Orders',
          createdDate: created,
          apiKeySource: 'HEADER',
          endpointConfiguration: { types: ['PRIVATE'] },
          disableExecuteApiEndpoint: false,
          tags: { team: 'payments' },
        },
      ]);
    });

    it('lets the v1 SDK parse every Stage field of the seed page, dates included', async () => {
      const out = await h.v1.send(new GetStagesCommand({ restApiId: 'abc123defg' }));
      expect(out.item).toEqual([
        {
          ...fleet.restApis[0]!.stages[0],
          createdDate: new Date(1_700_000_000_000),
          lastUpdatedDate: new Date(1_700_000_123_250),
        },
        { stageName: 'dev', deploymentId: 'dep111', methodSettings: {}, createdDate: created },
      ]);
    });

    it('lets the v2 SDK parse an API item, with ISO-8601 createdDate', async () => {
      const out = await h.v2.send(new GetApisCommand({}));
      expect(out.Items).toEqual([
        {
          ApiId: 'ws9876zyxw',
          Name: 'chat',
          ProtocolType: 'WEBSOCKET',
          ApiEndpoint: 'wss://ws9876zyxw.execute-api.us-east-1.amazonaws.com',
          ApiKeySelectionExpression: '$request.header.x-api-key',
          CreatedDate: created,
          DisableExecuteApiEndpoint: false,
          IpAddressType: 'ipv4',
          RouteSelectionExpression: '$request.body.action',
        },
      ]);
    });

    it('lets the v2 SDK parse every Stage field of the seed page, dates included', async () => {
      const out = await h.v2.send(new GetV2StagesCommand({ ApiId: 'ws9876zyxw' }));
      expect(out.Items).toEqual([
        {
          AccessLogSettings: {
            DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ws',
            Format: '$context.requestId',
          },
          ApiGatewayManaged: false,
          AutoDeploy: true,
          ClientCertificateId: 'cert33',
          CreatedDate: new Date('2024-01-02T03:04:05Z'),
          DefaultRouteSettings: {
            DataTraceEnabled: true,
            DetailedMetricsEnabled: false,
            LoggingLevel: 'INFO',
            ThrottlingBurstLimit: 100,
            ThrottlingRateLimit: 50.5,
          },
          DeploymentId: 'dep333',
          Description: 'chat prod',
          LastDeploymentStatusMessage: "Successfully deployed stage with deployment ID 'dep333'",
          LastUpdatedDate: new Date('2024-03-04T05:06:07.250Z'),
          RouteSettings: { $connect: { LoggingLevel: 'ERROR', ThrottlingBurstLimit: 10 } },
          StageName: 'prod',
          StageVariables: { backend: 'https://example.com' },
          Tags: { env: 'prod' },
        },
      ]);
      expect(out.NextToken).toBeUndefined();
    });

    it('answers an unknown REST API with 404 that the SDK parses as NotFoundException', async () => {
      const error = await h.v1
        .send(new GetStagesCommand({ restApiId: 'nosuchapi0' }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundException);
      expect(error).toMatchObject({
        $metadata: { httpStatusCode: 404 },
        message: 'Invalid API identifier specified 123456789012:nosuchapi0',
      });
    });

    it('answers an unknown v2 API with 404 that the SDK parses as NotFoundException', async () => {
      const error = await h.v2.send(new GetV2StagesCommand({ ApiId: 'nosuchapi0' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(V2NotFoundException);
      expect(error).toMatchObject({ $metadata: { httpStatusCode: 404 } });
    });

    it('serves the live fleet: a change between two reads shows in the second', async () => {
      const stage = h.sim.fleet.restApis[0]!.stages[0]!;
      const before = await h.v1.send(new GetStagesCommand({ restApiId: 'abc123defg' }));
      stage.tracingEnabled = false;
      const after = await h.v1.send(new GetStagesCommand({ restApiId: 'abc123defg' }));
      stage.tracingEnabled = true;
      expect(before.item?.[0]?.tracingEnabled).toBe(true);
      expect(after.item?.[0]?.tracingEnabled).toBe(false);
    });

    it('answers other paths and methods with an error body and x-amzn-ErrorType, and counts them', async () => {
      h.sim.resetCounts();
      const unknown = await fetch(`${h.sim.endpoint}/restapis/abc/resources`);
      const post = await fetch(`${h.sim.endpoint}/v2/apis`, { method: 'POST', body: '{}' });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('x-amzn-errortype')).toMatch(/^UnknownOperationException/);
      expect(await unknown.json()).toEqual({ message: expect.any(String) });
      expect(post.status).toBe(405);
      expect(post.headers.get('x-amzn-errortype')).toBe('MethodNotAllowedException');
      expect(await post.json()).toEqual({ message: expect.any(String) });
      expect(h.sim.counts).toEqual({
        total: 2,
        byOperation: { GetRestApis: 0, GetStages: 0, GetApis: 0, GetStagesV2: 0 },
        throttled: 0,
        errors: 2,
      });
    });
  });

  describe('single-stage reads (GetStage), as a naive scanner makes them', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({
        fleet: generateFleet({ restApis: 3, httpApis: 6, websocketApis: 1, stagesPerApi: 10, seed: 21 }),
      });
    });
    afterAll(() => h.stop());
    beforeEach(() => {
      h.sim.clearFailures();
      h.sim.resetCounts();
    });

    it('answers v1 GetStage with the stage itself, parsed as GetStages parses it, counted as GetStage', async () => {
      // Prepare
      const api = h.sim.fleet.restApis[1]!;
      const listed = await h.v1.send(new GetStagesCommand({ restApiId: api.id }));
      const wanted = listed.item![3]!;
      h.sim.resetCounts();
      // Act
      const { $metadata, ...stage } = await h.v1.send(
        new GetStageCommand({ restApiId: api.id, stageName: wanted.stageName! }),
      );
      // Assess
      expect($metadata.httpStatusCode).toBe(200);
      expect(stage).toEqual(wanted);
      expect(stage.createdDate).toBeInstanceOf(Date);
      expect(h.sim.counts).toEqual({
        total: 1,
        byOperation: { GetRestApis: 0, GetStages: 0, GetApis: 0, GetStagesV2: 0, GetStage: 1 },
        throttled: 0,
        errors: 0,
      });
    });

    it('answers v2 GetStage with the stage itself, $default included, counted as GetStageV2', async () => {
      // Prepare: an HTTP API with a $default stage (its name is URL-encoded in the path).
      const api = h.sim.fleet.v2Apis.find((candidate) =>
        candidate.stages.some((stage) => stage.stageName === '$default'),
      )!;
      const listed = await h.v2.send(new GetV2StagesCommand({ ApiId: api.apiId }));
      h.sim.resetCounts();
      // Act
      const read = await Promise.all(
        listed.Items!.map((item) =>
          h.v2.send(new GetV2StageCommand({ ApiId: api.apiId, StageName: item.StageName! })),
        ),
      );
      // Assess
      expect(read.map(({ $metadata: _, ...stage }) => stage)).toEqual(listed.Items);
      expect(read.map((stage) => stage.StageName)).toContain('$default');
      expect(h.sim.counts.byOperation).toEqual({
        GetRestApis: 0,
        GetStages: 0,
        GetApis: 0,
        GetStagesV2: 0,
        GetStageV2: 10,
      });
    });

    it('answers an unknown stage or API with 404 NotFoundException', async () => {
      const api = h.sim.fleet.restApis[0]!;
      const v2Api = h.sim.fleet.v2Apis[0]!;
      await expect(
        h.v1.send(new GetStageCommand({ restApiId: api.id, stageName: 'nope' })),
      ).rejects.toBeInstanceOf(NotFoundException);
      await expect(
        h.v1.send(new GetStageCommand({ restApiId: 'missing000', stageName: 'prod' })),
      ).rejects.toBeInstanceOf(NotFoundException);
      await expect(
        h.v2.send(new GetV2StageCommand({ ApiId: v2Api.apiId, StageName: 'nope' })),
      ).rejects.toBeInstanceOf(V2NotFoundException);
      expect(h.sim.counts).toMatchObject({ total: 3, errors: 3 });
    });

    it('applies failure rules and the rate limit to single-stage reads too', async () => {
      const api = h.sim.fleet.restApis[2]!;
      h.sim.failOn({
        operation: 'GetStage',
        apiId: api.id,
        status: 429,
        errorType: 'TooManyRequestsException',
      });
      await expect(
        h.v1.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' })),
      ).rejects.toBeInstanceOf(TooManyRequestsException);
      await expect(
        h.v1.send(new GetStageCommand({ restApiId: h.sim.fleet.restApis[0]!.id, stageName: 'prod' })),
      ).resolves.toMatchObject({ stageName: 'prod' });
      expect(h.sim.counts).toMatchObject({ total: 2, throttled: 1, byOperation: { GetStage: 2 } });
    });
  });

  describe('throttling', () => {
    let clockMs = 0;
    let h: Harness;
    beforeEach(async () => {
      clockMs = 1_000_000;
      h = await startHarness({
        fleet: generateFleet({ restApis: 3, httpApis: 3, seed: 5 }),
        rateLimit: { ratePerSecond: 2, burst: 3 },
        now: () => clockMs,
      });
    });
    afterEach(() => h.stop());

    it('answers a burst beyond the bucket with 429 that the SDK surfaces as TooManyRequestsException', async () => {
      // Act: five requests at one instant against a bucket of three.
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, () => h.v1.send(new GetRestApisCommand({}))),
      );
      // Assess
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(rejected).toHaveLength(2);
      for (const { reason } of rejected) {
        expect(reason).toBeInstanceOf(TooManyRequestsException);
        expect(reason).toMatchObject({
          message: 'Too Many Requests',
          $metadata: { httpStatusCode: 429 },
          // The model binds Retry-After to retryAfterSeconds, but the service sends no such header.
          retryAfterSeconds: undefined,
        });
      }
      expect(h.sim.counts).toEqual({
        total: 5,
        byOperation: { GetRestApis: 5, GetStages: 0, GetApis: 0, GetStagesV2: 0 },
        throttled: 2,
        errors: 0,
      });
    });

    it('shares one bucket between v1 and v2 and refills it at the configured rate of the injected clock', async () => {
      const api = h.sim.fleet.v2Apis[0]!;
      await h.v1.send(new GetRestApisCommand({}));
      await h.v2.send(new GetApisCommand({}));
      await h.v2.send(new GetV2StagesCommand({ ApiId: api.apiId }));
      await expect(h.v2.send(new GetApisCommand({}))).rejects.toBeInstanceOf(V2TooManyRequestsException);

      clockMs += 499; // 0.998 tokens: still empty
      await expect(h.v1.send(new GetRestApisCommand({}))).rejects.toBeInstanceOf(TooManyRequestsException);
      clockMs += 1; // 1 token
      await expect(h.v1.send(new GetRestApisCommand({}))).resolves.toBeDefined();
      await expect(h.v1.send(new GetRestApisCommand({}))).rejects.toBeInstanceOf(TooManyRequestsException);

      clockMs += 60_000; // refills up to the burst, not beyond
      const results = await Promise.allSettled(
        Array.from({ length: 4 }, () => h.v1.send(new GetRestApisCommand({}))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(h.sim.counts.throttled).toBe(4);
      expect(h.sim.counts.total).toBe(11);
    });
  });

  describe('failure injection and counters', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ fleet: generateFleet({ restApis: 4, httpApis: 4, seed: 9 }) });
    });
    afterAll(() => h.stop());
    beforeEach(() => {
      h.sim.clearFailures();
      h.sim.resetCounts();
    });

    it('fails the matching API the given number of times, then answers normally', async () => {
      const [target, other] = h.sim.fleet.restApis;
      h.sim.failOn({
        operation: 'GetStages',
        apiId: target!.id,
        status: 404,
        errorType: 'NotFoundException',
        times: 2,
      });

      await expect(h.v1.send(new GetStagesCommand({ restApiId: other!.id }))).resolves.toBeDefined();
      await expect(h.v1.send(new GetStagesCommand({ restApiId: target!.id }))).rejects.toBeInstanceOf(
        NotFoundException,
      );
      await expect(h.v1.send(new GetStagesCommand({ restApiId: target!.id }))).rejects.toBeInstanceOf(
        NotFoundException,
      );
      await expect(h.v1.send(new GetStagesCommand({ restApiId: target!.id }))).resolves.toBeDefined();
      expect(h.sim.counts).toEqual({
        total: 4,
        byOperation: { GetRestApis: 0, GetStages: 4, GetApis: 0, GetStagesV2: 0 },
        throttled: 0,
        errors: 2,
      });
    });

    it('fails forever without times, until clearFailures()', async () => {
      h.sim.failOn({
        operation: 'GetApis',
        status: 403,
        errorType: 'AccessDeniedException',
        message: 'denied',
      });
      for (let i = 0; i < 3; i++) {
        const error = await h.v2.send(new GetApisCommand({})).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AccessDeniedException);
        expect(error).toMatchObject({ message: 'denied', $metadata: { httpStatusCode: 403 } });
      }
      await expect(h.v1.send(new GetRestApisCommand({}))).resolves.toBeDefined();
      h.sim.clearFailures();
      await expect(h.v2.send(new GetApisCommand({}))).resolves.toBeDefined();
      expect(h.sim.counts.errors).toBe(3);
    });

    it('surfaces an error type the model does not know as a service exception of that name', async () => {
      h.sim.failOn({ status: 403, errorType: 'AccessDeniedException' });
      const error = await h.v1.send(new GetRestApisCommand({})).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIGatewayServiceException);
      expect(error).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    });

    it('counts an injected 429 as throttled, not as an error', async () => {
      h.sim.failOn({ status: 429, errorType: 'TooManyRequestsException', times: 1 });
      await expect(h.v1.send(new GetRestApisCommand({}))).rejects.toBeInstanceOf(TooManyRequestsException);
      expect(h.sim.counts).toMatchObject({ total: 1, throttled: 1, errors: 0 });
    });

    it('counts every call of a full scan exactly, by operation', async () => {
      const { ids } = await listRestApiIds(h, 3);
      for (const id of ids) await h.v1.send(new GetStagesCommand({ restApiId: id }));
      const v2 = await listV2ApiIds(h, '2');
      for (const apiId of v2.ids) await listV2StageNames(h, apiId, '2');
      // 4 REST APIs in pages of 3 -> 2 pages; 4 v2 APIs in pages of 2 -> 2 pages; 3 stages in pages of 2 -> 2 pages each.
      expect(h.sim.counts).toEqual({
        total: 2 + 4 + 2 + 8,
        byOperation: { GetRestApis: 2, GetStages: 4, GetApis: 2, GetStagesV2: 8 },
        throttled: 0,
        errors: 0,
      });
      h.sim.resetCounts();
      expect(h.sim.counts.total).toBe(0);
    });

    it('refuses a failure rule it cannot honour, saying what to fix', () => {
      expect(() => h.sim.failOn({ status: 200, errorType: 'NotFoundException' })).toThrow(/status must be/);
      expect(() => h.sim.failOn({ status: 404, errorType: 'NotFoundException', times: 0 })).toThrow(/times/);
    });
  });

  describe('lifecycle', () => {
    it('adds the configured latency and stops accepting connections once closed', async () => {
      const h = await startHarness({ fleet: generateFleet({ restApis: 1, httpApis: 0 }), latencyMs: 30 });
      const started = performance.now();
      await h.v1.send(new GetRestApisCommand({}));
      expect(performance.now() - started).toBeGreaterThanOrEqual(25);
      await h.stop();
      await expect(fetch(`${h.sim.endpoint}/restapis`)).rejects.toThrow();
    });

    it('refuses a rate limit it cannot honour, saying what to fix', async () => {
      await expect(
        startSimulator({ fleet: { restApis: [], v2Apis: [] }, rateLimit: { ratePerSecond: 0, burst: 1 } }),
      ).rejects.toThrow(/ratePerSecond must be a positive number/);
    });
  });
});
