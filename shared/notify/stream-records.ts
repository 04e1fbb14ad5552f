import type { Item } from '../store';
import { API_TYPES, isJsonObject, isSeverity } from '../model';
import type { AlertEventRecord, DriftEventRecord } from '../store';
import { isPostureSummary, parseAlertEventItem } from '../store';
import type { PublishDeps, PublishResult } from './publish-events';
import { publishEvents } from './publish-events';
import { describeError } from './redact';

/**
 * The part of a DynamoDB stream record (as Lambda delivers it) that the publisher reads. A
 * structural type, so `shared/` needs no Lambda types.
 */
export interface StreamRecordLike {
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly SequenceNumber?: string;
    readonly Keys?: Readonly<Record<string, unknown>>;
    readonly NewImage?: Readonly<Record<string, unknown>>;
  };
}

/** A record that claims to be a drift event but cannot be read. */
export interface MalformedRecord {
  readonly sequenceNumber?: string;
  readonly key: { readonly PK: string; readonly SK: string };
  readonly error: string;
}

export interface ParsedStreamBatch {
  /** Drift events and posture summaries (`itemType = DRIFT`, `kind = POSTURE_SUMMARY`). */
  readonly events: readonly { readonly sequenceNumber?: string; readonly event: AlertEventRecord }[];
  readonly malformed: readonly MalformedRecord[];
  /** Records that are not drift-event inserts (the event-source filter should keep them out). */
  readonly ignored: number;
}

const CHANGE_KINDS = ['CREATED', 'DELETED', 'MODIFIED', 'RECREATED'];

/** What the renderers rely on beyond `parseDriftEventItem`'s checks; undefined when all is there. */
export const driftEventProblem = (event: DriftEventRecord): string | undefined => {
  const e = event as unknown as Record<string, unknown>;
  const api = e.api as Record<string, unknown>;
  for (const field of ['id', 'detectedAt', 'account', 'region', 'stageName', 'rule'] as const) {
    if (typeof e[field] !== 'string' || e[field] === '') return `${field} is missing`;
  }
  if (typeof api.id !== 'string' || api.id === '') return 'api.id is missing';
  if (typeof api.name !== 'string') return 'api.name is missing';
  if (!(API_TYPES as readonly unknown[]).includes(api.type)) return 'api.type is not REST, HTTP or WEBSOCKET';
  if (!CHANGE_KINDS.includes(e.change as string))
    return 'change is not CREATED, DELETED, MODIFIED or RECREATED';
  const bad = event.changes.findIndex(
    (c: unknown) =>
      !isJsonObject(c) ||
      !Array.isArray(c.path) ||
      typeof c.label !== 'string' ||
      typeof c.kind !== 'string' ||
      typeof c.rule !== 'string' ||
      !isSeverity(c.severity),
  );
  return bad >= 0 ? `changes[${bad}] is not a change` : undefined;
};

const keyOf = (record: StreamRecordLike): { PK: string; SK: string } => {
  const source = (record.dynamodb?.Keys ?? record.dynamodb?.NewImage ?? {}) as Record<
    string,
    { S?: unknown }
  >;
  const text = (name: string) => (typeof source[name]?.S === 'string' ? source[name].S : '?');
  return { PK: text('PK'), SK: text('SK') };
};

/**
 * Drift events out of a stream batch. A record whose new image is a drift item but cannot be read
 * is returned in `malformed` (with its key and sequence number), never thrown.
 */
export const parseDriftStreamRecords = (records: readonly StreamRecordLike[]): ParsedStreamBatch => {
  const events: { sequenceNumber?: string; event: AlertEventRecord }[] = [];
  const malformed: MalformedRecord[] = [];
  let ignored = 0;
  for (const record of records) {
    const image = record.dynamodb?.NewImage as Item | undefined;
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    const at = sequenceNumber === undefined ? {} : { sequenceNumber };
    if (record.eventName !== 'INSERT' || image?.itemType?.S !== 'DRIFT') {
      ignored += 1;
      continue;
    }
    try {
      const event = parseAlertEventItem(image);
      if (!isPostureSummary(event)) {
        const problem = driftEventProblem(event);
        if (problem) throw new Error(`The drift event is incomplete: ${problem}.`);
      }
      events.push({ ...at, event });
    } catch (error) {
      malformed.push({ ...at, key: keyOf(record), error: describeError(error) });
    }
  }
  return { events, malformed, ignored };
};

export interface StreamPublishResult extends PublishResult {
  /** For `ReportBatchItemFailures`: malformed records and events that failed retryably. */
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
  readonly malformed: readonly MalformedRecord[];
  readonly ignored: number;
}

/**
 * A DynamoDB stream batch through the publish use case. Retryable failures and malformed
 * records come back as batch item failures (the event source retries them, bounded, then sends
 * them to its on-failure destination); permanent delivery failures do not (they went to the
 * failure queue: retrying would fail the same way forever).
 */
export const publishStreamRecords = async (
  deps: PublishDeps,
  records: readonly StreamRecordLike[],
): Promise<StreamPublishResult> => {
  const parsed = parseDriftStreamRecords(records);
  const result = await publishEvents(
    deps,
    parsed.events.map((e) => e.event),
  );
  const retry = new Set(result.outcomes.filter((o) => o.status === 'failed-retryable').map((o) => o.eventId));
  const failing = new Set<string>();
  for (const m of parsed.malformed) if (m.sequenceNumber !== undefined) failing.add(m.sequenceNumber);
  for (const { sequenceNumber, event } of parsed.events) {
    if (sequenceNumber !== undefined && retry.has(event.id)) failing.add(sequenceNumber);
  }
  // In stream order; Lambda restarts the shard from the lowest one.
  const ordered = records
    .map((r) => r.dynamodb?.SequenceNumber)
    .filter((s): s is string => s !== undefined && failing.delete(s));
  return {
    ...result,
    batchItemFailures: ordered.map((itemIdentifier) => ({ itemIdentifier })),
    malformed: parsed.malformed,
    ignored: parsed.ignored,
  };
};
