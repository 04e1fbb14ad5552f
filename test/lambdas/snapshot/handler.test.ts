import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateStageCommand as CreateV2StageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type * as Handler from '../../../lambdas/snapshot/handler';
import { DynamoSnapshotHistory, tableDefinition } from '../../../shared/store';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import { scanningEnv } from '../scanning-env';
import { createRestApiWithStage } from '../../support/moto-rest-api';
import { captureJsonLines } from '../capture-output';

type HandlerModule = typeof Handler;

const HANDLER = '../../../lambdas/snapshot/handler';
const region = 'us-east-1';
const TABLE = 'stage-drift-handler';
const SECRET = 'handler-test-secret-value';

let moto: MotoServer;
let rest: APIGatewayClient;
let v2: ApiGatewayV2Client;
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  rest = new APIGatewayClient(config);
  v2 = new ApiGatewayV2Client(config);
  const dynamo = new DynamoDBClient(config);
  await dynamo.send(new CreateTableCommand(tableDefinition(TABLE)));
  dynamo.destroy();
});

afterAll(async () => {
  rest?.destroy();
  v2?.destroy();
  await moto?.stop();
});

afterEach(() => {
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
});

/** Loads the handler module afresh (its init runs again) with `env` as the whole environment. */
const loadHandler = (env: Record<string, string>): HandlerModule => {
  process.env = { ...env };
  let loaded: HandlerModule | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<HandlerModule>(HANDLER);
  });
  return loaded!;
};

