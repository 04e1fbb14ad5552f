import type { Clock } from '../runtime';
import { forEachLimit } from '../runtime';
import { SETTINGS } from '../config';
import type { AlertEventRecord } from '../store';
import type { AlertChannel, ChannelFailure } from './alert-channel';
import type { DeliveryChannel, DeliveryLog, DeliveryMark } from './delivery-log';
import { AlertChannelError, OutOfTimeError } from './errors';
import type { FailureQueue } from './failure-queue';
import { toDeliveryFailure } from './failure-report';
import { describeError, redactSecrets } from './redact';
import type { SlackChannelOptions } from './slack-channel';
import { SLACK_CHANNEL_ID, SlackChannel } from './slack-channel';
import type { SnsChannelOptions } from './sns-channel';
import { SnsChannel } from './sns-channel';
import type { ChannelOutcome, EventOutcome, PublishResult, PublishStatus } from './publish-result';
import { PUBLISH_STATUSES } from './publish-result';

/**
 * The time an invocation has left. Asked before each send (a message or a digest, any channel):
 * once it says no, nothing more starts and the rest comes back retryable. A sender whose wait
 * (pacing, a `Retry-After`, a backoff) would cross the deadline rejects with `OutOfTimeError`.
 */
export interface PublishDeadline {
  /** Whether one more send can still finish before the deadline (a margin included). */
  canStart(): boolean;
}

/** Why the rest of a batch was not sent when the deadline left no time for it. */
const NO_TIME_LEFT = 'not sent: the invocation ran out of time before this send could start';

/** What the publish use case needs; every part optional so the CLI can publish to one channel. */
export interface PublishDeps {
  /** Where alerts go, in this order (after `sns` and `slack`). Ids must differ. @default none */
  readonly channels?: readonly AlertChannel[];
  /** Shorthand for an `SnsChannel`, the first channel. */
  readonly sns?: Omit<SnsChannelOptions, 'concurrency'>;
  /** Shorthand for a `SlackChannel`, after SNS. */
  readonly slack?: SlackChannelOptions;
  /** Without it nothing is deduplicated (a one-off CLI publish). */
  readonly deliveryLog?: DeliveryLog;
  /** Where permanent failures go; without it they are only returned (and logged by the caller). */
  readonly failureQueue?: FailureQueue;
  /** For `failedAt`. @default Date.now */
  readonly clock?: Pick<Clock, 'now'>;
  /** SNS publishes in flight, with `sns`. @default 4 */
  readonly snsConcurrency?: number;
  /** The invocation's time limit (the publish Lambda's remaining time). @default none */
  readonly deadline?: PublishDeadline;
}

export type {
  ChannelOutcome,
  ChannelSends,
  EventOutcome,
  PublishResult,
  PublishStatus,
} from './publish-result';
export { PUBLISH_STATUSES } from './publish-result';

const STATUS_PRIORITY: readonly PublishStatus[] = [
  'failed-retryable',
  'failed-permanent',
  'published',
  'skipped-duplicate',
  'skipped-filtered',
];

type Via = 'message' | 'digest';

class Run {
  readonly outcomes = new Map<string, ChannelOutcome[]>();
  readonly sends: { channel: DeliveryChannel; label: string; messages: number; digests: number }[] = [];
  /** Why the deadline stopped the publish, once it has. */
  stoppedBy: string | undefined;
  /** Events left unsent on some channel because of the deadline. */
  readonly unsent = new Set<string>();

  constructor(
    readonly deps: PublishDeps,
    readonly events: readonly AlertEventRecord[],
  ) {
    for (const event of events) this.outcomes.set(event.id, []);
  }

  add(eventId: string, outcome: ChannelOutcome): void {
    this.outcomes.get(eventId)?.push(outcome);
  }

  /** False, and the publish stopped, once the deadline leaves no time for another send. */
  hasTime(): boolean {
    if (this.stoppedBy === undefined && this.deps.deadline && !this.deps.deadline.canStart())
      this.stoppedBy = NO_TIME_LEFT;
    return this.stoppedBy === undefined;
  }

