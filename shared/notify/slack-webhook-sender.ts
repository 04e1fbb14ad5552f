import { SlackDeliveryError } from './errors';
import type { SlackMessage } from './slack-message';
import type { WebhookSendingOptions, WebhookUrlSource } from './webhook-sender';
import { defaultWebhookHint, urlProblemOf, WebhookSender } from './webhook-sender';

/** Delivers one Slack message; the narrow interface the Slack channel depends on. */
export interface SlackSender {
  send(message: SlackMessage): Promise<void>;
}

export interface SlackWebhookSenderOptions extends WebhookSendingOptions {
  readonly webhookUrl: WebhookUrlSource;
}

const SLACK_ERROR_TOKEN = /^[a-z0-9_]{1,64}$/;

/**
 * Checks a webhook URL without ever repeating it: `https:`, or `http:` on a loopback host (tests,
 * local stand-ins). Returns a problem description, or undefined when the URL is usable.
 */
export const webhookUrlProblem = (url: string): string | undefined =>
  urlProblemOf(url, 'https://hooks.slack.com/services/...');

const HINTS: Readonly<Record<string, string>> = {
  invalid_payload: 'The message is not valid Block Kit: report it as a stage-drift bug.',
  channel_not_found: 'The webhook channel no longer exists: create a new webhook and update the secret.',
  channel_is_archived: 'The webhook channel is archived: unarchive it or create a new webhook.',
  no_service: 'The webhook was disabled or revoked: create a new one and update the secret.',
  invalid_token: 'The webhook was revoked: create a new one and update the secret.',
  action_prohibited: 'A Slack admin restricted posting to this channel.',
};

const hintFor = (status: number, token: string | undefined): string =>
  (token ? HINTS[token] : undefined) ?? defaultWebhookHint(status);

/**
 * Posts Block Kit messages to a Slack incoming webhook: the generic {@link WebhookSender} (paced
 * to one message a second, `Retry-After` on 429, backoff on 5xx, the URL in no error) with Slack's
 * error tokens (`invalid_payload`, `channel_not_found`, ...), its hints, and `SlackDeliveryError`.
 */
export class SlackWebhookSender extends WebhookSender<SlackMessage> implements SlackSender {
  constructor(options: SlackWebhookSenderOptions) {
    const { webhookUrl, ...sending } = options;
    super({
      ...sending,
      url: webhookUrl,
      name: 'Slack webhook',
      urlProblem: webhookUrlProblem,
      errorToken: (body) => (SLACK_ERROR_TOKEN.test(body) ? body : undefined),
      hint: hintFor,
      toError: (message, { token, ...failure }) =>
        new SlackDeliveryError(message, { ...failure, ...(token ? { slackError: token } : {}) }),
    });
  }
}
