import {
  CreateSecretCommand,
  SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSnsMessage, SlackWebhookSecret, SnsPublisher, SqsFailureQueue } from '../../shared/notify';
import { SlackSecretError, SnsDeliveryError } from '../../shared/notify/errors';
import type { DeliveryFailure } from '../../shared/notify/failure-report';
import type { DriftEventRecord } from '../../shared/store';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { eventFor, eventIdOf } from './fixtures';
import { validate } from './json-schema';

// The SNS publisher, the failure queue and the webhook secret against moto: SNS -> SQS delivery
// with RawMessageDelivery=false shows the attributes a subscription filter policy sees.

const region = 'eu-west-1';
let moto: MotoServer;
let sns: SNSClient;
let sqs: SQSClient;
let secrets: SecretsManagerClient;

const schema = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'shared', 'notify', 'drift-event.schema.json'), 'utf8'),
) as Record<string, unknown>;

beforeAll(async () => {
  moto = await startMoto();
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS, maxAttempts: 1 };
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
  secrets = new SecretsManagerClient(config);
});
afterAll(async () => {
  sns?.destroy();
  sqs?.destroy();
  secrets?.destroy();
  await moto?.stop();
});
beforeEach(() => moto.reset());

const createQueue = async (name: string) => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
};

const receiveAll = async (queueUrl: string): Promise<string[]> => {
  const bodies: string[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (!Messages || Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body!));
  }
};

interface SnsEnvelope {
  readonly Type: string;
  readonly Subject: string;
  readonly Message: string;
  readonly MessageAttributes: Record<string, { Type: string; Value: string }>;
}

const publish = async (publisher: SnsPublisher, event: DriftEventRecord) =>
  publisher.publish(renderSnsMessage(event), { eventId: event.id, groupId: 'g' });

describe('SnsPublisher on moto', () => {
  it('delivers the alert to an SQS subscriber with the attributes a filter policy sees', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'stage-drift-alerts' }));
    const queue = await createQueue('all-alerts');
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queue.arn,
        Attributes: { RawMessageDelivery: 'false' },
      }),
    );
    const event = eventFor('REST', 'MODIFIED');
    const messageId = await publish(new SnsPublisher(sns, TopicArn!), event);
    expect(messageId).not.toBe('');

    const [body, ...rest] = await receiveAll(queue.url);
    expect(rest).toEqual([]);
    const envelope = JSON.parse(body!) as SnsEnvelope;
    expect(envelope.Type).toBe('Notification');
    expect(envelope.Subject).toBe('[HIGH] prod of orders-api (a1b2c3d4e5) drifted in eu-west-1');
    expect(envelope.MessageAttributes).toEqual({
      severity: { Type: 'String', Value: 'HIGH' },
      change: { Type: 'String', Value: 'MODIFIED' },
      apiType: { Type: 'String', Value: 'REST' },
      region: { Type: 'String', Value: 'eu-west-1' },
      account: { Type: 'String', Value: '123456789012' },
      apiId: { Type: 'String', Value: 'a1b2c3d4e5' },
      stageName: { Type: 'String', Value: 'prod' },
      source: { Type: 'String', Value: 'unattributed' },
    });
    const alert = JSON.parse(envelope.Message) as Record<string, unknown>;
    expect(validate(schema, alert)).toEqual([]);
    expect(alert).toMatchObject({ schemaVersion: 1, eventId: event.id, severity: 'HIGH', changeCount: 7 });
  });

  it('lets a subscription with {"severity":["HIGH","CRITICAL"]} receive only HIGH and above', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'stage-drift-alerts' }));
    const everything = await createQueue('everything');
    const urgent = await createQueue('high-and-above');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: everything.arn }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: urgent.arn,
        Attributes: { FilterPolicy: JSON.stringify({ severity: ['HIGH', 'CRITICAL'] }) },
      }),
    );
    const publisher = new SnsPublisher(sns, TopicArn!);
    const critical = {
      ...eventFor('HTTP', 'DELETED'),
      id: eventIdOf('critical'),
      severity: 'CRITICAL' as const,
    };
    for (const event of [
      eventFor('HTTP', 'CREATED'),
      eventFor('REST', 'MODIFIED'),
      eventFor('REST', 'RECREATED'),
      critical,
    ]) {
      await publish(publisher, event);
    }
    const severities = (bodies: string[]) =>
      bodies.map((b) => (JSON.parse(b) as SnsEnvelope).MessageAttributes.severity!.Value).sort();
    expect(severities(await receiveAll(everything.url))).toEqual(['CRITICAL', 'HIGH', 'INFO', 'MEDIUM']);
    expect(severities(await receiveAll(urgent.url))).toEqual(['CRITICAL', 'HIGH']);
  });

  it('reports a missing topic as a retryable SnsDeliveryError naming the topic', async () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:no-such-topic';
    const error = await publish(new SnsPublisher(sns, arn), eventFor('REST', 'MODIFIED')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SnsDeliveryError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toContain(arn);
  });
});

