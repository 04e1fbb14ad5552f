import type { Severity } from '../model';
import { formatStageKey, severityRank } from '../model';
import type { Clock } from '../runtime';
import { forEachLimit } from '../runtime';
import type { DriftEventRecord } from '../store';
import type { DeliveryChannel, DeliveryLog, DeliveryMark } from './delivery-log';
import type { DeliveryFailure, FailureQueue } from './failure-queue';
import { describeError, redactSecrets } from './redact';
import type { SlackDigestOptions, SlackRenderOptions } from './slack-message';
import { renderSlackDigest, renderSlackMessage } from './slack-message';
import type { SlackSender } from './slack-webhook-sender';
import type { SnsRenderOptions } from './sns-message';
import { renderSnsMessage } from './sns-message';
import type { SnsSink } from './sns-publisher';

/**
 * The time an invocation has left. Asked before each send (SNS publish, Slack message or digest):
 * once it says no, nothing more starts and the rest comes back retryable. A sender whose wait
 * (pacing, a `Retry-After`, a backoff) would cross the deadline rejects with `OutOfTimeError`.
 */
export interface PublishDeadline {
  /** Whether one more send can still finish before the deadline (a margin included). */
  canStart(): boolean;
}

/** Thrown instead of waiting past the deadline; retryable: the next invocation sends it. */
export class OutOfTimeError extends Error {
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'OutOfTimeError';
  }
}

/** Why the rest of a batch was not sent when the deadline left no time for it. */
const NO_TIME_LEFT = 'not sent: the invocation ran out of time before this send could start';

/** What the publish use case needs; every part optional so the CLI can publish to one channel. */
export interface PublishDeps {
  readonly sns?: { readonly publisher: SnsSink; readonly render?: SnsRenderOptions };
  readonly slack?: {
    readonly sender: SlackSender;
    /** Events below this severity are not sent to Slack (SNS gets everything). @default 'MEDIUM' */
    readonly minSeverity?: Severity;
    /** More Slack-bound events than this in one call are sent as one digest. @default 5 */
    readonly digestThreshold?: number;
    readonly render?: SlackRenderOptions & SlackDigestOptions;
  };
  /** Without it nothing is deduplicated (a one-off CLI publish). */
  readonly deliveryLog?: DeliveryLog;
  /** Where permanent failures go; without it they are only returned (and logged by the caller). */
  readonly failureQueue?: FailureQueue;
  /** For `failedAt`. @default Date.now */
  readonly clock?: Pick<Clock, 'now'>;
  /** SNS publishes in flight. @default 4 */
  readonly snsConcurrency?: number;
  /** The invocation's time limit (the publish Lambda's remaining time). @default none */
  readonly deadline?: PublishDeadline;
}

/**
 * - `published`: sent now.
 * - `skipped-duplicate`: the delivery log already has it (a redelivered event).
 * - `skipped-filtered`: nothing to send (below Slack's minimum severity, no channel configured).
 * - `failed-retryable`: not sent; retrying may work (throttling, 5xx, network, delivery log).
 * - `failed-permanent`: refused for good (e.g. Slack 4xx); reported to the failure queue and marked,
 *   so a redelivery does not try again.
 */
export type PublishStatus =
  'published' | 'skipped-duplicate' | 'skipped-filtered' | 'failed-retryable' | 'failed-permanent';

export const PUBLISH_STATUSES: readonly PublishStatus[] = [
  'published',
  'skipped-duplicate',
  'skipped-filtered',
  'failed-retryable',
  'failed-permanent',
];

export interface ChannelOutcome {
  readonly channel: DeliveryChannel;
  readonly status: PublishStatus;
  /** Slack only: sent as its own message or inside a digest. */
  readonly via?: 'message' | 'digest';
  /** What went wrong; never contains the webhook URL or a stage variable value. */
  readonly error?: string;
  /** A permanent failure that reached the failure queue. */
  readonly reported?: boolean;
  /** Published, but the delivery mark could not be written (a redelivery would send it again). */
  readonly warning?: string;
  /** Not sent because the deadline stopped the publish (`PublishResult.stopped` says why). */
  readonly outOfTime?: true;
}

