import { InputError } from '../model/errors';

/** A bad setting; the message names it (as the user wrote it) and says how to fix it. */
export class ConfigError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'ConfigError';
  readonly setting: string;
  constructor(setting: string, problem: string, options?: ErrorOptions) {
    super(`${setting}: ${problem}`, options);
    this.setting = setting;
  }
}
