import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { parseDriftStreamRecords } from '../../shared/notify/stream-records';
import type { DriftEventRecord } from '../../shared/store';
import {
  DynamoEventStatus,
  DynamoSnapshotHistory,
  DynamoSnapshotStore,
  StoreError,
  eventItemKey,
  eventStatusOf,
  isPostureSummary,
  parseDriftEventItem,
} from '../../shared/store';
import { driftEventItem } from '../../shared/store/drift-event';
import { postureSummaryFor } from '../notify/fixtures';
import type { DynaliteServer } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import { ACCOUNT, REGION, driftOf, manualClock, restKey, restSnapshot } from './fixtures';

// The status of a drift event, kept on its item: acknowledgements appended by `stage-drift ack`,
// the mark of a revert, found from the id alone (or a prefix of it) through GSI1.

const T0 = '2024-06-01T00:00:00.000Z';
const NOW = '2024-06-30T00:00:00.000Z';
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

/** A table with one REST stage: baseline at T0, then one MODIFIED event on 2024-06-02. */
const fresh = async () => {
  tables += 1;
  const tableName = `status-${tables}`;
  await server.createTable(tableName);
  const clock = manualClock(NOW);
  const store = new DynamoSnapshotStore(client, { tableName, clock });
  const before = restSnapshot(undefined, { tracingEnabled: false });
  const after = restSnapshot(undefined, { tracingEnabled: true });
  await store.writeStage({ key: before.key, next: before, capturedAt: T0 });
  const [previous] = await store.listLatest(ACCOUNT, REGION);
  await store.writeStage({
    key: after.key,
    previous: previous!,
    next: after,
    drift: driftOf(before, after),
    capturedAt: '2024-06-02T00:00:00.000Z',
  });
  const history = new DynamoSnapshotHistory(client, { tableName, clock });
  const [event] = (await history.listStageEvents(after.key)).events;
  return {
    tableName,
    store,
    history,
    status: new DynamoEventStatus(client, { tableName, clock }),
    event: event!,
    /** Puts a drift event with a chosen id (to make prefixes collide). */
    putEvent: async (eventId: string, detectedAt: string, stageName = 'prod') => {
      const key = restKey(undefined, stageName);
      const item = driftEventItem(
        driftOf(restSnapshot(key), restSnapshot(key, { tracingEnabled: true })),
        eventId,
        detectedAt,
        2_000_000_000,
      );
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    },
    getItem: async (record: DriftEventRecord) => {
      const key = eventItemKey(record);
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { PK: { S: key.PK }, SK: { S: key.SK } } }),
      );
      return Item!;
    },
  };
};

const storeError = async (promise: Promise<unknown>): Promise<StoreError> => {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
};

describe('acknowledging a drift event', () => {
  it('appends an ack {by, at, note} to the event item and reads it back as acknowledged', async () => {
    const { status, history, event } = await fresh();
    expect(eventStatusOf(event)).toBe('open');
    expect(event.acks).toBeUndefined();

    const acked = await status.acknowledgeEvent(event, {
      by: 'alice',
      at: '2024-06-03T09:00:00Z',
      note: 'expected: tracing on for the incident',
    });
    expect(acked.acks).toEqual([
      { by: 'alice', at: '2024-06-03T09:00:00.000Z', note: 'expected: tracing on for the incident' },
    ]);
    expect(eventStatusOf(acked)).toBe('acknowledged');
    // The body is untouched: the record reads as before, plus its acks.
    const { acks, ...rest } = acked;
    expect(acks).toHaveLength(1);
    expect(rest).toEqual(event);
    const [listed] = (await history.listStageEvents(restKey())).events;
    expect(listed!.acks).toEqual(acked.acks);
  });

  it('appends a second ack after the first, and an ack without a note has none', async () => {
    const { status, history, event } = await fresh();
    await status.acknowledgeEvent(event, { by: 'alice', at: '2024-06-03T09:00:00.000Z', note: 'mine' });
    const twice = await status.acknowledgeEvent(event, { by: 'bob', at: '2024-06-04T09:00:00.000Z' });
    expect(twice.acks).toEqual([
      { by: 'alice', at: '2024-06-03T09:00:00.000Z', note: 'mine' },
      { by: 'bob', at: '2024-06-04T09:00:00.000Z' },
    ]);
    const { events } = await history.listEvents();
    expect(events.map((e) => e.acks?.length)).toEqual([2]);
  });

  it('refuses an event that is not stored, naming the item', async () => {
    const { status, event } = await fresh();
    const gone = { ...event, id: 'f'.repeat(32) };
    const error = await storeError(status.acknowledgeEvent(gone, { by: 'alice', at: NOW }));
    expect(error.message).toMatch(/no drift event f{32}/);
    expect(error.itemKey).toEqual(eventItemKey(gone));
  });

  it('refuses an empty by, a bad time and an overlong note', async () => {
    const { status, event } = await fresh();
    await storeError(status.acknowledgeEvent(event, { by: '  ', at: NOW }));
    await storeError(status.acknowledgeEvent(event, { by: 'alice', at: 'yesterday' }));
    await storeError(status.acknowledgeEvent(event, { by: 'alice', at: NOW, note: 'x'.repeat(1001) }));
  });
});