export interface EventOutcome {
  readonly eventId: string;
  /** The most pressing channel status: failed-retryable, failed-permanent, published, skipped-duplicate, skipped-filtered. */
  readonly status: PublishStatus;
  readonly channels: readonly ChannelOutcome[];
}

export interface PublishResult {
  /** One per distinct event id, in input order. */
  readonly outcomes: readonly EventOutcome[];
  readonly counts: Readonly<Record<PublishStatus, number>>;
  readonly slackMessages: number;
  readonly slackDigests: number;
  /**
   * Set when the deadline stopped the publish: how many events were left unsent on some channel
   * (they are `failed-retryable`) and why. Never contains a secret.
   */
  readonly stopped?: { readonly unsent: number; readonly reason: string };
}

const STATUS_PRIORITY: readonly PublishStatus[] = [
  'failed-retryable',
  'failed-permanent',
  'published',
  'skipped-duplicate',
  'skipped-filtered',
];

interface Failure {
  readonly retryable: boolean;
  readonly message: string;
  readonly status?: number;
  readonly slackError?: string;
}

/** Our delivery errors carry `retryable` and a safe message; anything else is retryable, described redacted. */
const classify = (error: unknown): Failure => {
  const fields = error as { retryable?: unknown; status?: unknown; slackError?: unknown } | undefined;
  const known = error instanceof Error && typeof fields?.retryable === 'boolean';
  return {
    retryable: known ? (fields.retryable as boolean) : true,
    message: known ? redactSecrets(error.message) : describeError(error),
    ...(typeof fields?.status === 'number' ? { status: fields.status } : {}),
    ...(typeof fields?.slackError === 'string' ? { slackError: fields.slackError } : {}),
  };
};

/** SNS FIFO message group: the stage (at most 128 characters). */
const groupIdOf = (event: DriftEventRecord): string =>
  formatStageKey({
    account: event.account,
    region: event.region,
    apiType: event.api.type,
    apiId: event.api.id,
    stageName: event.stageName,
  }).slice(0, 128);

class Run {
  readonly channels = new Map<string, ChannelOutcome[]>();
  slackMessages = 0;
  slackDigests = 0;
  /** Why the deadline stopped the publish, once it has. */
  stoppedBy: string | undefined;
  /** Events left unsent on some channel because of the deadline. */
  readonly unsent = new Set<string>();

  constructor(
    readonly deps: PublishDeps,
    readonly events: readonly DriftEventRecord[],
  ) {
    for (const event of events) this.channels.set(event.id, []);
  }

  add(eventId: string, outcome: ChannelOutcome): void {
    this.channels.get(eventId)?.push(outcome);
  }

  /** False, and the publish stopped, once the deadline leaves no time for another send. */
  hasTime(): boolean {
    if (this.stoppedBy === undefined && this.deps.deadline && !this.deps.deadline.canStart())
      this.stoppedBy = NO_TIME_LEFT;
    return this.stoppedBy === undefined;
  }

  /** An event not sent on `channel` because the deadline stopped the publish. */
  outOfTime(eventId: string, channel: DeliveryChannel, via?: 'message' | 'digest'): void {
    this.unsent.add(eventId);
    const error = this.stoppedBy ?? NO_TIME_LEFT;
    this.add(eventId, {
      channel,
      status: 'failed-retryable',
      ...(via ? { via } : {}),
      error,
      outOfTime: true,
    });
  }

  async handled(ids: readonly string[], channel: DeliveryChannel): Promise<ReadonlySet<string>> {
    return this.deps.deliveryLog && ids.length > 0
      ? this.deps.deliveryLog.handled(ids, channel)
      : new Set<string>();
  }

  /** Writes the mark; a problem becomes a warning (the send already happened). */
  async mark(
    eventId: string,
    channel: DeliveryChannel,
    mark: DeliveryMark,
    detail: { readonly messageId?: string; readonly via?: 'message' | 'digest' } = {},
  ): Promise<string | undefined> {
    if (!this.deps.deliveryLog) return undefined;
    try {
      const recorded = await this.deps.deliveryLog.record(eventId, channel, mark, detail);
      return recorded
        ? undefined
        : `another invocation handled the ${channel} delivery of event ${eventId} at the same time; it may have been sent twice`;
    } catch (error) {
      return `sent, but the delivery mark was not written (a redelivery would send it again): ${describeError(error)}`;
    }
  }

