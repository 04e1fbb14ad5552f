import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { StageSnapshot } from '../../shared/model';
import { formatStageKey } from '../../shared/model';
import { DynamoSnapshotHistory, DynamoSnapshotStore, StoreError } from '../../shared/store';
import type { DynaliteServer } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import {
  ACCOUNT,
  REGION,
  driftOf,
  httpKey,
  httpSnapshot,
  manualClock,
  restKey,
  restSnapshot,
} from './fixtures';

/**
 * History of two stages:
 * - REST orders/prod: baseline 2024-04-20, MODIFIED 2024-05-10, MODIFIED 2024-06-05, DELETED 2024-06-20
 * - HTTP payments/$default: CREATED 2024-05-31T23:59:59.999Z, MODIFIED 2024-06-01T00:00:00.000Z
 */
const rest = restKey();
const http = httpKey();
const restV1 = restSnapshot(rest);
const restV2 = restSnapshot(rest, { tracingEnabled: true });
const restV3 = restSnapshot(rest, { tracingEnabled: true, description: 'v3' });
const httpV1 = httpSnapshot(http);
const httpV2 = httpSnapshot(http, { description: 'changed' });

let server: DynaliteServer;
let client: DynamoDBClient;
let store: DynamoSnapshotStore;
let history: DynamoSnapshotHistory;
const clock = manualClock('2024-06-30T00:00:00.000Z');
const eventIds: Record<string, string> = {};

beforeAll(async () => {
  server = await startDynalite();
  client = server.client();
  await server.createTable('history');
  store = new DynamoSnapshotStore(client, { tableName: 'history', clock });
  history = new DynamoSnapshotHistory(client, { tableName: 'history', clock });
  const latestOf = async (snapshot: StageSnapshot) =>
    (await store.listLatest(ACCOUNT, REGION)).find(
      (entry) => formatStageKey(entry.key) === formatStageKey(snapshot.key),
    );
  const write = async (
    name: string,
    from: StageSnapshot | undefined,
    to: StageSnapshot | undefined,
    at: string,
  ) => {
    const key = (to ?? from)!.key;
    const previous = from ? await latestOf(from) : undefined;
    const result = await store.writeStage({
      key,
      ...(previous ? { previous } : {}),
      ...(to ? { next: to } : {}),
      drift: driftOf(from, to),
      capturedAt: at,
    });
    eventIds[name] = result.eventId!;
  };
  await store.writeStage({ key: rest, next: restV1, capturedAt: '2024-04-20T10:00:00.000Z' });
  await write('rest-may', restV1, restV2, '2024-05-10T10:00:00.000Z');
  await write('http-created', undefined, httpV1, '2024-05-31T23:59:59.999Z');
  await write('http-june', httpV1, httpV2, '2024-06-01T00:00:00.000Z');
  await write('rest-june', restV2, restV3, '2024-06-05T10:00:00.000Z');
  await write('rest-deleted', restV3, undefined, '2024-06-20T10:00:00.000Z');
});

afterAll(async () => {
  await server.stop();
});

const ids = (events: readonly { id: string }[]) =>
  events.map((event) => Object.entries(eventIds).find(([, id]) => id === event.id)?.[0]);

