import type { DriftAttribution } from '../attribution';
import type { ApiType, Change, Severity, StageChangeKind, StageDrift } from '../model';
import { canonicalJson, isJsonObject, isSeverity } from '../model';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from './attributes';
import { bin, num, readBin, readStr, str } from './attributes';
import { INLINE_MAX_BYTES, gunzipText, gzipIfFits } from './body-codec';
import { driftGsiSk, driftMonthPk, driftSk, stagePk } from './keys';
import { StoreError, describeItemKey } from './errors';
import type { PostureSummaryRecord } from './posture-summary-event';
import { POSTURE_SUMMARY_KIND, checkPostureSummary, isPostureSummaryItem } from './posture-summary-event';

/**
 * A drift event as stored, streamed to the publisher and printed by the CLI: the stage drift
 * with its deterministic id, the time it was detected and the API it belongs to.
 */
export interface DriftEventRecord {
  readonly id: string;
  /** ISO-8601: the capture time of the scan that first saw the change. */
  readonly detectedAt: string;
  readonly account: string;
  readonly region: string;
  readonly api: { readonly id: string; readonly name: string; readonly type: ApiType };
  readonly stageName: string;
  readonly change: StageChangeKind;
  readonly severity: Severity;
  readonly rule: string;
  readonly changes: readonly Change[];
  readonly beforeHash?: string;
  readonly afterHash?: string;
  /**
   * Set when the change list was too large for one item even compressed: the first changes
   * (most severe first, as the diff sorts them) are kept and this many were left out. The two
   * versions in the history still hold the full detail.
   */
  readonly changesOmitted?: number;
  /**
   * Who made the change and through what (from CloudTrail), or why that is not known. Absent
   * when the scan looked nothing up (attribution not configured).
   */
  readonly attribution?: DriftAttribution;
  /**
   * Set when out-of-band mode `downgrade` lowered `severity` to INFO because the change came
   * through infrastructure as code: the severity the diff gave it.
   */
  readonly originalSeverity?: Severity;
  /**
   * The posture controls this change moved (`APIGateway.1` FAILED → PASSED), in control-table
   * order. Absent when the change moved none (and on events stored before posture existed).
   */
  readonly controls?: readonly ControlTransitionRecord[];
  /** Set on the event a `stage-drift revert` recorded: who put the stage back, from and to which version. */
  readonly revert?: DriftRevert;
  /**
   * Acknowledgements, oldest first (`stage-drift ack`): attributes of the event item beside its
   * body, appended by an UpdateItem (`event-status.ts`). Absent when nobody acknowledged it.
   */
  readonly acks?: readonly EventAck[];
  /** Set once a revert undid this change (`markEventsReverted`, `event-status.ts`). */
  readonly reverted?: EventRevertedMark;
}

/** What a revert records in its own event (like attribution, in the event JSON). */
export interface DriftRevert {
  /** Who ran the revert (the caller's ARN, or `--by`). */
  readonly by: string;
  /** The version the stage was at before the revert, and the one it was put back to. */
  readonly fromVersion: string;
  readonly toVersion: string;
  /** The drift events the revert undid. */
  readonly revertedEventIds: readonly string[];
}

/** One acknowledgement of a drift event: who, when (ISO-8601), and an optional note. */
export interface EventAck {
  readonly by: string;
  readonly at: string;
  readonly note?: string;
}

/** The mark of a drift event a revert undid: who, when, and the revert's own event id. */
export interface EventRevertedMark {
  readonly by: string;
  readonly at: string;
  readonly revertEventId: string;
}

