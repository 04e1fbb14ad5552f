import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { webhookUrlProblem } from './slack-webhook-sender';

/** The webhook secret could not be read or holds no usable URL. Never contains the secret's value. */
export class SlackSecretError extends Error {
  /** False when the secret's content is wrong (retrying will not help until someone fixes it). */
  readonly retryable: boolean;
  constructor(message: string, options: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SlackSecretError';
    this.retryable = options.retryable;
  }
}

/** The URL inside a secret string: the string itself, or `{"webhookUrl": "..."}` / `{"url": "..."}`. */
const urlFromSecretString = (value: string): string => {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const parsed = JSON.parse(trimmed) as Record<string, unknown>;
    const url = parsed.webhookUrl ?? parsed.url;
    return typeof url === 'string' ? url.trim() : '';
  } catch {
    return '';
  }
};

/**
 * The Slack webhook URL from Secrets Manager, read at first use and cached for the life of the
 * container (a failed read is not cached). `invalidate()` forces a new read, e.g. after rotation.
 * Errors name the secret, never its value.
 */
export class SlackWebhookSecret {
  private cached: Promise<string> | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  /** A `WebhookUrlSource` for `SlackWebhookSender`. */
  readonly url = (): Promise<string> => {
    this.cached ??= this.read().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  };

  invalidate(): void {
    this.cached = undefined;
  }

  private async read(): Promise<string> {
    let secretString: string | undefined;
    try {
      const output = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      secretString = output.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new SlackSecretError(
        `Could not read the Slack webhook secret ${this.secretId} (${name}): check that it exists and that ` +
          `the function may call secretsmanager:GetSecretValue on it (and kms:Decrypt for a customer key).`,
        { retryable: true },
      );
    }
    const url = urlFromSecretString(secretString ?? '');
    const problem = url === '' ? 'holds no webhook URL' : webhookUrlProblem(url);
    if (problem) {
      throw new SlackSecretError(
        `The Slack webhook secret ${this.secretId} ${problem === 'holds no webhook URL' ? problem : `holds a URL that ${problem}`}: ` +
          `store the incoming-webhook URL as the secret string (https://hooks.slack.com/services/...).`,
        { retryable: false },
      );
    }
    return url;
  }
}
