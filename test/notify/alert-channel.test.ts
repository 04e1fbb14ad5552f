import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DriftEventFeed } from '../../shared/notify';
import { deliverPending, DynamoDeliveryLog, publishEvents } from '../../shared/notify';
import { AlertChannelError } from '../../shared/notify/errors';
import type { DeliveryFailure } from '../../shared/notify/failure-report';
import { WebhookSecret } from '../../shared/notify/webhook-secret';
import type { SlackSender } from '../../shared/notify/slack-webhook-sender';
import type { SnsSink } from '../../shared/notify/sns-publisher';
import type { DriftEventRecord } from '../../shared/store';
import type { DynaliteServer } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import type { FakeSlack } from './fake-slack';
import { startFakeSlack, virtualClock, WEBHOOK_PATH } from './fake-slack';
import type { TeamsCard } from './fake-teams-channel';
import { FakeTeamsChannel } from './fake-teams-channel';
import { DETECTED_AT, eventFor, manyEvents } from './fixtures';

// The alert channel port: a third, test-only channel (a fake Teams, posting to a local HTTP server
// through the generic webhook sender) gets marks, duplicate suppression, holds, the deadline and
// the failure queue from the publish use case and the outbox, with no change to either.

const TABLE = 'stage-drift';
let dynalite: DynaliteServer;
let client: DynamoDBClient;
let server: FakeSlack;
let clock: ReturnType<typeof virtualClock>;
let tableNo = 0;
let log: DynamoDeliveryLog;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = dynalite.client({ maxAttempts: 1 });
  server = await startFakeSlack({ now: () => clock.now() });
});
afterAll(async () => {
  await server.stop();
  await dynalite.stop();
});
beforeEach(async () => {
  server.reset();
  clock = virtualClock();
  tableNo += 1;
  await dynalite.createTable(`${TABLE}-${tableNo}`);
  log = new DynamoDeliveryLog(client, { tableName: `${TABLE}-${tableNo}`, clock });
});

const high = (n: number): DriftEventRecord[] =>
  manyEvents(n).map((e) => ({ ...e, severity: 'HIGH' as const }));

const setup = () => {
  const teams = new FakeTeamsChannel({ url: server.webhookUrl, clock });
  const reports: DeliveryFailure[] = [];
  const deps = {
    channels: [teams],
    deliveryLog: log,
    failureQueue: { report: (f: DeliveryFailure) => (reports.push(f), Promise.resolve()) },
    clock,
  };
  return { teams, reports, deps };
};

const cards = (): TeamsCard[] => server.requests.map((r) => JSON.parse(r.body) as TeamsCard);

const markOf = async (eventId: string, channel: string) =>
  (
    await client.send(
      new GetItemCommand({
        TableName: `${TABLE}-${tableNo}`,
        Key: { PK: { S: `DELIVERY#${eventId}` }, SK: { S: channel } },
      }),
    )
  ).Item;

