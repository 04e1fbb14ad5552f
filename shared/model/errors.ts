/**
 * One error root. Every error stage-drift throws on purpose is a `StageDriftError`; it is the one
 * class in the code base that extends `Error` directly. Callers test `instanceof` (never `name`
 * strings) and read `retryable` (never a duck-typed field). Each module keeps its own classes in
 * its own `errors.ts`, each extending one of the families below.
 */
export class StageDriftError extends Error {
  /** Whether the same operation may succeed if tried again later (throttling, a 5xx, a timeout). */
  readonly retryable: boolean;

  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retryable = options.retryable ?? false;
  }
}

/**
 * Bad input: a setting, a document, an argument, a message. The message names the field and the
 * fix. Never retryable: the same input fails the same way.
 */
export class InputError extends StageDriftError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'InputError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retryable: false });
  }
}

/** A call to a service or a delivery to a channel failed; `retryable` says whether to try again. */
export class DeliveryError extends StageDriftError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'DeliveryError';
  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options);
  }
}

/** True when `error` is ours and says that trying again may help. */
export const isRetryable = (error: unknown): boolean => error instanceof StageDriftError && error.retryable;