describe('SqsFailureQueue on moto', () => {
  it('sends the failure as JSON with the event id and channel as attributes', async () => {
    const queue = await createQueue('stage-drift-failures');
    const failure: DeliveryFailure = {
      kind: 'stage-drift.delivery-failure',
      eventId: eventIdOf('x'),
      channel: 'SLACK',
      error: 'The Slack webhook rejected the message (HTTP 404 channel_not_found); not retried.',
      status: 404,
      slackError: 'channel_not_found',
      stage: { account: '123456789012', region, apiType: 'REST', apiId: 'a1b2c3d4e5', stageName: 'prod' },
      severity: 'HIGH',
      detectedAt: '2026-11-21T10:00:00.000Z',
      failedAt: '2026-11-21T10:00:05.000Z',
    };
    await new SqsFailureQueue(sqs, queue.url).report(failure);
    const bodies = await receiveAll(queue.url);
    expect(bodies.map((b) => JSON.parse(b) as unknown)).toEqual([failure]);
  });
});

describe('SlackWebhookSecret on moto', () => {
  it('reads the URL once and caches it', async () => {
    const { ARN } = await secrets.send(
      new CreateSecretCommand({
        Name: 'stage-drift/slack-webhook',
        SecretString: 'https://hooks.slack.com/services/T1/B1/abc',
      }),
    );
    const secret = new SlackWebhookSecret(secrets, ARN!);
    await expect(secret.url()).resolves.toBe('https://hooks.slack.com/services/T1/B1/abc');
    await secrets.send(
      new UpdateSecretCommand({ SecretId: ARN, SecretString: 'https://hooks.slack.com/services/T1/B1/new' }),
    );
    await expect(secret.url()).resolves.toBe('https://hooks.slack.com/services/T1/B1/abc');
    secret.invalidate();
    await expect(secret.url()).resolves.toBe('https://hooks.slack.com/services/T1/B1/new');
  });

  it('accepts {"webhookUrl": "..."} as the secret string', async () => {
    const { ARN } = await secrets.send(
      new CreateSecretCommand({
        Name: 'json',
        SecretString: JSON.stringify({ webhookUrl: 'https://hooks.slack.com/services/T/B/j' }),
      }),
    );
    await expect(new SlackWebhookSecret(secrets, ARN!).url()).resolves.toBe(
      'https://hooks.slack.com/services/T/B/j',
    );
  });

  it('refuses a secret that holds no https URL, permanently and without its value', async () => {
    const { ARN } = await secrets.send(
      new CreateSecretCommand({
        Name: 'bad',
        SecretString: 'http://hooks.slack.com/services/T/B/plainHttpToken',
      }),
    );
    const error = (await new SlackWebhookSecret(secrets, ARN!)
      .url()
      .catch((e: unknown) => e)) as SlackSecretError;
    expect(error).toBeInstanceOf(SlackSecretError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(ARN);
    expect(error.message).not.toContain('plainHttpToken');
  });

  it('reports a missing secret as retryable, naming it, and does not cache the failure', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stage-drift/nope-AbCdEf';
    const secret = new SlackWebhookSecret(secrets, arn);
    const error = (await secret.url().catch((e: unknown) => e)) as SlackSecretError;
    expect(error).toMatchObject({ name: 'SlackSecretError', retryable: true });
    expect(error.message).toContain(arn);
    await expect(secret.url()).rejects.toThrow(SlackSecretError);
  });
});
