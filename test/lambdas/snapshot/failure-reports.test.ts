import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Message } from '@aws-sdk/client-sqs';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import type * as RescanHandler from '../../../lambdas/snapshot/rescan-handler';
import type * as SnapshotHandler from '../../../lambdas/snapshot/handler';
import type { ScanFailureReport } from '../../../shared/scan';
import { tableDefinition } from '../../../shared/store';
import { eventOf } from '../../attribution/fixtures';
import { HTTP_PAYMENTS, REST_ORDERS, SECRET_VALUES, scanFleet } from '../../scan/scan-fleet';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import type { ControlPlaneSimulator } from '../../support/simulator';
import { startSimulator } from '../../support/simulator';
import { captureJsonLines } from '../capture-output';
import { scanningEnv } from '../scanning-env';

/**
 * What a scan could not read reaches the failure queue, whose alarm pages (docs/deploy.md, "The
 * failure queue"): the scheduled snapshot handler and the rescan handler, loaded as Lambda loads
 * them, against moto (SQS, DynamoDB, STS) and the control-plane simulator (API Gateway), which
 * refuses one API's stages.
 */
const region = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's account for the 'testing' keys
const TABLE = 'stage-drift-failure-reports';

let moto: MotoServer;
let sim: ControlPlaneSimulator;
let sqs: SQSClient;
let failureQueueUrl = '';
let eventsQueueArn = '';
const savedEnv = { ...process.env };

const env = (extra: Record<string, string> = {}) => ({
  ...scanningEnv(moto.endpoint, region, TABLE),
  AWS_ENDPOINT_URL_API_GATEWAY: sim.endpoint,
  AWS_ENDPOINT_URL_APIGATEWAYV2: sim.endpoint,
  STAGE_DRIFT_FAILURE_QUEUE_URL: failureQueueUrl,
  ...extra,
});

const load = <T extends object>(module: string, extra: Record<string, string> = {}): T => {
  process.env = env(extra);
  let loaded: T | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<T>(module);
  });
  return loaded!;
};
const loadSnapshot = (extra?: Record<string, string>) =>
  load<typeof SnapshotHandler>('../../../lambdas/snapshot/handler', extra);
const loadRescan = (extra?: Record<string, string>) =>
  load<typeof RescanHandler>('../../../lambdas/snapshot/rescan-handler', {
    STAGE_DRIFT_EVENTS_QUEUE_ARN: eventsQueueArn,
    ...extra,
  });

