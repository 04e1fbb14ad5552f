/**
 * The scheduled scan's input (infra/monitor/scan-schedule.ts): the time the tick was due and the
 * schedule's period. Lambda keeps a tick that is throttled behind a running scan (reserved
 * concurrency 1) for up to 6 hours; one that starts a whole period after it was due is late, a
 * newer tick is due or waiting, so it is skipped rather than run: scans never stack up, and a
 * tick that expires or fails is a failure worth paging (the failure queue).
 */
export interface ScheduleTick {
  readonly scheduledTime: Date;
  readonly periodMinutes: number;
}

/** The tick `event` names, or undefined for any other input (an invocation by hand, a test). */
export const scheduleTickOf = (event: unknown): ScheduleTick | undefined => {
  const { scheduledTime, periodMinutes } = (event ?? {}) as {
    scheduledTime?: unknown;
    periodMinutes?: unknown;
  };
  if (typeof scheduledTime !== 'string' || typeof periodMinutes !== 'number') return undefined;
  const due = new Date(scheduledTime);
  if (Number.isNaN(due.getTime()) || !(periodMinutes > 0)) return undefined;
  return { scheduledTime: due, periodMinutes };
};

/** How late `tick` starts at `now`, in ms, when it is a whole period or more; otherwise undefined. */
export const latenessOf = (tick: ScheduleTick, now: Date): number | undefined => {
  const late = now.getTime() - tick.scheduledTime.getTime();
  return late >= tick.periodMinutes * 60_000 ? late : undefined;
};
