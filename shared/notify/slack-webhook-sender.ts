import type { Clock } from '../runtime';
import { backoffDelayMs, parseRetryAfter, systemClock } from '../runtime';
import { redactSecrets } from './redact';
import type { SlackMessage } from './slack-message';

/** Delivers one Slack message; the narrow interface the publish use case depends on. */
export interface SlackSender {
  send(message: SlackMessage): Promise<void>;
}

/**
 * Slack did not take a message. `retryable: false` for answers a retry cannot change (4xx such
 * as `invalid_payload`, `channel_not_found`, `no_service`): route those to the failure queue.
 * The message never contains the webhook URL.
 */
export class SlackDeliveryError extends Error {
  readonly retryable: boolean;
  /** HTTP status of the last answer, when there was one. */
  readonly status?: number;
  /** Slack's error token from the answer body, e.g. `invalid_payload`. */
  readonly slackError?: string;
  /** When Slack asked to wait longer than the sender may: how long (ms). */
  readonly retryAfterMs?: number;
  readonly attempts: number;

  constructor(
    message: string,
    details: {
      readonly retryable: boolean;
      readonly attempts: number;
      readonly status?: number;
      readonly slackError?: string;
      readonly retryAfterMs?: number;
    },
  ) {
    super(message);
    this.name = 'SlackDeliveryError';
    this.retryable = details.retryable;
    this.attempts = details.attempts;
    if (details.status !== undefined) this.status = details.status;
    if (details.slackError !== undefined) this.slackError = details.slackError;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** Where the webhook URL comes from: the URL itself, or a (cached) secret lookup. */
export type WebhookUrlSource = string | (() => Promise<string>);

export interface SlackWebhookSenderOptions {
  readonly webhookUrl: WebhookUrlSource;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Slack allows about one message a second per webhook. @default 1000 */
  readonly minIntervalMs?: number;
  /** Attempts for a 5xx answer or a network error. @default 4 */
  readonly maxAttempts?: number;
  /** 429 answers waited out before giving up (retryable). @default 3 */
  readonly maxRateLimitWaits?: number;
  /** First backoff after a 5xx or network error; doubles each attempt. @default 1000 */
  readonly baseBackoffMs?: number;
  /** @default 8000 */
  readonly maxBackoffMs?: number;
  /** A `Retry-After` longer than this is not waited out: the send fails, retryable. @default 30000 */
  readonly maxRetryAfterMs?: number;
  /** Per request. @default 10000 */
  readonly timeoutMs?: number;
}

const SLACK_ERROR_TOKEN = /^[a-z0-9_]{1,64}$/;

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/**
 * Checks a webhook URL without ever repeating it: `https:`, or `http:` on a loopback host (tests,
 * local stand-ins). Returns a problem description, or undefined when the URL is usable.
 */
export const webhookUrlProblem = (url: string): string | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) return undefined;
  return 'must be an https:// URL (https://hooks.slack.com/services/...)';
};

const networkReason = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown; name?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timeout';
  return error instanceof Error ? error.name : 'unknown error';
};

/**
 * Posts Block Kit messages to a Slack incoming webhook with `fetch`.
 *
 * - Paced: at most one message per `minIntervalMs` (sends are queued, one at a time).
 * - 429: waits `Retry-After` (if no longer than `maxRetryAfterMs`), up to `maxRateLimitWaits` times.
 * - 5xx and network errors: up to `maxAttempts` attempts with exponential backoff; then retryable.
 * - Other answers (4xx): a permanent `SlackDeliveryError` at once, with Slack's error token.
 *
 * The URL is resolved on first use (and by the source's own caching after that) and appears in
 * no error: messages name "the Slack webhook".
 */