describe('SnapshotHistory', () => {
  it('lists the events of every stage across month partitions, newest first', async () => {
    const { events, problems } = await history.listEvents({
      since: '2024-05-01T00:00:00Z',
      until: '2024-06-30T00:00:00Z',
    });
    expect(problems).toEqual([]);
    expect(ids(events)).toEqual(['rest-deleted', 'rest-june', 'http-june', 'http-created', 'rest-may']);
  });

  it('defaults to the retention period up to now', async () => {
    expect((await history.listEvents()).events).toHaveLength(5);
  });

  it('bounds the listing by since, until and limit', async () => {
    const bounded = await history.listEvents({
      since: '2024-05-31T23:59:59.999Z',
      until: '2024-06-01T00:00:00.000Z',
    });
    expect(ids(bounded.events)).toEqual(['http-june', 'http-created']);
    const limited = await history.listEvents({ since: '2024-01-01', limit: 3 });
    expect(ids(limited.events)).toEqual(['rest-deleted', 'rest-june', 'http-june']);
    expect((await history.listEvents({ since: '2024-06-25', until: '2024-06-21' })).events).toEqual([]);
  });

  it('pages the events oldest first across month partitions, each page going on from the last', async () => {
    const window = { since: '2024-05-01T00:00:00Z', until: '2024-06-30T00:00:00Z' };
    const pages: (string | undefined)[][] = [];
    let after: string | undefined;
    do {
      const page = await history.listEventsOldestFirst({ ...window, limit: 2, ...(after ? { after } : {}) });
      expect(page.problems).toEqual([]);
      pages.push(ids(page.events));
      after = page.next;
    } while (after !== undefined);
    expect(pages.flat()).toEqual(['rest-may', 'http-created', 'http-june', 'rest-june', 'rest-deleted']);
    expect(pages.slice(0, 3).map((page) => page.length)).toEqual([2, 2, 1]);
    const bounded = await history.listEventsOldestFirst({
      since: '2024-05-31T23:59:59.999Z',
      until: '2024-06-01T00:00:00.000Z',
      limit: 10,
    });
    expect(ids(bounded.events)).toEqual(['http-created', 'http-june']);
    expect(bounded.next).toBeUndefined();
    await expect(history.listEventsOldestFirst({ ...window, limit: 0 })).rejects.toThrow(StoreError);
  });

  it('rejects a since that is not a date, and a limit that is not a positive whole number', async () => {
    await expect(history.listEvents({ since: 'last tuesday' })).rejects.toThrow(
      /since "last tuesday" is not a date/,
    );
    await expect(history.listEvents({ limit: 0 })).rejects.toThrow(StoreError);
  });

  it('lists the events of one stage, newest first', async () => {
    const { events } = await history.listStageEvents(rest);
    expect(ids(events)).toEqual(['rest-deleted', 'rest-june', 'rest-may']);
    expect(events[0]).toMatchObject({ change: 'DELETED', api: { id: rest.apiId, type: 'REST' } });
  });

  it('lists the versions and the tombstone of one stage, newest first', async () => {
    const versions = await history.listVersions(rest);
    expect(versions.map((version) => [version.capturedAt, version.hash, version.deleted])).toEqual([
      ['2024-06-20T10:00:00.000Z', undefined, true],
      ['2024-06-05T10:00:00.000Z', restV3.hash, false],
      ['2024-05-10T10:00:00.000Z', restV2.hash, false],
      ['2024-04-20T10:00:00.000Z', restV1.hash, false],
    ]);
    expect(versions[1]?.prevHash).toBe(restV2.hash);
  });

  it.each([
    ['2024-04-19T00:00:00.000Z', undefined],
    ['2024-04-20T10:00:00.000Z', 'v1'],
    ['2024-05-10T09:59:59.999Z', 'v1'],
    ['2024-05-10T10:00:00.000Z', 'v2'],
    ['2024-06-19T00:00:00.000Z', 'v3'],
    ['2024-06-21T00:00:00.000Z', 'deleted'],
  ])('finds the version of a stage in effect at %s', async (at, expected) => {
    const version = await history.getVersionAt(rest, at);
    const snapshots: Record<string, StageSnapshot> = { v1: restV1, v2: restV2, v3: restV3 };
    if (expected === undefined) expect(version).toBeUndefined();
    else if (expected === 'deleted') expect(version).toMatchObject({ deleted: true });
    else expect(version?.snapshot).toEqual(snapshots[expected]);
  });

  it('reports a drift event it cannot read as a problem naming its key, and lists the rest', async () => {
    await client.send(
      new PutItemCommand({
        TableName: 'history',
        Item: {
          PK: { S: 'STAGE#x' },
          SK: { S: 'DRIFT#broken' },
          itemType: { S: 'DRIFT' },
          event: { S: 'not json' },
          GSI1PK: { S: 'DRIFT#2024-06' },
          GSI1SK: { S: '2024-06-10T00:00:00.000Z#broken' },
        },
      }),
    );
    const { events, problems } = await history.listEvents({ since: '2024-05-01', until: '2024-06-30' });
    expect(events).toHaveLength(5);
    expect(problems).toEqual([
      { itemKey: { PK: 'STAGE#x', SK: 'DRIFT#broken' }, message: expect.stringMatching(/invalid JSON/) },
    ]);
  });
});
