import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SlackSecretError } from './errors';
import { WebhookSecret } from './webhook-secret';

/**
 * The Slack webhook URL from Secrets Manager: a {@link WebhookSecret} (read at first use, cached,
 * `invalidate()` after rotation) whose errors are `SlackSecretError`s naming the secret, never
 * its value.
 */
export class SlackWebhookSecret extends WebhookSecret {
  constructor(client: SecretsManagerClient, secretId: string) {
    super(client, secretId, {
      name: 'Slack webhook',
      example: 'https://hooks.slack.com/services/...',
      toError: (message, options) => new SlackSecretError(message, options),
    });
  }
}
