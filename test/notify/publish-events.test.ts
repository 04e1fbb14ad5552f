import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { PublishDeps, SlackMessage } from '../../shared/notify';
import { DynamoDeliveryLog, OutOfTimeError, publishEvents } from '../../shared/notify';
import type { DeliveryLog } from '../../shared/notify/delivery-log';
import { SlackDeliveryError, SnsDeliveryError } from '../../shared/notify/errors';
import type { DeliveryFailure } from '../../shared/notify/failure-report';
import type { SlackSender } from '../../shared/notify/slack-webhook-sender';
import type { SnsMessage } from '../../shared/notify/sns-message';
import type { SnsSink } from '../../shared/notify/sns-publisher';
import type { DynaliteServer } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import { eventFor, eventIdOf, manyEvents } from './fixtures';

// The publish use case with plain-object channels and a delivery log on dynalite.

const TABLE = 'stage-drift';
let dynalite: DynaliteServer;
let client: DynamoDBClient;
let tableNo = 0;
let log: DynamoDeliveryLog;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = dynalite.client({ maxAttempts: 1 });
});
afterAll(() => dynalite.stop());
beforeEach(async () => {
  tableNo += 1;
  await dynalite.createTable(`${TABLE}-${tableNo}`);
  log = new DynamoDeliveryLog(client, {
    tableName: `${TABLE}-${tableNo}`,
    clock: { now: () => Date.parse('2026-11-21T10:00:00.000Z'), sleep: () => Promise.resolve() },
  });
});

/** A channel that records what it was given and fails on demand. */
const recordingSns = () => {
  const sent: SnsMessage[] = [];
  let failWith: ((eventId: string) => Error | undefined) | undefined;
  const sink: SnsSink = {
    publish: (message, { eventId }) => {
      const error = failWith?.(eventId);
      if (error) return Promise.reject(error);
      sent.push(message);
      return Promise.resolve(`msg-${sent.length}`);
    },
  };
  return { sink, sent, fail: (f: typeof failWith) => (failWith = f) };
};

const recordingSlack = () => {
  const sent: SlackMessage[] = [];
  let failWith: ((message: SlackMessage) => Error | undefined) | undefined;
  const sender: SlackSender = {
    send: (message) => {
      const error = failWith?.(message);
      if (error) return Promise.reject(error);
      sent.push(message);
      return Promise.resolve();
    },
  };
  return { sender, sent, fail: (f: typeof failWith) => (failWith = f) };
};

const recordingQueue = () => {
  const reports: DeliveryFailure[] = [];
  return { queue: { report: (f: DeliveryFailure) => (reports.push(f), Promise.resolve()) }, reports };
};

const invalidPayload = () =>
  new SlackDeliveryError('The Slack webhook rejected the message (HTTP 400 invalid_payload); not retried.', {
    retryable: false,
    attempts: 1,
    status: 400,
    slackError: 'invalid_payload',
  });

const rateLimited = () =>
  new SlackDeliveryError(
    'The Slack webhook is rate limiting (HTTP 429, Retry-After 120 s); try again later.',
    {
      retryable: true,
      attempts: 1,
      status: 429,
      retryAfterMs: 120_000,
    },
  );

const setup = () => {
  const sns = recordingSns();
  const slack = recordingSlack();
  const failures = recordingQueue();
  const deps: PublishDeps = {
    sns: { publisher: sns.sink },
    slack: { sender: slack.sender },
    deliveryLog: log,
    failureQueue: failures.queue,
    clock: { now: () => Date.parse('2026-11-21T10:00:05.000Z') },
  };
  return { sns, slack, failures, deps };
};

const HIGH = eventFor('REST', 'MODIFIED');
const INFO = eventFor('HTTP', 'CREATED');

