import { StageDriftError } from '../model';
import type { AlertEventRecord } from '../store';
import type { DeliveryChannel } from './delivery-log';
import type { DeliveryFailureDetails } from './failure-report';
import type { Secret } from './redact';
import { describeError, redactSecrets } from './redact';

/** What a channel makes of a failed send. */
export interface ChannelFailure {
  /** Whether a retry may succeed (throttling, 5xx, network); if not, the failure queue gets it. */
  readonly retryable: boolean;
  /** What went wrong; never a webhook URL or a stage variable value. */
  readonly message: string;
  /** The channel's own fields of the failure report (Slack: `status`, `slackError`). */
  readonly details?: DeliveryFailureDetails;
}

/**
 * Where drift alerts go: SNS, Slack, the next one. The publish use case and the outbox do the
 * rest the same way for every channel: delivery marks, duplicates, holds, the deadline and the
 * failure queue. `R` is the channel's rendered message.
 */
export interface AlertChannel<R = unknown> {
  /**
   * The delivery mark's sort key and the failure report's `channel` (`SNS`, `SLACK`). Stored in
   * DynamoDB: never rename one. Unique among the channels of a publish.
   */
  readonly id: DeliveryChannel;
  /** The channel in a sentence: `Slack`. */
  readonly label: string;
  /** Sends in flight at once. */
  readonly concurrency: number;
  /**
   * After a retryable failure, the rest of the call's events wait for the retry instead of
   * hammering an endpoint that is throttling or down (a paced webhook); `false` tries each.
   */
  readonly holdAfterRetryableFailure: boolean;
  /** Whether the channel wants the event at all (e.g. Slack's minimum severity). */
  accepts(event: AlertEventRecord): boolean;
  /** One event's message. */
  render(event: AlertEventRecord): R;
  /**
   * One message for the events of a call, sent instead of one each when there are more than
   * `digestThreshold`; `null` when the channel has no digest.
   */
  readonly renderDigest: ((events: readonly AlertEventRecord[]) => R) | null;
  /** More pending events than this in one call go out as one digest. @default 5 */
  readonly digestThreshold?: number;
  /** Sends one rendered message; resolves with the service's message id, if it gives one. */
  send(rendered: R): Promise<string | undefined>;
  /** Whether a send's error is worth a retry, and what to say about it. */
  classify(error: unknown): ChannelFailure;
}

/**
 * The classification every channel starts from: our errors (`StageDriftError`) say whether a retry
 * may help and carry a safe message; anything else is retryable and described by name, both
 * redacted (the Slack pattern and `secrets`: a channel's URL patterns).
 */
export const classifyDeliveryError = (error: unknown, secrets: readonly Secret[] = []): ChannelFailure =>
  error instanceof StageDriftError
    ? { retryable: error.retryable, message: redactSecrets(error.message, secrets) }
    : { retryable: true, message: describeError(error, secrets) };