const contextFor = (awsRequestId: string, remainingMs = 900_000): Context => ({
  awsRequestId,
  functionName: 'stage-drift-snapshot',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:stage-drift-snapshot`,
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/stage-drift-snapshot',
  logStreamName: '2024/06/01/[$LATEST]0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => remainingMs,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

const capture = captureJsonLines;

interface EmfBlob {
  readonly _aws: {
    readonly CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[];
  };
  readonly [metric: string]: unknown;
}
const isEmf = (line: Record<string, unknown>): line is EmfBlob & Record<string, unknown> => '_aws' in line;

const GOOD_ENV = () => ({
  ...scanningEnv(moto.endpoint, region, TABLE),
});

describe('the snapshot Lambda handler', () => {
  const valid = { STAGE_DRIFT_TABLE: TABLE, AWS_REGION: region };
  it.each([
    ['STAGE_DRIFT_TABLE is unset', { AWS_REGION: region }, 'STAGE_DRIFT_TABLE: required'],
    [
      'a region is unknown',
      { ...valid, STAGE_DRIFT_REGIONS: 'eu-west-1,moon-1' },
      'STAGE_DRIFT_REGIONS: unknown region "moon-1"',
    ],
    [
      'the burst is not a number',
      { ...valid, STAGE_DRIFT_BURST: 'many' },
      'STAGE_DRIFT_BURST: expected a number',
    ],
    [
      'an ignore path pattern is malformed',
      { ...valid, STAGE_DRIFT_IGNORE: '{"paths":["tags..x"]}' },
      'STAGE_DRIFT_IGNORE.paths[0]: bad path pattern',
    ],
  ])('fails at import when %s, naming the variable', (_label, env, message) => {
    expect(() => loadHandler(env)).toThrow(message);
  });

  it('scans moto, returns the totals, logs every line with the run id and emits the metrics', async () => {
    // Prepare: a REST stage and an HTTP stage in moto.
    const restApiId = await createRestApiWithStage(
      rest,
      { name: 'orders-api' },
      { stageName: 'prod', variables: { dbPassword: SECRET } },
    );
    const http = await v2.send(new CreateApiCommand({ Name: 'pets-http', ProtocolType: 'HTTP' }));
    await v2.send(new CreateV2StageCommand({ ApiId: http.ApiId!, StageName: '$default', AutoDeploy: true }));
    // With the activity metrics (driftMetrics); the default sends the failure metrics only.
    const { handler } = loadHandler({ ...GOOD_ENV(), STAGE_DRIFT_DRIFT_METRICS: 'true' });

    // Act 1: the first invocation (the baseline)
    const first = await capture(() => handler({}, contextFor('run-0001')));

    // Assess 1
    expect(first.result).toMatchObject({
      baseline: true,
      stagesRead: 2,
      stagesChanged: 2,
      failures: 0,
      calls: 4,
      events: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 },
    });
    const logs = first.lines.filter((line) => !isEmf(line));
    expect(logs.map((line) => line.message)).toEqual(['scan finished']);
    for (const line of logs)
      expect(line).toMatchObject({ runId: 'run-0001', service: 'stage-drift-snapshot' });

    // Prepare 2: a console change to the REST stage.
    await rest.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/variables/dbPassword', value: `${SECRET}-2` },
          { op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' },
        ],
      }),
    );

    // Act 2: a warm invocation
    const second = await capture(() => handler({}, contextFor('run-0002')));

    // Assess 2
    expect(second.result).toMatchObject({
      baseline: false,
      stagesRead: 2,
      stagesChanged: 1,
      failures: 0,
      events: { CRITICAL: 0, HIGH: 1, MEDIUM: 0, LOW: 0, INFO: 0 },
    });
    const emf = second.lines.filter(isEmf);
    expect(emf).toHaveLength(1);
    const blob = emf[0]!;
    const [directive] = blob._aws.CloudWatchMetrics;
    expect(directive!.Namespace).toBe('StageDrift');
    const units = Object.fromEntries(directive!.Metrics.map((m) => [m.Name, m.Unit]));
    // Only non-zero metrics: each custom metric costs for the hours it has data. The run's totals
    // are in the summary log line; the heartbeat is AWS/Lambda Invocations.
    expect(units).toMatchObject({ StagesChanged: 'Count', DriftsHIGH: 'Count' });
    for (const name of [
      'StagesScanned',
      'ControlPlaneCalls',
      'ScanDuration',
      'ScanCompleted',
      'ScanFailures',
    ]) {
      expect(units).not.toHaveProperty(name);
    }
    expect(Object.keys(units)).not.toContain('DriftsINFO');
    expect(blob).toMatchObject({ DriftsHIGH: 1, StagesChanged: 1 });
    const secondLogs = second.lines.filter((line) => !isEmf(line));
    expect(secondLogs.length).toBeGreaterThan(0);
    for (const line of secondLogs) expect(line.runId).toBe('run-0002');
    const printed = JSON.stringify([...first.lines, ...second.lines]);
    expect(printed).not.toContain(SECRET);
  });

  it('stops a scan that does not fit before the deadline and goes on with it at the next scheduled run', async () => {
    // Prepare: three stages in a region of their own; the first invocation has 1 s left, far
    // inside the 180 s kept for a read in flight and the writes, so it reads one API and stops.
    const otherRegion = 'eu-central-1';
    const client = new APIGatewayClient({
      endpoint: moto.endpoint,
      region: otherRegion,
      credentials: AWS_TEST_CREDENTIALS,
    });
    for (const name of ['a-api', 'b-api', 'c-api'])
      await createRestApiWithStage(client, { name }, { stageName: 'prod' });
    client.destroy();
    const { handler } = loadHandler({ ...GOOD_ENV(), STAGE_DRIFT_REGIONS: otherRegion });
    const history = new DynamoSnapshotHistory(
      new DynamoDBClient({ endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS }),
      { tableName: TABLE },
    );

    // Act 1
    const first = await capture(() => handler({}, contextFor('run-0201', 1_000)));

    // Assess 1: one API read, the run recorded as in progress, the continuation logged and counted.
    expect(first.result).toMatchObject({
      completed: 0,
      continued: `123456789012/${otherRegion}`,
      stagesRead: 1,
    });
    const [running] = (await history.listRuns('123456789012', otherRegion)).runs;
    expect(running).toMatchObject({
      summary: { apisListed: 3, apisRead: 1 },
      progress: { state: 'in-progress' },
    });
    // ScansContinued is an activity metric: not sent by default (driftMetrics off), only logged;
    // with no failure either, no EMF line at all.
    expect(first.lines.filter(isEmf)).toEqual([]);
    expect(first.lines.find((l) => l.message === 'scan continues at the next run')).toMatchObject({
      scope: `123456789012/${otherRegion}`,
      apisLeft: 2,
    });

    // Act 2: the next scheduled run, time enough.
    const second = await capture(() => handler({}, contextFor('run-0202')));

    // Assess 2: the same run completed (one run record), the baseline of all three stages.
    expect(second.result).toMatchObject({ completed: 1, baseline: true, stagesRead: 2 });
    const runs = (await history.listRuns('123456789012', otherRegion)).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.startedAt).toBe(running!.startedAt);
    expect(runs[0]!.summary).toMatchObject({ apisRead: 3, stagesRead: 3, chunks: 2, baseline: true });
    expect(runs[0]!.progress).toEqual({ state: 'complete' });
    // No ScanCompleted metric any more (the heartbeat is AWS/Lambda Invocations): no EMF line.
    expect(second.lines.filter(isEmf)).toEqual([]);
  });

  it('refuses an SQS batch without a task queue: CloudTrail events go to the rescan function', async () => {
    // Prepare: a single-account monitor (no STAGE_DRIFT_TASK_QUEUE_URL).
    const { handler } = loadHandler(GOOD_ENV());
    const batch = {
      Records: [{ messageId: 'm-1', body: '{}', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:x' }],
    };

    // Act
    const run = await capture(() =>
      handler(batch, contextFor('run-0101')).then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
    );

    // Assess
    expect(run.result).toContain('STAGE_DRIFT_TASK_QUEUE_URL is not set');
    expect(run.lines).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'scan failed', runId: 'run-0101' }),
    ]);
  });

  it('logs a failed scan with the run id and rethrows it', async () => {
    // Prepare: the table does not exist.
    const { handler } = loadHandler({ ...GOOD_ENV(), STAGE_DRIFT_TABLE: 'no-such-table' });

    // Act
    const run = await capture(() =>
      handler({}, contextFor('run-0003')).then(
        () => 'resolved',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
    );

    // Assess
    expect(run.result).toContain('no-such-table');
    expect(run.lines).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'scan failed', runId: 'run-0003' }),
    ]);
  });
});
