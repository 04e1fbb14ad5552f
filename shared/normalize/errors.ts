import { InputError } from '../model/errors';

/**
 * A stage object that cannot be normalized: not an object, no stage name, or a known field of
 * the wrong type. The message names the field (`methodSettings["*\/*"].throttlingRateLimit`)
 * and what was expected; `field` carries the same path for programs.
 */
export class StageNormalizeError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'StageNormalizeError';
  /** Path of the offending field in the input, as spelled there; absent for the whole stage. */
  readonly field?: string;

  constructor(message: string, options?: { readonly field?: string; readonly cause?: unknown }) {
    super(message, { cause: options?.cause });
    if (options?.field !== undefined) this.field = options.field;
  }
}

/**
 * A document that is not a stages document, or holds a stage that cannot be normalized. The
 * message says what is wrong without naming the file: callers (the CLI) prefix it.
 */
export class StagesDocumentError extends InputError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'StagesDocumentError';
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, { cause: options?.cause });
  }
}