describe('finding an event from its id', () => {
  it('finds it by its whole id, upper case too, and by a prefix of 8 or more hex digits', async () => {
    const { status, event } = await fresh();
    expect(await status.findEvent(event.id)).toEqual(event);
    expect(await status.findEvent(event.id.toUpperCase())).toEqual(event);
    expect(await status.findEvent(event.id.slice(0, 8))).toEqual(event);
    expect(await status.findEvent(event.id.slice(0, 13))).toEqual(event);
  });

  it('says so when nothing matches, and refuses what is not an id', async () => {
    const { status, event } = await fresh();
    const other = event.id.startsWith('0') ? '1' : '0';
    expect(await status.findEvent(`${other}${event.id.slice(1)}`)).toBeUndefined();
    expect(await status.findEvent('00000000')).toBeUndefined();
    expect((await storeError(status.findEvent('abc1234'))).message).toMatch(/at least the first 8/);
    expect((await storeError(status.findEvent('not-an-id!'))).message).toMatch(/not an event id/);
  });

  it('lists the matches of an ambiguous prefix, across months', async () => {
    const { status, putEvent } = await fresh();
    const a = `abcdef01${'1'.repeat(24)}`;
    const b = `abcdef01${'2'.repeat(24)}`;
    await putEvent(a, '2024-04-10T00:00:00.000Z', 'staging');
    await putEvent(b, '2024-06-10T00:00:00.000Z', 'dev');
    const error = await storeError(status.findEvent('abcdef01'));
    expect(error.message).toContain('matches 2 events');
    expect(error.message).toContain(`${b} (a1b2c3d4e5 dev in ${ACCOUNT}/${REGION}, MODIFIED HIGH`);
    expect(error.message).toContain(`${a} (a1b2c3d4e5 staging in ${ACCOUNT}/${REGION}`);
    expect((await status.findEvent('abcdef011'))?.id).toBe(a);
    expect(await status.findEvent(b)).toMatchObject({ stageName: 'dev' });
  });

  it('finds only events within the retention period', async () => {
    const { status, putEvent } = await fresh();
    const old = `0ddba11${'0'.repeat(25)}`;
    await putEvent(old, '2023-05-01T00:00:00.000Z');
    expect(await status.findEvent(old)).toBeUndefined(); // 14 months before NOW
  });

  it('finds a posture summary too, which the caller cannot take for a drift event', async () => {
    const { status, store } = await fresh();
    const summary = postureSummaryFor(ACCOUNT, REGION, T0);
    await store.writePostureSummary(summary);
    const found = await status.findEvent(summary.id.slice(0, 10));
    expect(found && isPostureSummary(found)).toBe(true);
  });
});