const contextFor = (awsRequestId: string, functionName = 'stage-drift-snapshot'): Context =>
  ({
    awsRequestId,
    functionName,
    invokedFunctionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${functionName}`,
    getRemainingTimeInMillis: () => 600_000,
  }) as unknown as Context;

/** Every message in the failure queue (moto delivers them at once). */
const drain = async (): Promise<Message[]> => {
  const out: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: failureQueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 300,
      }),
    );
    if (Messages.length === 0) return out;
    out.push(...Messages);
  }
};
const reportOf = (message: Message) => JSON.parse(message.Body!) as ScanFailureReport;

beforeAll(async () => {
  moto = await startMoto();
  sim = await startSimulator({ fleet: scanFleet() });
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  const dynamo = new DynamoDBClient(config);
  await dynamo.send(new CreateTableCommand(tableDefinition(TABLE)));
  dynamo.destroy();
  sqs = new SQSClient(config);
  failureQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'stage-drift-failures' }))).QueueUrl!;
  const events = (await sqs.send(new CreateQueueCommand({ QueueName: 'stage-drift-events' }))).QueueUrl!;
  eventsQueueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: events, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
}, 60_000);

afterEach(async () => {
  sim.clearFailures();
  await sqs.send(new PurgeQueueCommand({ QueueUrl: failureQueueUrl }));
});

afterAll(async () => {
  process.env = { ...savedEnv };
  sqs?.destroy();
  await sim?.close();
  await moto?.stop();
});

describe('the failure reports of the scanning functions', () => {
  it('sends what a scheduled scan could not read to the failure queue, and stores what it could', async () => {
    // Prepare: the orders API's stages are refused; the rest of the fleet reads.
    sim.failOn({
      operation: 'GetStages',
      apiId: REST_ORDERS,
      status: 403,
      errorType: 'AccessDeniedException',
    });
    const { handler } = loadSnapshot();

    // Act
    const { result, lines } = await captureJsonLines(() => handler({}, contextFor('run-fail-0001')));

    // Assess: the run succeeded (its other stages are stored), with one failure, reported once.
    expect(result).toMatchObject({ failures: 1 });
    expect((result as { stagesRead: number }).stagesRead).toBeGreaterThan(0);
    const messages = await drain();
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message!.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'stage-drift.scan-failure' },
      source: { DataType: 'String', StringValue: 'scheduled-scan' },
    });
    const report = reportOf(message!);
    expect(report).toEqual({
      kind: 'stage-drift.scan-failure',
      source: 'scheduled-scan',
      runId: 'run-fail-0001',
      failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      scopes: [
        {
          account: ACCOUNT,
          region,
          failures: [expect.objectContaining({ kind: 'collect', apiId: REST_ORDERS })],
        },
      ],
    });
    expect(JSON.stringify(report.scopes[0]!.failures[0])).toContain('AccessDeniedException');
    // The log group has it too, with the run id; no stage variable value anywhere.
    expect(lines.find((l) => l.message === 'scan failure reported')).toMatchObject({
      runId: 'run-fail-0001',
      source: 'scheduled-scan',
      scopes: [`${ACCOUNT}/${region}`],
      failureQueue: 'sent',
    });
    const printed = JSON.stringify([lines, messages]);
    for (const secret of SECRET_VALUES) expect(printed).not.toContain(secret);
  });

  it('sends nothing when every API was read', async () => {
    const { handler } = loadSnapshot();
    const { result } = await captureJsonLines(() => handler({}, contextFor('run-ok-0001')));
    expect(result).toMatchObject({ failures: 0 });
    expect(await drain()).toEqual([]);
  });

  it('fails the invocation when the failure queue cannot take the report, so the failure is never lost', async () => {
    // Prepare: a queue that does not exist; Lambda's on-failure destination then has the run.
    sim.failOn({
      operation: 'GetStages',
      apiId: REST_ORDERS,
      status: 403,
      errorType: 'AccessDeniedException',
    });
    const { handler } = loadSnapshot({
      STAGE_DRIFT_FAILURE_QUEUE_URL: failureQueueUrl.replace(/[^/]+$/, 'no-such-queue'),
    });

    // Act
    const { result: error, lines } = await captureJsonLines(() =>
      handler({}, contextFor('run-fail-0002')).then(
        () => undefined,
        (e: unknown) => e as Error,
      ),
    );

    // Assess: the invocation fails, and the log group still has the report.
    expect(error).toBeInstanceOf(Error);
    expect(lines.find((l) => l.message === 'scan failure reported')).toMatchObject({
      runId: 'run-fail-0002',
    });
  });

  it('skips a scheduled tick that starts a whole period late, and runs one that is on time', async () => {
    const { handler } = loadSnapshot();
    const now = Date.now();
    const tick = (minutesAgo: number) => ({
      source: 'stage-drift.schedule',
      scheduledTime: new Date(now - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      periodMinutes: 15,
    });
    sim.resetCounts();

    // Act 1: a tick due 20 minutes ago (it waited behind a scan that outlasted the period)
    const late = await captureJsonLines(() => handler(tick(20), contextFor('run-late-0001')));

    // Assess 1: skipped, no API Gateway call, logged as such.
    expect(late.result).toMatchObject({ skipped: 'late' });
    expect((late.result as unknown as { lateMs: number }).lateMs).toBeGreaterThanOrEqual(20 * 60_000);
    expect(sim.counts.total).toBe(0);
    expect(late.lines.map((l) => l.message)).toEqual(['scheduled run skipped: a newer one is due']);

    // Act 2: a tick due a minute ago
    const onTime = await captureJsonLines(() => handler(tick(1), contextFor('run-late-0002')));

    // Assess 2: a scan.
    expect(onTime.result).toMatchObject({ failures: 0 });
    expect(sim.counts.total).toBeGreaterThan(0);
  });

  it('sends what a rescan could not read, with the rescan as its source', async () => {
    // Prepare: a CloudTrail event naming the HTTP API, whose stages are refused.
    sim.failOn({
      operation: 'GetStagesV2',
      apiId: HTTP_PAYMENTS,
      status: 403,
      errorType: 'AccessDeniedException',
    });
    const event = eventOf('http-update-stage-console');
    const detail = event.detail as Record<string, unknown> & { requestParameters: Record<string, unknown> };
    detail.requestParameters.apiId = HTTP_PAYMENTS;
    detail.recipientAccountId = ACCOUNT;
    detail.eventTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const { handler } = loadRescan();

    // Act
    const { result } = await captureJsonLines(() =>
      handler(
        {
          Records: [
            {
              messageId: 'm-1',
              receiptHandle: 'rh-1',
              body: JSON.stringify({ ...event, account: ACCOUNT, region }),
              attributes: {},
              messageAttributes: {},
              md5OfBody: '-',
              eventSource: 'aws:sqs',
              eventSourceARN: eventsQueueArn,
              awsRegion: region,
            },
          ],
        },
        contextFor('run-rescan-0001', 'stage-drift-rescan'),
      ),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const messages = await drain();
    expect(messages.map(reportOf)).toEqual([
      expect.objectContaining({
        kind: 'stage-drift.scan-failure',
        source: 'rescan',
        runId: 'run-rescan-0001',
        scopes: [
          expect.objectContaining({
            account: ACCOUNT,
            region,
            failures: [expect.objectContaining({ apiId: HTTP_PAYMENTS })],
          }),
        ],
      }),
    ]);
  });
});