  /** An event not sent on `channel` because the deadline stopped the publish. */
  outOfTime(eventId: string, channel: DeliveryChannel, via?: Via): void {
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
    detail: { readonly messageId?: string; readonly via?: Via } = {},
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
    event: AlertEventRecord,
    channel: DeliveryChannel,
    failure: ChannelFailure,
  ): Promise<ChannelOutcome> {
    let reported = false;
    if (this.deps.failureQueue) {
      const failedAt = new Date((this.deps.clock ?? Date).now()).toISOString();
      try {
        await this.deps.failureQueue.report(toDeliveryFailure(event, channel, failure, failedAt));
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

  async fail(event: AlertEventRecord, channel: DeliveryChannel, failure: ChannelFailure, via?: Via) {
    const outcome: ChannelOutcome = failure.retryable
      ? { channel, status: 'failed-retryable', error: failure.message }
      : await this.settlePermanent(event, channel, failure);
    this.add(event.id, via ? { ...outcome, via } : outcome);
  }

  /** Sent: the mark, then the outcome. */
  async delivered(
    event: AlertEventRecord,
    channel: DeliveryChannel,
    messageId: string | undefined,
    via?: Via,
  ) {
    const detail = { ...(messageId ? { messageId } : {}), ...(via ? { via } : {}) };
    const warning = await this.mark(event.id, channel, 'DELIVERED', detail);
    this.add(event.id, {
      channel,
      status: 'published',
      ...(via ? { via } : {}),
      ...(warning ? { warning } : {}),
    });
  }

  /** Every event to one channel: those it accepts and has no mark for, as a digest or one by one. */
  async deliver(channel: AlertChannel): Promise<void> {
    const sends = { channel: channel.id, label: channel.label, messages: 0, digests: 0 };
    this.sends.push(sends);
    const eligible = this.events.filter((e) => channel.accepts(e));
    for (const event of this.events) {
      if (!eligible.includes(event)) this.add(event.id, { channel: channel.id, status: 'skipped-filtered' });
    }
    let handled: ReadonlySet<string>;
    try {
      handled = await this.handled(
        eligible.map((e) => e.id),
        channel.id,
      );
    } catch (error) {
      for (const event of eligible)
        this.add(event.id, { channel: channel.id, status: 'failed-retryable', error: describeError(error) });
      return;
    }
    const pending = eligible.filter((e) => !handled.has(e.id));
    for (const event of eligible) {
      if (handled.has(event.id)) this.add(event.id, { channel: channel.id, status: 'skipped-duplicate' });
    }
    if (pending.length === 0) return;
    const { renderDigest } = channel;
    if (renderDigest && pending.length > (channel.digestThreshold ?? SETTINGS.slackDigestThreshold.default)) {
      sends.digests += await this.sendDigest(channel, () => renderDigest(pending), pending);
      return;
    }
    sends.messages += await this.sendEach(channel, pending);
  }

  /** One digest for `pending`; how many digests were attempted (0 or 1). */
  private async sendDigest(
    channel: AlertChannel,
    render: () => unknown,
    pending: readonly AlertEventRecord[],
  ): Promise<number> {
    if (!this.hasTime()) {
      for (const event of pending) this.outOfTime(event.id, channel.id, 'digest');
      return 0;
    }
    let messageId: string | undefined;
    try {
      messageId = await channel.send(render());
    } catch (error) {
      if (error instanceof OutOfTimeError) {
        this.stoppedBy = redactSecrets(error.message);
        for (const event of pending) this.outOfTime(event.id, channel.id, 'digest');
        return 1;
      }
      const failure = channel.classify(error);
      for (const event of pending) await this.fail(event, channel.id, failure, 'digest');
      return 1;
    }
    for (const event of pending) await this.delivered(event, channel.id, messageId, 'digest');
    return 1;
  }

  /**
   * One message each, `channel.concurrency` at a time, in order. After a retryable failure, a
   * channel that holds sends the rest nothing: they wait for the retry. Returns the sends attempted.
   */
  private async sendEach(channel: AlertChannel, pending: readonly AlertEventRecord[]): Promise<number> {
    const via: Via | undefined = channel.renderDigest ? 'message' : undefined;
    let attempted = 0;
    let heldBy: string | undefined;
    await forEachLimit(pending, channel.concurrency, async (event) => {
      if (heldBy !== undefined) {
        this.add(event.id, {
          channel: channel.id,
          status: 'failed-retryable',
          ...(via ? { via } : {}),
          error: `not sent after an earlier ${channel.label} failure: ${heldBy}`,
        });
        return;
      }
      if (!this.hasTime()) {
        this.outOfTime(event.id, channel.id, via);
        return;
      }
      attempted += 1;
      let messageId: string | undefined;
      try {
        messageId = await channel.send(channel.render(event));
      } catch (error) {
        if (error instanceof OutOfTimeError) {
          // Stopped rather than waiting past the deadline: this one and the rest are for the retry.
          this.stoppedBy = redactSecrets(error.message);
          this.outOfTime(event.id, channel.id, via);
          return;
        }
        const failure = channel.classify(error);
        if (failure.retryable && channel.holdAfterRetryableFailure) heldBy ??= failure.message;
        await this.fail(event, channel.id, failure, via);
        return;
      }
      await this.delivered(event, channel.id, messageId, via);
    });
    return attempted;
  }

  result(): PublishResult {
    const counts = Object.fromEntries(PUBLISH_STATUSES.map((s) => [s, 0])) as Record<PublishStatus, number>;
    const outcomes = this.events.map((event): EventOutcome => {
      const channels = this.outcomes.get(event.id) ?? [];
      const status = STATUS_PRIORITY.find((s) => channels.some((c) => c.status === s)) ?? 'skipped-filtered';
      counts[status] += 1;
      return { eventId: event.id, status, channels };
    });
    const slack = this.sends.find((s) => s.channel === SLACK_CHANNEL_ID);
    return {
      outcomes,
      counts,
      sends: this.sends,
      slackMessages: slack?.messages ?? 0,
      slackDigests: slack?.digests ?? 0,
      ...(this.stoppedBy !== undefined && this.unsent.size > 0
        ? { stopped: { unsent: this.unsent.size, reason: this.stoppedBy } }
        : {}),
    };
  }
}

/** The channels of `deps`: `sns` and `slack` (the shorthands) first, then `channels`. */
export const alertChannelsOf = (deps: PublishDeps): readonly AlertChannel[] => [
  ...(deps.sns
    ? [
        new SnsChannel({
          ...deps.sns,
          ...(deps.snsConcurrency === undefined ? {} : { concurrency: deps.snsConcurrency }),
        }),
      ]
    : []),
  ...(deps.slack ? [new SlackChannel(deps.slack)] : []),
  ...(deps.channels ?? []),
];

/**
 * {@link publishEvents} to `channels` only (the `sns`, `slack` and `channels` of `deps` are not
 * read): the outbox leaves out the channels that are down.
 */
export const publishToChannels = async (
  channels: readonly AlertChannel[],
  deps: PublishDeps,
  events: readonly AlertEventRecord[],
): Promise<PublishResult> => {
  const ids = channels.map((c) => c.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined)
    throw new AlertChannelError(
      `Two alert channels have the id "${twice}": give each its own (it keys the delivery marks).`,
    );
  const seen = new Set<string>();
  const unique = events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  const run = new Run(deps, unique);
  for (const channel of channels) await run.deliver(channel);
  return run.result();
};

/**
 * The publish use case (publish Lambda, CLI): every event to each channel that accepts it and has no
 * delivery mark for it. Never throws for a delivery problem: every event gets an outcome.
 * See ARCHITECTURE.md, "Design notes: Delivery marks and the publish deadline".
 */
export const publishEvents = async (
  deps: PublishDeps,
  events: readonly AlertEventRecord[],
): Promise<PublishResult> => publishToChannels(alertChannelsOf(deps), deps, events);
