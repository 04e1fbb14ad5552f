import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateStageCommand as CreateV2StageCommand,
  DeleteStageCommand as DeleteV2StageCommand,
  GetStagesCommand as GetV2StagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { COLLECTOR_CLIENT_CONFIG } from '../../shared/collect';
import type { ScanDeps, ScanScope } from '../../shared/scan';
import { runScan } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey, tableDefinition } from '../../shared/store';
import { ManualClock } from '../../shared/runtime';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { eventLines } from './scan-harness';

// The whole scan against moto (API Gateway v1 + v2, DynamoDB and STS in one moto server): the
// deps are built as lambdas/snapshot/deps.ts builds them, with moto as the endpoint.

const region = 'us-east-1';
const T1 = new Date('2024-06-01T01:00:00.000Z');
const T2 = new Date('2024-06-01T02:00:00.000Z');
const T3 = new Date('2024-06-01T03:00:00.000Z');
const SECRET = 'hunter2-in-moto';

let moto: MotoServer;
let rest: APIGatewayClient;
let v2: ApiGatewayV2Client;
let dynamo: DynamoDBClient;
let sts: STSClient;

beforeAll(async () => {
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  rest = new APIGatewayClient({ ...config, ...COLLECTOR_CLIENT_CONFIG });
  v2 = new ApiGatewayV2Client({ ...config, ...COLLECTOR_CLIENT_CONFIG });
  dynamo = new DynamoDBClient(config);
  sts = new STSClient(config);
});

afterAll(async () => {
  for (const client of [rest, v2, dynamo, sts]) client?.destroy();
  await moto?.stop();
});

/** As `createScanDeps` does: STS for the account, the fingerprint key from the table. */
const createMotoScanDeps = async (tableName: string): Promise<{ deps: ScanDeps; scope: ScanScope }> => {
  await dynamo.send(new CreateTableCommand(tableDefinition(tableName)));
  const [identity, fingerprintKey] = await Promise.all([
    sts.send(new GetCallerIdentityCommand({})),
    loadOrCreateFingerprintKey(dynamo, tableName),
  ]);
  const clock = new ManualClock({ start: T1.getTime() });
  return {
    scope: { account: identity.Account!, region },
    deps: {
      clientsFor: () => ({ restClient: rest, v2Client: v2 }),
      store: new DynamoSnapshotStore(dynamo, { tableName, retentionDays: 30, clock }),
      clock,
      collect: { ratePerSecond: 1_000, burst: 1_000, concurrency: 4, clock },
      diff: { fingerprintKey },
    },
  };
};

const createRestApi = async (
  name: string,
  stages: { stageName: string; variables?: Record<string, string> }[],
) => {
  const api = await rest.send(new CreateRestApiCommand({ name }));
  const restApiId = api.id!;
  const resources = await rest.send(new GetResourcesCommand({ restApiId }));
  const root = resources.items!.find((r) => r.path === '/')!;
  await rest.send(
    new PutMethodCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', authorizationType: 'NONE' }),
  );
  await rest.send(
    new PutIntegrationCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', type: 'MOCK' }),
  );
  const deployment = await rest.send(new CreateDeploymentCommand({ restApiId }));
  for (const stage of stages) {
    await rest.send(
      new CreateStageCommand({
        restApiId,
        deploymentId: deployment.id!,
        tracingEnabled: true,
        description: `${stage.stageName} of ${name}`,
        ...stage,
      }),
    );
    await rest.send(
      new UpdateStageCommand({
        restApiId,
        stageName: stage.stageName,
        patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }],
      }),
    );
  }
  return restApiId;
};

const ACCESS_LOG = {
  DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:pets-access',
  Format: '$context.requestId $context.status',
};

const createdDateOf = async (apiId: string, stageName: string): Promise<string | undefined> => {
  const stages = await v2.send(new GetV2StagesCommand({ ApiId: apiId }));
  return stages.Items?.find((stage) => stage.StageName === stageName)?.CreatedDate?.toISOString();
};