/** Where a drift event stands: reverted wins over acknowledged, which wins over open. */
export const EVENT_STATUSES = ['open', 'acknowledged', 'reverted'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const eventStatusOf = (record: DriftEventRecord): EventStatus =>
  record.reverted ? 'reverted' : record.acks && record.acks.length > 0 ? 'acknowledged' : 'open';

/** A control whose status changed with the drift (`shared/posture`'s `ControlTransition`, as stored). */
export interface ControlTransitionRecord {
  readonly id: string;
  readonly from: 'PASSED' | 'FAILED' | 'NOT_APPLICABLE';
  readonly to: 'PASSED' | 'FAILED' | 'NOT_APPLICABLE';
}

/** What the stream, the outbox and the channels carry: a drift event or a posture summary. */
export type AlertEventRecord = DriftEventRecord | PostureSummaryRecord;

export const isPostureSummary = (event: AlertEventRecord): event is PostureSummaryRecord =>
  (event as { readonly kind?: unknown }).kind === POSTURE_SUMMARY_KIND;

/** The drift events among `events` (a posture summary is no stage's event). */
export const driftEventsOf = (events: readonly AlertEventRecord[]): DriftEventRecord[] =>
  events.filter((e): e is DriftEventRecord => !isPostureSummary(e));

/** What a scan adds to a drift when it records the event. */
export interface DriftAnnotations {
  readonly attribution?: DriftAttribution;
  readonly originalSeverity?: Severity;
  readonly controls?: readonly ControlTransitionRecord[];
  readonly revert?: DriftRevert;
}

export const toDriftEventRecord = (
  drift: StageDrift,
  id: string,
  detectedAt: string,
  annotations: DriftAnnotations = {},
): DriftEventRecord => ({
  id,
  detectedAt,
  account: drift.key.account,
  region: drift.key.region,
  api: { id: drift.key.apiId, name: drift.apiName, type: drift.key.apiType },
  stageName: drift.key.stageName,
  change: drift.change,
  severity: drift.severity,
  rule: drift.rule,
  changes: drift.changes,
  ...(drift.beforeHash === undefined ? {} : { beforeHash: drift.beforeHash }),
  ...(drift.afterHash === undefined ? {} : { afterHash: drift.afterHash }),
  ...(annotations.attribution === undefined ? {} : { attribution: annotations.attribution }),
  ...(annotations.originalSeverity === undefined ? {} : { originalSeverity: annotations.originalSeverity }),
  ...(annotations.controls === undefined || annotations.controls.length === 0
    ? {}
    : { controls: annotations.controls }),
  ...(annotations.revert === undefined ? {} : { revert: annotations.revert }),
});

/** The body attribute: `event` (JSON) when small, `eventGz` (gzip) when large, truncated if must. */
const encodeEventBody = (record: DriftEventRecord): Item => {
  const json = canonicalJson(record);
  if (Buffer.byteLength(json, 'utf8') <= INLINE_MAX_BYTES) return { event: str(json) };
  const gz = gzipIfFits(json);
  if (gz) return { eventGz: bin(gz) };
  // Keep as many leading changes as fit: binary search on the count.
  let low = 0;
  let high = record.changes.length;
  let best: Uint8Array | undefined;
  while (low <= high) {
    const keep = Math.floor((low + high) / 2);
    const candidate = gzipIfFits(
      canonicalJson({
        ...record,
        changes: record.changes.slice(0, keep),
        changesOmitted: record.changes.length - keep,
      }),
    );
    if (candidate) {
      best = candidate;
      low = keep + 1;
    } else {
      high = keep - 1;
    }
  }
  if (!best) {
    throw new StoreError(
      `The drift event ${record.id} of ${record.api.id}/${record.stageName} does not fit in one item even without its changes.`,
    );
  }
  return { eventGz: bin(best) };
};

/** The complete drift event item (the stream filter keys on `itemType = DRIFT`). */
export const driftEventItem = (
  drift: StageDrift,
  eventId: string,
  detectedAt: string,
  ttlSeconds: number,
  annotations: DriftAnnotations = {},
): Item => {
  const record = toDriftEventRecord(drift, eventId, detectedAt, annotations);
  return {
    PK: str(stagePk(drift.key)),
    SK: str(driftSk(eventId)),
    itemType: str('DRIFT'),
    eventId: str(eventId),
    detectedAt: str(detectedAt),
    change: str(drift.change),
    severity: str(drift.severity),
    GSI1PK: str(driftMonthPk(detectedAt)),
    GSI1SK: str(driftGsiSk(detectedAt, eventId)),
    ttl: num(ttlSeconds),
    ...encodeEventBody(record),
  };
};

const isDriftEventRecord = (value: unknown): value is DriftEventRecord =>
  isJsonObject(value) &&
  typeof value.id === 'string' &&
  typeof value.detectedAt === 'string' &&
  typeof value.stageName === 'string' &&
  typeof value.change === 'string' &&
  isSeverity(value.severity) &&
  isJsonObject(value.api) &&
  Array.isArray(value.changes);

/** The JSON body of a drift-like item (`event` or `eventGz`), parsed; throws a StoreError naming the item. */
const readEventBody = (item: Item, itemKey: { PK: string; SK: string }): unknown => {
  let json: string | undefined;
  try {
    const gz = readBin(item, 'eventGz');
    json = gz ? gunzipText(gz) : readStr(item, 'event');
  } catch (error) {
    throw new StoreError(`The drift event item ${describeItemKey(itemKey)} has a corrupt eventGz body.`, {
      cause: error,
      itemKey,
    });
  }
  if (json === undefined) {
    throw new StoreError(`The drift event item ${describeItemKey(itemKey)} has no event body.`, { itemKey });
  }
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new StoreError(`The drift event item ${describeItemKey(itemKey)} holds invalid JSON.`, {
      cause: error,
      itemKey,
    });
  }
};

