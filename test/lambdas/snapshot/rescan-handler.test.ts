import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type * as RescanHandler from '../../../lambdas/snapshot/rescan-handler';
import type * as SnapshotHandler from '../../../lambdas/snapshot/handler';
import { DynamoSnapshotStore, tableDefinition } from '../../../shared/store';
import { eventOf } from '../../attribution/fixtures';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import { scanningEnv } from '../scanning-env';
import { createRestApiWithStage } from '../../support/moto-rest-api';
import { captureJsonLines } from '../capture-output';

const RESCAN_HANDLER = '../../../lambdas/snapshot/rescan-handler';
const SNAPSHOT_HANDLER = '../../../lambdas/snapshot/handler';
const region = 'us-east-1';
const TABLE = 'stage-drift-rescan-handler';
const QUEUE_ARN = `arn:aws:sqs:${region}:123456789012:stage-drift-events`;

let moto: MotoServer;
let rest: APIGatewayClient;
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  rest = new APIGatewayClient(config);
  const dynamo = new DynamoDBClient(config);
  await dynamo.send(new CreateTableCommand(tableDefinition(TABLE)));
  dynamo.destroy();
});

afterAll(async () => {
  rest?.destroy();
  await moto?.stop();
});

afterEach(() => {
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
});

/** Loads a handler module afresh (its init runs again) with `env` as the whole environment. */
const load = <T extends object>(modulePath: string, env: Record<string, string>): T => {
  process.env = { ...env };
  let loaded: T | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<T>(modulePath);
  });
  return loaded!;
};
const loadRescan = (env: Record<string, string>) => load<typeof RescanHandler>(RESCAN_HANDLER, env);

const contextFor = (awsRequestId: string): Context =>
  ({
    awsRequestId,
    functionName: 'stage-drift-rescan',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:stage-drift-rescan`,
    getRemainingTimeInMillis: () => 60_000,
  }) as unknown as Context;

const capture = captureJsonLines;

const isEmf = (line: Record<string, unknown>): boolean => '_aws' in line;

const GOOD_ENV = () => ({
  ...scanningEnv(moto.endpoint, region, TABLE),
  STAGE_DRIFT_EVENTS_QUEUE_ARN: QUEUE_ARN,
});

/** One record as the events queue's mapping hands it over. */
const record = (messageId: string, body: string, eventSourceARN = QUEUE_ARN) => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1717200000000',
    SenderId: 'AIDAEVENTBRIDGE',
    ApproximateFirstReceiveTimestamp: '1717200000000',
  },
  messageAttributes: {},
  md5OfBody: '-',
  eventSource: 'aws:sqs',
  eventSourceARN,
  awsRegion: region,
});

describe('the rescan Lambda handler', () => {
  it('fails at import when STAGE_DRIFT_EVENTS_QUEUE_ARN is unset, naming the variable', () => {
    const env: Record<string, string> = GOOD_ENV();
    delete env.STAGE_DRIFT_EVENTS_QUEUE_ARN;
    expect(() => loadRescan(env)).toThrow(/^STAGE_DRIFT_EVENTS_QUEUE_ARN: required/);
  });

  it('rescans the API named by CloudTrail events from the events queue and attributes the drift', async () => {
    // Prepare: a REST stage scanned once by the snapshot function, then changed from the console.
    const restApiId = await createRestApiWithStage(rest, { name: 'events-api' }, { stageName: 'prod' });
    const snapshot = load<typeof SnapshotHandler>(SNAPSHOT_HANDLER, GOOD_ENV());
    await capture(() => snapshot.handler({}, contextFor('run-0101')));
    await rest.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [{ op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' }],
      }),
    );
    const change = eventOf('rest-update-stage-console');
    const detail = change.detail as { requestParameters: Record<string, unknown>; eventTime: string };
    detail.requestParameters.restApiId = restApiId;
    detail.eventTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    // Two messages for the same API (a burst) and one that is not JSON.
    const sqsEvent = {
      Records: [
        record('m-1', JSON.stringify(change)),
        record('m-2', JSON.stringify({ ...change, id: 'second' })),
        record('m-3', 'not json'),
      ],
    };
    // With the activity metrics (driftMetrics); the default sends the failure metrics only.
    const { handler } = loadRescan({ ...GOOD_ENV(), STAGE_DRIFT_DRIFT_METRICS: 'true' });

    // Act
    const { result, lines } = await capture(() => handler(sqsEvent, contextFor('run-0102')));

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const logs = lines.filter((line) => !isEmf(line));
    expect(logs.map((line) => line.message)).toEqual(['event message dropped', 'targeted rescans finished']);
    for (const line of logs) expect(line).toMatchObject({ runId: 'run-0102', service: 'stage-drift-rescan' });
    expect(logs[1]).toMatchObject({
      messages: 3,
      targets: [{ api: `123456789012/${region}/${restApiId}`, outcome: 'rescanned' }],
      calls: 2,
      events: { HIGH: 1 },
    });
    // Scan metrics under the snapshot service (one set of custom metrics for both scanning functions),
    // only the non-zero ones.
    // With driftMetrics (set above): the activity metrics too.
    const blob = lines.find(isEmf)!;
    expect(blob).toMatchObject({ service: 'stage-drift-snapshot', TargetedRescans: 1, DriftsHIGH: 1 });
    expect(blob).not.toHaveProperty('ControlPlaneCalls');
    expect(blob).not.toHaveProperty('ScanCompleted');
    const dynamo = new DynamoDBClient({ endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS });
    const { events } = await new DynamoSnapshotStore(dynamo, { tableName: TABLE }).listEvents();
    dynamo.destroy();
    expect(events.find((e) => e.api.id === restApiId)?.attribution).toMatchObject({
      status: 'attributed',
      eventName: 'UpdateStage',
      source: 'console',
    });
  });

  it.each([
    ['a batch of another queue', { Records: [record('m-1', '{}', `${QUEUE_ARN}-other`)] }],
    ['a scheduled event', { source: 'stage-drift.schedule' }],
  ])('refuses %s, failing the invocation with the run id in the log', async (_, event) => {
    // Prepare
    const { handler } = loadRescan(GOOD_ENV());

    // Act
    const run = await capture(() =>
      handler(event, contextFor('run-0201')).then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
    );

    // Assess
    expect(run.result).toContain(`expected a batch of the events queue ${QUEUE_ARN}`);
    expect(run.lines).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'unexpected event', runId: 'run-0201' }),
    ]);
  });

  it('fails the invocation, logged with the run id, when its deps cannot be built', async () => {
    // Prepare: the table does not exist.
    const { handler } = loadRescan({ ...GOOD_ENV(), STAGE_DRIFT_TABLE: 'no-such-table' });

    // Act
    const run = await capture(() =>
      handler({ Records: [record('m-1', '{}')] }, contextFor('run-0301')).then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
    );

    // Assess
    expect(run.result).toContain('no-such-table');
    expect(run.lines).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'targeted rescan failed', runId: 'run-0301' }),
    ]);
  });
});
