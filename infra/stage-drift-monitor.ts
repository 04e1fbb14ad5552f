import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resolveMonitorSettings } from './monitor-settings';
import { AlertDelivery } from './monitor/alert-delivery';
import { DriftTopic } from './monitor/drift-topic';
import { EventRescans } from './monitor/event-rescans';
import { FanOut } from './monitor/fan-out';
import { MemberEvents } from './monitor/member-events';
import { MonitorAlarms } from './monitor/monitor-alarms';
import { MonitorQueues } from './monitor/monitor-queues';
import { ScanSchedule } from './monitor/scan-schedule';
import { Scanner } from './monitor/scanner';
import { SnapshotStore } from './monitor/snapshot-store';
import type { StageDriftAlarms, StageDriftMonitorProps } from './stage-drift-monitor-props';

// The constants of the parts, where the monitor's users have always imported them from.
export { API_GATEWAY_READ_PATHS, API_ID_PATTERN, RESCAN_API_GATEWAY_READ_PATHS } from './grants';
export { STREAM_RETRY_ATTEMPTS } from './monitor/alert-delivery';
export {
  EVENTS_BATCH_SIZE,
  EVENTS_BATCHING_WINDOW,
  RESCAN_MAX_CONCURRENCY,
  RESCAN_TIMEOUT,
} from './monitor/event-rescans';
export { PLANNER_TIMEOUT } from './monitor/fan-out';
export { ITERATOR_AGE_THRESHOLD } from './monitor/monitor-alarms';
export { EVENTS_MAX_RECEIVE_COUNT, TASK_MAX_RECEIVE_COUNT } from './monitor/monitor-queues';

/**
 * Watches API Gateway stages for drift: a scheduled snapshot function diffs every stage of the
 * configured regions against the last snapshot in DynamoDB and records each change as a drift
 * event; the table's stream feeds the publish function, which sends the events to SNS (and
 * Slack). Alarms watch the monitor itself. Two scans of a scope never run at once; event-driven
 * rescans and the fan-out planner run in functions of their own.
 * See ARCHITECTURE.md, "Design notes: The monitor construct".
 */
export class StageDriftMonitor extends Construct {
  /** Snapshots, history, drift events and run records (layout: shared/store/README.md). */
  readonly table: ITable;
  /** Drift events as JSON with message attributes (and, by default, the alarm notifications). */
  readonly topic: ITopic;
  /** The scheduled scan; in fan-out mode, the consumer of the task queue. */
  readonly snapshotFunction: IFunction;
  /** Fan-out only: the schedule's target, which enqueues one task per account + region. */
  readonly plannerFunction?: IFunction;
  /** Event-driven rescans only: drains the events queue, one targeted rescan per API a batch names. */
  readonly rescanFunction?: IFunction;
  /** Stream of drift events -> SNS and Slack. */
  readonly publishFunction: IFunction;
  /**
   * Everything that failed and is not retried further, watched by one alarm (`alarms.deadLetters`):
   * what a scan or rescan could not read, a failed or expired scheduled run, stream batches the
   * publish function could not deliver, and, with event-driven rescans, the events queue's and the
   * rules' dead letters (docs/deploy.md, "The failure queue").
   */
  readonly failureQueue: IQueue;
  /**
   * The customer-managed key that encrypts the table, the topic and the queues: the monitor's own
   * (`customerManagedKey`) or `encryptionKey`. None by default (AWS owned and managed keys).
   */
  readonly key?: IKey;
  /** The alarms that watch the monitor itself; each notifies the operations topic. */
  readonly alarms: StageDriftAlarms;
  /** Fan-out only: one message per account + region scan task (FIFO, one group per scope). */
  readonly taskQueue?: IQueue;
  /** Fan-out only: task messages that failed their retries; watched by an alarm. */
  readonly taskDeadLetterQueue?: IQueue;
  /** Event-driven rescans only: CloudTrail events of stage changes, drained by the rescan function. */
  readonly eventsQueue?: IQueue;
  /**
   * Event-driven rescans only: the events queue's dead-letter queue, which is `failureQueue`
   * (event messages that failed EVENTS_MAX_RECEIVE_COUNT rescans).
   */
  readonly eventsDeadLetterQueue?: IQueue;
  /**
   * Event-driven rescans only: the rules' target dead-letter queue, which is `failureQueue` too
   * (a rule's dead letter has the error in its message attributes).
   */
  readonly eventTargetDeadLetterQueue?: IQueue;
  /**
   * The roles that assume the member accounts' reader roles: trust exactly these in
   * `StageDriftReaderRole` (`monitorRoleArns`; the stack outputs them as `ScanningRoleArns`).
   */
  readonly scanningRoles: IRole[];

