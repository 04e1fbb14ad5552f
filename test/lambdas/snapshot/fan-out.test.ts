import { APIGatewayClient, CreateRestApiCommand } from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context, SQSEvent } from 'aws-lambda';
import type * as Handler from '../../../lambdas/snapshot/handler';
import type * as PlannerHandler from '../../../lambdas/snapshot/planner-handler';
import { DynamoSnapshotHistory, tableDefinition } from '../../../shared/store';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import { scanningEnv } from '../scanning-env';
import { createMotoOrganization } from '../../support/moto-organizations';
import { startRefusingSts } from '../../support/refusing-sts';
import { captureJsonLines } from '../capture-output';

type HandlerModule = typeof Handler;

const HANDLER = '../../../lambdas/snapshot/handler';
const PLANNER = '../../../lambdas/snapshot/planner-handler';
const region = 'us-east-1';
const TABLE = 'stage-drift-fan-out';
const MEMBER = '111111111111';
const OTHER = '222222222222';
/** moto's account: the one in `contextFor`'s function ARN. */
const OWN = '123456789012';
const ROLE = (account: string) => `arn:aws:iam::${account}:role/StageDriftReader`;

let moto: MotoServer;
let sqs: SQSClient;
let dynamo: DynamoDBClient;
let queueUrl = '';
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  sqs = new SQSClient(config);
  dynamo = new DynamoDBClient(config);
  await dynamo.send(new CreateTableCommand(tableDefinition(TABLE)));
  const queue = await sqs.send(
    new CreateQueueCommand({ QueueName: 'tasks.fifo', Attributes: { FifoQueue: 'true' } }),
  );
  queueUrl = queue.QueueUrl!;
});

afterAll(async () => {
  sqs?.destroy();
  dynamo?.destroy();
  await moto?.stop();
});