describe('publishEvents', () => {
  it('publishes every event to SNS and those at MEDIUM or above to Slack, one message each', async () => {
    const { sns, slack, deps } = setup();
    const result = await publishEvents(deps, [HIGH, INFO]);
    expect(sns.sent.map((m) => m.Subject)).toEqual([
      '[HIGH] prod of orders-api (a1b2c3d4e5) drifted in eu-west-1',
      '[INFO] prod of pets-api (h7t7p9x2k1) was created in eu-west-1',
    ]);
    expect(slack.sent.map((m) => m.text)).toEqual([
      '[HIGH] prod of orders-api (a1b2c3d4e5) drifted in eu-west-1',
    ]);
    expect(result.outcomes).toEqual([
      {
        eventId: HIGH.id,
        status: 'published',
        channels: [
          { channel: 'SNS', status: 'published' },
          { channel: 'SLACK', status: 'published', via: 'message' },
        ],
      },
      {
        eventId: INFO.id,
        status: 'published',
        channels: [
          { channel: 'SNS', status: 'published' },
          { channel: 'SLACK', status: 'skipped-filtered' },
        ],
      },
    ]);
    expect(result.counts).toMatchObject({ published: 2 });
  });

  it('skips an event published before: the same event twice is sent once', async () => {
    const { sns, slack, deps } = setup();
    await publishEvents(deps, [HIGH]);
    const again = await publishEvents(deps, [HIGH]);
    expect(sns.sent).toHaveLength(1);
    expect(slack.sent).toHaveLength(1);
    expect(again.outcomes).toEqual([
      {
        eventId: HIGH.id,
        status: 'skipped-duplicate',
        channels: [
          { channel: 'SNS', status: 'skipped-duplicate' },
          { channel: 'SLACK', status: 'skipped-duplicate' },
        ],
      },
    ]);
  });

  it('records a delivery mark per channel with a ttl, keyed DELIVERY#<eventId>', async () => {
    const { deps } = setup();
    await publishEvents(deps, [HIGH]);
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: `${TABLE}-${tableNo}`,
        Key: { PK: { S: `DELIVERY#${HIGH.id}` }, SK: { S: 'SNS' } },
      }),
    );
    expect(Item).toEqual({
      PK: { S: `DELIVERY#${HIGH.id}` },
      SK: { S: 'SNS' },
      itemType: { S: 'DELIVERY' },
      eventId: { S: HIGH.id },
      mark: { S: 'DELIVERED' },
      at: { S: '2026-11-21T10:00:00.000Z' },
      messageId: { S: 'msg-1' },
      ttl: { N: String(Date.parse('2026-11-21T10:00:00.000Z') / 1000 + 7 * 86_400) },
    });
  });

  it('sends the same event only once when it appears twice in one batch', async () => {
    const { sns, deps } = setup();
    const result = await publishEvents(deps, [HIGH, HIGH]);
    expect(sns.sent).toHaveLength(1);
    expect(result.outcomes).toHaveLength(1);
  });

  it('retries only the channel that failed: SNS is not sent twice when Slack failed the first time', async () => {
    const { sns, slack, deps } = setup();
    slack.fail(() => rateLimited());
    const first = await publishEvents(deps, [HIGH]);
    expect(first.outcomes[0]).toMatchObject({
      status: 'failed-retryable',
      channels: [
        { channel: 'SNS', status: 'published' },
        { channel: 'SLACK', status: 'failed-retryable', error: expect.stringContaining('rate limiting') },
      ],
    });
    slack.fail(undefined);
    const retry = await publishEvents(deps, [HIGH]);
    expect(retry.outcomes[0]).toMatchObject({
      status: 'published',
      channels: [
        { channel: 'SNS', status: 'skipped-duplicate' },
        { channel: 'SLACK', status: 'published' },
      ],
    });
    expect(sns.sent).toHaveLength(1);
    expect(slack.sent).toHaveLength(1);
  });

  it('holds back the rest of the Slack messages after a retryable failure', async () => {
    const { slack, deps } = setup();
    slack.fail(() => rateLimited());
    const events = manyEvents(4).filter((e) => e.severity !== 'INFO');
    const result = await publishEvents(deps, events);
    const slackOutcomes = result.outcomes.map((o) => o.channels.find((c) => c.channel === 'SLACK'));
    expect(slackOutcomes.map((c) => c?.status)).toEqual(events.map(() => 'failed-retryable'));
    expect(
      slackOutcomes.slice(1).every((c) => c?.error?.startsWith('not sent after an earlier Slack failure')),
    ).toBe(true);
  });

  it('sends a permanent Slack failure to the failure queue, marks it and does not retry it on redelivery', async () => {
    const { slack, failures, deps } = setup();
    slack.fail(() => invalidPayload());
    const first = await publishEvents(deps, [HIGH]);
    expect(first.outcomes[0]).toMatchObject({
      status: 'failed-permanent',
      channels: [
        { channel: 'SNS', status: 'published' },
        { channel: 'SLACK', status: 'failed-permanent', reported: true },
      ],
    });
    expect(failures.reports).toEqual([
      {
        kind: 'stage-drift.delivery-failure',
        eventId: HIGH.id,
        channel: 'SLACK',
        error: 'The Slack webhook rejected the message (HTTP 400 invalid_payload); not retried.',
        status: 400,
        slackError: 'invalid_payload',
        stage: {
          account: '123456789012',
          region: 'eu-west-1',
          apiType: 'REST',
          apiId: 'a1b2c3d4e5',
          stageName: 'prod',
        },
        severity: 'HIGH',
        detectedAt: HIGH.detectedAt,
        failedAt: '2026-11-21T10:00:05.000Z',
      },
    ]);
    const redelivered = await publishEvents(deps, [HIGH]);
    expect(redelivered.outcomes[0]!.status).toBe('skipped-duplicate');
    expect(failures.reports).toHaveLength(1);
  });

  it('turns a permanent failure retryable when the failure queue does not take it', async () => {
    const { slack, deps } = setup();
    slack.fail(() => invalidPayload());
    const result = await publishEvents(
      { ...deps, failureQueue: { report: () => Promise.reject(new Error('AccessDenied')) } },
      [HIGH],
    );
    expect(result.outcomes[0]).toMatchObject({ status: 'failed-retryable' });
    expect(result.outcomes[0]!.channels[1]!.error).toContain(
      'The failure queue did not take the report either',
    );
  });

  it('classifies SNS errors: throttling retryable, an invalid parameter permanent', async () => {
    const { sns, deps } = setup();
    sns.fail((id) =>
      id === HIGH.id
        ? new SnsDeliveryError('SNS Publish failed: ThrottledException', { retryable: true })
        : new SnsDeliveryError('SNS Publish failed: InvalidParameterException', { retryable: false }),
    );
    const result = await publishEvents(deps, [HIGH, INFO]);
    expect(result.outcomes.map((o) => o.status)).toEqual(['failed-retryable', 'failed-permanent']);
  });

  it('sends one digest instead of a flood when more than five events are bound for Slack', async () => {
    const { slack, sns, deps } = setup();
    const events = manyEvents(12);
    const result = await publishEvents(deps, events);
    expect(sns.sent).toHaveLength(12);
    expect(slack.sent).toHaveLength(1);
    expect(slack.sent[0]!.text).toBe('9 API Gateway stages drifted: 6 HIGH, 3 MEDIUM');
    expect(result.slackDigests).toBe(1);
    const viaDigest = result.outcomes.flatMap((o) => o.channels).filter((c) => c.via === 'digest');
    expect(viaDigest).toHaveLength(9);
    // Redelivered: nothing is sent again, not even a digest.
    const again = await publishEvents(deps, events);
    expect(slack.sent).toHaveLength(1);
    expect(again.counts['skipped-duplicate']).toBe(12);
  });

  it('honours the minimum severity and digest threshold it is given', async () => {
    const { slack, deps } = setup();
    const events = manyEvents(12);
    await publishEvents(
      { ...deps, slack: { sender: slack.sender, minSeverity: 'INFO', digestThreshold: 20 } },
      events,
    );
    expect(slack.sent).toHaveLength(12);
  });

  it('fails retryable, sending nothing, when the delivery log cannot be read', async () => {
    const { sns, slack, deps } = setup();
    const broken: DeliveryLog = {
      handled: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
      record: () => Promise.resolve(true),
    };
    const result = await publishEvents({ ...deps, deliveryLog: broken }, [HIGH]);
    expect(result.outcomes[0]!.status).toBe('failed-retryable');
    expect(sns.sent).toHaveLength(0);
    expect(slack.sent).toHaveLength(0);
  });

  it('counts a send whose mark could not be written as published, with a warning', async () => {
    const { deps } = setup();
    const forgetful: DeliveryLog = {
      handled: () => Promise.resolve(new Set()),
      record: () => Promise.reject(new Error('InternalServerError')),
    };
    const result = await publishEvents({ ...deps, deliveryLog: forgetful }, [HIGH]);
    expect(result.outcomes[0]!.status).toBe('published');
    expect(result.outcomes[0]!.channels[0]!.warning).toContain('a redelivery would send it again');
  });

  it('reports that another invocation recorded the same delivery at the same time', async () => {
    const { deps } = setup();
    await log.record(HIGH.id, 'SNS', 'DELIVERED');
    const racing: DeliveryLog = {
      handled: () => Promise.resolve(new Set()),
      record: (...a) => log.record(...a),
    };
    const result = await publishEvents({ ...deps, deliveryLog: racing }, [HIGH]);
    expect(result.outcomes[0]!.channels[0]!.warning).toContain('may have been sent twice');
  });

  it('reads marks for more than 100 events in pages', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => eventIdOf(`page/${i}`));
    for (const id of ids.filter((_, i) => i % 3 === 0)) await log.record(id, 'SLACK', 'DELIVERED');
    const handled = await log.handled(ids, 'SLACK');
    expect(handled.size).toBe(77);
    expect((await log.handled(ids, 'SNS')).size).toBe(0);
  });

  it('publishes to whatever channels it has: Slack only, without a delivery log', async () => {
    const slack = recordingSlack();
    const result = await publishEvents({ slack: { sender: slack.sender } }, [HIGH, HIGH]);
    expect(slack.sent).toHaveLength(1);
    expect(result.outcomes[0]!.channels).toEqual([{ channel: 'SLACK', status: 'published', via: 'message' }]);
  });

  it('starts no send once the deadline leaves no time: the rest are retryable and the result says why', async () => {
    // Prepare: the time runs out after the second Slack message.
    const { sns, slack, deps } = setup();
    let expired = false;
    const sender: SlackSender = {
      send: async (message) => {
        await slack.sender.send(message);
        if (slack.sent.length === 2) expired = true;
      },
    };
    const events = manyEvents(4).map((e) => ({ ...e, severity: 'HIGH' as const }));

    // Act
    const result = await publishEvents(
      { ...deps, slack: { sender }, deadline: { canStart: () => !expired } },
      events,
    );

    // Assess
    expect(sns.sent).toHaveLength(4);
    expect(slack.sent).toHaveLength(2);
    expect(result.outcomes.map((o) => o.status)).toEqual([
      'published',
      'published',
      'failed-retryable',
      'failed-retryable',
    ]);
    expect(result.outcomes[2]!.channels[1]).toMatchObject({
      channel: 'SLACK',
      status: 'failed-retryable',
      error: expect.stringContaining('ran out of time'),
    });
    expect(result.stopped).toEqual({ unsent: 2, reason: expect.stringContaining('ran out of time') });
  });

  it('stops the batch when a wait of the sender would cross the deadline, instead of waiting', async () => {
    // Prepare: the second message meets a Retry-After that would end after the deadline.
    const { slack, deps } = setup();
    const sender: SlackSender = {
      send: (message) =>
        slack.sent.length === 1
          ? Promise.reject(new OutOfTimeError('a Retry-After wait of 30 s would end after the deadline'))
          : slack.sender.send(message),
    };
    const events = manyEvents(4).map((e) => ({ ...e, severity: 'HIGH' as const }));

    // Act
    const result = await publishEvents(
      { ...deps, slack: { sender }, deadline: { canStart: () => true } },
      events,
    );

    // Assess
    expect(slack.sent).toHaveLength(1);
    expect(result.counts).toMatchObject({ published: 1, 'failed-retryable': 3 });
    expect(result.stopped).toEqual({
      unsent: 3,
      reason: 'a Retry-After wait of 30 s would end after the deadline',
    });
  });

  it('says nothing about stopping when every send fitted', async () => {
    const { deps } = setup();
    const result = await publishEvents({ ...deps, deadline: { canStart: () => true } }, [HIGH]);
    expect(result.stopped).toBeUndefined();
  });
});
