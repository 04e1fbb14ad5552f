import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { formatStageKey } from '../../shared/model';
import type { LatestEntry } from '../../shared/store';
import {
  DynamoSnapshotHistory,
  DynamoSnapshotStore,
  StoreError,
  eventIdFor,
  parseDriftEventItem,
  runPk,
} from '../../shared/store';
import type { ClientProbe, DynaliteServer } from '../support/dynalite';
import { probeClient, startDynalite } from '../support/dynalite';
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
import { itemsOfType, scanTable, versionHeads } from './table-items';

const T0 = '2024-06-01T00:00:00.000Z';
const T1 = '2024-06-02T00:00:00.000Z';
const T2 = '2024-06-03T00:00:00.000Z';
const T3 = '2024-06-04T00:00:00.000Z';
const DAY = 86_400;

/** The key and progress of the record of a completed run started at `startedAt`. */
const completedRun = (startedAt: string) =>
  ({ account: ACCOUNT, region: REGION, startedAt, progress: { state: 'complete' } }) as const;

let server: DynaliteServer;
let client: DynamoDBClient;
let probe: ClientProbe;
let tableCount = 0;

beforeAll(async () => {
  server = await startDynalite();
  client = server.client();
  probe = probeClient(client);
});

afterAll(async () => {
  await server.stop();
});

/** A fresh table per test, so tests never see each other's items. */
const freshStore = async (options: { retentionDays?: number } = {}) => {
  tableCount += 1;
  const tableName = `store-${tableCount}`;
  await server.createTable(tableName);
  const clock = manualClock(T0);
  const store = new DynamoSnapshotStore(client, { tableName, clock, ...options });
  const history = new DynamoSnapshotHistory(client, { tableName, clock, ...options });
  probe.reset();
  return { store, history, tableName, clock, items: () => scanTable(client, tableName) };
};

const latestOf = async (store: DynamoSnapshotStore, key = restKey()): Promise<LatestEntry | undefined> =>
  (await store.listLatest(key.account, key.region)).find(
    (entry) => formatStageKey(entry.key) === formatStageKey(key),
  );