  constructor(scope: Construct, id: string, props: StageDriftMonitorProps = {}) {
    super(scope, id);
    const settings = resolveMonitorSettings(this, props);
    // Each part creates its resources in this construct itself, under the ids they have always had
    // (a stateful resource whose id changes is replaced), and in this order, which is the template's.

    const store = new SnapshotStore(this, {
      removalPolicy: settings.removalPolicy,
      existingTable: props.existingTable,
      customerManagedKey: settings.customerManagedKey,
    });
    this.key = store.key;
    this.table = store.table;

    this.topic = new DriftTopic(this, {
      key: this.key,
      receivesAlarms: props.operationsTopic === undefined,
      existingTopic: props.existingTopic,
      emailSubscriptions: settings.emailSubscriptions,
    }).topic;

    const queues = new MonitorQueues(this, {
      key: this.key,
      fanOut: settings.fanOut !== undefined,
      eventDrivenRescans: settings.eventDrivenRescans,
    });
    this.failureQueue = queues.failureQueue;
    this.taskQueue = queues.taskQueue;
    this.taskDeadLetterQueue = queues.taskDeadLetterQueue;
    this.eventsQueue = queues.eventsQueue;
    this.eventsDeadLetterQueue = queues.eventsDeadLetterQueue;
    this.eventTargetDeadLetterQueue = queues.eventsDeadLetterQueue;

    const { snapshot } = new Scanner(this, {
      settings,
      table: this.table,
      taskQueue: this.taskQueue,
      failureQueue: this.failureQueue,
    });
    this.snapshotFunction = snapshot.function;
    // The snapshot function assumes reader roles in fan-out mode; the rescan function too when
    // there are member accounts (their forwarded events).
    this.scanningRoles = [snapshot.role];

    const planner =
      settings.fanOut && this.taskQueue
        ? new FanOut(this, {
            fanOut: settings.fanOut,
            settings,
            table: this.table,
            taskQueue: this.taskQueue,
            snapshot,
          }).planner
        : undefined;
    this.plannerFunction = planner?.function;

    new ScanSchedule(this, {
      schedule: settings.schedule,
      target: planner ?? snapshot,
      fanOut: settings.fanOut !== undefined,
      failureQueue: this.failureQueue,
    });

    if (this.eventsQueue && this.eventsDeadLetterQueue) {
      const { rescan } = new EventRescans(this, {
        settings,
        key: this.key,
        table: this.table,
        queue: this.eventsQueue,
        failureQueue: this.failureQueue,
      });
      this.rescanFunction = rescan.function;
      // Member accounts' events, forwarded to this account's bus (StageDriftEventForwarder), are
      // rescanned through their reader roles: the rescan role is then a scanning role too.
      if (settings.fanOut && new MemberEvents(this, { fanOut: settings.fanOut, rescan }).enabled) {
        this.scanningRoles.push(rescan.role);
      }
    }

    this.publishFunction = new AlertDelivery(this, {
      settings,
      table: this.table,
      topic: this.topic,
      failureQueue: this.failureQueue,
    }).publish.function;

    this.alarms = new MonitorAlarms(this, {
      schedule: settings.schedule,
      operationsTopic: props.operationsTopic ?? this.topic,
      snapshotFunction: this.snapshotFunction,
      publishFunction: this.publishFunction,
      failureQueue: this.failureQueue,
      plannerFunction: this.plannerFunction,
      taskDeadLetterQueue: this.taskDeadLetterQueue,
      eventDrivenRescans: this.eventsQueue !== undefined,
    }).alarms;
  }
}