describe('marking the events a revert undid', () => {
  it('sets reverted once, is idempotent, reports missing events, and reverted wins over acknowledged', async () => {
    const { status, history, event, putEvent } = await fresh();
    const second = `5ec0bd00${'a'.repeat(24)}`;
    await putEvent(second, '2024-06-05T00:00:00.000Z');
    const [secondEvent] = (await history.listEvents()).events.filter((e) => e.id === second);
    await status.acknowledgeEvent(event, { by: 'alice', at: '2024-06-03T00:00:00.000Z' });
    const mark = {
      by: 'arn:aws:iam::123456789012:user/ops',
      at: '2024-06-06T00:00:00Z',
      revertEventId: 'r'.repeat(32),
    };
    const gone = { ...event, id: 'e'.repeat(32) };

    expect(await status.markEventsReverted([event, secondEvent!, gone, event], mark)).toEqual({
      marked: [event.id, second],
      alreadyMarked: [],
      missing: [gone.id],
    });
    // A replay (or a later revert) keeps the first mark.
    const later = { ...mark, at: '2024-06-07T00:00:00.000Z', revertEventId: 's'.repeat(32) };
    expect(await status.markEventsReverted([event, secondEvent!], later)).toEqual({
      marked: [],
      alreadyMarked: [event.id, second],
      missing: [],
    });
    const { events } = await history.listEvents();
    const byId = new Map(events.map((e) => [e.id, e]));
    expect(byId.get(event.id)!.reverted).toEqual({ ...mark, at: '2024-06-06T00:00:00.000Z' });
    expect(byId.get(event.id)!.acks).toHaveLength(1);
    expect(eventStatusOf(byId.get(event.id)!)).toBe('reverted');
    expect(eventStatusOf(byId.get(second)!)).toBe('reverted');
  });
});

describe('the item as the stream carries it', () => {
  it('parses acks and reverted from a NewImage, and the publisher ignores the MODIFY', async () => {
    const { status, event, getItem } = await fresh();
    await status.acknowledgeEvent(event, { by: 'alice', at: '2024-06-03T00:00:00.000Z', note: 'ok' });
    await status.markEventsReverted([event], {
      by: 'bob',
      at: '2024-06-04T00:00:00.000Z',
      revertEventId: 'r1',
    });
    // A Lambda stream record's NewImage is the same wire JSON (binary as base64).
    const newImage = JSON.parse(JSON.stringify(await getItem(event))) as Record<string, never>;
    const parsed = parseDriftEventItem(newImage);
    expect(parsed.acks).toEqual([{ by: 'alice', at: '2024-06-03T00:00:00.000Z', note: 'ok' }]);
    expect(parsed.reverted).toEqual({ by: 'bob', at: '2024-06-04T00:00:00.000Z', revertEventId: 'r1' });

    const batch = parseDriftStreamRecords([
      { eventName: 'MODIFY', dynamodb: { NewImage: newImage, SequenceNumber: '2' } },
    ]);
    expect(batch).toEqual({ events: [], malformed: [], ignored: 1 });
  });

  it('names the item when a mark is malformed', async () => {
    const { event, getItem } = await fresh();
    const item = { ...(await getItem(event)), acks: { L: [{ M: { by: { S: 'alice' } } }] } };
    expect(() => parseDriftEventItem(item)).toThrow(/malformed acks attribute/);
  });

  it('carries a revert annotation in the event body', () => {
    const key = restKey();
    const revert = {
      by: 'arn:aws:iam::123456789012:user/ops',
      fromVersion: 'V#2024-06-02T00:00:00.000Z',
      toVersion: 'V#2024-06-01T00:00:00.000Z',
      revertedEventIds: ['a'.repeat(32)],
    };
    const item = driftEventItem(
      driftOf(restSnapshot(key, { tracingEnabled: true }), restSnapshot(key)),
      'b'.repeat(32),
      '2024-06-05T00:00:00.000Z',
      2_000_000_000,
      { revert },
    );
    expect(parseDriftEventItem(item).revert).toEqual(revert);
  });
});
