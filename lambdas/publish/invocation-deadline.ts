import type { PublishDeadline } from '../../shared/notify';
import { OutOfTimeError } from '../../shared/notify';
import type { Clock } from '../../shared/runtime';

/** The Slack sender's per-request timeout: the longest one attempt may take once started. */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;
/** Time kept after the last send: its delivery marks, the metrics and the answer to Lambda. */
export const FINISH_RESERVE_MS = 5_000;

/**
 * The publish function's remaining time, restarted by each invocation (`start`). A send may start
 * while one request and the finish still fit (`SLACK_REQUEST_TIMEOUT_MS + FINISH_RESERVE_MS`), and
 * `clock` — the Slack sender's — refuses a wait (pacing, `Retry-After`, backoff) after which that
 * would no longer hold: it rejects with `OutOfTimeError` instead of sleeping, which stops the batch.
 * Before the first `start` there is no deadline.
 */
export class InvocationDeadline implements PublishDeadline {
  /** For the Slack sender: `base`, whose `sleep` refuses to cross the deadline. */
  readonly clock: Clock;
  private deadlineMs: number | undefined;

  constructor(
    private readonly base: Clock,
    private readonly reserveMs = SLACK_REQUEST_TIMEOUT_MS + FINISH_RESERVE_MS,
  ) {
    this.clock = { now: () => base.now(), sleep: (ms, signal) => this.sleep(ms, signal) };
  }

  /** A new invocation with `remainingMs` to go (`context.getRemainingTimeInMillis()`). */
  start(remainingMs: number): void {
    this.deadlineMs = this.base.now() + remainingMs;
  }

  /** Milliseconds to the deadline; `undefined` before the first `start`. */
  remainingMs(): number | undefined {
    return this.deadlineMs === undefined ? undefined : this.deadlineMs - this.base.now();
  }

  canStart(): boolean {
    return this.fits(0);
  }

  private fits(waitMs: number): boolean {
    return (
      this.deadlineMs === undefined ||
      this.base.now() + Math.max(0, waitMs) + this.reserveMs <= this.deadlineMs
    );
  }

  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.fits(ms)) return this.base.sleep(ms, signal);
    return Promise.reject(
      new OutOfTimeError(
        `a wait of ${Math.ceil(ms / 1000)} s (Slack pacing, a Retry-After or a backoff) would leave less than ` +
          `${Math.ceil(this.reserveMs / 1000)} s before the invocation's deadline; stopped instead of waiting`,
      ),
    );
  }
}
