import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { StageKey } from '../model';
import { formatStageKey } from '../model';
import { compareText } from '../runtime';
import type { Item } from './attributes';
import { readNum, readStr, str } from './attributes';
import type { AlertEventRecord } from './drift-event';
import { parseAlertEventItem, parseDriftEventItem } from './drift-event';
import { isPostureSummaryItem } from './posture-summary-event';
import {
  DRIFT_PREFIX,
  VERSION_PREFIX,
  driftMonthPk,
  isPartSk,
  partSk,
  runPk,
  stagePk,
  versionSk,
} from './keys';
import { parseRunItem } from './run-items';
import type {
  EventListing,
  EventPage,
  EventPageQuery,
  EventQuery,
  RunListing,
  RunRecord,
  SnapshotHistory,
  StoreProblem,
  VersionAt,
  VersionEntry,
} from './snapshot-store';
import { decodeSnapshot, versionEntryOf } from './stage-items';
import { StoreError } from './errors';
import type { DynamoSnapshotStoreOptions } from './store-options';
import { resolveStoreOptions } from './store-options';
import type { QueryInput } from './table-access';
import { TableAccess, itemKeyString, namesOf, projectionOf } from './table-access';
import { GSI1_NAME } from './table-definition';
import { VERSION_METADATA, findNewestVersion } from './version-lookup';

const toIso = (value: string, option: string): string => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw new StoreError(`${option} "${value}" is not a date: use ISO-8601, e.g. 2024-05-01T00:00:00Z.`);
  }
  return new Date(time).toISOString();
};

/** `yyyy-mm` of every month from `untilIso` back to `sinceIso`, newest first. */
export const monthsBetween = (sinceIso: string, untilIso: string): string[] => {
  const months: string[] = [];
  const first = sinceIso.slice(0, 7);
  let year = Number(untilIso.slice(0, 4));
  let month = Number(untilIso.slice(5, 7));
  for (let label = untilIso.slice(0, 7); label >= first;) {
    months.push(label);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
    label = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  }
  return months;
};

/** The GSI1 query of the drift events of one month partition from `from` to `until` (inclusive). */
const monthOfEvents = (
  month: string,
  from: string,
  until: string,
  order: 'newest first' | 'oldest first',
): QueryInput => ({
  IndexName: GSI1_NAME,
  KeyConditionExpression: '#GSI1PK = :month AND #GSI1SK BETWEEN :from AND :until',
  ExpressionAttributeNames: namesOf(['GSI1PK', 'GSI1SK']),
  ExpressionAttributeValues: {
    ':month': str(driftMonthPk(month)),
    ':from': str(from),
    // GSI1SK is `<detectedAt>#<eventId>`: `~` sorts after every hex digit.
    ':until': str(`${until}#~`),
  },
  ScanIndexForward: order === 'oldest first',
});

const newestFirst = (a: { readonly detectedAt: string }, b: { readonly detectedAt: string }): number =>
  compareText(b.detectedAt, a.detectedAt);

/**
 * Reads of the history for the query CLI: drift events by time (GSI1) or by stage, the versions
 * of a stage, the version in effect at a time, run records. An item that cannot be read is
 * returned as a problem naming its key; the rest of the listing is still returned.
 */
export class DynamoSnapshotHistory implements SnapshotHistory {
  private readonly table: TableAccess;
  private readonly retentionSeconds: number;
  private readonly now: () => number;

  constructor(client: DynamoDBClient, options: DynamoSnapshotStoreOptions) {
    const resolved = resolveStoreOptions(options);
    this.table = new TableAccess(client, resolved.tableName, resolved.sleep);
    this.retentionSeconds = resolved.retentionSeconds;
    this.now = resolved.now;
  }

  async listEvents(query: EventQuery = {}): Promise<EventListing> {
    const now = this.now();
    const until = query.until === undefined ? new Date(now).toISOString() : toIso(query.until, 'until');
    const since =
      query.since === undefined
        ? new Date(now - this.retentionSeconds * 1000).toISOString()
        : toIso(query.since, 'since');
    const { limit } = query;
    if (limit !== undefined && (!Number.isInteger(limit) || limit <= 0)) {
      throw new StoreError(`limit must be a positive whole number (got ${limit}).`);
    }
    const listing: EventListing = { events: [], problems: [] };
    if (since > until) return listing;
    for (const month of monthsBetween(since, until)) {
      const remaining =
        limit === undefined ? undefined : limit - listing.events.length - listing.problems.length;
      if (remaining !== undefined && remaining <= 0) break;
      const items = await this.table.queryAll(
        monthOfEvents(month, since, until, 'newest first'),
        `listing the drift events of ${month}`,
        remaining,
      );
      collectEvents(items, listing);
    }
    return listing;
  }

