import type { AlertEventRecord, EventPage, EventPageQuery, StoreProblem } from '../store';
import type { DeliveryChannel, DeliveryLog } from './delivery-log';
import { DELIVERY_MARK_TTL_DAYS } from './delivery-log';
import type { ChannelSends, PublishDeps, PublishResult } from './publish-events';
import { alertChannelsOf, publishToChannels } from './publish-events';

/** Where the outbox finds drift events: the store, oldest first, one bounded page at a time. */
export interface DriftEventFeed {
  listEventsOldestFirst(query: EventPageQuery): Promise<EventPage>;
}

export interface OutboxDeps {
  readonly feed: DriftEventFeed;
  /** The channels, and the delivery log whose marks say what each channel already has. */
  readonly publish: PublishDeps & { readonly deliveryLog: DeliveryLog };
  /** Events read, checked and sent a page. @default 100 */
  readonly pageSize?: number;
}

export interface OutboxRequest {
  readonly now: Date;
  /**
   * Events this run has just written: sent with the rest even when the feed does not list them
   * yet (a GSI is eventually consistent), and not counted as left over from earlier runs.
   */
  readonly fresh?: readonly AlertEventRecord[];
}

/** A channel that did not take every pending event. */
export interface ChannelShortfall {
  readonly channel: DeliveryChannel;
  /** Events still pending on this channel: they go out with the next run. */
  readonly pending: number;
  /** Events the channel refused for good (marked `FAILED`, never retried). */
  readonly refused: number;
  /** The first error; never holds a webhook URL. */
  readonly cause: string;
}

export interface OutboxResult {
  /** Events some channel took now. */
  readonly published: number;
  /** Of `published`, those an earlier run left pending (not in `fresh`). */
  readonly fromEarlierRuns: number;
  /** What each channel of the outbox was sent, in channel order. */
  readonly sends: readonly ChannelSends[];
  /** Channels with events still pending or refused, in channel order. */
  readonly shortfalls: readonly ChannelShortfall[];
  /** Sent, but the delivery mark was not written: one line each. */
  readonly warnings: readonly string[];
  /** Stored events the feed could not read (never alerted): fix or delete the items. */
  readonly problems: readonly StoreProblem[];
}

/**
 * How far back the outbox looks: no further than the delivery marks live, so an event it finds
 * has its marks if it was ever delivered. An alert pending for longer is given up.
 */
export const OUTBOX_WINDOW_DAYS = DELIVERY_MARK_TTL_DAYS;

const DAY_MS = 86_400_000;

const oldestFirst = (a: AlertEventRecord, b: AlertEventRecord): number =>
  a.detectedAt < b.detectedAt ? -1 : a.detectedAt > b.detectedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

class Tally {
  readonly published = new Set<string>();
  readonly pending = new Map<DeliveryChannel, number>();
  readonly refused = new Map<DeliveryChannel, number>();
  readonly causes = new Map<DeliveryChannel, string>();
  readonly warnings: string[] = [];
  readonly problems: StoreProblem[] = [];
  readonly sends = new Map<DeliveryChannel, { messages: number; digests: number }>();

  count(counter: Map<DeliveryChannel, number>, channel: DeliveryChannel, cause?: string, by = 1): void {
    counter.set(channel, (counter.get(channel) ?? 0) + by);
    if (cause !== undefined && !this.causes.has(channel)) this.causes.set(channel, cause);
  }

  add(result: PublishResult): void {
    for (const { channel, messages, digests } of result.sends) {
      const sent = this.sends.get(channel) ?? { messages: 0, digests: 0 };
      this.sends.set(channel, { messages: sent.messages + messages, digests: sent.digests + digests });
    }
    for (const outcome of result.outcomes) {
      for (const c of outcome.channels) {
        if (c.status === 'published') this.published.add(outcome.eventId);
        if (c.status === 'failed-retryable') this.count(this.pending, c.channel, c.error ?? 'not sent');
        if (c.status === 'failed-permanent') this.count(this.refused, c.channel, c.error ?? 'refused');
        if (c.warning) this.warnings.push(c.warning);
      }
    }
  }

