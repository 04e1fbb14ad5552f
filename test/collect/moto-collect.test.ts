import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateStageCommand as CreateV2StageCommand,
  DeleteStageCommand as DeleteV2StageCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { CollectResult, RawStage } from '../../shared/collect';
import { COLLECTOR_CLIENT_CONFIG, collectStages } from '../../shared/collect';
import { diffStageSets } from '../../shared/diff';
import type { StageSnapshot } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage } from '../../shared/normalize';
import type { MotoServer } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';

// The collectors and the normalizer against moto (python3 -m moto.server): stages created and
// patched through the real SDK come out canonical and diff as expected.

const region = 'us-east-1';
let moto: MotoServer;
let rest: APIGatewayClient;
let v2: ApiGatewayV2Client;

const toSnapshot = (raw: RawStage): StageSnapshot => {
  const context = { account: '123456789012', region, api: raw.api };
  return raw.apiType === 'REST'
    ? normalizeRestStage(raw.stage, context)
    : normalizeV2Stage(raw.stage, context);
};

const collect = async (): Promise<{ result: CollectResult; snapshots: StageSnapshot[] }> => {
  const result = await collectStages(
    { restClient: rest, v2Client: v2 },
    { ratePerSecond: 1000, burst: 1000 },
  );
  return { result, snapshots: result.stages.map(toSnapshot) };
};

const byStage = (snapshots: StageSnapshot[], apiId: string, stageName: string): StageSnapshot => {
  const found = snapshots.find((s) => s.key.apiId === apiId && s.key.stageName === stageName);
  if (!found) throw new Error(`no snapshot for ${apiId}/${stageName}`);
  return found;
};

const options = { fingerprintKey: 'test-key' };

beforeAll(async () => {
  moto = await startMoto();
  const config = {
    endpoint: moto.endpoint,
    region,
    credentials: AWS_TEST_CREDENTIALS,
    ...COLLECTOR_CLIENT_CONFIG,
  };
  rest = new APIGatewayClient(config);
  v2 = new ApiGatewayV2Client(config);
});

afterAll(async () => {
  rest?.destroy();
  v2?.destroy();
  await moto?.stop();
});

beforeEach(() => moto.reset());

const createOrdersApi = async () => {
  const restApiId = await createRestApiWithStage(
    rest,
    { name: 'orders-api', tags: { team: 'orders' } },
    {
      stageName: 'prod',
      description: 'Production',
      variables: { backendUrl: 'https://orders.internal', dbPassword: 'hunter2' },
      tracingEnabled: true,
      tags: { env: 'prod' },
    },
  );
  await rest.send(
    new UpdateStageCommand({
      restApiId,
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
        { op: 'replace', path: '/*/*/metrics/enabled', value: 'true' },
      ],
    }),
  );
  return restApiId;
};