  /** A permanent failure: to the failure queue, then marked so a redelivery skips it. */
  async settlePermanent(
    event: DriftEventRecord,
    channel: DeliveryChannel,
    failure: Failure,
  ): Promise<ChannelOutcome> {
    let reported = false;
    if (this.deps.failureQueue) {
      const report: DeliveryFailure = {
        kind: 'stage-drift.delivery-failure',
        eventId: event.id,
        channel,
        error: failure.message,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        ...(failure.slackError !== undefined ? { slackError: failure.slackError } : {}),
        stage: {
          account: event.account,
          region: event.region,
          apiType: event.api.type,
          apiId: event.api.id,
          stageName: event.stageName,
        },
        severity: event.severity,
        detectedAt: event.detectedAt,
        failedAt: new Date((this.deps.clock ?? Date).now()).toISOString(),
      };
      try {
        await this.deps.failureQueue.report(report);
        reported = true;
      } catch (error) {
        return {
          channel,
          status: 'failed-retryable',
          error: `${failure.message} The failure queue did not take the report either: ${describeError(error)}`,
        };
      }
    }
    const warning = await this.mark(event.id, channel, 'FAILED');
    return {
      channel,
      status: 'failed-permanent',
      error: failure.message,
      reported,
      ...(warning ? { warning } : {}),
    };
  }

  async fail(event: DriftEventRecord, channel: DeliveryChannel, error: unknown, via?: 'message' | 'digest') {
    const failure = classify(error);
    const outcome: ChannelOutcome = failure.retryable
      ? { channel, status: 'failed-retryable', error: failure.message }
      : await this.settlePermanent(event, channel, failure);
    this.add(event.id, via ? { ...outcome, via } : outcome);
  }

  async toSns(sns: NonNullable<PublishDeps['sns']>): Promise<void> {
    let handled: ReadonlySet<string>;
    try {
      handled = await this.handled(
        this.events.map((e) => e.id),
        'SNS',
      );
    } catch (error) {
      for (const event of this.events)
        this.add(event.id, { channel: 'SNS', status: 'failed-retryable', error: describeError(error) });
      return;
    }
    await forEachLimit(this.events, this.deps.snsConcurrency ?? 4, async (event) => {
      if (handled.has(event.id)) {
        this.add(event.id, { channel: 'SNS', status: 'skipped-duplicate' });
        return;
      }
      if (!this.hasTime()) {
        this.outOfTime(event.id, 'SNS');
        return;
      }
      let messageId: string;
      try {
        messageId = await sns.publisher.publish(renderSnsMessage(event, sns.render), {
          eventId: event.id,
          groupId: groupIdOf(event),
        });
      } catch (error) {
        await this.fail(event, 'SNS', error);
        return;
      }
      const warning = await this.mark(event.id, 'SNS', 'DELIVERED', messageId ? { messageId } : {});
      this.add(event.id, { channel: 'SNS', status: 'published', ...(warning ? { warning } : {}) });
    });
  }

