import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createPublishDeps } from '../../../lambdas/publish/deps';
import { processDriftStream } from '../../../lambdas/publish/process-batch';
import { loadPublishConfigFromEnv } from '../../../shared/notify';
import { tableDefinition } from '../../../shared/store';
import { postureSummaryItem } from '../../../shared/store/posture-summary-event';
import type { FakeSlack } from '../../notify/fake-slack';
import { startFakeSlack, virtualClock, WEBHOOK_PATH } from '../../notify/fake-slack';
import { eventIdOf, postureSummaryFor, SECRET_VALUES } from '../../notify/fixtures';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import { driftImage, driftOn, insertRecord, malformedImage } from './stream-fixtures';

// The publish Lambda against moto (DynamoDB, SNS, SQS, Secrets Manager) and a local Slack.

const region = 'eu-west-1';
const TABLE = 'stage-drift';
const savedEnv = { ...process.env };
let moto: MotoServer;
let slack: FakeSlack;
let clock = virtualClock();
let sqs: SQSClient;
let alertsQueue: string;
let failureQueue: string;
let topicArn: string;
let secretArn: string;
let output: string[];

const captureOutput = () => {
  output = [];
  const keep = (chunk: unknown) => {
    output.push(String(chunk));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(keep);
  jest.spyOn(process.stderr, 'write').mockImplementation(keep);
};

const receiveAll = async (queueUrl: string): Promise<Record<string, unknown>[]> => {
  const bodies: Record<string, unknown>[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    if (!Messages?.length) return bodies;
    bodies.push(...Messages.map((m) => JSON.parse(m.Body!) as Record<string, unknown>));
  }
};

const publishEnv = () => ({
  STAGE_DRIFT_TOPIC_ARN: topicArn,
  STAGE_DRIFT_TABLE: TABLE,
  STAGE_DRIFT_SLACK_SECRET_ARN: secretArn,
  STAGE_DRIFT_FAILURE_QUEUE_URL: failureQueue,
});

beforeAll(async () => {
  moto = await startMoto();
  slack = await startFakeSlack({ now: () => clock.now() });
  // The handler builds its clients from the environment, as in Lambda.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
    AWS_MAX_ATTEMPTS: '1',
  });
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  const dynamo = new DynamoDBClient(config);
  const sns = new SNSClient(config);
  const secrets = new SecretsManagerClient(config);
  sqs = new SQSClient(config);
  await dynamo.send(new CreateTableCommand(tableDefinition(TABLE)));
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'stage-drift-alerts' }))).TopicArn!;
  alertsQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'alerts' }))).QueueUrl!;
  failureQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'stage-drift-failures' }))).QueueUrl!;
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: alertsQueue, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn! }),
  );
  secretArn = (
    await secrets.send(
      new CreateSecretCommand({ Name: 'stage-drift/slack-webhook', SecretString: slack.webhookUrl }),
    )
  ).ARN!;
  for (const c of [dynamo, sns, secrets]) c.destroy();
});

afterAll(async () => {
  process.env = savedEnv;
  sqs?.destroy();
  await slack?.stop();
  await moto?.stop();
});

beforeEach(() => {
  slack.reset();
  clock = virtualClock();
  captureOutput();
});
afterEach(() => jest.restoreAllMocks());

const batch = (...records: DynamoDBStreamEvent['Records']): DynamoDBStreamEvent => ({ Records: records });

