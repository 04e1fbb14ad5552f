import { DeliveryError, InputError } from '../model';

// Each class sets `name` itself: the Lambda bundles are minified, and a failure record stores
// `errorName` (a PaginationLoopError's is its `name`).

/** Invalid collect options; the message names the option and a valid value. */
export class CollectOptionsError extends InputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CollectOptionsError';
  }
}

/** Thrown for a budget that could never let a request through. */
export class RequestBudgetError extends InputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RequestBudgetError';
  }
}

/**
 * The service handed back a pagination token it had already given: following it would never end.
 * Not retryable: the same listing gives the same tokens.
 */
export class PaginationLoopError extends DeliveryError {
  constructor(operation: string, token: string) {
    super(
      `${operation} returned the pagination token ${JSON.stringify(token)} twice; ` +
        'stopped paging instead of looping.',
      { retryable: false },
    );
    this.name = 'PaginationLoopError';
  }
}

/**
 * - `throttled`: 429, `TooManyRequestsException`, `LimitExceededException`, `ThrottlingException`.
 * - `transient`: 5xx or a network error (connection reset/refused, timeout).
 * - `rejected`: any other service answer (400, 403, 404, ...): retrying will not help.
 */
export type CallErrorKind = 'throttled' | 'transient' | 'rejected';

/** The HTTP status of an SDK service error, if it carries one. */
export const httpStatusOf = (error: unknown): number | undefined => {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { readonly $metadata?: { readonly httpStatusCode?: unknown } }).$metadata
    ?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
};

/**
 * A control-plane call that failed for good; `cause` is the last SDK error. `retryable` when it
 * was throttled or transient (a later run may get through), not when the service rejected it.
 */
export class ApiCallFailedError extends DeliveryError {
  /** The SDK error's name, e.g. `NotFoundException`. */
  readonly errorName: string;
  readonly httpStatus: number | undefined;
  readonly kind: CallErrorKind;
  /** Sends made, including the first. */
  readonly attempts: number;

  constructor(message: string, details: { kind: CallErrorKind; attempts: number; cause: Error }) {
    super(message, { retryable: details.kind !== 'rejected', cause: details.cause });
    this.name = 'ApiCallFailedError';
    this.errorName = details.cause.name;
    this.httpStatus = httpStatusOf(details.cause);
    this.kind = details.kind;
    this.attempts = details.attempts;
  }
}
