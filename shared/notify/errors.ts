import { DeliveryError, InputError, StageDriftError } from '../model';

// The errors of shared/notify, each under one of the root families of shared/model/errors.ts.
// Each sets `name` itself, so a minified bundle still logs `SlackDeliveryError`, not `e`.

/** The details a webhook answer leaves on its error. */
export interface WebhookFailure {
  readonly retryable: boolean;
  /** Requests made, 0 when none could start (no usable URL). */
  readonly attempts: number;
  /** HTTP status of the last answer, when there was one. */
  readonly status?: number;
  /** The service's error token from the answer body (Slack: `invalid_payload`), when it gave one. */
  readonly token?: string;
  /** When the service asked to wait longer than the sender may: how long (ms). */
  readonly retryAfterMs?: number;
}

/**
 * A webhook did not take a message (the generic sender's error). `retryable: false` for answers a
 * retry cannot change (4xx). The message never contains the webhook URL.
 */
export class WebhookDeliveryError extends DeliveryError {
  readonly attempts: number;
  readonly status?: number;
  readonly token?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, failure: WebhookFailure) {
    super(message, { retryable: failure.retryable });
    this.name = 'WebhookDeliveryError';
    this.attempts = failure.attempts;
    if (failure.status !== undefined) this.status = failure.status;
    if (failure.token !== undefined) this.token = failure.token;
    if (failure.retryAfterMs !== undefined) this.retryAfterMs = failure.retryAfterMs;
  }
}

/**
 * Slack did not take a message. `retryable: false` for answers a retry cannot change (4xx such
 * as `invalid_payload`, `channel_not_found`, `no_service`): route those to the failure queue.
 * The message never contains the webhook URL.
 */
export class SlackDeliveryError extends DeliveryError {
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
    super(message, { retryable: details.retryable });
    this.name = 'SlackDeliveryError';
    this.attempts = details.attempts;
    if (details.status !== undefined) this.status = details.status;
    if (details.slackError !== undefined) this.slackError = details.slackError;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** SNS did not accept a message. `retryable: false` for a request SNS will never accept. */
export class SnsDeliveryError extends DeliveryError {
  constructor(message: string, options: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(message, options);
    this.name = 'SnsDeliveryError';
  }
}

/** The delivery log could not be read or written. Always worth retrying. */
export class DeliveryLogError extends DeliveryError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, { retryable: true, ...(options?.cause === undefined ? {} : { cause: options.cause }) });
    this.name = 'DeliveryLogError';
  }
}

/**
 * A webhook secret could not be read (`retryable`: access, throttling, a missing secret) or holds
 * no usable URL (not retryable until someone fixes it). A `DeliveryError`, not an `InputError`:
 * an `InputError` is never retryable, and a failed read may pass later. Never contains the
 * secret's value.
 */
export class WebhookSecretError extends DeliveryError {
  constructor(message: string, options: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookSecretError';
  }
}

/** The Slack webhook secret could not be read or holds no usable URL (see {@link WebhookSecretError}). */
export class SlackSecretError extends DeliveryError {
  constructor(message: string, options: { readonly retryable: boolean; readonly cause?: unknown }) {
    super(message, options);
    this.name = 'SlackSecretError';
  }
}

/** Thrown instead of waiting past the deadline; retryable: the next invocation sends it. */
export class OutOfTimeError extends StageDriftError {
  constructor(message: string) {
    super(message, { retryable: true });
    this.name = 'OutOfTimeError';
  }
}

/** Alert channels that cannot work together (two with one id): a wiring mistake, never retried. */
export class AlertChannelError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'AlertChannelError';
  }
}
