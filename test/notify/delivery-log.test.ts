import type { BatchGetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { BatchGetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DeliveryLogError, DynamoDeliveryLog } from '../../shared/notify';
import { ManualClock } from '../../shared/runtime';

// The delivery log's reads against a mocked DynamoDB: batching, unprocessed keys, errors.

const TABLE = 'stage-drift';

const setup = () => {
  const client = new DynamoDBClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  const clock = new ManualClock({ start: '2026-11-21T10:00:00.000Z', mode: 'on-sleep' });
  const log = new DynamoDeliveryLog(client, { tableName: TABLE, clock });
  const requests = () => mock.commandCalls(BatchGetItemCommand).map((call) => call.args[0].input);
  return { mock, clock, log, requests };
};

const keysOf = (input: BatchGetItemCommandInput): string[] =>
  (input.RequestItems?.[TABLE]?.Keys ?? []).map((key) => key.PK?.S ?? '');

/** Answers each call with a mark for its first `take` keys and leaves the rest unprocessed. */
const answerFirst = (take: number) => (input: BatchGetItemCommandInput) => {
  const keys = input.RequestItems?.[TABLE]?.Keys ?? [];
  const rest = keys.slice(take);
  return {
    Responses: { [TABLE]: keys.slice(0, take).map((key) => ({ PK: key.PK! })) },
    UnprocessedKeys: rest.length > 0 ? { [TABLE]: { ...input.RequestItems?.[TABLE], Keys: rest } } : {},
  };
};

describe('DynamoDeliveryLog.handled', () => {
  it('reads each distinct event once, 100 keys a consistent call, projecting only PK', async () => {
    // Prepare
    const { mock, log, requests } = setup();
    mock.on(BatchGetItemCommand).callsFake(answerFirst(100));
    const ids = Array.from({ length: 150 }, (_, i) => `evt-${i}`);

    // Act
    const handled = await log.handled([...ids, 'evt-0', 'evt-1'], 'SLACK');

    // Assess
    expect([...handled].sort()).toEqual([...ids].sort());
    expect(requests().map((input) => keysOf(input).length)).toEqual([100, 50]);
    expect(requests()[0]?.RequestItems?.[TABLE]).toMatchObject({
      ConsistentRead: true,
      ProjectionExpression: 'PK',
    });
    expect(requests()[0]?.RequestItems?.[TABLE]?.Keys?.[0]).toEqual({
      PK: { S: 'DELIVERY#evt-0' },
      SK: { S: 'SLACK' },
    });
  });

  it('asks again for the marks left unprocessed, after 50 ms doubling', async () => {
    // Prepare: two marks a call.
    const { mock, clock, log, requests } = setup();
    mock.on(BatchGetItemCommand).callsFake(answerFirst(2));

    // Act
    const handled = await log.handled(['a', 'b', 'c', 'd', 'e'], 'SNS');

    // Assess
    expect([...handled].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(requests().map(keysOf)).toEqual([
      ['DELIVERY#a', 'DELIVERY#b', 'DELIVERY#c', 'DELIVERY#d', 'DELIVERY#e'],
      ['DELIVERY#c', 'DELIVERY#d', 'DELIVERY#e'],
      ['DELIVERY#e'],
    ]);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it('gives up after 8 rounds in all, even while some marks come back, waiting up to 2 s', async () => {
    // Prepare: one mark a call, of 20.
    const { mock, clock, log, requests } = setup();
    mock.on(BatchGetItemCommand).callsFake(answerFirst(1));
    const ids = Array.from({ length: 20 }, (_, i) => `evt-${i}`);

    // Act
    const result = log.handled(ids, 'SNS');

    // Assess
    await expect(result).rejects.toThrow(DeliveryLogError);
    await expect(result).rejects.toThrow(
      `DynamoDB left 12 delivery marks unread after 8 rounds (table "${TABLE}").`,
    );
    expect(requests()).toHaveLength(8);
    expect(clock.sleeps).toEqual([50, 100, 200, 400, 800, 1600, 2000]);
  });

  it('says which table it could not read, keeping the SDK error as the cause', async () => {
    // Prepare
    const { mock, log } = setup();
    const denied = Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
    mock.on(BatchGetItemCommand).rejects(denied);

    // Act
    const error = await log.handled(['a'], 'SNS').catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(DeliveryLogError);
    expect(error).toMatchObject({
      message: `Could not read delivery marks from table "${TABLE}": AccessDeniedException: User is not authorized`,
      cause: denied,
    });
  });

  it('sends nothing for no events', async () => {
    const { log, requests } = setup();
    await expect(log.handled([], 'SNS')).resolves.toEqual(new Set());
    expect(requests()).toEqual([]);
  });
});
