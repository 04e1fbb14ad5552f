import { DeliveryError } from '../model/errors';

/**
 * A BatchImportFindings call that failed as a whole (denied, throttled, Security Hub not enabled
 * in the region): counted and reported by the import, never thrown out of a scan.
 */
export class FindingsImportError extends DeliveryError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'FindingsImportError';
  /** The service's error code (`AccessDeniedException`, `InvalidAccessException`, ...), else the error's name. */
  readonly code: string;

  constructor(code: string, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
