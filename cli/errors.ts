import { InputError } from '../shared/model/errors';

/** Bad input or arguments: printed as one line, exit code 2. */
export class UsageError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
