import type { ScopeRef } from './scope-registry';
import { listScopes, registerScope } from './scope-registry';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StageKey, StageSnapshot } from '../model';
import { apiTagsHash, formatStageKey } from '../model';
import { num, readBool, readStr, str } from './attributes';
import { driftEventItem } from './drift-event';
import { eventIdFor } from './event-id';
import { driftSk, partSk, scopePk, stagePk, versionSk as versionSkOf } from './keys';
import type { PostureSummaryRecord } from './posture-summary-event';
import { postureSummaryItem } from './posture-summary-event';
import { runItem } from './run-items';
import { DynamoSnapshotHistory } from './dynamo-snapshot-history';
import type {
  EventListing,
  EventPage,
  EventPageQuery,
  EventQuery,
  LatestEntry,
  RunListing,
  RunRecord,
  SnapshotHistory,
  SnapshotStore,
  StageWrite,
  StageWriteResult,
  VersionAt,
  VersionEntry,
} from './snapshot-store';
import {
  LATEST_ATTRIBUTES,
  decodeSnapshot,
  latestItem,
  latestItemKey,
  parseLatestItem,
  tombstoneItem,
  versionItems,
} from './stage-items';
import type { ItemKey } from './errors';
import { StoreError, describeItemKey } from './errors';
import type { DynamoSnapshotStoreOptions } from './store-options';
import { resolveStoreOptions } from './store-options';
import { TableAccess, itemKeyString, namesOf, projectionOf } from './table-access';
import { findNewestVersion } from './version-lookup';

/**
 * The snapshot store of the scan on one DynamoDB table (layout in README.md).
 *
 * Crash-safe without transactions: per changed stage it writes the drift event (conditional,
 * deterministic id), then the version, then the latest pointer (conditional on the previous
 * version), so a rerun after a failure at any step completes the change with exactly one event.
 *
 * It also answers the history reads (delegated to {@link DynamoSnapshotHistory}, which the
 * read-only CLI commands can use on their own).
 */
export class DynamoSnapshotStore implements SnapshotStore, SnapshotHistory {
  private readonly table: TableAccess;
  private readonly history: DynamoSnapshotHistory;
  private readonly retentionSeconds: number;
  private readonly now: () => number;
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(client: DynamoDBClient, options: DynamoSnapshotStoreOptions) {
    const resolved = resolveStoreOptions(options);
    this.client = client;
    this.tableName = resolved.tableName;
    this.table = new TableAccess(client, resolved.tableName, resolved.sleep);
    this.history = new DynamoSnapshotHistory(client, options);
    this.retentionSeconds = resolved.retentionSeconds;
    this.now = resolved.now;
  }

  /** One paged, eventually consistent Query of the scope's small latest items. */
  async listLatest(account: string, region: string): Promise<LatestEntry[]> {
    const items = await this.table.queryAll(
      {
        KeyConditionExpression: '#PK = :pk',
        ProjectionExpression: projectionOf(LATEST_ATTRIBUTES),
        ExpressionAttributeNames: namesOf(['PK', ...LATEST_ATTRIBUTES]),
        ExpressionAttributeValues: { ':pk': str(scopePk(account, region)) },
      },
      `listing the latest items of ${account}/${region}`,
    );
    return items.map((item) => parseLatestItem(account, region, item));
  }

  async getSnapshots(entries: readonly LatestEntry[]): Promise<Map<string, StageSnapshot>> {
    const keysOf = (entry: LatestEntry): ItemKey[] => {
      const pk = stagePk(entry.key);
      const parts = Array.from({ length: entry.versionParts ?? 0 }, (_, index) =>
        partSk(entry.versionSk, index),
      );
      return [entry.versionSk, ...parts].map((sk) => ({ PK: pk, SK: sk }));
    };
    const found = await this.table.batchGet(entries.flatMap(keysOf), 'reading previous snapshots');
    const snapshots = new Map<string, StageSnapshot>();
    for (const entry of entries) {
      const [headKey, ...partKeys] = keysOf(entry) as [ItemKey, ...ItemKey[]];
      const head = found.get(itemKeyString(headKey));
      if (!head) {
        throw new StoreError(
          `The version item ${describeItemKey(headKey)} that the latest item of ${formatStageKey(entry.key)} ` +
            `points at is missing. Delete the latest item (${describeItemKey(latestItemKey(entry.key))}) so the ` +
            `next scan records the stage again as CREATED.`,
          { itemKey: headKey },
        );
      }
      const parts = partKeys.map((key) => found.get(itemKeyString(key)));
      snapshots.set(formatStageKey(entry.key), decodeSnapshot(entry.key, head, parts, entry.hash));
    }
    return snapshots;
  }

