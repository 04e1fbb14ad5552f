import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import type { StageKey } from '../../shared/model';
import { formatStageKey } from '../../shared/model';
import type { LatestEntry } from '../../shared/store';
import { DynamoSnapshotStore } from '../../shared/store';
import { latestItem } from '../../shared/store/stage-items';
import type { ClientProbe, DynaliteServer } from '../support/dynalite';
import { itemSizeBytes, probeClient, startDynalite } from '../support/dynalite';
import { ACCOUNT, REGION, driftOf, manualClock, restKey, restSnapshot } from './fixtures';

/**
 * Request counts are the cost model of the store: a scan reads its scope with one paged Query
 * of small latest items and writes only for changed stages.
 */

const T0 = '2024-06-01T00:00:00.000Z';
const T1 = '2024-06-01T00:15:00.000Z';
const MB = 1024 * 1024;

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

/** A latest entry shaped like a real one: 10-character API ids, ISO dates, a 64-hex hash. */
const realisticEntry = (index: number, afterDrift: boolean): LatestEntry => {
  const key: StageKey = {
    account: ACCOUNT,
    region: REGION,
    apiType: (['REST', 'HTTP', 'WEBSOCKET'] as const)[index % 3]!,
    apiId: `a${String(index).padStart(9, '0')}`,
    stageName: ['prod', 'staging', 'dev-eu', '$default'][index % 4]!,
  };
  return {
    key,
    hash: index.toString(16).padStart(64, 'f'),
    capturedAt: T0,
    versionSk: `V#${T0}`,
    apiName: `orders-service-${index}`,
    createdDate: '2023-11-02T08:15:30.000Z',
    ...(afterDrift ? { lastChange: 'MODIFIED', lastSeverity: 'HIGH', lastDriftAt: T0 } : {}),
  };
};

const seedLatest = async (tableName: string, entries: readonly LatestEntry[]) => {
  for (let offset = 0; offset < entries.length; offset += 25) {
    const requests = entries
      .slice(offset, offset + 25)
      .map((entry) => ({ PutRequest: { Item: latestItem(entry) } }));
    await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
  }
};

describe('DynamoDB request counts', () => {
  it.each([
    ['a baseline', false],
    ['stages that all drifted once', true],
  ])('lists 5,000 latest items of %s in at most 2 Query pages', async (_label, afterDrift) => {
    // Prepare
    const tableName = `count-5000-${afterDrift ? 'drifted' : 'baseline'}`;
    await server.createTable(tableName);
    const entries = Array.from({ length: 5000 }, (_, index) => realisticEntry(index, afterDrift));
    await seedLatest(tableName, entries);
    const store = new DynamoSnapshotStore(client, { tableName, clock: manualClock(T1) });
    probe.reset();
    // Act
    const listed = await store.listLatest(ACCOUNT, REGION);
    // Assess
    expect(listed).toHaveLength(5000);
    const pages = probe.count('Query');
    const billedBytes = entries.reduce((sum, entry) => sum + itemSizeBytes(latestItem(entry)), 0);
    // DynamoDB stops a Query page after 1 MB of items read (full size, before projection).
    expect(Math.ceil(billedBytes / MB)).toBeLessThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(2);
    expect(probe.calls).toEqual(Array.from({ length: pages }, () => 'Query'));
    console.info(
      `listLatest of 5,000 (${afterDrift ? 'drifted' : 'baseline'}) latest items: ${pages} Query page(s) on dynalite; ` +
        `${(billedBytes / 5000).toFixed(0)} bytes per item, ${(billedBytes / MB).toFixed(2)} MB in all ` +
        `(= ${Math.ceil(billedBytes / MB)} page(s) of 1 MB on DynamoDB)`,
    );
  });

  it('costs an unchanged rescan of 1,000 stages its Query pages and one run write, and 10 changes 4 writes each', async () => {
    // Prepare: a baseline of 1,000 stages
    await server.createTable('count-1000');
    const clock = manualClock(T0);
    const store = new DynamoSnapshotStore(client, { tableName: 'count-1000', clock });
    const stages = Array.from({ length: 1000 }, (_, index) =>
      restSnapshot(restKey(`r${String(index).padStart(9, '0')}`)),
    );
    for (const stage of stages) await store.writeStage({ key: stage.key, next: stage, capturedAt: T0 });
    clock.set(T1);

    /** One scan as the scan use case runs it: list, compare, read changed, write changed, record the run. */
    const scan = async (current: typeof stages, capturedAt: string) => {
      probe.reset();
      const latest = new Map(
        (await store.listLatest(ACCOUNT, REGION)).map((entry) => [formatStageKey(entry.key), entry]),
      );
      const changed = current.filter((stage) => latest.get(formatStageKey(stage.key))?.hash !== stage.hash);
      const previous = await store.getSnapshots(
        changed.flatMap((stage) => latest.get(formatStageKey(stage.key)) ?? []),
      );
      for (const stage of changed) {
        const id = formatStageKey(stage.key);
        await store.writeStage({
          key: stage.key,
          previous: latest.get(id),
          next: stage,
          drift: driftOf(previous.get(id), stage),
          capturedAt,
        });
      }
      await store.writeRun({
        account: ACCOUNT,
        region: REGION,
        startedAt: capturedAt,
        summary: { changed: changed.length },
        progress: { state: 'complete' },
      });
      return { changed: changed.length, calls: [...probe.calls] };
    };

    // Act
    const unchanged = await scan(stages, T1);
    const tenChanged = stages.map((stage, index) =>
      index % 100 === 0 ? restSnapshot(stage.key, { tracingEnabled: true }) : stage,
    );
    const changed = await scan(tenChanged, '2024-06-01T00:30:00.000Z');

    // Assess
    expect(unchanged.changed).toBe(0);
    expect(unchanged.calls).toEqual(['Query', 'PutItem']);
    expect(changed.changed).toBe(10);
    const tally = (calls: readonly string[]) =>
      calls.reduce<Record<string, number>>(
        (counts, call) => ({ ...counts, [call]: (counts[call] ?? 0) + 1 }),
        {},
      );
    // 1 Query; 1 BatchGetItem for the 10 previous snapshots; per stage event + version + latest
    // (PutItem) and the old version's TTL (UpdateItem); 1 PutItem for the run.
    expect(tally(changed.calls)).toEqual({ Query: 1, BatchGetItem: 1, PutItem: 31, UpdateItem: 10 });
    console.info(
      `rescan of 1,000 stages: unchanged ${JSON.stringify(tally(unchanged.calls))}; 10 changed ${JSON.stringify(tally(changed.calls))}`,
    );
  });
});
