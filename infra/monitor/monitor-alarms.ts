import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, SNAPSHOT_METRICS, SNAPSHOT_SERVICE } from '../runtime-contract';
import type { StageDriftAlarms } from '../stage-drift-monitor-props';

/** The publish function's alarm on the stream: its records wait longer than this, for 3 periods. */
export const ITERATOR_AGE_THRESHOLD = Duration.minutes(5);

const ALARM_PERIOD = Duration.minutes(5);

export interface MonitorAlarmsProps {
  /** The scan's period: of the scan metrics, and the heartbeat's unit. */
  readonly schedule: Duration;
  /** Every alarm notifies it, on alarm and on OK. */
  readonly operationsTopic: ITopic;
  readonly snapshotFunction: IFunction;
  readonly publishFunction: IFunction;
  readonly failureQueue: IQueue;
  /** @default - no planner errors alarm (single-account mode) */
  readonly plannerFunction?: IFunction;
  /** @default - no task dead letters alarm (single-account mode) */
  readonly taskDeadLetterQueue?: IQueue;
  /** @default - no rescan errors alarm (no event-driven rescans) */
  readonly rescanFunction?: IFunction;
  /** @default - no events dead letters alarm (no event-driven rescans) */
  readonly eventsDeadLetterQueue?: IQueue;
  /** @default - no rule target dead letters alarm (no event-driven rescans) */
  readonly eventTargetDeadLetterQueue?: IQueue;
}

/**
 * The alarms that watch the monitor itself, created in `scope` under the ids they always had: a
 * function failed, the publish function is behind the stream, a message waits in a queue nothing
 * consumes, a scan could not read an API or a region, no scan finished for two periods. Each
 * notifies the operations topic.
 */
export class MonitorAlarms {
  readonly alarms: StageDriftAlarms;

  constructor(scope: Construct, props: MonitorAlarmsProps) {
    const { schedule } = props;
    const snapshotMetric = (metricName: string, period: Duration) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SNAPSHOT_SERVICE },
        statistic: 'Sum',
        period,
      });
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    /** A function failed (an error or a timeout) at least once in 5 minutes. */
    const errorsOf = (fn: IFunction, id: string, alarmDescription: string) =>
      fn.metricErrors({ period: ALARM_PERIOD }).createAlarm(scope, id, { ...atLeastOnce, alarmDescription });
    /** A message is visible in a queue nothing consumes (the dead letters). */
    const visibleIn = (queue: IQueue, id: string, alarmDescription: string) =>
      queue
        .metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' })
        .createAlarm(scope, id, { ...atLeastOnce, alarmDescription });
    const alarms = {
      snapshotErrors: errorsOf(
        props.snapshotFunction,
        'SnapshotErrorsAlarm',
        'stage-drift: the snapshot function failed (error or timeout). See its log group.',
      ),
      publishErrors: errorsOf(
        props.publishFunction,
        'PublishErrorsAlarm',
        'stage-drift: the publish function failed; its batch is retried, then sent to the failure queue.',
      ),
      publishIteratorAge: props.publishFunction
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
            'than 24 hours leave the stream; the events stay in the table). See its log group and throttles.',
        }),
      failureQueueMessages: visibleIn(
        props.failureQueue,
        'FailureQueueAlarm',
        'stage-drift: drift events could not be delivered and wait in the failure queue (the events stay in the table).',
      ),
      scanFailures: snapshotMetric(SNAPSHOT_METRICS.scanFailures, schedule).createAlarm(
        scope,
        'ScanFailuresAlarm',
        {
          ...atLeastOnce,
          alarmDescription:
            'stage-drift: a scan could not read an API or a region (e.g. throttling retries exhausted); ' +
            'its stages keep their previous snapshots.',
        },
      ),
      heartbeat: snapshotMetric(SNAPSHOT_METRICS.scanCompleted, schedule).createAlarm(
        scope,
        'HeartbeatAlarm',
        {
          threshold: 1,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          treatMissingData: TreatMissingData.BREACHING,
          alarmDescription: `stage-drift: no scan has finished for two schedule periods (${schedule.toHumanString()} each).`,
        },
      ),
    };
    const plannerErrors =
      props.plannerFunction &&
      errorsOf(
        props.plannerFunction,
        'PlannerErrorsAlarm',
        'stage-drift: the planner function failed (error or timeout): some or all scan tasks of that tick ' +
          'were not enqueued (the next tick plans again). See its log group.',
      );
    const rescanErrors =
      props.rescanFunction &&
      errorsOf(
        props.rescanFunction,
        'RescanErrorsAlarm',
        'stage-drift: the rescan function failed (error or timeout); its batch of CloudTrail events is ' +
          'retried, then dead-lettered (the scheduled scan still sees the change). See its log group.',
      );
    const eventDeadLetters =
      props.eventsDeadLetterQueue &&
      visibleIn(
        props.eventsDeadLetterQueue,
        'EventsDeadLetterAlarm',
        'stage-drift: a CloudTrail event could not be rescanned after its retries and waits in the events ' +
          'dead-letter queue (the scheduled scan still sees the change; see the rescan log).',
      );
    const eventTargetDeadLetters =
      props.eventTargetDeadLetterQueue &&
      visibleIn(
        props.eventTargetDeadLetterQueue,
        'EventTargetDeadLetterAlarm',
        'stage-drift: a stage-change rule could not deliver a CloudTrail event to the events queue (e.g. the ' +
          'queue or its key refused it); the event waits in the rule target dead-letter queue with the error ' +
          'in its attributes (the scheduled scan still sees the change).',
      );
    const taskDeadLetters =
      props.taskDeadLetterQueue &&
      visibleIn(
        props.taskDeadLetterQueue,
        'TaskDeadLetterAlarm',
        'stage-drift: a scan task failed its retries and waits in the task dead-letter queue (see the snapshot log).',
      );
    this.alarms = {
      ...alarms,
      ...(plannerErrors ? { plannerErrors } : {}),
      ...(taskDeadLetters ? { taskDeadLetters } : {}),
      ...(rescanErrors ? { rescanErrors } : {}),
      ...(eventDeadLetters ? { eventDeadLetters } : {}),
      ...(eventTargetDeadLetters ? { eventTargetDeadLetters } : {}),
    };
    const action = new SnsAction(props.operationsTopic);
    const watched: Alarm[] = [
      ...Object.values(alarms),
      ...(plannerErrors ? [plannerErrors] : []),
      ...(taskDeadLetters ? [taskDeadLetters] : []),
      ...(rescanErrors ? [rescanErrors] : []),
      ...(eventDeadLetters ? [eventDeadLetters] : []),
      ...(eventTargetDeadLetters ? [eventTargetDeadLetters] : []),
    ];
    for (const alarm of watched) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }
}
