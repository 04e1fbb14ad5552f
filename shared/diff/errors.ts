import { InputError } from '../model/errors';

/**
 * Invalid diff options: a bad path pattern, an unknown severity, an empty ignore rule, a missing
 * fingerprint key. `field` names the offending option (e.g. `severityOverrides[1].severity`) and the
 * message says how to fix it.
 */
export class DiffConfigError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'DiffConfigError';
  readonly field: string;

  constructor(field: string, message: string, options?: ErrorOptions) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}

/** Snapshots that cannot be compared: two different stage keys, or one key twice in a set. */
export class DiffInputError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'DiffInputError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