describe('runScan against moto', () => {
  it('records a baseline, then exactly the events of stages changed, deleted and created through the SDK', async () => {
    // Prepare: 2 REST APIs (3 stages), an HTTP API (1 stage), a WebSocket API (1 stage).
    const { deps, scope } = await createMotoScanDeps('moto-scan');
    const orders = await createRestApi('orders-api', [
      { stageName: 'prod', variables: { dbPassword: SECRET, logLevel: 'INFO' } },
      { stageName: 'dev' },
    ]);
    const legacy = await createRestApi('legacy-api', [{ stageName: 'prod' }]);
    const pets = (await v2.send(new CreateApiCommand({ Name: 'pets-http', ProtocolType: 'HTTP' }))).ApiId!;
    const chat = (
      await v2.send(
        new CreateApiCommand({
          Name: 'chat-ws',
          ProtocolType: 'WEBSOCKET',
          RouteSelectionExpression: '$request.body.action',
        }),
      )
    ).ApiId!;
    await v2.send(
      new CreateV2StageCommand({
        ApiId: pets,
        StageName: 'prod',
        AccessLogSettings: ACCESS_LOG,
        StageVariables: { table: 'pets-prod' },
      }),
    );
    await v2.send(
      new CreateV2StageCommand({
        ApiId: chat,
        StageName: 'production',
        DefaultRouteSettings: { LoggingLevel: 'INFO', DataTraceEnabled: false },
      }),
    );

    // Act 1: the baseline
    const baseline = await runScan(deps, { scopes: [scope], now: T1 });

    // Assess 1
    expect(scope.account).toBe('123456789012');
    expect(baseline.baseline).toBe(true);
    expect(baseline.events).toEqual([]);
    expect(baseline.scopes[0]).toMatchObject({ apisListed: 4, apisRead: 4, stagesRead: 5, failures: [] });

    // Prepare 2: v1 patch operations, v1 and v2 deletions, a v2 delete + recreate, a new stage.
    const petsCreated = await createdDateOf(pets, 'prod');
    await rest.send(
      new UpdateStageCommand({
        restApiId: orders,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' },
          { op: 'replace', path: '/tracingEnabled', value: 'false' },
          { op: 'replace', path: '/variables/dbPassword', value: `${SECRET}-rotated` },
        ],
      }),
    );
    await rest.send(new DeleteStageCommand({ restApiId: orders, stageName: 'dev' }));
    await rest.send(new DeleteRestApiCommand({ restApiId: legacy }));
    await v2.send(new DeleteV2StageCommand({ ApiId: pets, StageName: 'prod' }));
    await v2.send(
      new CreateV2StageCommand({ ApiId: pets, StageName: 'prod', StageVariables: { table: 'pets-prod' } }),
    );
    await v2.send(new CreateV2StageCommand({ ApiId: pets, StageName: 'qa' }));
    await v2.send(new DeleteV2StageCommand({ ApiId: chat, StageName: 'production' }));
    // moto stamps createdDate to the second: the recreate is RECREATED if the second moved on.
    const petsKind = (await createdDateOf(pets, 'prod')) === petsCreated ? 'MODIFIED' : 'RECREATED';

    // Act 2
    const drift = await runScan(deps, { scopes: [scope], now: T2 });

    // Assess 2
    const expected = [
      `HTTP/${pets}/prod ${petsKind} HIGH`,
      `HTTP/${pets}/qa CREATED INFO`,
      `REST/${legacy}/prod DELETED HIGH`,
      `REST/${orders}/dev DELETED HIGH`,
      `REST/${orders}/prod MODIFIED HIGH`,
      `WEBSOCKET/${chat}/production DELETED HIGH`,
    ];
    expect(drift.baseline).toBe(false);
    expect(eventLines(drift.events)).toEqual(expected.sort());
    expect(drift.scopes[0]).toMatchObject({ apisListed: 3, apisRead: 3, stagesRead: 3, failures: [] });
    const changesOf = (apiId: string, stageName: string) =>
      drift.events
        .find((e) => e.api.id === apiId && e.stageName === stageName)
        ?.changes.map((c) => `${c.path.join('.')} ${c.kind} ${c.severity}`);
    expect(changesOf(orders, 'prod')).toEqual([
      'methodSettings.*/*.loggingLevel changed HIGH',
      'tracingEnabled changed HIGH', // APIGateway.3 now fails: a regression is at least HIGH
      'variables.dbPassword changed MEDIUM',
    ]);
    expect(changesOf(pets, 'prod')).toEqual(['accessLogSettings removed HIGH']);
    expect(JSON.stringify(drift)).not.toContain(SECRET);

    // The events are in the table, and the GSI finds them by month.
    const listed = await (deps.store as DynamoSnapshotStore).listEvents({
      since: T1.toISOString(),
      until: T3.toISOString(),
    });
    expect(listed.problems).toEqual([]);
    expect(eventLines(listed.events)).toEqual(expected.sort());

    // Act 3: nothing changed since
    const quiet = await runScan(deps, { scopes: [scope], now: T3 });

    // Assess 3
    expect(quiet.events).toEqual([]);
    expect(quiet.scopes[0]).toMatchObject({ stagesRead: 3, stagesChanged: 0 });
  });
});
