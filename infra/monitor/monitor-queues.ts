import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag-acknowledgements';
import { RESCAN_TIMEOUT } from './event-rescans';

/** Deliveries of a task message before it goes to the task dead-letter queue. */
export const TASK_MAX_RECEIVE_COUNT = 3;

/** Deliveries of a CloudTrail event message before it goes to the failure queue (its dead-letter queue). */
export const EVENTS_MAX_RECEIVE_COUNT = 5;

/**
 * What lands in the failure queue, by the `kind` message attribute where the monitor sends it
 * itself (docs/deploy.md, "The failure queue"). One standard queue for all of them, so one alarm
 * metric pages for every failure the monitor does not retry further.
 */
export const FAILURE_QUEUE_SOURCES = [
  'a drift stream batch the publish function could not deliver (Lambda on-failure record)',
  'a delivery that failed for good (kind stage-drift.delivery-failure)',
  'a scheduled invocation that failed or expired (Lambda on-failure record: error or timeout)',
  'a scan or rescan that could not read an API or a region (kind stage-drift.scan-failure)',
  'a CloudTrail event that failed its rescans, or that the rules could not deliver (the event itself)',
] as const;

export interface MonitorQueuesProps {
  /** Encrypts every queue. @default - SQS-managed SSE (SSE-SQS): no key, no KMS requests */
  readonly key?: IKey;
  /** Create the task queue and its dead-letter queue (fan-out mode). */
  readonly fanOut: boolean;
  /** Create the events queue, whose dead-letter queue is the failure queue (as is the rules' target's). */
  readonly eventDrivenRescans: boolean;
}

/**
 * Every queue of the monitor, created in `scope` under the ids it always had: encrypted with the
 * monitor's key if it has one (SSE-SQS otherwise), TLS only. The queues nothing consumes (the failure queue and, in
 * fan-out mode, the task dead-letter queue) keep messages 14 days; one alarm (MonitorAlarms' DeadLettersAlarm) fires on
 * the first message in either.
 */
export class MonitorQueues {
  /**
   * The monitor's one failure queue (FAILURE_QUEUE_SOURCES): whatever failed and was not retried
   * further waits here for an operator, and one alarm metric watches it.
   */
  readonly failureQueue: Queue;
  /** Fan-out only: one message per account + region scan task (FIFO, one group per scope). */
  readonly taskQueue?: Queue;
  /** Fan-out only: task messages that failed their retries. */
  readonly taskDeadLetterQueue?: Queue;
  /** Event-driven rescans only: CloudTrail events of stage changes. */
  readonly eventsQueue?: Queue;
  /**
   * Event-driven rescans only: the failure queue, which is also the events queue's dead-letter
   * queue and the stage-change rules' target dead-letter queue.
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
      'This queue is itself the dead-letter destination of the whole monitor: the on-failure destination of ' +
        'the drift stream and of the scheduled function, the dead-letter queue of the events queue and of the ' +
        "stage-change rules' target, and where the scanning functions report what they could not read. " +
        'Nothing consumes it automatically, so a dead-letter queue behind it would never receive a message; ' +
        'an alarm fires on its first visible message and an operator inspects it within its 14-day retention.',
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
      // A standard queue: order does not matter, a rescan reads the current state. The visibility
      // timeout is six times the rescan function's (AWS's guidance for Lambda event sources); an
      // event older than a day is stale, the scheduled scan has seen the change. An event that
      // fails EVENTS_MAX_RECEIVE_COUNT rescans goes to the failure queue, as does one the rules
      // could not deliver (their target's dead-letter queue): one queue, one alarm metric.
      this.eventsQueue = this.queue('EventsQueue', {
        visibilityTimeout: Duration.seconds(RESCAN_TIMEOUT.toSeconds() * 6),
        retentionPeriod: Duration.days(1),
        deadLetterQueue: { queue: this.failureQueue, maxReceiveCount: EVENTS_MAX_RECEIVE_COUNT },
      });
      this.eventsDeadLetterQueue = this.failureQueue;
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
