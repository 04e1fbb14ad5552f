import { InputError } from '../model';

/** A revert that cannot be planned as asked (a different API type, a target with no deployment). */
export class RevertPlanError extends InputError {
  /** Set here, not derived: bundles are minified, and logs keep the name. */
  override name = 'RevertPlanError';
}

/** The stage's API no longer exists: there is nothing to put a stage back into. */
export class ApiGoneError extends InputError {
  /** Set here, not derived: bundles are minified, and logs keep the name. */
  override name = 'ApiGoneError';
}
