import { DeliveryError } from '../model/errors';

/**
 * The scope cannot be reached at all (its account refused the reader role); retrying will not
 * help, so it is never `retryable`.
 */
export class ScopeAccessError extends DeliveryError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'ScopeAccessError';
  /** The underlying error's name, e.g. `AccessDenied`. */
  readonly errorName: string;
  constructor(message: string, errorName: string, options?: ErrorOptions) {
    super(message, { cause: options?.cause, retryable: false });
    this.errorName = errorName;
  }
}