  async listEventsOldestFirst(query: EventPageQuery): Promise<EventPage> {
    const since = toIso(query.since, 'since');
    const until = toIso(query.until, 'until');
    const { after, limit } = query;
    if (!Number.isInteger(limit) || limit <= 0) {
      throw new StoreError(`limit must be a positive whole number (got ${limit}).`);
    }
    const page: { events: AlertEventRecord[]; problems: StoreProblem[] } = { events: [], problems: [] };
    // GSI1SK is `<detectedAt>#<eventId>`: the cursor is the last one read, and it sorts in time.
    const from = after !== undefined && after > since ? after : since;
    if (from > `${until}#~`) return page;
    for (const month of monthsBetween(from, until).reverse()) {
      let startKey: Item | undefined;
      do {
        const response = await this.table.queryPage(
          monthOfEvents(month, from, until, 'oldest first'),
          `listing the drift events of ${month}, oldest first`,
          startKey,
          // One more than is left: the cursor's own item comes back first (BETWEEN is inclusive).
          limit - page.events.length - page.problems.length + 1,
        );
        for (const item of response.Items ?? []) {
          const sk = readStr(item, 'GSI1SK') ?? '';
          if (after !== undefined && sk <= after) continue;
          collectAlertEvents([item], page);
          if (page.events.length + page.problems.length >= limit) return { ...page, next: sk };
        }
        startKey = response.LastEvaluatedKey;
      } while (startKey);
    }
    return page;
  }

  async listStageEvents(key: StageKey): Promise<EventListing> {
    const items = await this.table.queryAll(
      {
        KeyConditionExpression: '#PK = :pk AND begins_with(#SK, :prefix)',
        ExpressionAttributeNames: namesOf(['PK', 'SK']),
        ExpressionAttributeValues: { ':pk': str(stagePk(key)), ':prefix': str(DRIFT_PREFIX) },
      },
      `listing the drift events of ${formatStageKey(key)}`,
    );
    const listing: EventListing = { events: [], problems: [] };
    collectEvents(items, listing);
    listing.events.sort(newestFirst);
    return listing;
  }

  async listVersions(key: StageKey): Promise<VersionEntry[]> {
    const items = await this.table.queryAll(
      {
        KeyConditionExpression: '#PK = :pk AND begins_with(#SK, :prefix)',
        ProjectionExpression: projectionOf(VERSION_METADATA),
        ExpressionAttributeNames: namesOf(['PK', ...VERSION_METADATA]),
        ExpressionAttributeValues: { ':pk': str(stagePk(key)), ':prefix': str(VERSION_PREFIX) },
        ScanIndexForward: false,
      },
      `listing the versions of ${formatStageKey(key)}`,
    );
    return items
      .filter((item) => !isPartSk(readStr(item, 'SK') ?? ''))
      .map((item) => versionEntryOf(key, item));
  }

  async getVersionAt(key: StageKey, atIso: string): Promise<VersionAt | undefined> {
    const at = toIso(atIso, 'at');
    const pk = stagePk(key);
    const doing = `reading the version of ${formatStageKey(key)} at ${at}`;
    const head = await findNewestVersion(this.table, pk, { upTo: versionSk(at) }, doing);
    if (!head) return undefined;
    const entry = versionEntryOf(key, head);
    if (entry.deleted) return entry;
    const partCount = readNum(head, 'parts') ?? 0;
    const partKeys = Array.from({ length: partCount }, (_, index) => ({
      PK: pk,
      SK: partSk(entry.versionSk, index),
    }));
    const headKey = { PK: pk, SK: entry.versionSk };
    const found = await this.table.batchGet([headKey, ...partKeys], doing);
    const full = found.get(itemKeyString(headKey));
    if (!full) return undefined;
    const parts = partKeys.map((partKey) => found.get(itemKeyString(partKey)));
    return { ...versionEntryOf(key, full), snapshot: decodeSnapshot(key, full, parts) };
  }

  async listRuns(account: string, region: string, limit?: number): Promise<RunListing> {
    const items = await this.table.queryAll(
      {
        KeyConditionExpression: '#PK = :pk',
        ExpressionAttributeNames: namesOf(['PK']),
        ExpressionAttributeValues: { ':pk': str(runPk(account, region)) },
        ScanIndexForward: false,
      },
      `listing the runs of ${account}/${region}`,
      limit,
    );
    const runs: RunRecord[] = [];
    const problems: StoreProblem[] = [];
    for (const item of items) {
      try {
        runs.push(parseRunItem(account, region, item));
      } catch (error) {
        problems.push(problemOf(error));
      }
    }
    return { runs, problems };
  }
}

const problemOf = (error: unknown): StoreProblem => {
  if (error instanceof StoreError && error.itemKey) return { itemKey: error.itemKey, message: error.message };
  throw error;
};

/** The drift events of `items`; posture summaries (the outbox's, not a stage's) are left out. */
const collectEvents = (items: readonly Item[], listing: EventListing): void => {
  for (const item of items) {
    if (isPostureSummaryItem(item)) continue;
    try {
      listing.events.push(parseDriftEventItem(item));
    } catch (error) {
      listing.problems.push(problemOf(error));
    }
  }
};

/** Drift events and posture summaries, as the outbox sends them. */
const collectAlertEvents = (
  items: readonly Item[],
  page: { events: AlertEventRecord[]; problems: StoreProblem[] },
): void => {
  for (const item of items) {
    try {
      page.events.push(parseAlertEventItem(item));
    } catch (error) {
      page.problems.push(problemOf(error));
    }
  }
};
