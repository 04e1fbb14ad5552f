import { Duration, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { grantSendTo } from '../grants';
import type { MonitorFunction } from '../monitor-function';
import { acknowledgeWildcardResource } from '../nag-acknowledgements';

export interface ScanScheduleProps {
  /** The rate of the scan. */
  readonly schedule: Duration;
  /** What the schedule invokes: the snapshot function, or in fan-out mode the planner. */
  readonly target: MonitorFunction;
  /** Fan-out mode: the target is the planner. */
  readonly fanOut: boolean;
  /** Where a run that failed (error, timeout) or expired goes: the monitor's failure queue, alarmed. */
  readonly failureQueue: IQueue;
}

/**
 * How long Lambda keeps a tick the snapshot function is throttled on (reserved concurrency 1,
 * behind a scan that outlasted the period): the most Lambda allows. The handler skips a tick that
 * starts a period late (shared/scan/schedule-tick.ts), so ticks never stack up, and one that still
 * expires means the function did not run for 6 hours: a failure, in the failure queue.
 */
export const SNAPSHOT_TICK_MAX_AGE = Duration.hours(6);

/**
 * The schedule and its role, created in `scope` as `Schedule` and `ScheduleRole`: every period it
 * invokes the target, naming the tick (its scheduled time) and the period. A failed run is not
 * retried by Lambda: the next scheduled run is the retry, and the run's on-failure record (the
 * error or timeout) goes to the failure queue, whose alarm pages. A snapshot run throttled behind
 * a running one waits (SNAPSHOT_TICK_MAX_AGE) and is skipped if it starts a period late; a
 * planner run throttled for a whole period expires into the failure queue.
 */
export class ScanSchedule {
  readonly schedule: Schedule;
  /** Assumed by EventBridge Scheduler; may invoke the target only. */
  readonly role: Role;

  constructor(scope: Construct, { schedule, target, fanOut, failureQueue }: ScanScheduleProps) {
    const fn = target.function;
    // Lambda sends the on-failure record with the function's role: sqs:SendMessage on this queue only.
    const onFailure: IDestination = {
      bind: () => {
        grantSendTo(target.role, failureQueue);
        return { destination: failureQueue.queueArn };
      },
    };
    fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: fanOut
        ? clampDuration(schedule, Duration.minutes(1), Duration.hours(6))
        : SNAPSHOT_TICK_MAX_AGE,
      onFailure,
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
        // The scheduled time names the tick: fan-out's task deduplication ids, and how late a
        // snapshot run starts (shared/scan/schedule-tick.ts).
        input: ScheduleTargetInput.fromObject({
          source: 'stage-drift.schedule',
          scheduledTime: ContextAttribute.scheduledTime,
          periodMinutes: schedule.toMinutes(),
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