describe('DynamoSnapshotStore', () => {
  it('stores a baseline as a version and a latest item, with no drift event', async () => {
    // Prepare
    const { store, items } = await freshStore();
    const a = restSnapshot();
    // Act
    const result = await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    // Assess
    expect(result).toEqual({ outcome: 'recorded' });
    const all = await items();
    expect(all.map((item) => item.itemType?.S)).toEqual(['LATEST', 'VERSION']);
    expect(await store.listLatest(ACCOUNT, REGION)).toEqual([
      {
        key: a.key,
        hash: a.hash,
        capturedAt: T0,
        versionSk: `V#${T0}`,
        apiName: 'orders-api',
        createdDate: '2024-01-15T09:30:00.000Z',
      },
    ]);
  });

  it('round-trips snapshots of REST and HTTP stages through listLatest and getSnapshots', async () => {
    // Prepare
    const { store } = await freshStore();
    const rest = restSnapshot(restKey('rest000001', 'prod'), { variables: { backendUrl: 'https://x' } });
    const http = httpSnapshot(httpKey('http000001', '$default'), { description: 'payments' });
    await store.writeStage({ key: rest.key, next: rest, capturedAt: T0 });
    await store.writeStage({ key: http.key, next: http, capturedAt: T0 });
    // Act
    const latest = await store.listLatest(ACCOUNT, REGION);
    const snapshots = await store.getSnapshots(latest);
    // Assess
    expect(latest.map((entry) => entry.key.apiType).sort()).toEqual(['HTTP', 'REST']);
    expect(snapshots.get(formatStageKey(rest.key))).toEqual(rest);
    expect(snapshots.get(formatStageKey(http.key))).toEqual(http);
  });

  it('lists nothing for a scope it has never seen, and keeps scopes apart', async () => {
    const { store } = await freshStore();
    const a = restSnapshot();
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    expect(await store.listLatest(ACCOUNT, 'us-east-1')).toEqual([]);
    expect(await store.listLatest('999999999999', REGION)).toEqual([]);
  });

  it('records a changed stage as exactly one event, one version and the moved latest item', async () => {
    // Prepare
    const { store, items } = await freshStore();
    const a = restSnapshot();
    const b = restSnapshot(a.key, { tracingEnabled: true });
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    const previous = await latestOf(store);
    probe.reset();
    // Act
    const result = await store.writeStage({
      key: a.key,
      previous,
      next: b,
      drift: driftOf(a, b),
      capturedAt: T1,
    });
    // Assess
    expect(result).toEqual({ outcome: 'recorded', eventId: eventIdFor(a.key, previous, b.hash) });
    expect(probe.calls).toEqual(['PutItem', 'PutItem', 'PutItem', 'UpdateItem']);
    const all = await items();
    const events = itemsOfType(all, 'DRIFT');
    expect(events).toHaveLength(1);
    expect(parseDriftEventItem(events[0]!)).toMatchObject({
      id: result.eventId,
      detectedAt: T1,
      account: ACCOUNT,
      region: REGION,
      api: { id: a.key.apiId, name: 'orders-api', type: 'REST' },
      stageName: 'prod',
      change: 'MODIFIED',
      severity: 'HIGH',
      beforeHash: a.hash,
      afterHash: b.hash,
    });
    expect(events[0]).toMatchObject({
      GSI1PK: { S: 'DRIFT#2024-06' },
      GSI1SK: { S: `${T1}#${result.eventId}` },
      itemType: { S: 'DRIFT' },
    });
    expect(versionHeads(all).map((item) => [item.SK?.S, item.hash?.S, item.prevHash?.S])).toEqual([
      [`V#${T0}`, a.hash, undefined],
      [`V#${T1}`, b.hash, a.hash],
    ]);
    expect(await latestOf(store)).toMatchObject({
      hash: b.hash,
      capturedAt: T1,
      versionSk: `V#${T1}`,
      lastChange: 'MODIFIED',
      lastSeverity: 'HIGH',
      lastDriftAt: T1,
    });
    const previousSnapshots = await store.getSnapshots(await store.listLatest(ACCOUNT, REGION));
    expect(previousSnapshots.get(formatStageKey(a.key))).toEqual(b);
  });

  it('treats a rerun of a recorded change as a replay: no second event, same version key', async () => {
    // Prepare
    const { store, items } = await freshStore();
    const a = restSnapshot();
    const b = restSnapshot(a.key, { tracingEnabled: true });
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    const previous = await latestOf(store);
    const first = await store.writeStage({
      key: a.key,
      previous,
      next: b,
      drift: driftOf(a, b),
      capturedAt: T1,
    });
    // Act: an overlapping scan that listed the stage before the first write moved it
    const second = await store.writeStage({
      key: a.key,
      previous,
      next: b,
      drift: driftOf(a, b),
      capturedAt: T2,
    });
    // Assess
    expect(second).toEqual({ outcome: 'replayed', eventId: first.eventId });
    const all = await items();
    expect(itemsOfType(all, 'DRIFT')).toHaveLength(1);
    expect(versionHeads(all).map((item) => item.SK?.S)).toEqual([`V#${T0}`, `V#${T1}`]);
    expect(await latestOf(store)).toMatchObject({ hash: b.hash, versionSk: `V#${T1}` });
  });

  it("loses a race for the latest item cleanly with 'superseded'", async () => {
    // Prepare: two scans list the same stage at A; one sees B, the other C
    const { store, items, clock } = await freshStore();
    const a = restSnapshot();
    const b = restSnapshot(a.key, { tracingEnabled: true });
    const c = restSnapshot(a.key, { description: 'hand edit' });
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    const previous = await latestOf(store);
    const winner = await store.writeStage({
      key: a.key,
      previous,
      next: b,
      drift: driftOf(a, b),
      capturedAt: T1,
    });
    clock.set(T2);
    // Act
    const loser = await store.writeStage({
      key: a.key,
      previous,
      next: c,
      drift: driftOf(a, c),
      capturedAt: T2,
    });
    // Assess
    expect(winner.outcome).toBe('recorded');
    expect(loser.outcome).toBe('superseded');
    expect(loser.eventId).not.toBe(winner.eventId);
    expect(await latestOf(store)).toMatchObject({ hash: b.hash, versionSk: `V#${T1}` });
    // The loser's version stays in the history, but expires like any superseded version.
    const loserVersion = versionHeads(await items()).find((item) => item.SK?.S === `V#${T2}`);
    expect(loserVersion?.ttl?.N).toBe(String(Date.parse(T2) / 1000 + 365 * DAY));
  });

  it("answers 'superseded' when another scan created the stage first", async () => {
    const { store } = await freshStore();
    const a = restSnapshot();
    const b = restSnapshot(a.key, { tracingEnabled: true });
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    const result = await store.writeStage({
      key: b.key,
      next: b,
      drift: driftOf(undefined, b),
      capturedAt: T1,
    });
    expect(result.outcome).toBe('superseded');
    expect(await latestOf(store)).toMatchObject({ hash: a.hash });
  });

  it('records a deletion as an event and a tombstone, and removes the latest item', async () => {
    // Prepare
    const { store, items } = await freshStore();
    const a = restSnapshot();
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    const previous = await latestOf(store);
    // Act
    const result = await store.writeStage({
      key: a.key,
      previous,
      drift: driftOf(a, undefined),
      capturedAt: T1,
    });
    // Assess
    expect(result.outcome).toBe('recorded');
    expect(await store.listLatest(ACCOUNT, REGION)).toEqual([]);
    const all = await items();
    expect(itemsOfType(all, 'DRIFT')).toHaveLength(1);
    const tombstone = versionHeads(all).find((item) => item.SK?.S === `V#${T1}`);
    expect(tombstone).toMatchObject({ deleted: { BOOL: true }, prevHash: { S: a.hash } });
    expect(tombstone?.snapshot).toBeUndefined();
    expect(result.eventId).toBe(eventIdFor(a.key, previous, undefined));
  });

  it('gives a flapping stage (A→B→A→B) a new event each time', async () => {
    const { store, items } = await freshStore();
    const a = restSnapshot();
    const b = restSnapshot(a.key, { tracingEnabled: true });
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    const ids: (string | undefined)[] = [];
    const steps: [typeof a, typeof a, string][] = [
      [a, b, T1],
      [b, a, T2],
      [a, b, T3],
    ];
    for (const [from, to, at] of steps) {
      const previous = await latestOf(store);
      const result = await store.writeStage({
        key: a.key,
        previous,
        next: to,
        drift: driftOf(from, to),
        capturedAt: at,
      });
      expect(result.outcome).toBe('recorded');
      ids.push(result.eventId);
    }
    expect(new Set(ids).size).toBe(3);
    expect(itemsOfType(await items(), 'DRIFT')).toHaveLength(3);
  });

  it('records a stage created, deleted and created again with the same content as two creations', async () => {
    const { store, items } = await freshStore();
    const a = restSnapshot();
    const first = await store.writeStage({
      key: a.key,
      next: a,
      drift: driftOf(undefined, a),
      capturedAt: T0,
    });
    await store.writeStage({
      key: a.key,
      previous: await latestOf(store),
      drift: driftOf(a, undefined),
      capturedAt: T1,
    });
    const again = await store.writeStage({
      key: a.key,
      next: a,
      drift: driftOf(undefined, a),
      capturedAt: T2,
    });
    expect(first.outcome).toBe('recorded');
    expect(again.outcome).toBe('recorded');
    expect(again.eventId).not.toBe(first.eventId);
    expect(itemsOfType(await items(), 'DRIFT')).toHaveLength(3);
    expect(await latestOf(store)).toMatchObject({ versionSk: `V#${T2}`, lastChange: 'CREATED' });
  });

  it('records a recreated stage whose content hash did not change', async () => {
    const { store } = await freshStore();
    const a = restSnapshot();
    const recreated = restSnapshot(a.key, {}, '2024-06-01T23:00:00.000Z');
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    const previous = await latestOf(store);
    const result = await store.writeStage({
      key: a.key,
      previous,
      next: recreated,
      drift: driftOf(a, recreated, 'RECREATED'),
      capturedAt: T1,
    });
    expect(result.outcome).toBe('recorded');
    expect(await latestOf(store)).toMatchObject({
      hash: a.hash,
      createdDate: '2024-06-01T23:00:00.000Z',
      lastChange: 'RECREATED',
    });
  });

  it('puts the retention TTL on superseded versions, events and runs, never on latest items or the current version', async () => {
    // Prepare
    const { store, items, clock } = await freshStore({ retentionDays: 30 });
    const a = restSnapshot();
    const b = restSnapshot(a.key, { tracingEnabled: true });
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    clock.set(T1);
    // Act
    await store.writeStage({
      key: a.key,
      previous: await latestOf(store),
      next: b,
      drift: driftOf(a, b),
      capturedAt: T1,
    });
    await store.writeRun({ ...completedRun(T1), summary: { changed: 1 } });
    // Assess
    const expiry = String(Date.parse(T1) / 1000 + 30 * DAY);
    const all = await items();
    const ttlOf = (type: string, sk?: string) =>
      itemsOfType(all, type)
        .filter((item) => sk === undefined || item.SK?.S === sk)
        .map((item) => item.ttl?.N);
    expect(ttlOf('LATEST')).toEqual([undefined]);
    expect(ttlOf('DRIFT')).toEqual([expiry]);
    expect(ttlOf('RUN')).toEqual([expiry]);
    expect(ttlOf('VERSION', `V#${T0}`)).toEqual([expiry]);
    expect(ttlOf('VERSION', `V#${T1}`)).toEqual([undefined]);
  });

  it('writes run records and lists them newest first', async () => {
    const { store, history } = await freshStore();
    await store.writeRun({ ...completedRun(T0), summary: { stages: 3, failures: [] } });
    await store.writeRun({ ...completedRun(T1), summary: { stages: 4 } });
    const { runs, problems } = await history.listRuns(ACCOUNT, REGION);
    expect(problems).toEqual([]);
    expect(runs.map((run) => [run.startedAt, run.summary])).toEqual([
      [T1, { stages: 4 }],
      [T0, { stages: 3, failures: [] }],
    ]);
    expect((await history.listRuns(ACCOUNT, REGION, 1)).runs).toHaveLength(1);
    // The store answers the history reads too (the scan asks it whether a scope ever ran).
    expect((await store.listRuns(ACCOUNT, REGION, 1)).runs.map((run) => run.startedAt)).toEqual([T1]);
  });

  it('compresses a large run summary', async () => {
    const { store, history, items } = await freshStore();
    const failures = Array.from({ length: 2000 }, (_, i) => ({
      apiId: `api${i}`,
      error: 'TooManyRequestsException',
    }));
    await store.writeRun({ ...completedRun(T0), summary: { failures } });
    expect(itemsOfType(await items(), 'RUN')[0]?.summaryGz).toBeDefined();
    expect((await history.listRuns(ACCOUNT, REGION)).runs[0]?.summary).toEqual({ failures });
  });

  it('stores the record of a run in progress as the first release wrote it, and reads it back typed', async () => {
    // Prepare
    const { store, history, items } = await freshStore();
    const remainingApiIds = { rest: ['r1'], v2: ['h1', 'w1'] };

    // Act
    await store.writeRun({
      account: ACCOUNT,
      region: REGION,
      startedAt: T0,
      summary: { baseline: true, chunks: 1 },
      progress: { state: 'in-progress', remainingApiIds },
    });

    // Assess: the marks follow the summary inside its one attribute, byte for byte.
    expect(itemsOfType(await items(), 'RUN')[0]?.summary).toEqual({
      S: '{"baseline":true,"chunks":1,"inProgress":true,"remainingApiIds":{"rest":["r1"],"v2":["h1","w1"]}}',
    });
    expect((await history.listRuns(ACCOUNT, REGION)).runs).toEqual([
      {
        account: ACCOUNT,
        region: REGION,
        startedAt: T0,
        summary: { baseline: true, chunks: 1 },
        progress: { state: 'in-progress', remainingApiIds },
      },
    ]);
  });

  it.each([
    [
      'a completed run',
      '{"baseline":false,"stagesRead":3}',
      { summary: { baseline: false, stagesRead: 3 }, progress: { state: 'complete' } },
    ],
    [
      'a run in progress',
      '{"chunks":2,"inProgress":true,"remainingApiIds":{"rest":[],"v2":["h1"]}}',
      {
        summary: { chunks: 2 },
        progress: { state: 'in-progress', remainingApiIds: { rest: [], v2: ['h1'] } },
      },
    ],
    [
      'a run in progress whose summary was cut to its scalars',
      '{"truncated":true,"chunks":2,"inProgress":true}',
      { summary: { truncated: true, chunks: 2 }, progress: { state: 'in-progress' } },
    ],
  ])('reads the stored record of %s as today written', async (_name, json, expected) => {
    // Prepare: the item as the scan has written it since the first release.
    const { history, tableName } = await freshStore();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: runPk(ACCOUNT, REGION) },
          SK: { S: T0 },
          itemType: { S: 'RUN' },
          summary: { S: json },
        },
      }),
    );

    // Act
    const { runs, problems } = await history.listRuns(ACCOUNT, REGION);

    // Assess
    expect(problems).toEqual([]);
    expect(runs).toEqual([{ account: ACCOUNT, region: REGION, startedAt: T0, ...expected }]);
  });
});

