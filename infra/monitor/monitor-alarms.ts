import { Duration } from 'aws-cdk-lib';
import type { Alarm, IMetric, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageDriftAlarms } from '../stage-drift-monitor-props';
import { EVENTS_MAX_RECEIVE_COUNT } from './monitor-queues';

/** The publish function's alarm on the stream: its records wait longer than this, for 3 periods. */
export const ITERATOR_AGE_THRESHOLD = Duration.minutes(5);

const ALARM_PERIOD = Duration.minutes(5);

export interface MonitorAlarmsProps {
  /** The scan's period: the heartbeat's unit. */
  readonly schedule: Duration;
  /** Every alarm notifies it, on alarm and on OK. */
  readonly operationsTopic: ITopic;
  readonly snapshotFunction: IFunction;
  readonly publishFunction: IFunction;
  readonly failureQueue: IQueue;
  /** @default - single-account mode: the schedule invokes the snapshot function */
  readonly plannerFunction?: IFunction;
  /** @default - single-account mode: no task dead letters */
  readonly taskDeadLetterQueue?: IQueue;
  /**
   * Event-driven rescans: the events queue's dead letters and the rules' go to the failure queue.
   * The rescan function has no errors metric here: it reports what it could not read to the
   * failure queue at once, and a batch that throws is delivered again and, after
   * EVENTS_MAX_RECEIVE_COUNT deliveries, lands there too (docs/deploy.md, "Alarms").
   * @default false
   */
  readonly eventDrivenRescans?: boolean;
}

/**
 * The alarms that watch the monitor itself, the fewest alarm metrics that still page on every
 * failure mode (docs/deploy.md, "Alarms", has the table of which covers which): the heartbeat (the
 * schedule's target is invoked), the publish function behind the stream, and the dead letters:
 * every failure the monitor does not retry further is a message in the failure queue (the
 * scanning functions report what they could not read there, Lambda sends a failed scheduled run's
 * record there, and the event path and the stream dead-letter there), so one metric pages for all
 * of them. Built-in AWS/Lambda and AWS/SQS metrics only. Each notifies the operations topic.
 */
export class MonitorAlarms {
  readonly alarms: StageDriftAlarms;

  constructor(scope: Construct, props: MonitorAlarmsProps) {
    const { schedule } = props;
    /** The sum of `metrics` (missing datapoints are 0) is at least 1 in a 5-minute period. */
    const anyOf = (id: string, metrics: Record<string, IMetric>, alarmDescription: string): Alarm =>
      new MathExpression({
        expression: Object.keys(metrics)
          .map((name) => `FILL(${name}, 0)`)
          .join(' + '),
        usingMetrics: metrics,
        period: ALARM_PERIOD,
        label: id,
      }).createAlarm(scope, id, {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription,
      });
    const visibleIn = (queue: IQueue, label: string) =>
      queue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum', label });

    // The schedule's target: the planner in fan-out mode, which the snapshot function's tasks follow.
    const invocations = (fn: IFunction, label?: string) =>
      fn.metricInvocations({ period: schedule, statistic: 'Sum', ...(label ? { label } : {}) });
    const heartbeatMetric: Metric | MathExpression = props.plannerFunction
      ? new MathExpression({
          // Both must run: the planner each tick, the snapshot function on its tasks.
          expression: 'MIN([FILL(planner, 0), FILL(snapshot, 0)])',
          usingMetrics: {
            planner: invocations(props.plannerFunction, 'planner invocations'),
            snapshot: invocations(props.snapshotFunction, 'snapshot invocations'),
          },
          period: schedule,
          label: 'HeartbeatAlarm',
        })
      : invocations(props.snapshotFunction);
    const heartbeat = heartbeatMetric.createAlarm(scope, 'HeartbeatAlarm', {
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.BREACHING,
      alarmDescription:
        `stage-drift: no scan ran for two schedule periods (${schedule.toHumanString()} each): the ` +
        `${props.plannerFunction ? 'planner or the snapshot function' : 'snapshot function'} had no ` +
        'invocation (AWS/Lambda Invocations). Check the schedule (EventBridge Scheduler), the ' +
        "function's throttles and its reserved concurrency.",
    });

    const publishIteratorAge = props.publishFunction
      .metric('IteratorAge', { period: ALARM_PERIOD, statistic: 'Maximum' })
      .createAlarm(scope, 'PublishIteratorAgeAlarm', {
        threshold: ITERATOR_AGE_THRESHOLD.toMilliseconds(),
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // No stream records, no datapoints: nothing is behind.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription:
          `stage-drift: the publish function is behind the drift stream: its oldest record has waited over ` +
          `${ITERATOR_AGE_THRESHOLD.toHumanString()} for 15 minutes, so drift alerts are late (records older ` +
          'than 24 hours leave the stream; the events stay in the table). See its log group, errors and throttles.',
      });

    const deadLetters = anyOf(
      'DeadLettersAlarm',
      {
        failures: visibleIn(props.failureQueue, 'failure queue'),
        ...(props.taskDeadLetterQueue
          ? { tasks: visibleIn(props.taskDeadLetterQueue, 'task dead letters') }
          : {}),
      },
      'stage-drift: something failed and waits in the failure queue (docs/deploy.md, "The failure ' +
        'queue"): a scan or rescan that could not read an API or a region (kind ' +
        `stage-drift.scan-failure; those stages keep their previous snapshots), a scheduled ${
          props.plannerFunction ? 'planner' : 'snapshot'
        } run that failed or timed out (a Lambda on-failure record), drift events the publish function ` +
        'could not deliver (the events stay in the table)' +
        (props.eventDrivenRescans
          ? `, a CloudTrail event that failed ${EVENTS_MAX_RECEIVE_COUNT} rescans or that a rule could not ` +
            'deliver (the scheduled scan still sees those changes)'
          : '') +
        (props.taskDeadLetterQueue
          ? '; or a message in the task dead-letter queue (a scan task failed its retries)'
          : '') +
        `. Read them with \`stage-drift failures --queue-url ${props.failureQueue.queueUrl}\`, then ` +
        'add --delete once dealt with: the alarm stays on while any message is there.',
    );

    this.alarms = { heartbeat, publishIteratorAge, deadLetters };
    const action = new SnsAction(props.operationsTopic);
    for (const alarm of [heartbeat, publishIteratorAge, deadLetters]) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