afterEach(async () => {
  process.env = { ...savedEnv };
  jest.restoreAllMocks();
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
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
const loadHandler = (env: Record<string, string>) => load<HandlerModule>(HANDLER, env);
const loadPlanner = (env: Record<string, string>) => load<typeof PlannerHandler>(PLANNER, env);

const contextFor = (awsRequestId: string, remainingMs = 600_000): Context =>
  ({
    awsRequestId,
    functionName: 'stage-drift-snapshot',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:stage-drift-snapshot`,
    getRemainingTimeInMillis: () => remainingMs,
  }) as unknown as Context;

/** Runs `act` with stdout and stderr silenced (the handler logs JSON lines). */
const quietly = async <T>(act: () => Promise<T>): Promise<T> => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await act();
  } finally {
    jest.restoreAllMocks();
  }
};

const env = (extra: Record<string, string> = {}) => ({
  ...scanningEnv(moto.endpoint, region, TABLE),
  STAGE_DRIFT_TASK_QUEUE_URL: queueUrl,
  STAGE_DRIFT_EXTERNAL_ID: 'stage-drift-7f3a',
  ...extra,
});

const receiveAll = async (): Promise<Message[]> => {
  const messages: Message[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
      }),
    );
    const batch = (out.Messages ?? []).filter(
      (m) => !messages.some((seen) => seen.MessageId === m.MessageId),
    );
    if (batch.length === 0) return messages;
    messages.push(...batch);
    for (const m of batch)
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
  }
};

const sqsEvent = (messages: readonly { body: string; messageId: string }[]): SQSEvent =>
  ({
    Records: messages.map((m) => ({ messageId: m.messageId, body: m.body, eventSource: 'aws:sqs' })),
  }) as unknown as SQSEvent;

describe('the snapshot handler in fan-out mode', () => {
  it('fails at import when targets are set without the queue, naming the variable', () => {
    expect(() =>
      loadHandler({ STAGE_DRIFT_TABLE: TABLE, AWS_REGION: region, STAGE_DRIFT_TARGET_ACCOUNTS: MEMBER }),
    ).toThrow('STAGE_DRIFT_TASK_QUEUE_URL: required with STAGE_DRIFT_TARGET_ACCOUNTS');
    expect(() => loadHandler(env({ STAGE_DRIFT_TARGET_ACCOUNTS: `${MEMBER},42` }))).toThrow(
      'STAGE_DRIFT_TARGET_ACCOUNTS[1]: "42" is not an AWS account id',
    );
    expect(() => loadHandler(env({ STAGE_DRIFT_TARGET_OU: 'ou-x' }))).toThrow(
      'STAGE_DRIFT_TARGET_OU: "ou-x" is not an organizational unit id',
    );
  });

  it('refuses a scheduled event: in fan-out mode the planner plans', async () => {
    const { handler } = loadHandler(env({ STAGE_DRIFT_TARGET_ACCOUNTS: MEMBER }));
    await expect(
      quietly(() => handler({ source: 'stage-drift.schedule' }, contextFor('tick'))),
    ).rejects.toThrow('in fan-out mode the planner function plans the tasks');
    expect(await receiveAll()).toEqual([]);
  });

  it('scans a task in the member account with its role, continues a scope that runs out of time, then completes it', async () => {
    // Prepare: three REST APIs in the member account, created with its assumed role.
    const assumed = await new STSClient({
      endpoint: moto.endpoint,
      region,
      credentials: AWS_TEST_CREDENTIALS,
    }).send(new AssumeRoleCommand({ RoleArn: ROLE(MEMBER), RoleSessionName: 'test' }));
    const member = new APIGatewayClient({
      endpoint: moto.endpoint,
      region,
      credentials: {
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      },
    });
    for (const name of ['a-api', 'b-api', 'c-api']) await member.send(new CreateRestApiCommand({ name }));
    member.destroy();
    const { handler } = loadHandler(env({ STAGE_DRIFT_TARGET_ACCOUNTS: MEMBER }));
    const body = JSON.stringify({ account: MEMBER, region, roleArn: ROLE(MEMBER) });

    // Act 1: 1 s left: the first chunk reads one API and enqueues the rest.
    const first = await quietly(() =>
      handler(sqsEvent([{ body, messageId: 'm-1' }]), contextFor('task-1', 1_000)),
    );
    const [continuation] = await receiveAll();

    // Assess 1
    expect(first).toEqual({ batchItemFailures: [] });
    expect(continuation?.Attributes?.MessageGroupId).toBe(`${MEMBER}#${region}`);
    const next = JSON.parse(continuation!.Body!) as {
      continuation: { chunk: number; remainingApiIds: { rest: string[] } };
    };
    expect(next.continuation.chunk).toBe(2);
    expect(next.continuation.remainingApiIds.rest).toHaveLength(2);
    const history = new DynamoSnapshotHistory(dynamo, { tableName: TABLE });
    expect((await history.listRuns(MEMBER, region)).runs[0]!.progress).toMatchObject({
      state: 'in-progress',
    });

    // Act 2: the continuation, with time enough
    const second = await quietly(() =>
      handler(sqsEvent([{ body: continuation!.Body!, messageId: 'm-2' }]), contextFor('task-2')),
    );

    // Assess 2
    expect(second).toEqual({ batchItemFailures: [] });
    expect(await receiveAll()).toEqual([]);
    const runs = (await history.listRuns(MEMBER, region)).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.summary).toMatchObject({
      account: MEMBER,
      apisListed: 3,
      apisRead: 3,
      chunks: 2,
      baseline: true,
    });
    expect(runs[0]!.progress).toEqual({ state: 'complete' });
  });

  it("fails a refused member's task alone: no retry, nothing written, AssumeRoleFailures counted, the batch's other task scanned", async () => {
    // Prepare: STS refuses every role (a member whose trust policy does not name us); the rest is moto.
    const sts = await startRefusingSts(OWN);
    try {
      const { handler } = loadHandler(
        env({ STAGE_DRIFT_TARGET_ACCOUNTS: `${OTHER},${OWN}`, AWS_ENDPOINT_URL_STS: sts.endpoint }),
      );
      const lines: string[] = [];
      jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const history = new DynamoSnapshotHistory(dynamo, { tableName: TABLE });
      const runsBefore = (await history.listRuns(OTHER, region)).runs.length;

      // Act
      const result = await handler(
        sqsEvent([
          { body: JSON.stringify({ account: OTHER, region, roleArn: ROLE(OTHER) }), messageId: 'refused' },
          { body: JSON.stringify({ account: OWN, region }), messageId: 'own' },
        ]),
        contextFor('task-refused'),
      );
      jest.restoreAllMocks();

      // Assess
      expect(result).toEqual({ batchItemFailures: [] }); // retrying cannot fix a trust policy
      expect(sts.assumeRoleCalls()).toBeGreaterThanOrEqual(1);
      expect((await history.listRuns(OTHER, region)).runs).toHaveLength(runsBefore);
      expect((await history.listRuns(OWN, region)).runs.length).toBeGreaterThanOrEqual(1);
      const records = lines.flatMap((line) => line.split('\n')).filter((l) => l.startsWith('{'));
      const parsed = records.map((l) => JSON.parse(l) as Record<string, unknown>);
      const failed = parsed.find((r) => r.message === 'task finished' && r.outcome === 'failed');
      expect(failed).toMatchObject({ scope: `${OTHER}/${region}` });
      expect(parsed.some((r) => r.AssumeRoleFailures === 1)).toBe(true);
      expect(parsed.find((r) => r.message === 'task finished' && r.outcome === 'completed')).toMatchObject({
        scope: `${OWN}/${region}`,
      });
    } finally {
      await sts.close();
    }
  });

  it('drops a malformed message without a retry and scans the other messages of the batch', async () => {
    // Prepare
    const { handler } = loadHandler(env({ STAGE_DRIFT_TARGET_ACCOUNTS: OTHER }));

    // Act
    const result = await quietly(() =>
      handler(
        sqsEvent([
          { body: '{"account":"1"}', messageId: 'bad' },
          { body: JSON.stringify({ account: OTHER, region, roleArn: ROLE(OTHER) }), messageId: 'good' },
        ]),
        contextFor('task-3'),
      ),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const history = new DynamoSnapshotHistory(dynamo, { tableName: TABLE });
    expect((await history.listRuns(OTHER, region)).runs).toHaveLength(1);
  });

  it('refuses and counts a task naming an account, region or role that is not configured, and scans the rest', async () => {
    // Prepare: the monitor scans MEMBER in us-east-1; the queue is an input, not a trusted channel.
    const { handler } = loadHandler(env({ STAGE_DRIFT_TARGET_ACCOUNTS: MEMBER }));
    const STRANGER = '999999999999';
    const refused = [
      { account: STRANGER, region, roleArn: ROLE(STRANGER) }, // not a target
      { account: MEMBER, region: 'eu-west-1', roleArn: ROLE(MEMBER) }, // not a configured region
      { account: MEMBER, region, roleArn: `arn:aws:iam::${MEMBER}:role/Admin` }, // not the reader role
      { account: MEMBER, region }, // the function's own credentials, filed under another account
    ];
    const history = new DynamoSnapshotHistory(dynamo, { tableName: TABLE });
    const before = (await history.listRuns(MEMBER, region)).runs.length;

    // Act
    const run = await captureJsonLines(() =>
      handler(
        sqsEvent([
          ...refused.map((task, i) => ({ body: JSON.stringify(task), messageId: `refused-${i}` })),
          { body: JSON.stringify({ account: MEMBER, region, roleArn: ROLE(MEMBER) }), messageId: 'good' },
        ]),
        contextFor('task-refused-scope'),
      ),
    );

    // Assess: dropped (a retry cannot make them configured), never scanned; the good one is.
    expect(run.result).toEqual({ batchItemFailures: [] });
    expect((await history.listRuns(STRANGER, region)).runs).toEqual([]);
    expect((await history.listRuns(MEMBER, 'eu-west-1')).runs).toEqual([]);
    expect((await history.listRuns(MEMBER, region)).runs).toHaveLength(before + 1);
    const warnings = run.lines.filter((l) => l.message === 'task refused');
    expect(warnings.map((w) => [w.level, w.messageId])).toEqual(
      refused.map((_, i) => ['WARN', `refused-${i}`]),
    );
    expect(warnings.map((w) => w.reason)).toEqual([
      expect.stringContaining(`account ${STRANGER} is not a target`),
      expect.stringContaining('region eu-west-1 is not configured'),
      expect.stringContaining('is not the reader role'),
      expect.stringContaining("only the function's own account is scanned without a role"),
    ]);
    const refusals = run.lines.filter((l) => '_aws' in l).map((l) => l.TasksRefused ?? 0);
    expect(refusals.reduce((a, b) => Number(a) + Number(b), 0)).toBe(4);
    expect(await receiveAll()).toEqual([]);
  });

  it('fails the whole invocation when the function itself is broken (missing table), for SQS to retry', async () => {
    const { handler } = loadHandler(
      env({ STAGE_DRIFT_TABLE: 'no-such-table', STAGE_DRIFT_TARGET_ACCOUNTS: OTHER }),
    );
    const body = JSON.stringify({ account: OTHER, region, roleArn: ROLE(OTHER) });
    await expect(
      quietly(() => handler(sqsEvent([{ body, messageId: 'm' }]), contextFor('task-4'))),
    ).rejects.toThrow('no-such-table');
  });
});

