import type { SNSClient } from '@aws-sdk/client-sns';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SnsDeliveryError } from './errors';
import type { SnsMessage } from './sns-message';

/** Publishes one SNS message; the narrow interface the publish use case depends on. */
export interface SnsSink {
  /** Resolves with SNS's message id. */
  publish(
    message: SnsMessage,
    context: { readonly eventId: string; readonly groupId: string },
  ): Promise<string>;
}

/** Answers that mean the request itself is wrong; anything else (throttling, 5xx, access, KMS) may pass later. */
const PERMANENT_ERRORS = new Set([
  'InvalidParameterException',
  'InvalidParameterValueException',
  'InvalidParameter',
  'ValidationException',
]);

/**
 * Publishes to one SNS topic with a client passed in. On a FIFO topic (`.fifo`) the message group
 * is the stage and the deduplication id the event id, so SNS also drops a replay within 5 minutes.
 */
export class SnsPublisher implements SnsSink {
  private readonly fifo: boolean;

  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {
    this.fifo = topicArn.endsWith('.fifo');
  }

  async publish(
    message: SnsMessage,
    context: { readonly eventId: string; readonly groupId: string },
  ): Promise<string> {
    try {
      const output = await this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: message.Subject,
          Message: message.Message,
          MessageAttributes: { ...message.MessageAttributes },
          ...(this.fifo ? { MessageGroupId: context.groupId, MessageDeduplicationId: context.eventId } : {}),
        }),
      );
      return output.MessageId ?? '';
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const detail = error instanceof Error ? error.message : String(error);
      throw new SnsDeliveryError(`SNS Publish to ${this.topicArn} failed: ${name}: ${detail}`, {
        retryable: !PERMANENT_ERRORS.has(name),
        cause: error,
      });
    }
  }
}
