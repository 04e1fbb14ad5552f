import { InputError, StageDriftError } from '../../shared/model/errors';

/** A task message that does not parse: dropped (never retried), logged and counted. */
export class TaskMessageError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'TaskMessageError';
}

/**
 * A well-formed task message for a scope the monitor is not configured to scan: dropped (a retry
 * cannot make it configured; a change of configuration is a deployment, and the next tick plans
 * again), logged and counted. Never scanned, never `retryable`.
 */
export class TaskRefusedError extends StageDriftError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'TaskRefusedError';
  constructor(message: string) {
    super(message, { retryable: false });
  }
}