export class SlackWebhookSender implements SlackSender {
  private readonly fetchFn: typeof fetch;
  private readonly clock: Clock;
  private lastSentAt: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SlackWebhookSenderOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.clock = options.clock ?? systemClock;
  }

  send(message: SlackMessage): Promise<void> {
    const run = this.queue.then(() => this.deliver(message));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async resolveUrl(): Promise<string> {
    const source = this.options.webhookUrl;
    let url: string;
    try {
      url = typeof source === 'string' ? source : await source();
    } catch (error) {
      const retryable = (error as { retryable?: unknown }).retryable !== false;
      const reason = error instanceof Error ? error.message : 'unknown error';
      throw new SlackDeliveryError(`Could not read the Slack webhook URL: ${redactSecrets(reason)}`, {
        retryable,
        attempts: 0,
      });
    }
    const problem = webhookUrlProblem(url);
    if (problem) {
      throw new SlackDeliveryError(`The Slack webhook URL ${problem}; fix the secret that holds it.`, {
        retryable: false,
        attempts: 0,
      });
    }
    return url;
  }

  private async pace(): Promise<void> {
    const interval = this.options.minIntervalMs ?? 1000;
    if (this.lastSentAt === undefined) return;
    const wait = this.lastSentAt + interval - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
  }

  private async deliver(message: SlackMessage): Promise<void> {
    const url = await this.resolveUrl();
    const maxAttempts = this.options.maxAttempts ?? 4;
    const maxRateLimitWaits = this.options.maxRateLimitWaits ?? 3;
    const maxRetryAfterMs = this.options.maxRetryAfterMs ?? 30_000;
    const body = JSON.stringify(message);
    let attempts = 0;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      await this.pace();
      attempts += 1;
      this.lastSentAt = this.clock.now();
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        failures += 1;
        const reason = networkReason(error);
        if (failures >= maxAttempts) {
          throw new SlackDeliveryError(
            `The Slack webhook could not be reached (${reason}) after ${attempts} attempts.`,
            { retryable: true, attempts },
          );
        }
        await this.clock.sleep(this.backoff(failures));
        continue;
      }
      const text = redactSecrets(await response.text().catch(() => ''), [url]).trim();
      if (response.ok) return;
      const token = SLACK_ERROR_TOKEN.test(text) ? text : undefined;
      const answer = `HTTP ${response.status}${token ? ` ${token}` : ''}`;
      if (response.status === 429) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.clock.now()) ?? 1000;
        if (retryAfterMs > maxRetryAfterMs || rateLimited >= maxRateLimitWaits) {
          throw new SlackDeliveryError(
            `The Slack webhook is rate limiting (${answer}, Retry-After ${Math.ceil(retryAfterMs / 1000)} s); try again later.`,
            { retryable: true, attempts, status: 429, retryAfterMs, ...(token ? { slackError: token } : {}) },
          );
        }
        rateLimited += 1;
        await this.clock.sleep(retryAfterMs);
        continue;
      }
      if (response.status >= 500) {
        failures += 1;
        if (failures >= maxAttempts) {
          throw new SlackDeliveryError(`The Slack webhook answered ${answer} ${attempts} times.`, {
            retryable: true,
            attempts,
            status: response.status,
            ...(token ? { slackError: token } : {}),
          });
        }
        await this.clock.sleep(this.backoff(failures));
        continue;
      }
      throw new SlackDeliveryError(
        `The Slack webhook rejected the message (${answer}); not retried. ` + hintFor(token, response.status),
        { retryable: false, attempts, status: response.status, ...(token ? { slackError: token } : {}) },
      );
    }
  }

  /** No jitter: one sender per webhook, paced, so there is no crowd to spread. */
  private backoff(failures: number): number {
    return backoffDelayMs(failures - 1, {
      baseDelayMs: this.options.baseBackoffMs ?? 1000,
      maxDelayMs: this.options.maxBackoffMs ?? 8000,
      jitter: 'none',
    });
  }
}

const HINTS: Readonly<Record<string, string>> = {
  invalid_payload: 'The message is not valid Block Kit: report it as a stage-drift bug.',
  channel_not_found: 'The webhook channel no longer exists: create a new webhook and update the secret.',
  channel_is_archived: 'The webhook channel is archived: unarchive it or create a new webhook.',
  no_service: 'The webhook was disabled or revoked: create a new one and update the secret.',
  invalid_token: 'The webhook was revoked: create a new one and update the secret.',
  action_prohibited: 'A Slack admin restricted posting to this channel.',
};

const hintFor = (token: string | undefined, status: number): string =>
  (token ? HINTS[token] : undefined) ??
  (status === 404 || status === 403 || status === 410
    ? 'Check that the webhook still exists and update the secret.'
    : 'Check the webhook and the message.');