  async toSlack(slack: NonNullable<PublishDeps['slack']>): Promise<void> {
    const min = slack.minSeverity ?? 'MEDIUM';
    const eligible = this.events.filter((e) => severityRank(e.severity) >= severityRank(min));
    for (const event of this.events) {
      if (!eligible.includes(event)) this.add(event.id, { channel: 'SLACK', status: 'skipped-filtered' });
    }
    let handled: ReadonlySet<string>;
    try {
      handled = await this.handled(
        eligible.map((e) => e.id),
        'SLACK',
      );
    } catch (error) {
      for (const event of eligible)
        this.add(event.id, { channel: 'SLACK', status: 'failed-retryable', error: describeError(error) });
      return;
    }
    const pending = eligible.filter((e) => !handled.has(e.id));
    for (const event of eligible) {
      if (handled.has(event.id)) this.add(event.id, { channel: 'SLACK', status: 'skipped-duplicate' });
    }
    if (pending.length === 0) return;

    if (pending.length > (slack.digestThreshold ?? 5)) {
      if (!this.hasTime()) {
        for (const event of pending) this.outOfTime(event.id, 'SLACK', 'digest');
        return;
      }
      this.slackDigests += 1;
      try {
        await slack.sender.send(renderSlackDigest(pending, slack.render));
      } catch (error) {
        if (error instanceof OutOfTimeError) {
          this.stoppedBy = redactSecrets(error.message);
          for (const event of pending) this.outOfTime(event.id, 'SLACK', 'digest');
          return;
        }
        for (const event of pending) await this.fail(event, 'SLACK', error, 'digest');
        return;
      }
      for (const event of pending) {
        const warning = await this.mark(event.id, 'SLACK', 'DELIVERED', { via: 'digest' });
        this.add(event.id, {
          channel: 'SLACK',
          status: 'published',
          via: 'digest',
          ...(warning ? { warning } : {}),
        });
      }
      return;
    }

    // One message each, in order (the sender paces them). After a retryable failure the rest
    // wait for the retry rather than hammer a webhook that is throttling or down.
    let deferredBy: string | undefined;
    for (const event of pending) {
      if (deferredBy === undefined && !this.hasTime()) {
        this.outOfTime(event.id, 'SLACK', 'message');
        continue;
      }
      if (deferredBy !== undefined) {
        this.add(event.id, {
          channel: 'SLACK',
          status: 'failed-retryable',
          via: 'message',
          error: `not sent after an earlier Slack failure: ${deferredBy}`,
        });
        continue;
      }
      this.slackMessages += 1;
      try {
        await slack.sender.send(renderSlackMessage(event, slack.render));
      } catch (error) {
        if (error instanceof OutOfTimeError) {
          // Stopped rather than waiting past the deadline: this one and the rest are for the retry.
          this.stoppedBy = redactSecrets(error.message);
          this.outOfTime(event.id, 'SLACK', 'message');
          continue;
        }
        const failure = classify(error);
        if (failure.retryable) deferredBy = failure.message;
        await this.fail(event, 'SLACK', error, 'message');
        continue;
      }
      const warning = await this.mark(event.id, 'SLACK', 'DELIVERED', { via: 'message' });
      this.add(event.id, {
        channel: 'SLACK',
        status: 'published',
        via: 'message',
        ...(warning ? { warning } : {}),
      });
    }
  }

  result(): PublishResult {
    const counts = Object.fromEntries(PUBLISH_STATUSES.map((s) => [s, 0])) as Record<PublishStatus, number>;
    const outcomes = this.events.map((event): EventOutcome => {
      const channels = this.channels.get(event.id) ?? [];
      const status = STATUS_PRIORITY.find((s) => channels.some((c) => c.status === s)) ?? 'skipped-filtered';
      counts[status] += 1;
      return { eventId: event.id, status, channels };
    });
    return {
      outcomes,
      counts,
      slackMessages: this.slackMessages,
      slackDigests: this.slackDigests,
      ...(this.stoppedBy !== undefined && this.unsent.size > 0
        ? { stopped: { unsent: this.unsent.size, reason: this.stoppedBy } }
        : {}),
    };
  }
}

/**
 * The publish use case, shared by the publish Lambda and the CLI: every event to SNS (one
 * message each), and those at or above Slack's minimum severity to Slack (one message each, or
 * one digest when there are more than `digestThreshold`).
 *
 * Idempotent per event and channel: a channel that already has a delivery mark for the event id
 * is skipped; a mark is written (conditional put) only after the channel took the event. The
 * window between the send and the mark is at-least-once: a crash there sends again on redelivery.
 * Permanent failures go to the failure queue and are marked too, so they are not retried forever.
 * With `deps.deadline`, no send starts once it says no time is left, and a sender's wait that would
 * cross it stops the publish (`OutOfTimeError`): the events left are `failed-retryable` and
 * `stopped` says how many and why, so the caller returns them for a retry instead of timing out.
 * Never throws for a delivery problem: every event gets an outcome.
 */
export const publishEvents = async (
  deps: PublishDeps,
  events: readonly DriftEventRecord[],
): Promise<PublishResult> => {
  const seen = new Set<string>();
  const unique = events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  const run = new Run(deps, unique);
  if (deps.sns) await run.toSns(deps.sns);
  if (deps.slack) await run.toSlack(deps.slack);
  return run.result();
};