describe('processDriftStream', () => {
  const good = insertRecord('100', driftImage(driftOn('REST', 'MODIFIED', 'prod'), 'good'));
  const malformed = insertRecord('200', malformedImage());
  const rejected = insertRecord('300', driftImage(driftOn('HTTP', 'DELETED', 'rejected-stage'), 'rejected'));
  const throttled = insertRecord(
    '400',
    driftImage(driftOn('REST', 'MODIFIED', 'throttled-stage'), 'throttled'),
  );
  const info = insertRecord('500', driftImage(driftOn('HTTP', 'CREATED', 'quiet'), 'info'));

  it('returns the malformed and the retryable records as batch item failures, and routes a permanent Slack failure to the failure queue', async () => {
    // Prepare
    const deps = createPublishDeps(loadPublishConfigFromEnv(publishEnv()), { clock });
    const tools = {
      logger: new Logger({ serviceName: 'test' }),
      metrics: new Metrics({ namespace: 'Test' }),
    };
    slack.answerWith((request) => {
      if (request.body.includes('rejected-stage')) return { status: 400, body: 'invalid_payload' };
      if (request.body.includes('throttled-stage'))
        return { status: 429, body: 'rate_limited', headers: { 'Retry-After': '300' } };
      return undefined;
    });

    // Act
    const response = await processDriftStream(deps, batch(good, malformed, rejected, throttled, info), tools);

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }, { itemIdentifier: '400' }] });
    const alerts = await receiveAll(alertsQueue);
    expect(alerts.map((a) => a.Subject).sort()).toEqual([
      '[HIGH] prod of orders-api (a1b2c3d4e5) drifted in eu-west-1',
      '[HIGH] rejected-stage of pets-api (h7t7p9x2k1) was deleted in eu-west-1',
      '[HIGH] throttled-stage of orders-api (a1b2c3d4e5) drifted in eu-west-1',
      '[INFO] quiet of pets-api (h7t7p9x2k1) was created in eu-west-1',
    ]);
    // Each alert carries the CLI lines that respond to it, naming the deployed table.
    const prod = alerts
      .map(
        (a) => JSON.parse(a.Message as string) as { eventId: string; stageName: string; commands: unknown },
      )
      .find((m) => m.stageName === 'prod')!;
    expect(prod.commands).toEqual({
      ack: `stage-drift ack ${prod.eventId} --table ${TABLE}`,
      revert: `stage-drift revert a1b2c3d4e5 prod --region eu-west-1 --account 123456789012 --table ${TABLE} --dry-run`,
    });
    expect(slack.requests[0]!.body).toContain(`stage-drift ack ${prod.eventId} --table ${TABLE}`);
    const failures = await receiveAll(failureQueue);
    expect(failures).toEqual([
      expect.objectContaining({
        kind: 'stage-drift.delivery-failure',
        eventId: eventIdOf('rejected'),
        channel: 'SLACK',
        status: 400,
        slackError: 'invalid_payload',
      }),
    ]);
    expect(slack.requests).toHaveLength(3); // prod, rejected-stage, throttled-stage: INFO stays out of Slack
    expect(slack.requests.map((r) => r.at - slack.requests[0]!.at)).toEqual([0, 1000, 2000]);
    const logs = output.join('');
    expect(logs).toContain('"message":"malformed drift record"');
    expect(logs).toContain('STAGE#123456789012#eu-west-1#REST#a1b2c3d4e5#broken');
    expect(logs).toContain('"message":"publish refused for good"');
    // The failure metrics, each only when non-zero; the activity counts (AlertsPublished, …) only
    // with driftMetrics, and in the log line.
    expect(logs).toContain('"AlertFailuresPermanent":1');
    expect(logs).not.toContain('"AlertsPublished"');
    expect(logs).not.toContain('"AlertDuplicatesSkipped"');
    expect(logs).toContain('"published":2');

    // Act: Lambda retries from the first failure (200) onwards.
    slack.answerWith(() => undefined);
    const retried = await processDriftStream(deps, batch(malformed, rejected, throttled, info), tools);

    // Assess: only the throttled Slack message goes out; nothing reaches SNS or the failure queue twice.
    expect(retried).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(slack.requests).toHaveLength(4);
    expect(slack.requests[3]!.body).toContain('throttled-stage');
    expect(await receiveAll(alertsQueue)).toEqual([]);
    expect(await receiveAll(failureQueue)).toEqual([]);

    // No webhook URL and no stage variable value in any log line.
    const everything = output.join('') + JSON.stringify(failures);
    expect(everything).not.toContain(WEBHOOK_PATH.split('/').pop());
    for (const secret of SECRET_VALUES) expect(everything).not.toContain(secret);
  });
});

describe('processDriftStream with a baseline posture summary', () => {
  it('publishes the summary record of the stream (itemType DRIFT, kind POSTURE_SUMMARY) once, on SNS and Slack', async () => {
    // Prepare: the item the scan stores at a baseline, as the stream delivers it
    const deps = createPublishDeps(loadPublishConfigFromEnv(publishEnv()), { clock });
    const tools = {
      logger: new Logger({ serviceName: 'test' }),
      metrics: new Metrics({ namespace: 'Test' }),
    };
    const summary = postureSummaryItem(
      postureSummaryFor('123456789012', region, '2026-11-21T10:00:00.000Z'),
      1_900_000_000,
    );
    const record = insertRecord('900', summary as never);

    // Act: delivered, then redelivered
    const first = await processDriftStream(deps, batch(record), tools);
    const again = await processDriftStream(deps, batch(record), tools);

    // Assess
    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    const alerts = await receiveAll(alertsQueue);
    expect(alerts.map((a) => a.Subject)).toEqual([
      '[LOW] Posture of 123456789012/eu-west-1: 1 control fails on 1 of 2 stages',
    ]);
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.body).toContain('APIGateway.3');
    expect(output.join('')).not.toContain('malformed drift record');
  });
});

