import { Duration, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import type { MonitorFunction } from '../monitor-function';
import { acknowledgeWildcardResource } from '../nag-acknowledgements';

export interface ScanScheduleProps {
  /** The rate of the scan. */
  readonly schedule: Duration;
  /** What the schedule invokes: the snapshot function, or in fan-out mode the planner. */
  readonly target: MonitorFunction;
  /** Fan-out mode: the target is the planner, and the input names the tick. */
  readonly fanOut: boolean;
}

/**
 * The schedule and its role, created in `scope` as `Schedule` and `ScheduleRole`: every period it
 * invokes the target. A failed run is not retried by Lambda: the next scheduled run is the retry,
 * and the errors alarm reports the failure. A run throttled behind a running one expires after one
 * period.
 */
export class ScanSchedule {
  readonly schedule: Schedule;
  /** Assumed by EventBridge Scheduler; may invoke the target only. */
  readonly role: Role;

  constructor(scope: Construct, { schedule, target, fanOut }: ScanScheduleProps) {
    const fn = target.function;
    fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: clampDuration(schedule, Duration.minutes(1), Duration.hours(6)),
    });
    // The scheduler's role, here rather than CDK's shared one at the stack root, so it and its
    // acknowledgement travel with the construct. Trust: the account's default schedule group only.
    const stack = Stack.of(scope);
    this.role = new Role(scope, 'ScheduleRole', {
      description: `EventBridge Scheduler: invokes the stage-drift ${fanOut ? 'planner' : 'snapshot'} function`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule-group/default`,
          },
        },
      }),
    });
    this.schedule = new Schedule(scope, 'Schedule', {
      description: 'stage-drift: scheduled scan of API Gateway stages',
      schedule: ScheduleExpression.rate(schedule),
      target: new LambdaInvoke(fn, {
        role: this.role,
        // Fan-out: the scheduled time names the tick (the task messages' deduplication ids).
        input: ScheduleTargetInput.fromObject({
          source: 'stage-drift.schedule',
          ...(fanOut ? { scheduledTime: ContextAttribute.scheduledTime } : {}),
        }),
        // Only the hand-off to Lambda's queue is retried here (cheap and idempotent); a hand-off
        // older than one period is pointless, the next run is due.
        retryAttempts: 2,
        maxEventAge: schedule,
      }),
    });

    acknowledgeWildcardResource(
      this.role,
      `${fn.functionArn}:*`,
      "LambdaInvoke's grant covers the function and its versions and aliases (<arn>:*); it is " +
        `lambda:InvokeFunction on the ${fanOut ? 'planner' : 'snapshot'} function only, and the role ` +
        "trusts only this account's default schedule group.",
    );
  }
}

const clampDuration = (value: Duration, min: Duration, max: Duration): Duration =>
  value.toMilliseconds() < min.toMilliseconds()
    ? min
    : value.toMilliseconds() > max.toMilliseconds()
      ? max
      : value;
