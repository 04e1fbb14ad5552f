import type { Severity } from '../model';
import { severityRank } from '../model';
import { SETTINGS } from '../config';
import type { AlertEventRecord } from '../store';
import { isPostureSummary } from '../store';
import type { AlertChannel, ChannelFailure } from './alert-channel';
import { classifyDeliveryError } from './alert-channel';
import { SlackDeliveryError } from './errors';
import type { SlackDigestOptions, SlackMessage, SlackRenderOptions } from './slack-message';
import { isFixTransition, renderSlackMessage } from './slack-message';
import { renderSlackAlertDigest, renderSlackPostureSummary } from './slack-posture-message';
import type { SlackSender } from './slack-webhook-sender';

/** The Slack channel's id: delivery marks `SK = SLACK`, failure reports `"channel": "SLACK"`. */
export const SLACK_CHANNEL_ID = 'SLACK';

export interface SlackChannelOptions {
  readonly sender: SlackSender;
  /** Events below this severity are not sent to Slack (SNS gets everything). @default 'MEDIUM' */
  readonly minSeverity?: Severity;
  /** More Slack-bound events than this in one call are sent as one digest. @default 5 */
  readonly digestThreshold?: number;
  readonly render?: SlackRenderOptions & SlackDigestOptions;
}

/**
 * Slack as an alert channel: events at or above `minSeverity`, one Block Kit message each, in
 * order (the sender paces them), or one digest for more than `digestThreshold`. A retryable
 * failure holds the rest back for the retry. A refusal reports Slack's `status` and `slackError`.
 */
export class SlackChannel implements AlertChannel<SlackMessage> {
  readonly id = SLACK_CHANNEL_ID;
  readonly label = 'Slack';
  readonly concurrency = 1;
  readonly holdAfterRetryableFailure = true;
  readonly digestThreshold: number;
  readonly renderDigest: (events: readonly AlertEventRecord[]) => SlackMessage;
  private readonly minRank: number;

  constructor(private readonly options: SlackChannelOptions) {
    this.digestThreshold = options.digestThreshold ?? SETTINGS.slackDigestThreshold.default;
    this.minRank = severityRank(options.minSeverity ?? SETTINGS.slackMinSeverity.default);
    this.renderDigest = (events) => renderSlackAlertDigest(events, options.render);
  }

  /**
   * Events at or above the minimum severity; and, whatever their severity, a baseline's posture
   * summary and a drift that fixes a control (INFO, but on-call should see the fix).
   */
  accepts(event: AlertEventRecord): boolean {
    if (isPostureSummary(event)) return true;
    return severityRank(event.severity) >= this.minRank || (event.controls ?? []).some(isFixTransition);
  }

  render(event: AlertEventRecord): SlackMessage {
    return isPostureSummary(event)
      ? renderSlackPostureSummary(event)
      : renderSlackMessage(event, this.options.render);
  }

  async send(message: SlackMessage): Promise<undefined> {
    await this.options.sender.send(message);
    return undefined;
  }

  classify(error: unknown): ChannelFailure {
    const failure = classifyDeliveryError(error);
    if (!(error instanceof SlackDeliveryError)) return failure;
    const { status, slackError } = error;
    return {
      ...failure,
      details: {
        ...(status !== undefined ? { status } : {}),
        ...(slackError !== undefined ? { slackError } : {}),
      },
    };
  }
}
