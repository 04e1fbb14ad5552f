import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { DeliveryFailure } from './failure-report';

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