describe('DynamoSnapshotStore errors', () => {
  it('names the table and the fix when the table does not exist', async () => {
    const store = new DynamoSnapshotStore(client, { tableName: 'no-such-table' });
    const failure = store.listLatest(ACCOUNT, REGION);
    await expect(failure).rejects.toThrow(StoreError);
    await expect(store.listLatest(ACCOUNT, REGION)).rejects.toThrow(
      /DynamoDB table "no-such-table" was not found .*create the table/,
    );
  });

  it.each([0, -1, 1.5, Number.NaN])(
    'rejects retentionDays %p with a message saying how to fix it',
    (days) => {
      expect(() => new DynamoSnapshotStore(client, { tableName: 'store-x', retentionDays: days })).toThrow(
        /retentionDays must be a positive whole number of days/,
      );
    },
  );

  it('rejects a table name DynamoDB would refuse', () => {
    expect(() => new DynamoSnapshotStore(client, { tableName: 'x' })).toThrow(/tableName "x"/);
  });

  it('refuses a write whose parts belong to different stages', async () => {
    const { store } = await freshStore();
    const a = restSnapshot();
    await expect(store.writeStage({ key: restKey('other00001'), next: a, capturedAt: T0 })).rejects.toThrow(
      /next belongs to/,
    );
  });

  it('names a malformed latest item instead of returning a wrong listing', async () => {
    const { store, tableName } = await freshStore();
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { PK: { S: `SCOPE#${ACCOUNT}#${REGION}` }, SK: { S: 'STAGE#SOAP#x#y' }, hash: { S: 'h' } },
      }),
    );
    const failure = store.listLatest(ACCOUNT, REGION);
    await expect(failure).rejects.toThrow(StoreError);
    await expect(store.listLatest(ACCOUNT, REGION)).rejects.toMatchObject({
      itemKey: { PK: `SCOPE#${ACCOUNT}#${REGION}`, SK: 'STAGE#SOAP#x#y' },
    });
  });

  it('names a version item with a corrupt body', async () => {
    const { store, tableName } = await freshStore();
    const a = restSnapshot();
    await store.writeStage({ key: a.key, next: a, capturedAt: T0 });
    const pk = `STAGE#${ACCOUNT}#${REGION}#REST#${a.key.apiId}#prod`;
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { PK: { S: pk }, SK: { S: `V#${T0}` }, itemType: { S: 'VERSION' }, snapshot: { S: '{"key":' } },
      }),
    );
    const latest = await store.listLatest(ACCOUNT, REGION);
    await expect(store.getSnapshots(latest)).rejects.toThrow(
      /PK=".*" SK="V#2024-06-01T00:00:00.000Z".*not valid JSON/,
    );
  });

  it('names the missing version item a latest item points at', async () => {
    const { store } = await freshStore();
    const a = restSnapshot();
    const entry: LatestEntry = {
      key: a.key,
      hash: a.hash,
      capturedAt: T0,
      versionSk: `V#${T0}`,
      apiName: 'x',
    };
    await expect(store.getSnapshots([entry])).rejects.toThrow(/is missing. Delete the latest item/);
  });
});
