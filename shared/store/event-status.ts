import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { ApiType } from '../model';
import type { Item } from './attributes';
import { readStr, str } from './attributes';
import type { AlertEventRecord, DriftEventRecord, EventAck, EventRevertedMark } from './drift-event';
import { ackAttribute, parseAlertEventItem, parseDriftEventItem, revertedAttribute } from './drift-event';
import { monthsBetween } from './dynamo-snapshot-history';
import type { ItemKey } from './errors';
import { StoreError, describeItemKey, isConditionalCheckFailed, toStoreError } from './errors';
import { driftMonthPk, driftSk, stagePk } from './keys';
import { POSTURE_SUMMARY_KIND } from './posture-summary-event';
import type { DynamoSnapshotStoreOptions } from './store-options';
import { resolveStoreOptions } from './store-options';
import { TableAccess, namesOf, projectionOf } from './table-access';
import { GSI1_NAME } from './table-definition';

/*
 * The status of a drift event (open, acknowledged, reverted) is kept on the event item itself,
 * beside its body: `acks` (a list of `{by, at, note?}` maps) and `reverted` (`{by, at,
 * revertEventId}`), written by UpdateItem. Such an update is a MODIFY on the table's stream, and
 * the publisher takes INSERTs only (`DRIFT_STREAM_FILTER` in shared/notify/stream-filter.ts, and
 * `parseDriftStreamRecords` skips anything else), so acknowledging or marking never re-alerts.
 */

/** What names a drift event item: a `DriftEventRecord` is one. */
export interface DriftEventRef {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly api: { readonly id: string; readonly type: ApiType };
  readonly stageName: string;
}

/** What `markEventsReverted` did, by event id. */
export interface RevertMarks {
  /** Marked by this call. */
  readonly marked: string[];
  /** Already marked (by this revert, replayed, or an earlier one): the first mark is kept. */
  readonly alreadyMarked: string[];
  /** No such item any more (expired, or never stored): nothing to mark. */
  readonly missing: string[];
}

/** The primary key of a drift event's item. */
export const eventItemKey = (ref: DriftEventRef): ItemKey => ({
  PK: stagePk({
    account: ref.account,
    region: ref.region,
    apiType: ref.api.type,
    apiId: ref.api.id,
    stageName: ref.stageName,
  }),
  SK: driftSk(ref.id),
});

const EVENT_ID_PREFIX = /^[0-9a-f]{8,32}$/;
const EVENT_ID_LENGTH = 32;
const MAX_NOTE_CHARS = 1_000;
const MAX_BY_CHARS = 2_048;
/** How many matches an ambiguous prefix lists. */
const LISTED_MATCHES = 10;
/** What a lookup reads of each candidate: enough to name it. */
const MATCH_ATTRIBUTES = ['PK', 'SK', 'eventId', 'detectedAt', 'change', 'severity', 'kind'];
/** A drift event item, not a posture summary (which is stored like one). */
const DRIFT_EVENT_CONDITION = 'attribute_exists(#PK) AND #itemType = :drift AND attribute_not_exists(#kind)';
const CONDITION_NAMES = ['PK', 'itemType', 'kind'];

/** `<api> <stage> in <account>/<region>` from an event item's partition key. */
const describeOwner = (pk: string): string => {
  const [type, account, region, , apiId, ...stage] = pk.split('#');
  if (type === 'STAGE') return `${apiId ?? '?'} ${stage.join('#')} in ${account ?? '?'}/${region ?? '?'}`;
  if (type === 'POSTURE') return `posture summary of ${account ?? '?'}/${region ?? '?'}`;
  return pk;
};

const describeMatch = (item: Item): string =>
  `${readStr(item, 'eventId') ?? '?'} (${describeOwner(readStr(item, 'PK') ?? '?')}, ` +
  `${readStr(item, 'change') ?? '?'} ${readStr(item, 'severity') ?? '?'}, ${readStr(item, 'detectedAt') ?? '?'})`;

const toIso = (value: string, what: string): string => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new StoreError(`${what} "${value}" is not a time: use ISO-8601.`);
  return new Date(time).toISOString();
};

