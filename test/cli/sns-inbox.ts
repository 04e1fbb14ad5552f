import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AWS_TEST_CREDENTIALS } from '../support/moto';

/** An SNS alert as a subscriber receives it (raw message delivery). */
export interface ReceivedAlert {
  readonly schemaVersion: number;
  readonly eventId: string;
  readonly stageName: string;
  readonly severity: string;
  /** The SNS message attributes, by name (string values). */
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

export interface SnsInbox {
  /** The ARN of a topic that does not exist yet: publishing to it fails until `create()`. */
  readonly topicArn: string;
  /** Creates the topic and subscribes an SQS queue to it (raw delivery). */
  create(): Promise<void>;
  /** Every alert received since the last call (received, then deleted from the queue). */
  take(): Promise<ReceivedAlert[]>;
  destroy(): void;
}

/** What moto's SNS delivered, read through an SQS queue subscribed to the topic. */
export const snsInbox = (endpoint: string, region: string, account: string, name: string): SnsInbox => {
  const config = { endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  let queueUrl: string | undefined;
  return {
    topicArn: `arn:aws:sns:${region}:${account}:${name}`,
    create: async () => {
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-inbox` }));
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: Attributes!.QueueArn,
          Attributes: { RawMessageDelivery: 'true' },
        }),
      );
      queueUrl = QueueUrl;
    },
    take: async () => {
      if (!queueUrl) return [];
      const alerts: ReceivedAlert[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 600,
            MessageAttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) return alerts;
        for (const message of Messages) {
          const attributes = Object.fromEntries(
            Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
          );
          alerts.push({ ...(JSON.parse(message.Body!) as Omit<ReceivedAlert, 'attributes'>), attributes });
        }
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
    },
    destroy: () => {
      sns.destroy();
      sqs.destroy();
    },
  };
};
