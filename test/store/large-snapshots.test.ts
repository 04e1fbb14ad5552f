import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Change, RestMethodSettings, RestStageSnapshot } from '../../shared/model';
import { canonicalJson, formatStageKey } from '../../shared/model';
import type { Item } from '../../shared/store';
import {
  CHUNK_MAX_BYTES,
  DynamoSnapshotHistory,
  DynamoSnapshotStore,
  parseDriftEventItem,
} from '../../shared/store';
import type { ClientProbe, DynaliteServer } from '../support/dynalite';
import { itemSizeBytes, probeClient, startDynalite } from '../support/dynalite';
import { ACCOUNT, REGION, driftOf, manualClock, restKey, restSnapshot } from './fixtures';
import { itemsOfType, scanTable } from './table-items';

const T0 = '2024-06-01T00:00:00.000Z';
const T1 = '2024-06-02T00:00:00.000Z';
const ITEM_LIMIT_BYTES = 400 * 1024;

let server: DynaliteServer;
let client: DynamoDBClient;
let probe: ClientProbe;

beforeAll(async () => {
  server = await startDynalite();
  client = server.client();
  probe = probeClient(client);
});

afterAll(async () => {
  await server.stop();
});

/** A deterministic pseudo-random generator (xorshift32), so the "incompressible" data is repeatable. */
const randomText = (seed: number, length: number): string => {
  let state = seed || 1;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < length; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out += alphabet[(state >>> 0) % 64];
  }
  return out;
};

/** 2,000 method settings with every field set: about 0.9 MB of canonical JSON. */
const manyMethodSettings = (): RestStageSnapshot => {
  const methodSettings: Record<string, RestMethodSettings> = {};
  for (let i = 0; i < 2000; i += 1) {
    methodSettings[
      `~1v2~1tenants~1{tenantId}~1organisations~1{organisationId}~1warehouses~1{warehouseId}~1orders~1{orderId}~1items~1item-${String(i).padStart(4, '0')}~1details~1history/GET`
    ] = {
      cacheDataEncrypted: true,
      cacheTtlInSeconds: 300 + i,
      cachingEnabled: i % 2 === 0,
      dataTraceEnabled: false,
      loggingLevel: 'INFO',
      metricsEnabled: true,
      requireAuthorizationForCacheControl: true,
      throttlingBurstLimit: 5000,
      throttlingRateLimit: 10000,
      unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
    };
  }
  return restSnapshot(restKey('big0000001'), { methodSettings });
};

/** Stage variables of random text: gzip cannot shrink it below the chunk size. */
const incompressible = (seed: number): RestStageSnapshot => {
  const variables: Record<string, string> = {};
  for (let i = 0; i < 1300; i += 1) variables[`var${i}`] = randomText(seed + i, 800);
  return restSnapshot(restKey('rnd0000001'), { variables });
};

const freshStore = async (name: string) => {
  await server.createTable(name);
  const clock = manualClock(T0);
  return { store: new DynamoSnapshotStore(client, { tableName: name, clock }), clock };
};