describe('the planner handler', () => {
  it('fails at import without the task queue, naming the variable', () => {
    expect(() => loadPlanner({ STAGE_DRIFT_TABLE: TABLE, AWS_REGION: region })).toThrow(
      'STAGE_DRIFT_TASK_QUEUE_URL: required',
    );
  });

  it('plans one FIFO message per account and region, grouped by scope, once per schedule tick', async () => {
    // Prepare
    const { handler } = loadPlanner(
      env({ STAGE_DRIFT_TARGET_ACCOUNTS: `${OTHER},${MEMBER}`, STAGE_DRIFT_REGIONS: 'us-east-1,eu-west-1' }),
    );
    const tick = { source: 'stage-drift.schedule', scheduledTime: '2024-06-01T00:15:00Z' };

    // Act: the tick, and the scheduler's retry of it
    const planned = await quietly(() => handler(tick, contextFor('plan-1')));
    await quietly(() => handler(tick, contextFor('plan-2')));
    const messages = await receiveAll();

    // Assess
    expect(planned).toEqual({ accounts: 2, tasks: 4 });
    const seen = messages
      .map((m) => [m.Attributes?.MessageGroupId, JSON.parse(m.Body!) as Record<string, unknown>] as const)
      .sort(([a], [b]) => String(a).localeCompare(String(b)));
    expect(seen).toEqual([
      [`${MEMBER}#eu-west-1`, { account: MEMBER, region: 'eu-west-1', roleArn: ROLE(MEMBER) }],
      [`${MEMBER}#us-east-1`, { account: MEMBER, region: 'us-east-1', roleArn: ROLE(MEMBER) }],
      [`${OTHER}#eu-west-1`, { account: OTHER, region: 'eu-west-1', roleArn: ROLE(OTHER) }],
      [`${OTHER}#us-east-1`, { account: OTHER, region: 'us-east-1', roleArn: ROLE(OTHER) }],
    ]);
    expect(messages[0]!.Attributes?.MessageDeduplicationId).toMatch(/#2024-06-01T00:15:00Z$/);
  });

  it("plans the ACTIVE accounts of the OU's tree (Organizations) and its own account without a role", async () => {
    // Prepare: an OU with a child OU, one account in each; the function's own account is listed too.
    const organizations = new OrganizationsClient({
      endpoint: moto.endpoint,
      region,
      credentials: AWS_TEST_CREDENTIALS,
    });
    const org = await createMotoOrganization(organizations);
    const workloads = await org.ou(org.rootId, 'workloads');
    const inWorkloads = await org.account(workloads, 'api');
    const inProd = await org.account(await org.ou(workloads, 'prod'), 'prod-api');
    organizations.destroy();
    const { handler } = loadPlanner(
      env({ STAGE_DRIFT_TARGET_OU: workloads, STAGE_DRIFT_TARGET_ACCOUNTS: OWN }),
    );

    // Act
    const planned = await quietly(() =>
      handler(
        { source: 'stage-drift.schedule', scheduledTime: '2024-06-01T00:30:00Z' },
        contextFor('plan-ou'),
      ),
    );
    const messages = await receiveAll();

    // Assess
    expect(planned).toEqual({ accounts: 3, tasks: 3 });
    expect(messages.map((m) => JSON.parse(m.Body!) as unknown)).toEqual(
      expect.arrayContaining([
        { account: OWN, region },
        { account: inWorkloads, region, roleArn: ROLE(inWorkloads) },
        { account: inProd, region, roleArn: ROLE(inProd) },
      ]),
    );
  });
});
