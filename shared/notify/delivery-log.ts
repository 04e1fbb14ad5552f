import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../runtime';
import { systemClock } from '../runtime';
import type { UnprocessedKeysRetry } from '../store';
import { batchGetAll } from '../store';
import { DeliveryLogError } from './errors';

/**
 * A channel's id (`AlertChannel.id`): the delivery mark's sort key and the failure report's
 * `channel`. Stored in DynamoDB and read by consumers of the failure queue: `SNS` and `SLACK`
 * are never renamed.
 */
export type DeliveryChannel = string;

/** `DELIVERED`: the channel took the event. `FAILED`: it refused it for good and the failure was reported. */
export type DeliveryMark = 'DELIVERED' | 'FAILED';

/**
 * Which events a channel has already handled. The publish use case checks it before sending and
 * records after a successful send (at-least-once: a crash between the two sends again).
 */
export interface DeliveryLog {
  /** The ids among `eventIds` with a mark on `channel`. */
  handled(eventIds: readonly string[], channel: DeliveryChannel): Promise<ReadonlySet<string>>;
  /** Marks the event; `false` when a mark was already there (another invocation got there first). */
  record(
    eventId: string,
    channel: DeliveryChannel,
    mark: DeliveryMark,
    detail?: { readonly messageId?: string; readonly via?: 'message' | 'digest' },
  ): Promise<boolean>;
}

/**
 * Days a delivery mark is kept: longer than the stream's 24 h retention, so a redelivery always
 * finds it, and as long as the outbox looks back (an event older than its marks could be sent again).
 */
export const DELIVERY_MARK_TTL_DAYS = 7;

export const DELIVERY_PREFIX = 'DELIVERY#';
export const deliveryPk = (eventId: string): string => `${DELIVERY_PREFIX}${eventId}`;

export interface DynamoDeliveryLogOptions {
  readonly tableName: string;
  /** Days a mark is kept (`ttl`). @default DELIVERY_MARK_TTL_DAYS (7) */
  readonly ttlDays?: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** Unprocessed marks are asked for again for 8 rounds in all, after 50 ms doubling up to 2 s. */
const UNPROCESSED_MARKS_RETRY: UnprocessedKeysRetry = {
  maxRounds: 8,
  resetOnProgress: false,
  // backoffDelayMs(n) = 25 * 2^n: 50 ms after the first round.
  backoff: { baseDelayMs: 25, maxDelayMs: 2000, jitter: 'none' },
};

/**
 * Delivery marks in the snapshot table: `PK = DELIVERY#<eventId>`, `SK = <channel id>` (`SNS`, `SLACK`),
 * `itemType = DELIVERY`, `mark`, `at`, `ttl`. Written with a conditional put
 * (`attribute_not_exists(PK)`), read with consistent BatchGetItem (100 keys a call). The marks
 * have no GSI attributes and are not drift items, so the stream filter never passes them on.
 */
export class DynamoDeliveryLog implements DeliveryLog {
  private readonly clock: Clock;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly options: DynamoDeliveryLogOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  async handled(eventIds: readonly string[], channel: DeliveryChannel): Promise<ReadonlySet<string>> {
    const tableName = this.options.tableName;
    const items = await batchGetAll({
      tableName,
      keys: [...new Set(eventIds)].map((id) => ({ PK: { S: deliveryPk(id) }, SK: { S: channel } })),
      read: { ConsistentRead: true, ProjectionExpression: 'PK' },
      send: async (input) => {
        try {
          return await this.client.send(new BatchGetItemCommand(input));
        } catch (error) {
          throw new DeliveryLogError(
            `Could not read delivery marks from table "${tableName}": ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
            { cause: error },
          );
        }
      },
      sleep: (ms) => this.clock.sleep(ms),
      retry: UNPROCESSED_MARKS_RETRY,
      giveUp: (unprocessed, rounds) =>
        new DeliveryLogError(
          `DynamoDB left ${unprocessed} delivery marks unread after ${rounds} rounds (table "${tableName}").`,
        ),
    });
    const found = new Set<string>();
    for (const item of items) {
      const pk = item.PK?.S;
      if (pk?.startsWith(DELIVERY_PREFIX)) found.add(pk.slice(DELIVERY_PREFIX.length));
    }
    return found;
  }

  async record(
    eventId: string,
    channel: DeliveryChannel,
    mark: DeliveryMark,
    detail: { readonly messageId?: string; readonly via?: 'message' | 'digest' } = {},
  ): Promise<boolean> {
    const nowMs = this.clock.now();
    const ttl = Math.floor(nowMs / 1000) + (this.options.ttlDays ?? DELIVERY_MARK_TTL_DAYS) * 86_400;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            PK: { S: deliveryPk(eventId) },
            SK: { S: channel },
            itemType: { S: 'DELIVERY' },
            eventId: { S: eventId },
            mark: { S: mark },
            at: { S: new Date(nowMs).toISOString() },
            ttl: { N: String(ttl) },
            ...(detail.messageId ? { messageId: { S: detail.messageId } } : {}),
            ...(detail.via ? { via: { S: detail.via } } : {}),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw new DeliveryLogError(
        `Could not record the ${channel} delivery of event ${eventId} in table "${this.options.tableName}": ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        { cause: error },
      );
    }
  }
}