  async writeStage(write: StageWrite): Promise<StageWriteResult> {
    const { key, previous, next, drift, capturedAt } = write;
    const stage = this.checkWrite(write);
    const pk = stagePk(key);

    // 1. The drift event, once: a replay finds it and reuses its detectedAt.
    let eventId: string | undefined;
    let detectedAt = capturedAt;
    let replayed = false;
    if (drift) {
      const tombstone = previous ? undefined : await this.findNewestTombstone(key);
      eventId = eventIdFor(key, previous, next?.hash, tombstone);
      const created = await this.table.putIf(
        driftEventItem(drift, eventId, capturedAt, this.expiry(), write.annotations),
        { expression: 'attribute_not_exists(#PK)', names: namesOf(['PK']) },
        `recording the drift event of ${stage}`,
      );
      if (!created) {
        replayed = true;
        detectedAt = await this.readDetectedAt(pk, eventId, stage);
      }
    }
    const sk = versionSkOf(detectedAt);

    // 2. The version (a plain put: a replay writes the same key again), or a tombstone.
    let parts = 0;
    if (next) {
      const version = versionItems(next, sk, previous?.hash);
      parts = version.parts;
      for (const item of version.items) await this.table.put(item, `storing the version of ${stage}`);
    } else {
      const tombstone = tombstoneItem(key, sk, previous?.hash, this.expiry());
      await this.table.put(tombstone, `storing the tombstone of ${stage}`);
    }

    // 3. The latest pointer, last, only if nobody moved it since it was listed.
    const moved = await this.moveLatest(write, detectedAt, sk, parts);
    if (!moved) {
      const current = await this.getLatest(key);
      const ours = next ? current?.hash === next.hash && current.versionSk === sk : current === undefined;
      if (!ours) {
        if (next && current?.versionSk !== sk) await this.tryRetire(pk, sk, parts);
        return { outcome: 'superseded', ...(eventId === undefined ? {} : { eventId }) };
      }
    }

    // 4. Housekeeping: the version just replaced now expires with the retention period.
    const warning =
      previous && previous.versionSk !== sk
        ? await this.tryRetire(pk, previous.versionSk, previous.versionParts ?? 0)
        : undefined;
    return {
      outcome: replayed ? 'replayed' : 'recorded',
      ...(eventId === undefined ? {} : { eventId }),
      ...(warning === undefined ? {} : { warning }),
    };
  }

  writePostureSummary(record: PostureSummaryRecord): Promise<boolean> {
    return this.table.putIf(
      postureSummaryItem(record, this.expiry()),
      { expression: 'attribute_not_exists(#PK)', names: namesOf(['PK']) },
      `recording the posture summary of ${record.account}/${record.region}`,
    );
  }

  registerScope(scope: ScopeRef): Promise<void> {
    return registerScope(this.client, this.tableName, scope);
  }

  listScopes(): Promise<ScopeRef[]> {
    return listScopes(this.client, this.tableName);
  }

  async writeRun(run: RunRecord<object>): Promise<void> {
    await this.table.put(runItem(run, this.expiry()), `recording the run of ${run.account}/${run.region}`);
  }

  listEvents(query?: EventQuery): Promise<EventListing> {
    return this.history.listEvents(query);
  }

  listEventsOldestFirst(query: EventPageQuery): Promise<EventPage> {
    return this.history.listEventsOldestFirst(query);
  }

  listStageEvents(key: StageKey): Promise<EventListing> {
    return this.history.listStageEvents(key);
  }

  listVersions(key: StageKey): Promise<VersionEntry[]> {
    return this.history.listVersions(key);
  }

  getVersionAt(key: StageKey, atIso: string): Promise<VersionAt | undefined> {
    return this.history.getVersionAt(key, atIso);
  }

  listRuns(account: string, region: string, limit?: number): Promise<RunListing> {
    return this.history.listRuns(account, region, limit);
  }

  /** Epoch seconds at which an item written now expires. */
  private expiry(): number {
    return Math.floor(this.now() / 1000) + this.retentionSeconds;
  }

