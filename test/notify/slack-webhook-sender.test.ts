import { renderSlackMessage, SlackWebhookSender } from '../../shared/notify';
import { SlackDeliveryError } from '../../shared/notify/errors';
import type { FakeSlack } from './fake-slack';
import { startFakeSlack, virtualClock, WEBHOOK_PATH } from './fake-slack';
import { eventFor } from './fixtures';

// Slack delivery against a local HTTP server standing in for Slack, in virtual time.

let slack: FakeSlack;
let clock: ReturnType<typeof virtualClock>;
const message = renderSlackMessage(eventFor('REST', 'MODIFIED'));
const secretPart = WEBHOOK_PATH.split('/').pop()!;

beforeAll(async () => {
  clock = virtualClock();
  slack = await startFakeSlack({ now: () => clock.now() });
});
afterAll(() => slack.stop());
beforeEach(() => {
  slack.reset();
  clock = virtualClock();
});

const sender = (options: Partial<ConstructorParameters<typeof SlackWebhookSender>[0]> = {}) =>
  new SlackWebhookSender({ webhookUrl: slack.webhookUrl, clock, ...options });

const failureOf = async (promise: Promise<unknown>): Promise<SlackDeliveryError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SlackDeliveryError);
    return error as SlackDeliveryError;
  }
  throw new Error('expected the send to fail');
};

const expectNoUrl = (error: SlackDeliveryError) => {
  for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? '']) {
    expect(text).not.toContain(secretPart);
    expect(text).not.toContain(slack.webhookUrl);
  }
};

it('posts the Block Kit message as JSON to the webhook', async () => {
  await sender().send(message);
  expect(slack.requests).toHaveLength(1);
  const [request] = slack.requests;
  expect(request).toMatchObject({ method: 'POST', path: WEBHOOK_PATH });
  expect(request!.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(request!.body)).toEqual(message);
});

it('waits out a 429 for its Retry-After, then delivers', async () => {
  slack.reply({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '3' } });
  await sender().send(message);
  expect(slack.requests).toHaveLength(2);
  expect(clock.sleeps).toEqual([3000]);
  expect(slack.requests[1]!.at - slack.requests[0]!.at).toBe(3000);
});

it('fails retryable at once when Retry-After is longer than it may wait', async () => {
  slack.reply({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '120' } });
  const error = await failureOf(sender().send(message));
  expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 120_000, attempts: 1 });
  expect(slack.requests).toHaveLength(1);
  expect(clock.sleeps).toEqual([]);
});

it('retries a 500 after a backoff, then delivers', async () => {
  slack.reply({ status: 500, body: 'internal_error' });
  await sender().send(message);
  expect(slack.requests).toHaveLength(2);
  expect(clock.sleeps).toEqual([1000]);
});

it('gives up on 5xx after a bounded number of attempts with exponential backoff, retryable', async () => {
  slack.answerWith(() => ({ status: 503, body: 'service_unavailable' }));
  const error = await failureOf(sender().send(message));
  expect(error).toMatchObject({
    retryable: true,
    status: 503,
    attempts: 4,
    slackError: 'service_unavailable',
  });
  expect(slack.requests).toHaveLength(4);
  expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  expectNoUrl(error);
});

it.each(['invalid_payload', 'channel_not_found', 'no_service'])(
  'does not retry a 4xx %s: a permanent SlackDeliveryError without the URL',
  async (token) => {
    slack.reply({ status: token === 'no_service' ? 404 : 400, body: token });
    const error = await failureOf(sender().send(message));
    expect(error).toMatchObject({ retryable: false, slackError: token, attempts: 1 });
    expect(error.message).toContain(token);
    expect(slack.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expectNoUrl(error);
  },
);

it('paces messages to one a second, in virtual time', async () => {
  const paced = sender();
  await Promise.all([paced.send(message), paced.send(message), paced.send(message)]);
  clock.advance(5000);
  await paced.send(message);
  const times = slack.requests.map((r) => r.at - slack.requests[0]!.at);
  expect(times).toEqual([0, 1000, 2000, 7000]);
  expect(clock.sleeps).toEqual([1000, 1000]);
});

it('fails retryable without the URL when the webhook cannot be reached', async () => {
  const closed = await startFakeSlack();
  const url = closed.webhookUrl;
  await closed.stop();
  const error = await failureOf(sender({ webhookUrl: url }).send(message));
  expect(error).toMatchObject({ retryable: true, attempts: 4 });
  expect(error.message).toContain('ECONNREFUSED');
  expect(clock.sleeps).toEqual([1000, 2000, 4000]);
  for (const text of [error.message, String(error), JSON.stringify(error)])
    expect(text).not.toContain(secretPart);
});

it('refuses a URL that is not https (outside loopback) without repeating it', async () => {
  const error = await failureOf(
    sender({ webhookUrl: 'http://hooks.slack.com/services/T1/B1/leakyLeakyToken' }).send(message),
  );
  expect(error).toMatchObject({ retryable: false, attempts: 0 });
  expect(error.message).not.toContain('leakyLeakyToken');
});

it('reads the URL from its source at first use and carries a source error over without the value', async () => {
  const source = jest.fn(() => Promise.reject(Object.assign(new Error('denied'), { retryable: true })));
  const error = await failureOf(sender({ webhookUrl: source }).send(message));
  expect(error).toMatchObject({ retryable: true, attempts: 0 });
  expect(source).toHaveBeenCalledTimes(1);
});
