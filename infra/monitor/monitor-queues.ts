import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag-acknowledgements';
import { RESCAN_TIMEOUT } from './event-rescans';

/** Deliveries of a task message before it goes to the task dead-letter queue. */
export const TASK_MAX_RECEIVE_COUNT = 3;

/** Deliveries of a CloudTrail event message before it goes to the events dead-letter queue. */
export const EVENTS_MAX_RECEIVE_COUNT = 5;

export interface MonitorQueuesProps {
  /** Encrypts every queue. @default - SQS-managed SSE (SSE-SQS): no key, no KMS requests */
  readonly key?: IKey;
  /** Create the task queue and its dead-letter queue (fan-out mode). */
  readonly fanOut: boolean;
  /** Create the events queue and its dead-letter queue (also the rules' target dead-letter queue). */
  readonly eventDrivenRescans: boolean;
}

/**
 * Every queue of the monitor, created in `scope` under the ids it always had: encrypted with the
 * monitor's key if it has one (SSE-SQS otherwise), TLS only. The queues nothing consumes (the failure queue and the dead-letter
 * queues) keep messages 14 days and each has an alarm on its first message (MonitorAlarms).
 */
export class MonitorQueues {
  /** Stream batches the publish function could not deliver after its retries. */
  readonly failureQueue: Queue;
  /** Fan-out only: one message per account + region scan task (FIFO, one group per scope). */
  readonly taskQueue?: Queue;
  /** Fan-out only: task messages that failed their retries. */
  readonly taskDeadLetterQueue?: Queue;
  /** Event-driven rescans only: CloudTrail events of stage changes. */
  readonly eventsQueue?: Queue;
  /**
   * Event-driven rescans only: event messages that failed their retries, and the events the
   * stage-change rules could not deliver to the events queue (the rules' target dead-letter queue):
   * one queue, one alarm metric, for the whole event path.
   */
  readonly eventsDeadLetterQueue?: Queue;

  private readonly scope: Construct;
  private readonly key: IKey | undefined;

  constructor(scope: Construct, props: MonitorQueuesProps) {
    this.scope = scope;
    this.key = props.key;
    this.failureQueue = this.deadLetterQueue(
      'FailureQueue',
      {},
      'This queue is itself the dead-letter destination: the on-failure destination of the drift stream ' +
        'and of the publish function. Nothing consumes it automatically, so a dead-letter queue behind it ' +
        'would never receive a message; an alarm fires on its first visible message and an operator ' +
        'inspects and replays the events (they stay in the table), within its 14-day retention.',
    );
    if (props.fanOut) {
      // Task dead letters: FIFO like the task queue (SQS requires it).
      this.taskDeadLetterQueue = this.deadLetterQueue(
        'TaskDeadLetterQueue',
        { fifo: true },
        'This queue is itself the dead-letter queue of the task queue. Nothing consumes it: an alarm fires on ' +
          'its first visible message, and the next schedule tick plans the scope again anyway.',
      );
      // FIFO with one message group per scope, so two scans of one scope never run at once and a
      // continuation runs after its chunk. The visibility timeout is six times the snapshot
      // function's (AWS's guidance for Lambda event sources); a message that fails three times goes
      // to the dead-letter queue. A task older than a day is stale: ticks come every period.
      this.taskQueue = this.queue('TaskQueue', {
        fifo: true,
        contentBasedDeduplication: false,
        visibilityTimeout: Duration.minutes(90),
        retentionPeriod: Duration.days(1),
        deadLetterQueue: { queue: this.taskDeadLetterQueue, maxReceiveCount: TASK_MAX_RECEIVE_COUNT },
      });
    }
    if (props.eventDrivenRescans) {
      // The dead letters of the whole event path: what the rescans failed (after
      // EVENTS_MAX_RECEIVE_COUNT deliveries) and what the rules could not deliver, once
      // EventBridge's own retries (up to a day) run out. Both are the CloudTrail event as sent by
      // the rule; a rule's dead letter has the error in its message attributes.
      this.eventsDeadLetterQueue = this.deadLetterQueue(
        'EventsDeadLetterQueue',
        {},
        "This queue is itself the dead-letter queue of the CloudTrail events queue and of the stage-change rules' " +
          'target. Nothing consumes it: an alarm fires on its first visible message, and the scheduled full scan ' +
          'finds the change anyway.',
      );
      // A standard queue: order does not matter, a rescan reads the current state. The visibility
      // timeout is six times the rescan function's (AWS's guidance for Lambda event sources); an
      // event older than a day is stale, the scheduled scan has seen the change.
      this.eventsQueue = this.queue('EventsQueue', {
        visibilityTimeout: Duration.seconds(RESCAN_TIMEOUT.toSeconds() * 6),
        retentionPeriod: Duration.days(1),
        deadLetterQueue: { queue: this.eventsDeadLetterQueue, maxReceiveCount: EVENTS_MAX_RECEIVE_COUNT },
      });
    }
  }

  /** Every queue of the monitor: encrypted with the monitor's key (SSE-SQS without one), TLS only. */
  private queue(id: string, props: QueueProps): Queue {
    return new Queue(this.scope, id, {
      ...props,
      ...(this.key
        ? { encryption: QueueEncryption.KMS, encryptionMasterKey: this.key }
        : { encryption: QueueEncryption.SQS_MANAGED }),
      enforceSSL: true,
    });
  }

  /**
   * A queue nothing consumes automatically (14-day retention, an alarm on its first message), so a
   * dead-letter queue behind it would never receive anything: SQS3 acknowledged with `reason`.
   */
  private deadLetterQueue(id: string, props: QueueProps, reason: string): Queue {
    const queue = this.queue(id, { ...props, retentionPeriod: Duration.days(14) });
    acknowledge(queue, 'SQS3', reason);
    return queue;
  }
}
