/** What a publish call reports: per event, per channel, and the counts (publish-events.ts). */
import type { DeliveryChannel } from './delivery-log';

/**
 * - `published`: sent now.
 * - `skipped-duplicate`: the delivery log already has it (a redelivered event).
 * - `skipped-filtered`: nothing to send (the channel does not want it, e.g. below Slack's minimum
 *   severity; or no channel configured).
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
  /** Channels with a digest only (Slack): sent as its own message or inside a digest. */
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

/** What one channel was sent in a call (attempts, whether or not they succeeded). */
export interface ChannelSends {
  readonly channel: DeliveryChannel;
  readonly label: string;
  readonly messages: number;
  readonly digests: number;
}

export interface PublishResult {
  /** One per distinct event id, in input order. */
  readonly outcomes: readonly EventOutcome[];
  readonly counts: Readonly<Record<PublishStatus, number>>;
  /** One per channel of the call, in channel order. */
  readonly sends: readonly ChannelSends[];
  /** The Slack channel's `sends` (0 without Slack), for the publish log line and its metric. */
  readonly slackMessages: number;
  readonly slackDigests: number;
  /**
   * Set when the deadline stopped the publish: how many events were left unsent on some channel
   * (they are `failed-retryable`) and why. Never contains a secret.
   */
  readonly stopped?: { readonly unsent: number; readonly reason: string };
}
