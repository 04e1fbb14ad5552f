import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { ApiType, Severity } from '../model';
import type { DeliveryChannel } from './delivery-log';

/** An event a channel refused for good, as sent to the failure queue. No secret in it. */
export interface DeliveryFailure {
  readonly kind: 'stage-drift.delivery-failure';
  readonly eventId: string;
  readonly channel: DeliveryChannel;
  /** What went wrong (the webhook URL redacted). */
  readonly error: string;
  readonly status?: number;
  readonly slackError?: string;
  readonly stage: {
    readonly account: string;
    readonly region: string;
    readonly apiType: ApiType;
    readonly apiId: string;
    readonly stageName: string;
  };
  readonly severity: Severity;
  readonly detectedAt: string;
  readonly failedAt: string;
}

/** Where permanent delivery failures go, so that nothing is retried forever or lost silently. */
export interface FailureQueue {
  report(failure: DeliveryFailure): Promise<void>;
}

/** The failure queue on SQS (client passed in). On a FIFO queue, one group; deduplicated by event and channel. */
export class SqsFailureQueue implements FailureQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async report(failure: DeliveryFailure): Promise<void> {
    const fifo = this.queueUrl.endsWith('.fifo');
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(failure),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: failure.kind },
          channel: { DataType: 'String', StringValue: failure.channel },
          eventId: { DataType: 'String', StringValue: failure.eventId },
        },
        ...(fifo
          ? {
              MessageGroupId: 'stage-drift-delivery-failures',
              MessageDeduplicationId: `${failure.eventId}-${failure.channel}`,
            }
          : {}),
      }),
    );
  }
}
