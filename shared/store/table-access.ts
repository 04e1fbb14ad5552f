import type {
  AttributeValue,
  DynamoDBClient,
  QueryCommandInput,
  QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Item } from './attributes';
import { readStr, str } from './attributes';
import type { UnprocessedKeysRetry } from './batch-get-all';
import { batchGetAll } from './batch-get-all';
import type { ItemKey } from './errors';
import { StoreError, isConditionalCheckFailed, toStoreError } from './errors';

/**
 * Unprocessed keys are asked for again until 8 rounds in a row return nothing, after 50 ms once a
 * round returned items, else 100 ms doubling up to 5 s.
 */
const UNPROCESSED_KEYS_RETRY: UnprocessedKeysRetry = {
  maxRounds: 8,
  resetOnProgress: true,
  backoff: { baseDelayMs: 50, maxDelayMs: 5_000, jitter: 'none' },
};

/** `#name` placeholders for attribute names (`hash` and `ttl` are DynamoDB reserved words). */
export const namesOf = (attributes: readonly string[]): Record<string, string> =>
  Object.fromEntries(attributes.map((name) => [`#${name}`, name]));

export const projectionOf = (attributes: readonly string[]): string =>
  attributes.map((name) => `#${name}`).join(', ');

export const itemKeyString = (key: ItemKey): string => `${key.PK}\n${key.SK}`;

const keyOf = (key: ItemKey): Item => ({ PK: str(key.PK), SK: str(key.SK) });

/** A condition with its placeholders. */
export interface Condition {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values?: Record<string, AttributeValue>;
}

export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>;

/**
 * The DynamoDB calls of the store on one table. Every SDK error becomes a StoreError that says
 * what the store was doing; a failed condition is a `false` result, not an error.
 */
export class TableAccess {
  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async put(item: Item, doing: string): Promise<void> {
    await this.send(doing, () =>
      this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item })),
    );
  }

  /** A conditional put; `false` when the condition failed. */
  putIf(item: Item, condition: Condition, doing: string): Promise<boolean> {
    return this.conditional(doing, () =>
      this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: item, ...this.expressions(condition) }),
      ),
    );
  }

  /** A conditional delete; `false` when the condition failed. */
  deleteIf(key: ItemKey, condition: Condition, doing: string): Promise<boolean> {
    return this.conditional(doing, () =>
      this.client.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: keyOf(key), ...this.expressions(condition) }),
      ),
    );
  }

  /** Sets one attribute of an item that exists; `false` when it does not. */
  setIfExists(key: ItemKey, attribute: string, value: AttributeValue, doing: string): Promise<boolean> {
    return this.conditional(doing, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: `SET #${attribute} = :value`,
          ConditionExpression: 'attribute_exists(#PK)',
          ExpressionAttributeNames: namesOf([attribute, 'PK']),
          ExpressionAttributeValues: { ':value': value },
        }),
      ),
    );
  }

  /** A strongly consistent GetItem, optionally of some attributes only. */
  async get(key: ItemKey, doing: string, attributes?: readonly string[]): Promise<Item | undefined> {
    const response = await this.send(doing, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          ConsistentRead: true,
          ...(attributes
            ? {
                ProjectionExpression: projectionOf(attributes),
                ExpressionAttributeNames: namesOf(attributes),
              }
            : {}),
        }),
      ),
    );
    return response.Item;
  }

  /** One Query page (at most 1 MB read, or `limit` items). */
  queryPage(input: QueryInput, doing: string, startKey?: Item, limit?: number): Promise<QueryCommandOutput> {
    return this.send(doing, () =>
      this.client.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ...(limit === undefined ? {} : { Limit: limit }),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
  }

  /** Every item of a Query, page by page, up to `limit`. */
  async queryAll(input: QueryInput, doing: string, limit?: number): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const remaining = limit === undefined ? undefined : limit - items.length;
      const response = await this.queryPage(input, doing, startKey, remaining);
      items.push(...(response.Items ?? []));
      startKey = response.LastEvaluatedKey;
    } while (startKey && (limit === undefined || items.length < limit));
    return items;
  }

  /**
   * BatchGetItem of any number of keys: 100 per call, unprocessed keys retried with
   * exponential backoff. Returns the items found, keyed by {@link itemKeyString}.
   */
  async batchGet(keys: readonly ItemKey[], doing: string): Promise<Map<string, Item>> {
    const unique = [...new Map(keys.map((key) => [itemKeyString(key), key])).values()];
    const items = await batchGetAll({
      tableName: this.tableName,
      keys: unique.map(keyOf),
      send: (input) => this.send(doing, () => this.client.send(new BatchGetItemCommand(input))),
      sleep: this.sleep,
      retry: UNPROCESSED_KEYS_RETRY,
      giveUp: (unprocessed, rounds) =>
        new StoreError(
          `DynamoDB left ${unprocessed} keys unprocessed ${rounds} times in a row while ${doing} ` +
            `(table "${this.tableName}"): the table is throttled; retry later.`,
          { retryable: true },
        ),
    });
    const found = new Map<string, Item>();
    for (const item of items) {
      found.set(itemKeyString({ PK: readStr(item, 'PK') ?? '', SK: readStr(item, 'SK') ?? '' }), item);
    }
    return found;
  }

  private expressions(condition: Condition) {
    return {
      ConditionExpression: condition.expression,
      ExpressionAttributeNames: condition.names,
      ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
    };
  }

  private async send<T>(doing: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, this.tableName, doing);
    }
  }

  private async conditional(doing: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw toStoreError(error, this.tableName, doing);
    }
  }
}
