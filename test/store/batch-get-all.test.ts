import type {
  AttributeValue,
  BatchGetItemCommandInput,
  BatchGetItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { UnprocessedKeysRetry } from '../../shared/store';
import { BATCH_GET_MAX_KEYS, batchGetAll } from '../../shared/store';
import { ManualClock } from '../../shared/runtime';

type Key = Record<string, AttributeValue>;

const TABLE = 'stage-drift';
const keyOf = (i: number): Key => ({ PK: { S: `K#${i}` }, SK: { S: 'A' } });
const idOf = (key: Key): string => key.PK?.S ?? '';

/** The store's retry (8 idle rounds in a row, 50 ms doubling to 5 s) and the delivery log's (8 rounds, 50 ms to 2 s). */
const STORE: UnprocessedKeysRetry = {
  maxRounds: 8,
  resetOnProgress: true,
  backoff: { baseDelayMs: 50, maxDelayMs: 5_000, jitter: 'none' },
};
const DELIVERY: UnprocessedKeysRetry = {
  maxRounds: 8,
  resetOnProgress: false,
  backoff: { baseDelayMs: 25, maxDelayMs: 2_000, jitter: 'none' },
};

/**
 * A table that answers each call with the items of its first `take(call)` keys and leaves the
 * rest unprocessed; `calls` holds every request.
 */
const fakeTable = (take: (call: number, asked: number) => number) => {
  const calls: BatchGetItemCommandInput[] = [];
  const send = (input: BatchGetItemCommandInput): Promise<BatchGetItemCommandOutput> => {
    calls.push(input);
    const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
    const n = Math.min(keys.length, take(calls.length, keys.length));
    const rest = keys.slice(n);
    const output: BatchGetItemCommandOutput = {
      $metadata: {},
      Responses: { [TABLE]: keys.slice(0, n).map((key) => ({ ...key, found: { BOOL: true } })) },
      UnprocessedKeys: rest.length > 0 ? { [TABLE]: { Keys: rest } } : {},
    };
    return Promise.resolve(output);
  };
  return { calls, send };
};

const giveUp = (unprocessed: number, rounds: number) =>
  new Error(`${unprocessed} left after ${rounds} rounds`);

/** `keyCount` keys read from a `fakeTable(take)` with `retry`, sleeping on a ManualClock. */
const readKeys = (
  keyCount: number,
  take: (call: number, asked: number) => number,
  retry: UnprocessedKeysRetry,
) => {
  const table = fakeTable(take);
  const clock = new ManualClock({ mode: 'on-sleep' });
  const keys = Array.from({ length: keyCount }, (_, i) => keyOf(i));
  const result = batchGetAll({
    tableName: TABLE,
    keys,
    send: table.send,
    sleep: (ms) => clock.sleep(ms),
    retry,
    giveUp,
  });
  const keysSent = () => table.calls.map((c) => (c.RequestItems?.[TABLE]?.Keys ?? []).map(idOf));
  return { result, keys, keysSent, sleeps: clock.sleeps };
};

describe('batchGetAll', () => {
  it('asks for any number of keys 100 at a time, and returns every item found', async () => {
    // Act
    const read = readKeys(250, (_, asked) => asked, STORE);

    // Assess
    expect((await read.result).map(idOf)).toEqual(read.keys.map(idOf));
    expect(read.keysSent().map((sent) => sent.length)).toEqual([BATCH_GET_MAX_KEYS, 100, 50]);
    expect(read.sleeps).toEqual([]);
  });

  it('passes the read options with each call', async () => {
    // Prepare
    const table = fakeTable((_, asked) => asked);

    // Act
    await batchGetAll({
      tableName: TABLE,
      keys: [keyOf(1)],
      read: { ConsistentRead: true, ProjectionExpression: 'PK' },
      send: table.send,
      sleep: () => Promise.resolve(),
      retry: DELIVERY,
      giveUp,
    });

    // Assess
    expect(table.calls).toEqual([
      { RequestItems: { [TABLE]: { Keys: [keyOf(1)], ConsistentRead: true, ProjectionExpression: 'PK' } } },
    ]);
  });

  it('asks again for the keys left unprocessed, only those, after a backoff', async () => {
    // Act: 3 keys a call are processed.
    const read = readKeys(7, () => 3, STORE);

    // Assess: progress every round, so the wait stays at the first one.
    expect((await read.result).map(idOf)).toEqual(read.keys.map(idOf));
    expect(read.keysSent()).toEqual([read.keys.map(idOf), ['K#3', 'K#4', 'K#5', 'K#6'], ['K#6']]);
    expect(read.sleeps).toEqual([50, 50]);
  });

  it.each([
    [
      'maxRounds rounds in a row without progress (the store): 100 ms doubling to 5 s',
      STORE,
      2,
      0,
      '2 left after 8 rounds',
      [100, 200, 400, 800, 1600, 3200, 5000],
    ],
    [
      'maxRounds rounds in all when progress does not reset the count (the delivery log): 50 ms doubling to 2 s',
      DELIVERY,
      20,
      1,
      '12 left after 8 rounds',
      [50, 100, 200, 400, 800, 1600, 2000],
    ],
  ])('gives up after %s', async (_label, retry, keyCount, perCall, message, sleeps) => {
    // Act
    const read = readKeys(keyCount, () => perCall, retry);

    // Assess
    await expect(read.result).rejects.toThrow(message);
    expect(read.keysSent()).toHaveLength(8);
    expect(read.sleeps).toEqual(sleeps);
  });

  it('passes on what send throws, unchanged', async () => {
    const failure = new Error('table is gone');
    await expect(
      batchGetAll({
        tableName: TABLE,
        keys: [keyOf(1)],
        send: () => Promise.reject(failure),
        sleep: () => Promise.resolve(),
        retry: STORE,
        giveUp,
      }),
    ).rejects.toBe(failure);
  });

  it('sends nothing for no keys', async () => {
    const read = readKeys(0, (_, asked) => asked, STORE);
    await expect(read.result).resolves.toEqual([]);
    expect(read.keysSent()).toEqual([]);
  });
});
