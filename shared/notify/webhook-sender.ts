import type { Clock } from '../runtime';
import { backoffDelayMs, parseRetryAfter, systemClock } from '../runtime';
import { StageDriftError } from '../model';
import type { WebhookFailure } from './errors';
import { WebhookDeliveryError } from './errors';
import type { Secret } from './redact';
import { redactSecrets } from './redact';

/** Where the webhook URL comes from: the URL itself, or a (cached) secret lookup. */
export type WebhookUrlSource = string | (() => Promise<string>);

/** Pacing, retries and timeouts: the same for every webhook, so one set of defaults. */
export interface WebhookSendingOptions {
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Chat webhooks take about one message a second. @default 1000 */
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

/** What one channel's webhook is like; the sender does the rest. */
export interface WebhookSenderOptions extends WebhookSendingOptions {
  readonly url: WebhookUrlSource;
  /** How messages name the endpoint: "The <name> rejected the message". E.g. `Slack webhook`. */
  readonly name: string;
  /** Why a URL cannot be used, or undefined when it can. @default https, or http on loopback ({@link urlProblemOf}) */
  readonly urlProblem?: (url: string) => string | undefined;
  /** The service's error token in a (redacted, trimmed) answer body, if it holds one. @default none */
  readonly errorToken?: (body: string) => string | undefined;
  /** A sentence on what to do about a refused message (4xx). @default generic advice */
  readonly hint?: (status: number, token: string | undefined) => string;
  /** The error to throw. @default a {@link WebhookDeliveryError} */
  readonly toError?: (message: string, failure: WebhookFailure) => Error;
  /** Patterns of this service's webhook URLs, redacted from answers besides the URL itself. */
  readonly redact?: readonly Secret[];
  /** @default 'application/json; charset=utf-8' */
  readonly contentType?: string;
}

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/**
 * Checks a webhook URL without ever repeating it: `https:`, or `http:` on a loopback host (tests,
 * local stand-ins). Returns a problem description (`example` shows the expected form), or
 * undefined when the URL is usable.
 */
export const urlProblemOf = (url: string, example: string): string | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) return undefined;
  return `must be an https:// URL (${example})`;
};

const networkReason = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown; name?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'timeout';
  return error instanceof Error ? error.name : 'unknown error';
};

/** What to do about a refused message when the service says nothing more specific. */
export const defaultWebhookHint = (status: number): string =>
  status === 404 || status === 403 || status === 410
    ? 'Check that the webhook still exists and update the secret.'
    : 'Check the webhook and the message.';

/**
 * Posts JSON messages to a chat webhook with `fetch`.
 *
 * - Paced: at most one message per `minIntervalMs` (sends are queued, one at a time).
 * - 429: waits `Retry-After` (if no longer than `maxRetryAfterMs`), up to `maxRateLimitWaits` times.
 * - 5xx and network errors: up to `maxAttempts` attempts with exponential backoff; then retryable.
 * - Other answers (4xx): a permanent error at once, with the service's error token.
 *
 * The URL is resolved on first use (and by the source's own caching after that) and appears in
 * no error: messages name the endpoint by `name`. A wait of `clock.sleep` that rejects (a
 * deadline's `OutOfTimeError`) rejects the send with that error.
 */
export class WebhookSender<M = unknown> {
  private readonly fetchFn: typeof fetch;
  private readonly clock: Clock;
  private lastSentAt: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WebhookSenderOptions) {
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.clock = options.clock ?? systemClock;
  }

  send(message: M): Promise<void> {
    const run = this.queue.then(() => this.deliver(message));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private fail(message: string, failure: WebhookFailure): Error {
    return this.options.toError
      ? this.options.toError(message, failure)
      : new WebhookDeliveryError(message, failure);
  }

  private async resolveUrl(): Promise<string> {
    const { url: source, name } = this.options;
    let url: string;
    try {
      url = typeof source === 'string' ? source : await source();
    } catch (error) {
      // Ours say whether a retry may help; anything else (a network error) may pass later.
      const retryable = !(error instanceof StageDriftError) || error.retryable;
      const reason = error instanceof Error ? error.message : 'unknown error';
      throw this.fail(`Could not read the ${name} URL: ${redactSecrets(reason, this.options.redact)}`, {
        retryable,
        attempts: 0,
      });
    }
    const problem = (this.options.urlProblem ?? ((u) => urlProblemOf(u, 'https://...')))(url);
    if (problem) {
      throw this.fail(`The ${name} URL ${problem}; fix the secret that holds it.`, {
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

  private async deliver(message: M): Promise<void> {
    const url = await this.resolveUrl();
    const { name } = this.options;
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
          headers: { 'content-type': this.options.contentType ?? 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        failures += 1;
        const reason = networkReason(error);
        if (failures >= maxAttempts) {
          throw this.fail(`The ${name} could not be reached (${reason}) after ${attempts} attempts.`, {
            retryable: true,
            attempts,
          });
        }
        await this.clock.sleep(this.backoff(failures));
        continue;
      }
      const text = redactSecrets(await response.text().catch(() => ''), [
        url,
        ...(this.options.redact ?? []),
      ]).trim();
      if (response.ok) return;
      const token = this.options.errorToken?.(text);
      const answer = `HTTP ${response.status}${token ? ` ${token}` : ''}`;
      const details = { status: response.status, ...(token ? { token } : {}) };
      if (response.status === 429) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.clock.now()) ?? 1000;
        if (retryAfterMs > maxRetryAfterMs || rateLimited >= maxRateLimitWaits) {
          throw this.fail(
            `The ${name} is rate limiting (${answer}, Retry-After ${Math.ceil(retryAfterMs / 1000)} s); try again later.`,
            { retryable: true, attempts, ...details, retryAfterMs },
          );
        }
        rateLimited += 1;
        await this.clock.sleep(retryAfterMs);
        continue;
      }
      if (response.status >= 500) {
        failures += 1;
        if (failures >= maxAttempts) {
          throw this.fail(`The ${name} answered ${answer} ${attempts} times.`, {
            retryable: true,
            attempts,
            ...details,
          });
        }
        await this.clock.sleep(this.backoff(failures));
        continue;
      }
      const hint = this.options.hint ?? defaultWebhookHint;
      throw this.fail(
        `The ${name} rejected the message (${answer}); not retried. ` + hint(response.status, token),
        { retryable: false, attempts, ...details },
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