describe('collecting from moto', () => {
  it('reads REST stages created through the SDK into canonical snapshots', async () => {
    const restApiId = await createOrdersApi();

    const { result, snapshots } = await collect();

    expect(result.failures).toEqual([]);
    expect(result.listing).toEqual({ REST: 'complete', V2: 'complete' });
    expect(result.readApiIds).toContain(restApiId);
    const prod = byStage(snapshots, restApiId, 'prod');
    expect(prod.key).toEqual({
      account: '123456789012',
      region,
      apiType: 'REST',
      apiId: restApiId,
      stageName: 'prod',
    });
    expect(prod.apiName).toBe('orders-api');
    expect(prod.config).toMatchObject({
      description: 'Production',
      tracingEnabled: true,
      cacheClusterEnabled: false,
      variables: { backendUrl: 'https://orders.internal', dbPassword: 'hunter2' },
      methodSettings: { '*/*': expect.objectContaining({ loggingLevel: 'INFO', metricsEnabled: true }) },
    });
    expect(prod.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('diffs REST stages patched through UpdateStage with the expected severities', async () => {
    const restApiId = await createOrdersApi();
    const before = (await collect()).snapshots;

    await rest.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' },
          { op: 'replace', path: '/tracingEnabled', value: 'false' },
          { op: 'replace', path: '/variables/dbPassword', value: 'correct-horse' },
          { op: 'replace', path: '/description', value: 'Production (edited in the console)' },
        ],
      }),
    );
    const after = (await collect()).snapshots;

    const drifts = diffStageSets(before, after, options);
    expect(drifts).toHaveLength(1);
    const [drift] = drifts;
    expect(drift).toMatchObject({ change: 'MODIFIED', severity: 'HIGH' });
    const summary = drift!.changes.map((c) => [c.path.join('.'), c.severity, c.control ?? null]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['methodSettings.*/*.loggingLevel', 'HIGH', 'APIGateway.1'],
        ['tracingEnabled', 'MEDIUM', 'APIGateway.3'],
        ['variables.dbPassword', 'MEDIUM', null],
        ['description', 'LOW', null],
      ]),
    );
    expect(JSON.stringify(drift)).not.toContain('hunter2');
    expect(JSON.stringify(drift)).not.toContain('correct-horse');
  });

  it('an unchanged rescan yields identical hashes and no drift', async () => {
    await createOrdersApi();
    const first = (await collect()).snapshots;
    const second = (await collect()).snapshots;
    expect(second.map((s) => s.hash)).toEqual(first.map((s) => s.hash));
    expect(diffStageSets(first, second, options)).toEqual([]);
  });

  it('reads HTTP and WebSocket stages and reports a recreated stage without access logging', async () => {
    const http = await v2.send(new CreateApiCommand({ Name: 'pets-http', ProtocolType: 'HTTP' }));
    const ws = await v2.send(
      new CreateApiCommand({
        Name: 'chat-ws',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    );
    const accessLog = {
      DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:pets-access',
      Format: '$context.requestId $context.status',
    };
    await v2.send(
      new CreateV2StageCommand({
        ApiId: http.ApiId!,
        StageName: 'prod',
        AccessLogSettings: accessLog,
        DefaultRouteSettings: {
          DetailedMetricsEnabled: true,
          ThrottlingBurstLimit: 100,
          ThrottlingRateLimit: 50,
        },
        StageVariables: { table: 'pets-prod' },
      }),
    );
    await v2.send(
      new CreateV2StageCommand({
        ApiId: ws.ApiId!,
        StageName: 'production',
        DefaultRouteSettings: { LoggingLevel: 'INFO', DataTraceEnabled: false },
      }),
    );

    const first = await collect();
    expect(first.result.failures).toEqual([]);
    const httpProd = byStage(first.snapshots, http.ApiId!, 'prod');
    expect(httpProd.key.apiType).toBe('HTTP');
    expect(httpProd.config).toMatchObject({
      accessLogSettings: { destinationArn: accessLog.DestinationArn, format: accessLog.Format },
      defaultRouteSettings: {
        detailedMetricsEnabled: true,
        throttlingBurstLimit: 100,
        throttlingRateLimit: 50,
      },
      stageVariables: { table: 'pets-prod' },
      autoDeploy: false,
    });
    const wsProd = byStage(first.snapshots, ws.ApiId!, 'production');
    expect(wsProd.key.apiType).toBe('WEBSOCKET');
    expect(wsProd.config).toMatchObject({ defaultRouteSettings: { loggingLevel: 'INFO' } });

    // moto has no v2 UpdateStage: delete and recreate, as an out-of-band change would.
    await v2.send(new DeleteV2StageCommand({ ApiId: http.ApiId!, StageName: 'prod' }));
    await v2.send(
      new CreateV2StageCommand({
        ApiId: http.ApiId!,
        StageName: 'prod',
        DefaultRouteSettings: {
          DetailedMetricsEnabled: true,
          ThrottlingBurstLimit: 100,
          ThrottlingRateLimit: 50,
        },
        StageVariables: { table: 'pets-prod' },
      }),
    );
    await v2.send(new DeleteV2StageCommand({ ApiId: ws.ApiId!, StageName: 'production' }));

    const second = await collect();
    const drifts = diffStageSets(first.snapshots, second.snapshots, options);
    const byName = Object.fromEntries(drifts.map((d) => [d.key.stageName, d]));
    expect(byName.production).toMatchObject({ change: 'DELETED', severity: 'HIGH' });
    expect(['MODIFIED', 'RECREATED']).toContain(byName.prod?.change);
    expect(byName.prod?.changes).toEqual([
      expect.objectContaining({
        path: ['accessLogSettings'],
        kind: 'removed',
        severity: 'HIGH',
        control: 'APIGateway.9',
      }),
    ]);
  });
});
