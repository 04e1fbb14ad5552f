import type {
  AttributeValue,
  BatchGetItemCommandInput,
  BatchGetItemCommandOutput,
  KeysAndAttributes,
} from '@aws-sdk/client-dynamodb';
import type { BackoffPolicy } from '../runtime';
import { backoffDelayMs } from '../runtime';

/** BatchGetItem takes at most 100 keys. */
export const BATCH_GET_MAX_KEYS = 100;

/** How long `batchGetAll` keeps asking for the keys DynamoDB left unprocessed (it does under throttling). */
export interface UnprocessedKeysRetry {
  /** Rounds that left keys unprocessed before giving up (counted as `resetOnProgress` says). */
  readonly maxRounds: number;
  /** A round that returned items starts the count again: the table is slow, not stuck. */
  readonly resetOnProgress: boolean;
  /** The wait after the `n`-th such round is `backoffDelayMs(n, backoff)`. */
  readonly backoff: BackoffPolicy;
}

export interface BatchGetAllRequest {
  readonly tableName: string;
  /** Each key once (BatchGetItem refuses a key twice in one call); any number, 100 per call. */
  readonly keys: readonly Record<string, AttributeValue>[];
  /** The rest of each call's request for the table: `ConsistentRead`, `ProjectionExpression`, ... */
  readonly read?: Omit<KeysAndAttributes, 'Keys'>;
  /** Sends one BatchGetItem; whatever it throws goes to the caller (wrap SDK errors in it). */
  readonly send: (input: BatchGetItemCommandInput) => Promise<BatchGetItemCommandOutput>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly retry: UnprocessedKeysRetry;
  /** The error thrown when `rounds` rounds in a row left `unprocessed` keys of a call. */
  readonly giveUp: (unprocessed: number, rounds: number) => Error;
}

/**
 * BatchGetItem of any number of keys: 100 per call, each call's `UnprocessedKeys` asked for again
 * after a backoff until none are left, or `giveUp` once `retry.maxRounds` is reached. Returns the
 * items found, in the order they came back (a key with no item returns nothing).
 */
export const batchGetAll = async (request: BatchGetAllRequest): Promise<Record<string, AttributeValue>[]> => {
  const { tableName, keys, read, send, sleep, retry, giveUp } = request;
  const items: Record<string, AttributeValue>[] = [];
  for (let offset = 0; offset < keys.length; offset += BATCH_GET_MAX_KEYS) {
    let pending = keys.slice(offset, offset + BATCH_GET_MAX_KEYS);
    let rounds = 0;
    while (pending.length > 0) {
      const response = await send({ RequestItems: { [tableName]: { Keys: pending, ...read } } });
      const got = response.Responses?.[tableName] ?? [];
      items.push(...got);
      pending = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (pending.length === 0) break;
      rounds = retry.resetOnProgress && got.length > 0 ? 0 : rounds + 1;
      if (rounds >= retry.maxRounds) throw giveUp(pending.length, rounds);
      await sleep(backoffDelayMs(rounds, retry.backoff));
    }
  }
  return items;
};
