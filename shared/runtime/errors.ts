import { InputError } from '../model/errors';

/** Thrown for a concurrency that could never run a task. */
export class ConcurrencyLimitError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'ConcurrencyLimitError';
}