const itemKeyOf = (item: Item) => ({ PK: readStr(item, 'PK') ?? '?', SK: readStr(item, 'SK') ?? '?' });

/**
 * Reads a drift event item, from the SDK or from a Lambda stream record's `NewImage` (binary
 * attributes as base64). Throws a StoreError naming the item when it cannot be read (a posture
 * summary is not a drift event: `parseAlertEventItem` reads both).
 */
export const parseDriftEventItem = (item: Item): DriftEventRecord => {
  const itemKey = itemKeyOf(item);
  const value = readEventBody(item, itemKey);
  if (!isDriftEventRecord(value)) {
    throw new StoreError(`The drift event item ${describeItemKey(itemKey)} is not a drift event.`, {
      itemKey,
    });
  }
  const { acks, reverted } = readEventMarks(item, itemKey);
  return {
    ...value,
    ...(acks.length === 0 ? {} : { acks }),
    ...(reverted === undefined ? {} : { reverted }),
  };
};

/** The `acks` list attribute's element for one acknowledgement: a map `{by, at, note?}`. */
export const ackAttribute = (ack: EventAck): AttributeValue => ({
  M: { by: str(ack.by), at: str(ack.at), ...(ack.note === undefined ? {} : { note: str(ack.note) }) },
});

/** The `reverted` map attribute: `{by, at, revertEventId}`. */
export const revertedAttribute = (mark: EventRevertedMark): AttributeValue => ({
  M: { by: str(mark.by), at: str(mark.at), revertEventId: str(mark.revertEventId) },
});

/**
 * The marks beside the event body: `acks` (a list of maps) and `reverted` (a map), in the same
 * wire shape from the SDK and from a stream `NewImage`. Malformed marks name the item.
 */
const readEventMarks = (
  item: Item,
  itemKey: { PK: string; SK: string },
): { acks: EventAck[]; reverted?: EventRevertedMark } => {
  const malformed = (attribute: string) =>
    new StoreError(
      `The drift event item ${describeItemKey(itemKey)} has a malformed ${attribute} attribute: ` +
        `remove it (aws dynamodb update-item --update-expression 'REMOVE ${attribute}').`,
      { itemKey },
    );
  const acks: EventAck[] = [];
  const list = item.acks;
  if (list !== undefined) {
    if (!Array.isArray(list.L)) throw malformed('acks');
    for (const element of list.L) {
      const map = element.M;
      const by = map?.by?.S;
      const at = map?.at?.S;
      const note = map?.note?.S;
      if (by === undefined || at === undefined || (map?.note !== undefined && note === undefined)) {
        throw malformed('acks');
      }
      acks.push({ by, at, ...(note === undefined ? {} : { note }) });
    }
  }
  const mark = item.reverted;
  if (mark === undefined) return { acks };
  const by = mark.M?.by?.S;
  const at = mark.M?.at?.S;
  const revertEventId = mark.M?.revertEventId?.S;
  if (by === undefined || at === undefined || revertEventId === undefined) throw malformed('reverted');
  return { acks, reverted: { by, at, revertEventId } };
};

/** Reads a drift event or a posture summary item (`kind = POSTURE_SUMMARY`), as the stream carries both. */
export const parseAlertEventItem = (item: Item): AlertEventRecord => {
  if (!isPostureSummaryItem(item)) return parseDriftEventItem(item);
  const itemKey = itemKeyOf(item);
  return checkPostureSummary(readEventBody(item, itemKey), itemKey);
};