const checkBy = (by: string): string => {
  const trimmed = by.trim();
  if (trimmed === '' || trimmed.length > MAX_BY_CHARS) {
    throw new StoreError(`by must name who did it, in 1 to ${MAX_BY_CHARS} characters (got ${by.length}).`);
  }
  return trimmed;
};

/**
 * Finds drift events by id, acknowledges them and marks the ones a revert undid, on the table of
 * the snapshot store (same options). Failures are StoreErrors naming the item.
 */
export class DynamoEventStatus {
  private readonly table: TableAccess;
  private readonly tableName: string;
  private readonly retentionSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly client: DynamoDBClient,
    options: DynamoSnapshotStoreOptions,
  ) {
    const resolved = resolveStoreOptions(options);
    this.tableName = resolved.tableName;
    this.table = new TableAccess(client, resolved.tableName, resolved.sleep);
    this.retentionSeconds = resolved.retentionSeconds;
    this.now = resolved.now;
  }

  /**
   * The drift event (or posture summary) whose id is `idOrPrefix`, or starts with it (at least 8
   * hex digits, like git): GSI1 month partitions over the retention period, newest first, filtered
   * on `eventId`. `undefined` when none matches; a StoreError listing them when several do.
   */
  async findEvent(idOrPrefix: string): Promise<AlertEventRecord | undefined> {
    const prefix = idOrPrefix.trim().toLowerCase();
    if (!EVENT_ID_PREFIX.test(prefix)) {
      throw new StoreError(
        `"${idOrPrefix}" is not an event id: give its 32 hex digits, or at least the first 8.`,
      );
    }
    const now = this.now();
    const since = new Date(now - this.retentionSeconds * 1000).toISOString();
    const matches: Item[] = [];
    for (const month of monthsBetween(since, new Date(now).toISOString())) {
      const items = await this.table.queryAll(
        {
          IndexName: GSI1_NAME,
          KeyConditionExpression: '#GSI1PK = :month',
          FilterExpression:
            prefix.length === EVENT_ID_LENGTH ? '#eventId = :id' : 'begins_with(#eventId, :id)',
          ProjectionExpression: projectionOf(MATCH_ATTRIBUTES),
          ExpressionAttributeNames: namesOf(['GSI1PK', ...MATCH_ATTRIBUTES]),
          ExpressionAttributeValues: { ':month': str(driftMonthPk(month)), ':id': str(prefix) },
          ScanIndexForward: false,
        },
        `looking for the drift event ${prefix} in ${month}`,
      );
      matches.push(...items);
      // A whole id names one event; a prefix may match in any month.
      if (prefix.length === EVENT_ID_LENGTH && matches.length > 0) break;
    }
    const [match, ...others] = matches;
    if (!match) return undefined;
    if (others.length > 0) {
      const listed = matches.slice(0, LISTED_MATCHES).map(describeMatch).join('; ');
      const more = matches.length > LISTED_MATCHES ? `; and ${matches.length - LISTED_MATCHES} more` : '';
      throw new StoreError(
        `The event id prefix ${prefix} matches ${matches.length} events: ${listed}${more}. Give more of the id.`,
      );
    }
    const key = { PK: readStr(match, 'PK') ?? '', SK: readStr(match, 'SK') ?? '' };
    const item = await this.table.get(key, `reading the drift event ${readStr(match, 'eventId') ?? prefix}`);
    return item ? parseAlertEventItem(item) : undefined;
  }

  /**
   * Appends an acknowledgement to the event's `acks` (a second one is appended too) and returns
   * the event as it is now. A StoreError naming the item when it is missing or a posture summary.
   */
  async acknowledgeEvent(ref: DriftEventRef, ack: EventAck): Promise<DriftEventRecord> {
    if (ack.note !== undefined && ack.note.length > MAX_NOTE_CHARS) {
      throw new StoreError(
        `The note is ${ack.note.length} characters: keep it to ${MAX_NOTE_CHARS} or fewer.`,
      );
    }
    const stored: EventAck = {
      by: checkBy(ack.by),
      at: toIso(ack.at, 'at'),
      ...(ack.note === undefined || ack.note.trim() === '' ? {} : { note: ack.note }),
    };
    const key = eventItemKey(ref);
    const item = await this.updateDriftEvent(
      key,
      {
        update: 'SET #acks = list_append(if_not_exists(#acks, :empty), :ack)',
        names: ['acks'],
        values: { ':empty': { L: [] }, ':ack': { L: [ackAttribute(stored)] } },
        returnNew: true,
      },
      `acknowledging the drift event ${ref.id}`,
    );
    if (!item) throw await this.whyNotMarked(key, ref.id, 'acknowledged');
    return parseDriftEventItem(item);
  }

  /**
   * Sets `reverted = {by, at, revertEventId}` on each event a revert undid, once: an event already
   * marked keeps its first mark (so a replay is harmless), and an event gone is reported, not thrown.
   */
  async markEventsReverted(refs: readonly DriftEventRef[], mark: EventRevertedMark): Promise<RevertMarks> {
    const stored: EventRevertedMark = {
      by: checkBy(mark.by),
      at: toIso(mark.at, 'at'),
      revertEventId: mark.revertEventId,
    };
    const result: RevertMarks = { marked: [], alreadyMarked: [], missing: [] };
    const unique = [...new Map(refs.map((ref) => [ref.id, ref])).values()];
    for (const ref of unique) {
      const key = eventItemKey(ref);
      const item = await this.updateDriftEvent(
        key,
        {
          update: 'SET #reverted = :mark',
          condition: 'attribute_not_exists(#reverted)',
          names: ['reverted'],
          values: { ':mark': revertedAttribute(stored) },
        },
        `marking the drift event ${ref.id} reverted`,
      );
      if (item) {
        result.marked.push(ref.id);
        continue;
      }
      const current = await this.table.get(key, `reading the drift event ${ref.id}`, [
        ...CONDITION_NAMES,
        'reverted',
      ]);
      if (current === undefined) result.missing.push(ref.id);
      else if (current.reverted !== undefined && readStr(current, 'kind') === undefined) {
        result.alreadyMarked.push(ref.id);
      } else throw await this.whyNotMarked(key, ref.id, 'marked reverted');
    }
    return result;
  }

  /** A conditional UpdateItem of a drift event item: its new image, or `undefined` if the condition failed. */
  private async updateDriftEvent(
    key: ItemKey,
    change: {
      readonly update: string;
      readonly condition?: string;
      readonly names: readonly string[];
      readonly values: Record<string, AttributeValue>;
      /** Return the item as updated (else an empty item). */
      readonly returnNew?: boolean;
    },
    doing: string,
  ): Promise<Item | undefined> {
    try {
      const response = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { PK: str(key.PK), SK: str(key.SK) },
          UpdateExpression: change.update,
          ConditionExpression: [DRIFT_EVENT_CONDITION, change.condition].filter(Boolean).join(' AND '),
          ExpressionAttributeNames: namesOf([...CONDITION_NAMES, ...change.names]),
          ExpressionAttributeValues: { ':drift': str('DRIFT'), ...change.values },
          ReturnValues: change.returnNew ? 'ALL_NEW' : 'NONE',
        }),
      );
      return response.Attributes ?? {};
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw toStoreError(error, this.tableName, doing);
    }
  }

  /** Why an update's condition failed: no such item, a posture summary, or not a drift event. */
  private async whyNotMarked(key: ItemKey, eventId: string, what: string): Promise<StoreError> {
    const item = await this.table.get(key, `reading the drift event ${eventId}`, CONDITION_NAMES);
    const where = describeItemKey(key);
    if (!item) {
      return new StoreError(`There is no drift event ${eventId} (${where}): it may have expired.`, {
        itemKey: key,
      });
    }
    if (readStr(item, 'kind') === POSTURE_SUMMARY_KIND) {
      return new StoreError(
        `The event ${eventId} (${where}) is a posture summary, not a drift event: it cannot be ${what}.`,
        { itemKey: key },
      );
    }
    return new StoreError(`The item ${where} is not a drift event: it cannot be ${what}.`, { itemKey: key });
  }
}
