import { StageDriftError } from '../model/errors';

/** The primary key of one table item, for error messages and problem reports. */
export interface ItemKey {
  readonly PK: string;
  readonly SK: string;
}

/**
 * Anything the snapshot store could not do: a missing table, a rejected request, an item it
 * cannot read. `itemKey` names the offending item when there is one; the message says how to
 * fix the problem. `retryable` only when DynamoDB was throttled or failed on its side.
 */
export class StoreError extends StageDriftError {
  /** Set here, not derived: the Lambda bundles are minified, and logs and records keep the name. */
  override name = 'StoreError';
  readonly itemKey?: ItemKey;

  constructor(
    message: string,
    options?: ErrorOptions & { readonly itemKey?: ItemKey; readonly retryable?: boolean },
  ) {
    super(message, { cause: options?.cause, retryable: options?.retryable ?? false });
    if (options?.itemKey) this.itemKey = options.itemKey;
  }
}

const errorName = (error: unknown): string | undefined => (error instanceof Error ? error.name : undefined);

export const isConditionalCheckFailed = (error: unknown): boolean =>
  errorName(error) === 'ConditionalCheckFailedException';

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
]);

/** An SDK error that may not recur: throttling, or a fault on DynamoDB's side (5xx). */
const isTransient = (error: unknown): boolean => {
  const sdk = error as {
    $retryable?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  } | null;
  const status = sdk?.$metadata?.httpStatusCode;
  return (
    THROTTLING.has(errorName(error) ?? '') ||
    sdk?.$retryable !== undefined ||
    sdk?.$fault === 'server' ||
    (typeof status === 'number' && status >= 500)
  );
};

/**
 * Wraps an SDK error as a StoreError that says what the store was doing. A missing table
 * becomes a message naming the table and how to create it; throttling and 5xx are `retryable`.
 */
export const toStoreError = (error: unknown, tableName: string, doing: string): StoreError => {
  if (error instanceof StoreError) return error;
  if (errorName(error) === 'ResourceNotFoundException') {
    return new StoreError(
      `DynamoDB table "${tableName}" was not found while ${doing}. Check the table name and the region ` +
        `(and AWS_ENDPOINT_URL, if set), or create the table: deploy the StageDriftMonitor stack, or ` +
        `create it from tableDefinition("${tableName}").`,
      { cause: error },
    );
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StoreError(`DynamoDB request failed while ${doing} (table "${tableName}"): ${detail}`, {
    cause: error,
    retryable: isTransient(error),
  });
};

export const describeItemKey = (key: ItemKey): string => `PK="${key.PK}" SK="${key.SK}"`;
