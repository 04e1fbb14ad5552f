// Imports only the error root, so `cloudtrail-events.ts` (read by infra) stays free of other code.
import { InputError } from '../model/errors';

/** A value that is not a CloudTrail record; the message names the missing or mistyped field. */
export class CloudTrailRecordError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'CloudTrailRecordError';
}

/** A pattern using an operator this matcher does not implement (so a test cannot pass by accident). */
export class UnsupportedEventPatternError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'UnsupportedEventPatternError';
  constructor(message: string) {
    super(message);
  }
}

/** A request that could never be answered; says how to fix it. */
export class LookupEventsInputError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'LookupEventsInputError';
  constructor(message: string) {
    super(message);
  }
}

/** A window or time that cannot be read; says which and how to fix it. */
export class AttributionInputError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'AttributionInputError';
  constructor(message: string) {
    super(message);
  }
}