describe('a third alert channel plugged into the publish use case', () => {
  it('sends each event it accepts as one card, paced, and writes a TEAMS delivery mark for each', async () => {
    // Prepare
    const { deps } = setup();
    const [first, second] = high(2);
    const info = eventFor('HTTP', 'CREATED');

    // Act
    const result = await publishEvents(deps, [first!, info, second!]);

    // Assess
    expect(cards().map((c) => c.text)).toEqual([first!.id, second!.id]);
    expect(server.requests.map((r) => r.at - server.requests[0]!.at)).toEqual([0, 1000]);
    expect(result.outcomes.map((o) => o.channels)).toEqual([
      [{ channel: 'TEAMS', status: 'published', via: 'message' }],
      [{ channel: 'TEAMS', status: 'skipped-filtered' }],
      [{ channel: 'TEAMS', status: 'published', via: 'message' }],
    ]);
    expect(result.sends).toEqual([{ channel: 'TEAMS', label: 'Teams', messages: 2, digests: 0 }]);
    expect(await markOf(first!.id, 'TEAMS')).toMatchObject({
      mark: { S: 'DELIVERED' },
      via: { S: 'message' },
      itemType: { S: 'DELIVERY' },
    });
  });

  it('suppresses duplicates: a redelivered event is not sent again', async () => {
    const { deps } = setup();
    const events = high(2);
    await publishEvents(deps, events);
    const again = await publishEvents(deps, events);
    expect(server.requests).toHaveLength(2);
    expect(again.counts['skipped-duplicate']).toBe(2);
  });

  it('holds the rest back after a retryable failure, and sends them on the retry', async () => {
    // Prepare: the webhook asks for a wait longer than the sender may take.
    const { deps } = setup();
    const events = high(3);
    server.reply({ status: 429, headers: { 'Retry-After': '600' } });

    // Act
    const first = await publishEvents(deps, events);
    const retry = await publishEvents(deps, events);

    // Assess
    expect(first.outcomes.map((o) => o.channels[0])).toEqual([
      {
        channel: 'TEAMS',
        status: 'failed-retryable',
        error: 'The Teams webhook is rate limiting (HTTP 429, Retry-After 600 s); try again later.',
        via: 'message',
      },
      ...events.slice(1).map(() => ({
        channel: 'TEAMS',
        status: 'failed-retryable',
        via: 'message',
        error:
          'not sent after an earlier Teams failure: The Teams webhook is rate limiting (HTTP 429, Retry-After 600 s); try again later.',
      })),
    ]);
    expect(retry.counts.published).toBe(3);
    expect(server.requests).toHaveLength(4);
    expect(clock.sleeps).toEqual([1000, 1000, 1000]); // pacing only: the 600 s were not waited out
  });

  it('reports a refusal to the failure queue once, marks it FAILED and never sends it again', async () => {
    // Prepare
    const { deps, reports } = setup();
    const [event] = high(1);
    server.reply({ status: 400, body: 'Bad payload' });

    // Act
    const first = await publishEvents(deps, [event!]);
    const redelivered = await publishEvents(deps, [event!]);

    // Assess
    expect(first.outcomes[0]!.channels).toEqual([
      {
        channel: 'TEAMS',
        status: 'failed-permanent',
        error:
          'The Teams webhook rejected the message (HTTP 400); not retried. Check the webhook and the message.',
        reported: true,
        via: 'message',
      },
    ]);
    expect(reports.map((r) => JSON.stringify(r))).toEqual([
      JSON.stringify({
        kind: 'stage-drift.delivery-failure',
        eventId: event!.id,
        channel: 'TEAMS',
        error:
          'The Teams webhook rejected the message (HTTP 400); not retried. Check the webhook and the message.',
        status: 400,
        stage: {
          account: event!.account,
          region: event!.region,
          apiType: event!.api.type,
          apiId: event!.api.id,
          stageName: event!.stageName,
        },
        severity: 'HIGH',
        detectedAt: event!.detectedAt,
        failedAt: new Date(clock.now()).toISOString(),
      }),
    ]);
    expect(await markOf(event!.id, 'TEAMS')).toMatchObject({ mark: { S: 'FAILED' } });
    expect(redelivered.outcomes[0]!.status).toBe('skipped-duplicate');
    expect(server.requests).toHaveLength(1);
  });

  it('sends one digest for more pending events than its threshold', async () => {
    const { deps } = setup();
    const result = await publishEvents(deps, high(5));
    expect(cards()).toEqual([expect.objectContaining({ summary: '5 API Gateway stages drifted' })]);
    expect(result.outcomes.every((o) => o.channels[0]!.via === 'digest')).toBe(true);
    expect(result.sends).toEqual([{ channel: 'TEAMS', label: 'Teams', messages: 0, digests: 1 }]);
  });

  it('starts no send once the deadline leaves no time, and says how many are left', async () => {
    const { deps } = setup();
    const result = await publishEvents({ ...deps, deadline: { canStart: () => false } }, high(2));
    expect(server.requests).toHaveLength(0);
    expect(result.stopped).toEqual({ unsent: 2, reason: expect.stringContaining('ran out of time') });
    expect(result.outcomes[0]!.channels[0]).toMatchObject({ status: 'failed-retryable', outOfTime: true });
  });

  it('keeps its webhook URL out of outcomes and reports, also when an error quotes it', async () => {
    // Prepare: a refusal whose body echoes the URL, then a sender whose error quotes a Teams URL.
    const { deps, reports } = setup();
    const teamsUrl = 'https://contoso.webhook.office.com/webhookb2/0000-1111/IncomingWebhook/s3cr3tT0k3n';
    const [refused, leaked] = high(2);
    server.reply({ status: 404, body: `no such webhook: ${server.webhookUrl}` });
    const leaky = new FakeTeamsChannel({
      url: teamsUrl,
      clock,
      send: () => Promise.reject(new Error(`POST ${teamsUrl} failed: ECONNRESET`)),
    });

    // Act
    const results = [
      await publishEvents(deps, [refused!]),
      await publishEvents({ ...deps, channels: [leaky] }, [leaked!]),
    ];

    // Assess
    const text = JSON.stringify([results, reports]);
    expect(text).not.toContain(WEBHOOK_PATH.split('/').pop());
    expect(text).not.toContain('s3cr3tT0k3n');
    expect(results[1]!.outcomes[0]!.channels[0]!.error).toBe(
      'Error: POST [redacted webhook URL] failed: ECONNRESET',
    );
  });

  it('runs beside SNS and Slack, each channel with its own marks, in channel order', async () => {
    // Prepare
    const { deps } = setup();
    const publisher: SnsSink = { publish: () => Promise.resolve('sns-1') };
    const sender: SlackSender = { send: () => Promise.resolve() };
    const [event] = high(1);

    // Act
    const result = await publishEvents({ ...deps, sns: { publisher }, slack: { sender } }, [event!]);

    // Assess
    expect(result.outcomes[0]!.channels.map((c) => [c.channel, c.status])).toEqual([
      ['SNS', 'published'],
      ['SLACK', 'published'],
      ['TEAMS', 'published'],
    ]);
    for (const channel of ['SNS', 'SLACK', 'TEAMS'])
      expect(await markOf(event!.id, channel)).toMatchObject({ mark: { S: 'DELIVERED' } });
  });

  it('reads its URL from Secrets Manager with the generic webhook secret, whose errors name Teams', async () => {
    // Prepare: a secret that holds the local server's URL, and one that holds a plain-http URL.
    const holding = (SecretString: string) =>
      ({ send: () => Promise.resolve({ SecretString }) }) as unknown as SecretsManagerClient;
    const options = { name: 'Teams webhook', example: 'https://<tenant>.webhook.office.com/webhookb2/...' };
    const good = new WebhookSecret(holding(server.webhookUrl), 'teams-secret', options);
    const bad = new WebhookSecret(holding('http://contoso.webhook.office.com/x'), 'teams-secret', options);
    const { deps } = setup();
    const [event] = high(1);

    // Act
    const sent = await publishEvents(
      { ...deps, channels: [new FakeTeamsChannel({ url: good.url, clock })] },
      [event!],
    );
    const refused = (await bad.url().catch((error: unknown) => error)) as Error;

    // Assess
    expect(sent.counts.published).toBe(1);
    expect(refused).toMatchObject({ name: 'WebhookSecretError', retryable: false });
    expect(refused.message).toBe(
      'The Teams webhook secret teams-secret holds a URL that must be an https:// URL ' +
        '(https://<tenant>.webhook.office.com/webhookb2/...): store the incoming-webhook URL as the secret ' +
        'string (https://<tenant>.webhook.office.com/webhookb2/...).',
    );
  });

  it('refuses two channels with one id: they would share delivery marks', async () => {
    const { deps, teams } = setup();
    await expect(publishEvents({ ...deps, channels: [teams, teams] }, high(1))).rejects.toThrow(
      AlertChannelError,
    );
  });
});

