import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoSnapshotHistory, DynamoSnapshotStore } from '../../shared/store';
import { postureSummaryFor } from '../notify/fixtures';
import type { DynaliteServer } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import { ACCOUNT, REGION, driftOf, manualClock, restSnapshot } from './fixtures';
import { itemsOfType, scanTable } from './table-items';

// What posture adds to the table: `controls` on a drift event, round-tripped by the codec, and a
// baseline's posture summary, stored once next to the drift events (GSI1) for the outbox.

const T0 = '2024-06-01T00:00:00.000Z';
let server: DynaliteServer;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  server = await startDynalite();
  client = server.client();
});

afterAll(async () => {
  await server.stop();
});

const fresh = async () => {
  tables += 1;
  const tableName = `posture-${tables}`;
  await server.createTable(tableName);
  const clock = manualClock(T0);
  return {
    store: new DynamoSnapshotStore(client, { tableName, clock }),
    history: new DynamoSnapshotHistory(client, { tableName, clock }),
    items: () => scanTable(client, tableName),
  };
};

const SUMMARY = postureSummaryFor(ACCOUNT, REGION, T0);

describe('posture in the snapshot table', () => {
  it('stores the control transitions of a drift event and reads them back', async () => {
    const { store, history } = await fresh();
    const before = restSnapshot(undefined, { tracingEnabled: false });
    const after = restSnapshot(undefined, { tracingEnabled: true });
    await store.writeStage({ key: before.key, next: before, capturedAt: T0 });
    const [previous] = await store.listLatest(ACCOUNT, REGION);
    const controls = [{ id: 'APIGateway.3', from: 'FAILED', to: 'PASSED' }] as const;
    await store.writeStage({
      key: after.key,
      previous: previous!,
      next: after,
      drift: driftOf(before, after),
      capturedAt: '2024-06-02T00:00:00.000Z',
      annotations: { controls },
    });
    const { events } = await history.listStageEvents(after.key);
    expect(events.map((e) => e.controls)).toEqual([controls]);
  });

  it('stores a posture summary once, lists it for the outbox only, and never as a stage event', async () => {
    const { store, history, items } = await fresh();
    expect(await store.writePostureSummary(SUMMARY)).toBe(true);
    expect(await store.writePostureSummary(SUMMARY)).toBe(false); // a rerun of the same run
    const [item] = itemsOfType(await items(), 'DRIFT');
    expect(item).toMatchObject({ kind: { S: 'POSTURE_SUMMARY' }, PK: { S: `POSTURE#${ACCOUNT}#${REGION}` } });

    const page = await history.listEventsOldestFirst({
      since: T0,
      until: '2024-06-03T00:00:00.000Z',
      limit: 10,
    });
    expect(page).toMatchObject({ events: [SUMMARY], problems: [] });
    const listing = await history.listEvents({ since: T0, until: '2024-06-03T00:00:00.000Z' });
    expect(listing).toEqual({ events: [], problems: [] });
  });
});