describe('large snapshots', () => {
  it('round-trips a 0.9 MB stage (2,000 method settings) as one gzip item', async () => {
    // Prepare
    const { store } = await freshStore('large-gzip');
    const big = manyMethodSettings();
    const jsonBytes = Buffer.byteLength(canonicalJson(big));
    // Act
    await store.writeStage({ key: big.key, next: big, capturedAt: T0 });
    const latest = await store.listLatest(ACCOUNT, REGION);
    const snapshots = await store.getSnapshots(latest);
    // Assess
    expect(jsonBytes).toBeGreaterThan(900_000);
    const items = await scanTable(client, 'large-gzip');
    const version = itemsOfType(items, 'VERSION');
    expect(version).toHaveLength(1);
    expect(version[0]?.snapshotGz?.B?.byteLength).toBeLessThan(CHUNK_MAX_BYTES);
    expect(version[0]?.snapshot).toBeUndefined();
    expect(latest[0]?.versionParts).toBeUndefined();
    expect(snapshots.get(formatStageKey(big.key))).toEqual(big);
    for (const item of items) expect(itemSizeBytes(item)).toBeLessThan(ITEM_LIMIT_BYTES);
  });

  it('splits an incompressible stage into parts under 400 KB each and reads it back', async () => {
    // Prepare
    const { store, clock } = await freshStore('large-split');
    const huge = incompressible(7);
    // Act
    await store.writeStage({ key: huge.key, next: huge, capturedAt: T0 });
    const latest = await store.listLatest(ACCOUNT, REGION);
    probe.reset();
    const snapshots = await store.getSnapshots(latest);
    // Assess
    const items = await scanTable(client, 'large-split');
    const parts = items.filter((item) => item.SK?.S?.includes('#PART#'));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(latest[0]?.versionParts).toBe(parts.length);
    for (const item of items) expect(itemSizeBytes(item)).toBeLessThan(ITEM_LIMIT_BYTES);
    expect(snapshots.get(formatStageKey(huge.key))).toEqual(huge);
    expect(probe.count('BatchGetItem')).toBe(1);
    expect(clock.sleeps).toEqual([]);
    const history = new DynamoSnapshotHistory(client, { tableName: 'large-split', clock });
    expect(await history.getVersionAt(huge.key, T0)).toMatchObject({ snapshot: huge });
  });

  it('retries the keys DynamoDB leaves unprocessed when a batch answer would pass 1 MB', async () => {
    // Prepare: two split stages, about 1.6 MB of parts, in one getSnapshots call
    const { store, clock } = await freshStore('large-unprocessed');
    const first = incompressible(31);
    const second = { ...incompressible(41), key: restKey('rnd0000002') };
    await store.writeStage({ key: first.key, next: first, capturedAt: T0 });
    await store.writeStage({ key: second.key, next: second, capturedAt: T0 });
    const latest = await store.listLatest(ACCOUNT, REGION);
    probe.reset();
    // Act
    const snapshots = await store.getSnapshots(latest);
    // Assess
    expect(snapshots.get(formatStageKey(first.key))).toEqual(first);
    expect(snapshots.get(formatStageKey(second.key))).toEqual(second);
    // dynalite answers at most ~1 MB per BatchGetItem: the rest came back as UnprocessedKeys.
    expect(probe.count('BatchGetItem')).toBeGreaterThan(1);
    expect(clock.sleeps).toHaveLength(probe.count('BatchGetItem') - 1);
  });

  it('expires every part of a split version once a change replaces it', async () => {
    const { store, clock } = await freshStore('large-retire');
    const huge = incompressible(11);
    await store.writeStage({ key: huge.key, next: huge, capturedAt: T0 });
    const [previous] = await store.listLatest(ACCOUNT, REGION);
    const small = restSnapshot(huge.key);
    clock.set(T1);
    await store.writeStage({
      key: huge.key,
      previous,
      next: small,
      drift: driftOf(huge, small),
      capturedAt: T1,
    });
    const old = (await scanTable(client, 'large-retire')).filter((item) => item.SK?.S?.startsWith(`V#${T0}`));
    expect(old.length).toBe(previous!.versionParts! + 1);
    for (const item of old) expect(item.ttl?.N).toBe(String(Date.parse(T1) / 1000 + 365 * 86_400));
  });

  it('keeps a drift event with an enormous change list under 400 KB by leaving the tail out', async () => {
    // Prepare
    const { store } = await freshStore('large-event');
    const before = incompressible(21);
    const after = incompressible(5021);
    const changes: Change[] = Object.keys(before.config.variables ?? {}).map((name) => ({
      path: ['variables', name],
      label: `Stage variable ${name}`,
      kind: 'changed',
      before: before.config.variables?.[name] ?? '',
      after: after.config.variables?.[name] ?? '',
      severity: 'MEDIUM',
      rule: 'stage-variable',
    }));
    await store.writeStage({ key: before.key, next: before, capturedAt: T0 });
    const [previous] = await store.listLatest(ACCOUNT, REGION);
    // Act
    await store.writeStage({
      key: before.key,
      previous,
      next: after,
      drift: { ...driftOf(before, after), changes },
      capturedAt: T1,
    });
    // Assess
    const [event] = itemsOfType(await scanTable(client, 'large-event'), 'DRIFT');
    expect(itemSizeBytes(event!)).toBeLessThan(ITEM_LIMIT_BYTES);
    const record = parseDriftEventItem(event!);
    expect(record.changesOmitted).toBeGreaterThan(0);
    expect(record.changes.length + record.changesOmitted!).toBe(changes.length);
    expect(record.changes).toEqual(changes.slice(0, record.changes.length));
    // A Lambda stream record's NewImage carries binary attributes as base64 text.
    const streamImage = { ...event!, eventGz: { B: Buffer.from(event!.eventGz!.B!).toString('base64') } };
    expect(parseDriftEventItem(streamImage as unknown as Item)).toEqual(record);
  });
});