describe('processDriftStream on a deadline', () => {
  const BUDGET_MS = 300_000;
  const stages = ['rl-1', 'rl-2', 'rl-3', 'rl-4', 'rl-5'];
  const records = stages.map((stage, i) =>
    insertRecord(String(900 + i), driftImage(driftOn('REST', 'MODIFIED', stage), `rate-limited/${stage}`)),
  );
  /** Slack answers 429 with `Retry-After: 30` twice per message, then takes it. */
  const rateLimitTwicePerMessage = () => {
    const seen = new Map<string, number>();
    slack.answerWith((request) => {
      const stage = stages.find((s) => request.body.includes(`${s} of`));
      if (stage === undefined) return undefined;
      const n = (seen.get(stage) ?? 0) + 1;
      seen.set(stage, n);
      return n <= 2 ? { status: 429, body: 'rate_limited', headers: { 'Retry-After': '30' } } : undefined;
    });
  };

  it('stops before the deadline under Slack rate limiting, returns the unsent records as batch item failures and says why', async () => {
    // Prepare: a batch of 5 Slack-bound events, a 300 s budget on the virtual clock.
    const deps = createPublishDeps(loadPublishConfigFromEnv(publishEnv()), { clock });
    const tools = {
      logger: new Logger({ serviceName: 'test' }),
      metrics: new Metrics({ namespace: 'Test' }),
    };
    rateLimitTwicePerMessage();
    const started = clock.now();

    // Act
    const response = await processDriftStream(deps, batch(...records), tools, { remainingMs: BUDGET_MS });

    // Assess: four messages delivered, the fifth returned for the stream to retry, within the budget.
    // Each message: 429, 30 s, 429, 30 s, 200, then 1 s of pacing. The fifth's second Retry-After
    // would end at 304 s: it stops at 274 s, the request timeout and the finish still in hand.
    expect(clock.now() - started).toBe(274_000);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '904' }] });
    const attempts = stages.map((s) => slack.requests.filter((r) => r.body.includes(`${s} of`)).length);
    expect(attempts).toEqual([3, 3, 3, 3, 2]); // the fifth stopped instead of waiting past the deadline
    const lines = output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const warning = lines.find((l) => l.message === 'batch stopped before the deadline');
    expect(warning).toMatchObject({
      level: 'WARN',
      unsent: 1,
      reason: expect.stringContaining('Retry-After'),
    });
    expect(lines.find((l) => l.message === 'batch published')).toMatchObject({ batchItemFailures: 1 });
    expect(output.join('')).not.toContain(WEBHOOK_PATH.split('/').pop());

    // Act 2: the stream retries from the failed record; Slack has calmed down.
    slack.reset();
    const retried = await processDriftStream(deps, batch(records[4]!), tools, { remainingMs: BUDGET_MS });

    // Assess 2: only the fifth goes out, once.
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(slack.requests.map((r) => stages.find((s) => r.body.includes(`${s} of`)))).toEqual(['rl-5']);
    // SNS took all five in the first invocation, and none again.
    expect(await receiveAll(alertsQueue)).toHaveLength(5);
    expect(await receiveAll(failureQueue)).toEqual([]);
  });
});

describe('the handler module', () => {
  const context = {
    awsRequestId: 'req-1',
    functionName: 'stage-drift-publish',
    getRemainingTimeInMillis: () => 300_000,
  } as Context;

  it('publishes a batch end to end with its own clients, Secrets Manager for the webhook', async () => {
    Object.assign(process.env, publishEnv());
    type HandlerModule = {
      handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
    };
    let handler!: HandlerModule['handler'];
    jest.isolateModules(() => {
      ({ handler } = jest.requireActual<HandlerModule>('../../../lambdas/publish/handler'));
    });
    const fresh = insertRecord('700', driftImage(driftOn('HTTP', 'MODIFIED', 'fresh'), 'fresh'));
    const response = await handler(batch(fresh, insertRecord('701', malformedImage())), context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '701' }] });
    expect(slack.requests).toHaveLength(1);
    expect(JSON.parse(slack.requests[0]!.body)).toMatchObject({
      text: '[HIGH] fresh of pets-api (h7t7p9x2k1) drifted in eu-west-1',
    });
    const alerts = await receiveAll(alertsQueue);
    expect(alerts.map((a) => a.Subject)).toEqual([
      '[HIGH] fresh of pets-api (h7t7p9x2k1) drifted in eu-west-1',
    ]);
    const logs = output.join('');
    expect(logs).not.toContain(WEBHOOK_PATH.split('/').pop());
    for (const secret of SECRET_VALUES) expect(logs).not.toContain(secret);
  });
});
