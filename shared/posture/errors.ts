import { InputError } from '../model/errors';

/**
 * A posture rule that cannot be used: `field` names it (e.g. `postureRules[1].expect[0].path`) and
 * the message says how to fix it.
 */
export class PostureConfigError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'PostureConfigError';
  readonly field: string;

  constructor(field: string, message: string, options?: ErrorOptions) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}