  /** The stage id, after checking that the parts of the write agree with each other. */
  private checkWrite({ key, previous, next, drift }: StageWrite): string {
    const stage = formatStageKey(key);
    const parts = { previous: previous?.key, next: next?.key, drift: drift?.key };
    for (const [what, other] of Object.entries(parts)) {
      if (other && formatStageKey(other) !== stage) {
        throw new StoreError(`writeStage(${stage}): ${what} belongs to ${formatStageKey(other)}.`);
      }
    }
    if (!next && !previous) {
      throw new StoreError(
        `writeStage(${stage}): a deletion needs the previous latest entry (from listLatest).`,
      );
    }
    return stage;
  }

  /** Puts (or, for a deletion, deletes) the latest item if it is still at `previous`. */
  private moveLatest(write: StageWrite, detectedAt: string, sk: string, parts: number): Promise<boolean> {
    const { key, previous, next, drift } = write;
    const doing = `moving the latest item of ${formatStageKey(key)}`;
    const stillPrevious = previous && {
      expression: '#hash = :prevHash AND #versionSk = :prevSk',
      names: namesOf(['hash', 'versionSk']),
      values: { ':prevHash': str(previous.hash), ':prevSk': str(previous.versionSk) },
    };
    if (!next)
      return stillPrevious
        ? this.table.deleteIf(latestItemKey(key), stillPrevious, doing)
        : Promise.resolve(false);
    const last = drift
      ? { lastChange: drift.change, lastSeverity: drift.severity, lastDriftAt: detectedAt }
      : {
          ...(previous?.lastChange === undefined ? {} : { lastChange: previous.lastChange }),
          ...(previous?.lastSeverity === undefined ? {} : { lastSeverity: previous.lastSeverity }),
          ...(previous?.lastDriftAt === undefined ? {} : { lastDriftAt: previous.lastDriftAt }),
        };
    const tagsHash = apiTagsHash(next);
    const entry: LatestEntry = {
      key,
      hash: next.hash,
      capturedAt: detectedAt,
      versionSk: sk,
      apiName: next.apiName,
      ...(next.volatile.createdDate === undefined ? {} : { createdDate: next.volatile.createdDate }),
      ...(tagsHash === undefined ? {} : { apiTagsHash: tagsHash }),
      ...last,
      ...(parts > 0 ? { versionParts: parts } : {}),
    };
    const condition = stillPrevious ?? { expression: 'attribute_not_exists(#PK)', names: namesOf(['PK']) };
    return this.table.putIf(latestItem(entry), condition, doing);
  }

  /** The latest item of one stage, strongly consistent (one GetItem). */
  async getLatest(key: StageKey): Promise<LatestEntry | undefined> {
    const item = await this.table.get(
      latestItemKey(key),
      `reading the latest item of ${formatStageKey(key)}`,
    );
    return item ? parseLatestItem(key.account, key.region, item) : undefined;
  }

  private async readDetectedAt(pk: string, eventId: string, stage: string): Promise<string> {
    const itemKey = { PK: pk, SK: driftSk(eventId) };
    const item = await this.table.get(itemKey, `reading the drift event ${eventId} of ${stage}`, [
      'detectedAt',
    ]);
    const detectedAt = item ? readStr(item, 'detectedAt') : undefined;
    if (detectedAt === undefined) {
      throw new StoreError(
        `The drift event ${describeItemKey(itemKey)} exists but has no detectedAt: delete it and rerun the scan.`,
        { itemKey },
      );
    }
    return detectedAt;
  }

  /**
   * Sets the TTL of a version that is no longer current (and of its parts). Best effort: a
   * failure leaves the version without expiry and comes back as a warning.
   */
  private async tryRetire(pk: string, sk: string, parts: number): Promise<string | undefined> {
    const ttl = num(this.expiry());
    const keys = [sk, ...Array.from({ length: parts }, (_, index) => partSk(sk, index))];
    try {
      for (const itemSk of keys) {
        await this.table.setIfExists(
          { PK: pk, SK: itemSk },
          'ttl',
          ttl,
          `expiring the version ${sk} of ${pk}`,
        );
      }
      return undefined;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return `could not set the TTL of the superseded version PK="${pk}" SK="${sk}" (it will not expire): ${detail}`;
    }
  }

  /** The sort key of the newest tombstone of a stage, if it was ever deleted. */
  private async findNewestTombstone(key: StageKey): Promise<string | undefined> {
    const tombstone = await findNewestVersion(
      this.table,
      stagePk(key),
      { accept: (item) => readBool(item, 'deleted') === true },
      `looking for an earlier deletion of ${formatStageKey(key)}`,
    );
    return tombstone ? readStr(tombstone, 'SK') : undefined;
  }
}