describe('a third alert channel in the outbox', () => {
  const NOW = new Date(Date.parse(DETECTED_AT) + 86_400_000);
  const feedOf = (events: readonly DriftEventRecord[]): DriftEventFeed => ({
    listEventsOldestFirst: () => Promise.resolve({ events: [...events], problems: [] }),
  });

  it('counts what stays pending while the channel is down, then sends it once', async () => {
    // Prepare: the webhook answers 503 to everything in the first run.
    const { deps } = setup();
    const events = high(3);
    const outbox = { feed: feedOf(events), publish: deps };
    server.answerWith(() => ({ status: 503 }));

    // Act
    const down = await deliverPending(outbox, { now: NOW });
    server.answerWith(() => undefined);
    const back = await deliverPending(outbox, { now: NOW });
    const idle = await deliverPending(outbox, { now: NOW });

    // Assess
    expect(down).toMatchObject({
      published: 0,
      shortfalls: [
        { channel: 'TEAMS', pending: 3, refused: 0, cause: 'The Teams webhook answered HTTP 503 4 times.' },
      ],
    });
    expect(server.requests).toHaveLength(4 + 3); // one event's 4 attempts, then the rest held; then 3
    expect(back).toMatchObject({ published: 3, shortfalls: [] });
    expect(idle).toMatchObject({ published: 0, shortfalls: [] });
    expect(back.sends).toEqual([{ channel: 'TEAMS', label: 'Teams', messages: 3, digests: 0 }]);
  });
});
