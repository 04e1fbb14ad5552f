import { ConfigError } from '../../shared/config';
import {
  loadPublishConfigFromEnv,
  publishEvents,
  redactSecrets,
  renderSlackDigest,
  renderSlackMessage,
  renderSnsMessage,
  SlackWebhookSender,
} from '../../shared/notify';
import { SlackDeliveryError } from '../../shared/notify/errors';
import { REDACTED_URL } from '../../shared/notify/redact';
import type { SlackSender } from '../../shared/notify/slack-webhook-sender';
import type { FakeSlack } from './fake-slack';
import { startFakeSlack, virtualClock, WEBHOOK_PATH } from './fake-slack';
import { API_TYPES_UNDER_TEST, CHANGE_KINDS, eventFor, manyEvents, SECRET_VALUES } from './fixtures';

// No stage variable value and no webhook URL in any rendered message, error or log line.

const REAL_LOOKING_URL = 'https://hooks.slack.com/services/T024BE7LD/B08ABCDEF12/q8zP3xLmN0vRtY7sW2aBcDeF';
const EVENTS = API_TYPES_UNDER_TEST.flatMap((t) => CHANGE_KINDS.map((k) => eventFor(t, k)));

const expectClean = (text: string, urls: readonly string[] = []) => {
  for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  for (const url of urls) {
    expect(text).not.toContain(url);
    expect(text).not.toContain(url.split('/').pop());
  }
};

it('the fixtures really change stage variable values (so the checks below mean something)', () => {
  const variableChanges = EVENTS.flatMap((e) => e.changes).filter((c) =>
    c.label.startsWith('Stage variable'),
  );
  expect(variableChanges.length).toBeGreaterThanOrEqual(3);
  expect(variableChanges.every((c) => (c.before as { redacted?: boolean }).redacted === true)).toBe(true);
});

it.each(EVENTS.map((e) => [`${e.api.type} ${e.change}`, e] as const))(
  'the SNS and Slack messages of a %s event hold no stage variable value',
  (_name, event) => {
    expectClean(JSON.stringify(renderSnsMessage(event)));
    expectClean(JSON.stringify(renderSlackMessage(event)));
  },
);

it('a digest holds no stage variable value', () => {
  expectClean(JSON.stringify(renderSlackDigest(manyEvents(20), { listSize: 20 })));
});

describe('the webhook URL never reaches an error', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(() => slack.stop());

  it.each([
    [400, 'invalid_payload'],
    [404, 'channel_not_found'],
    [410, 'channel_is_archived'],
    [429, 'rate_limited'],
    [500, 'internal_error'],
  ])('for an HTTP %s %s answer, even when the body echoes the URL', async (status, token) => {
    slack.reset();
    slack.answerWith(() => ({
      status,
      body: status === 500 ? `${token} at ${slack.webhookUrl}` : token,
      headers: { 'Retry-After': '600' },
    }));
    const sender = new SlackWebhookSender({ webhookUrl: slack.webhookUrl, clock: virtualClock() });
    const error = (await sender
      .send(renderSlackMessage(EVENTS[2]!))
      .catch((e: unknown) => e)) as SlackDeliveryError;
    expect(error).toBeInstanceOf(SlackDeliveryError);
    expectClean([error.message, String(error), JSON.stringify(error), error.stack].join('\n'), [
      slack.webhookUrl,
    ]);
  });

  it('for an unreachable host', async () => {
    const sender = new SlackWebhookSender({
      webhookUrl: 'https://hooks.slack.invalid/services/T1/B1/unreachableToken1234',
      clock: virtualClock(),
      maxAttempts: 1,
    });
    const error = (await sender.send(renderSlackMessage(EVENTS[0]!)).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('unreachableToken1234');
  });

  it('for a URL that does not parse', async () => {
    const sender = new SlackWebhookSender({
      webhookUrl: 'hooks.slack.com/services/T/B/notAUrlToken99',
      clock: virtualClock(),
    });
    const error = (await sender.send(renderSlackMessage(EVENTS[0]!)).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('notAUrlToken99');
  });

  it('in publish outcomes, even from a sender whose error quotes it', async () => {
    const leaky: SlackSender = { send: () => Promise.reject(new Error(`POST ${REAL_LOOKING_URL} failed`)) };
    const result = await publishEvents({ slack: { sender: leaky } }, [eventFor('REST', 'MODIFIED')]);
    const text = JSON.stringify(result);
    expect(text).toContain(REDACTED_URL);
    expectClean(text, [REAL_LOOKING_URL]);
  });

  it('in a ConfigError about a webhook URL put where it does not belong', () => {
    for (const env of [
      { STAGE_DRIFT_SLACK_WEBHOOK_URL: REAL_LOOKING_URL },
      { STAGE_DRIFT_SLACK_SECRET_ARN: REAL_LOOKING_URL },
      { STAGE_DRIFT_TOPIC_ARN: REAL_LOOKING_URL },
      { STAGE_DRIFT_FAILURE_QUEUE_URL: 'not a url ' + REAL_LOOKING_URL },
    ]) {
      let error: unknown;
      try {
        loadPublishConfigFromEnv({
          STAGE_DRIFT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
          STAGE_DRIFT_TABLE: 't',
          ...env,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expectClean((error as Error).message, [REAL_LOOKING_URL]);
    }
  });
});

describe('redactSecrets', () => {
  it('replaces Slack webhook URLs and the given secrets, also URL-encoded', () => {
    expect(redactSecrets(`a ${REAL_LOOKING_URL} b`)).toBe(`a ${REDACTED_URL} b`);
    expect(redactSecrets('x=http%3A%2F%2F127.0.0.1%3A9%2Fs', ['http://127.0.0.1:9/s'])).toBe(
      `x=${REDACTED_URL}`,
    );
    expect(redactSecrets(`"${WEBHOOK_PATH}"`, [WEBHOOK_PATH])).toBe(`"${REDACTED_URL}"`);
  });
});