  result(
    channels: readonly { readonly id: DeliveryChannel; readonly label: string }[],
    fresh: ReadonlySet<string>,
  ): OutboxResult {
    const shortfalls: ChannelShortfall[] = [];
    for (const { id: channel } of channels) {
      const pending = this.pending.get(channel) ?? 0;
      const refused = this.refused.get(channel) ?? 0;
      if (pending + refused > 0)
        shortfalls.push({ channel, pending, refused, cause: this.causes.get(channel) ?? 'not sent' });
    }
    return {
      published: this.published.size,
      fromEarlierRuns: [...this.published].filter((id) => !fresh.has(id)).length,
      sends: channels.map(({ id, label }) => ({
        channel: id,
        label,
        ...(this.sends.get(id) ?? { messages: 0, digests: 0 }),
      })),
      shortfalls,
      warnings: this.warnings,
      problems: this.problems,
    };
  }
}

/**
 * The outbox, shared by every publisher that writes delivery marks: a drift event is pending on
 * a channel until the channel has a mark for it (`DELIVERED`, or `FAILED` for a refusal). This
 * sends what is pending, oldest first, page by page: the events of the last
 * {@link OUTBOX_WINDOW_DAYS} days in the store, then `fresh` ones the store does not list yet.
 * A channel that fails with a retryable error is sent nothing more in this call (its later
 * events are only counted as pending), so a channel that is down costs one failure, not one per
 * event. Idempotent per event and channel through the same marks as the publish Lambda.
 */
export const deliverPending = async (deps: OutboxDeps, request: OutboxRequest): Promise<OutboxResult> => {
  const pageSize = deps.pageSize ?? 100;
  const channels = alertChannelsOf(deps.publish);
  const down = new Set<DeliveryChannel>();
  const tally = new Tally();
  const seen = new Set<string>();

  const sendPage = async (events: readonly AlertEventRecord[]): Promise<void> => {
    const toSend = new Set<string>();
    for (const channel of channels) {
      const wanted = events.filter((e) => channel.accepts(e));
      if (wanted.length === 0) continue;
      const handled = await deps.publish.deliveryLog.handled(
        wanted.map((e) => e.id),
        channel.id,
      );
      const pending = wanted.filter((e) => !handled.has(e.id));
      if (down.has(channel.id)) tally.count(tally.pending, channel.id, undefined, pending.length);
      else for (const event of pending) toSend.add(event.id);
    }
    if (toSend.size === 0) return;
    const result = await publishToChannels(
      channels.filter((c) => !down.has(c.id)),
      deps.publish,
      events.filter((e) => toSend.has(e.id)),
    );
    tally.add(result);
    for (const outcome of result.outcomes)
      for (const c of outcome.channels) if (c.status === 'failed-retryable') down.add(c.channel);
  };

  const since = new Date(request.now.getTime() - OUTBOX_WINDOW_DAYS * DAY_MS).toISOString();
  const until = request.now.toISOString();
  let after: string | undefined;
  do {
    const page = await deps.feed.listEventsOldestFirst({
      since,
      until,
      limit: pageSize,
      ...(after === undefined ? {} : { after }),
    });
    tally.problems.push(...page.problems);
    for (const event of page.events) seen.add(event.id);
    await sendPage(page.events);
    after = page.next;
  } while (after !== undefined);

  const fresh = new Map((request.fresh ?? []).map((e) => [e.id, e]));
  const unlisted = [...fresh.values()].filter((e) => !seen.has(e.id)).sort(oldestFirst);
  for (let start = 0; start < unlisted.length; start += pageSize)
    await sendPage(unlisted.slice(start, start + pageSize));
  return tally.result(channels, new Set(fresh.keys()));
};
