import { severityRank } from '../../shared/model';
import type { Clock } from '../../shared/runtime';
import type { AlertEventRecord } from '../../shared/store';
import { isPostureSummary } from '../../shared/store';
import type { AlertChannel, ChannelFailure } from '../../shared/notify/alert-channel';
import { classifyDeliveryError } from '../../shared/notify/alert-channel';
import { WebhookDeliveryError } from '../../shared/notify/errors';
import { renderSnsSubject } from '../../shared/notify/sns-message';
import type { WebhookUrlSource } from '../../shared/notify/webhook-sender';
import { WebhookSender } from '../../shared/notify/webhook-sender';

// A third alert channel, for tests only: what a Microsoft Teams channel would be. It is built from
// the port (`AlertChannel`), the generic webhook sender and the shared classification alone; the
// publish use case and the outbox take it as they are.

/** A legacy Teams "MessageCard": enough to tell the cards apart. */
export interface TeamsCard {
  readonly '@type': 'MessageCard';
  readonly summary: string;
  readonly text: string;
}

/** Incoming-webhook URLs of Teams (`https://<tenant>.webhook.office.com/webhookb2/...`). */
export const TEAMS_WEBHOOK_URL = /https:\/\/[a-z0-9-]+\.webhook\.office\.com\/[^\s"'<>)\]]*/gi;

export interface FakeTeamsChannelOptions {
  readonly url: WebhookUrlSource;
  readonly clock: Clock;
  /** A sender to use instead of the webhook (e.g. one whose error quotes a URL). */
  readonly send?: (card: TeamsCard) => Promise<void>;
}

export class FakeTeamsChannel implements AlertChannel<TeamsCard> {
  readonly id = 'TEAMS';
  readonly label = 'Teams';
  readonly concurrency = 1;
  readonly holdAfterRetryableFailure = true;
  readonly digestThreshold = 3;
  private readonly sender: WebhookSender<TeamsCard>;

  constructor(private readonly options: FakeTeamsChannelOptions) {
    this.sender = new WebhookSender<TeamsCard>({
      url: options.url,
      name: 'Teams webhook',
      clock: options.clock,
      redact: [TEAMS_WEBHOOK_URL],
    });
  }

  // Posture summaries (a baseline's) are not for this channel.
  accepts(event: AlertEventRecord): boolean {
    return !isPostureSummary(event) && severityRank(event.severity) >= severityRank('HIGH');
  }

  render(event: AlertEventRecord): TeamsCard {
    const summary = isPostureSummary(event) ? event.kind : renderSnsSubject(event);
    return { '@type': 'MessageCard', summary, text: event.id };
  }

  readonly renderDigest = (events: readonly AlertEventRecord[]): TeamsCard => ({
    '@type': 'MessageCard',
    summary: `${events.length} API Gateway stages drifted`,
    text: events.map((e) => e.id).join(' '),
  });

  async send(card: TeamsCard): Promise<undefined> {
    await (this.options.send ?? ((c: TeamsCard) => this.sender.send(c)))(card);
    return undefined;
  }

  classify(error: unknown): ChannelFailure {
    const failure = classifyDeliveryError(error, [TEAMS_WEBHOOK_URL]);
    return error instanceof WebhookDeliveryError && error.status !== undefined
      ? { ...failure, details: { status: error.status } }
      : failure;
  }
}
