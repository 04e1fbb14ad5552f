import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { WebhookSecretError } from './errors';
import { urlProblemOf } from './webhook-sender';

export interface WebhookSecretOptions {
  /** How messages name the webhook: "The <name> secret ...". E.g. `Slack webhook`. */
  readonly name: string;
  /** The URL's expected form, in messages: `https://hooks.slack.com/services/...`. */
  readonly example: string;
  /** The error to throw. @default a {@link WebhookSecretError} */
  readonly toError?: (message: string, options: { readonly retryable: boolean }) => Error;
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
 * A webhook URL from Secrets Manager, read at first use and cached for the life of the container
 * (a failed read is not cached). `invalidate()` forces a new read, e.g. after rotation. Errors
 * name the secret, never its value: a failed read is retryable, a value that is no usable URL not.
 */
export class WebhookSecret {
  private cached: Promise<string> | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly options: WebhookSecretOptions,
  ) {}

  /** A `WebhookUrlSource` for a webhook sender. */
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

  private fail(message: string, retryable: boolean): Error {
    return this.options.toError
      ? this.options.toError(message, { retryable })
      : new WebhookSecretError(message, { retryable });
  }

  private async read(): Promise<string> {
    const { name: webhook, example } = this.options;
    let secretString: string | undefined;
    try {
      const output = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      secretString = output.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw this.fail(
        `Could not read the ${webhook} secret ${this.secretId} (${name}): check that it exists and that ` +
          `the function may call secretsmanager:GetSecretValue on it (and kms:Decrypt for a customer key).`,
        true,
      );
    }
    const url = urlFromSecretString(secretString ?? '');
    const problem = url === '' ? 'holds no webhook URL' : urlProblemOf(url, example);
    if (problem) {
      throw this.fail(
        `The ${webhook} secret ${this.secretId} ${problem === 'holds no webhook URL' ? problem : `holds a URL that ${problem}`}: ` +
          `store the incoming-webhook URL as the secret string (${example}).`,
        false,
      );
    }
    return url;
  }
}
