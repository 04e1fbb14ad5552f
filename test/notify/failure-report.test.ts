import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishEvents, SlackWebhookSender } from '../../shared/notify';
import { SlackDeliveryError, SnsDeliveryError } from '../../shared/notify/errors';
import type { DeliveryFailure } from '../../shared/notify/failure-report';
import type { FakeSlack } from './fake-slack';
import { startFakeSlack, virtualClock } from './fake-slack';
import { eventFor } from './fixtures';

// The failure queue's message is a deployed contract (docs/alerts.md): the same bytes, key order
// included, for SNS and Slack, now that one use case builds it for every channel.

const FAILED_AT = Date.parse('2026-11-21T10:00:05.000Z');
const clock = { now: () => FAILED_AT };

const recordingQueue = () => {
  const bodies: string[] = [];
  // SqsFailureQueue sends JSON.stringify(failure) as the message body.
  return {
    queue: { report: (f: DeliveryFailure) => (bodies.push(JSON.stringify(f)), Promise.resolve()) },
    bodies,
  };
};

/** The documented example of a failure message, as JSON text without the list's indent. */
const documentedExample = (): string => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'alerts.md'), 'utf8');
  const block =
    /```json\n((?:[^`]|`(?!``))*?"kind": "stage-drift\.delivery-failure"(?:[^`]|`(?!``))*?)```/.exec(doc);
  if (!block) throw new Error('docs/alerts.md has no delivery-failure example');
  return block[1]!
    .split('\n')
    .map((line) => line.replace(/^ {2}/, ''))
    .join('\n')
    .trim();
};

describe('the failure queue message', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(() => slack.stop());

  it('is, for a Slack refusal, byte for byte the example of docs/alerts.md', async () => {
    // Prepare: the real sender against a webhook that answers 404 channel_not_found.
    slack.reply({ status: 404, body: 'channel_not_found' });
    const sender = new SlackWebhookSender({ webhookUrl: slack.webhookUrl, clock: virtualClock() });
    const { queue, bodies } = recordingQueue();

    // Act
    await publishEvents({ slack: { sender }, failureQueue: queue, clock }, [eventFor('REST', 'MODIFIED')]);

    // Assess
    expect(bodies).toHaveLength(1);
    expect(JSON.stringify(JSON.parse(bodies[0]!), null, 2)).toBe(documentedExample());
    expect(bodies[0]).toBe(JSON.stringify(JSON.parse(documentedExample())));
  });

  it.each([
    [
      'an SNS refusal (no status, no slackError)',
      {
        sns: {
          publisher: {
            publish: () =>
              Promise.reject(
                new SnsDeliveryError('SNS Publish to arn failed: InvalidParameterException: bad', {
                  retryable: false,
                }),
              ),
          },
        },
      },
      '{"kind":"stage-drift.delivery-failure","eventId":"0c74e027996cab6d4102fe386783eecf","channel":"SNS",' +
        '"error":"SNS Publish to arn failed: InvalidParameterException: bad","stage":{"account":"123456789012",' +
        '"region":"eu-west-1","apiType":"REST","apiId":"a1b2c3d4e5","stageName":"prod"},"severity":"HIGH",' +
        '"detectedAt":"2026-11-21T10:00:00.000Z","failedAt":"2026-11-21T10:00:05.000Z"}',
    ],
    [
      'a Slack refusal without an error token (status only)',
      {
        slack: {
          sender: {
            send: () =>
              Promise.reject(
                new SlackDeliveryError('The Slack webhook rejected the message (HTTP 403); not retried.', {
                  retryable: false,
                  attempts: 1,
                  status: 403,
                }),
              ),
          },
        },
      },
      '{"kind":"stage-drift.delivery-failure","eventId":"0c74e027996cab6d4102fe386783eecf","channel":"SLACK",' +
        '"error":"The Slack webhook rejected the message (HTTP 403); not retried.","status":403,' +
        '"stage":{"account":"123456789012","region":"eu-west-1","apiType":"REST","apiId":"a1b2c3d4e5",' +
        '"stageName":"prod"},"severity":"HIGH","detectedAt":"2026-11-21T10:00:00.000Z",' +
        '"failedAt":"2026-11-21T10:00:05.000Z"}',
    ],
  ])('is, for %s, the bytes the channel-specific code sent', async (_name, channel, expected) => {
    const { queue, bodies } = recordingQueue();
    await publishEvents({ ...channel, failureQueue: queue, clock }, [eventFor('REST', 'MODIFIED')]);
    expect(bodies).toEqual([expected]);
  });
});
