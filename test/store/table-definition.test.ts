import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoSnapshotStore,
  GSI1_NAME,
  StoreError,
  TTL_ATTRIBUTE,
  tableDefinition,
} from '../../shared/store';
import { manualClock, restKey, restSnapshot } from './fixtures';

describe('tableDefinition', () => {
  it('defines string keys PK/SK, the sparse GSI1 on GSI1PK/GSI1SK, on-demand billing and a NEW_IMAGE stream', () => {
    expect(tableDefinition('drift')).toEqual({
      TableName: 'drift',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
        { AttributeName: 'GSI1SK', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: GSI1_NAME,
          KeySchema: [
            { AttributeName: 'GSI1PK', KeyType: 'HASH' },
            { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    expect(TTL_ATTRIBUTE).toBe('ttl');
  });
});

describe('BatchGetItem retries', () => {
  it('backs off exponentially while DynamoDB leaves every key unprocessed, then gives up with a StoreError', async () => {
    // Prepare: a client whose every BatchGetItem returns all keys unprocessed
    const sent: unknown[] = [];
    const fake = {
      send: (command: unknown) => {
        sent.push(command);
        const input = (command as BatchGetItemCommand).input;
        return Promise.resolve({ Responses: { t1x: [] }, UnprocessedKeys: input.RequestItems });
      },
    } as unknown as DynamoDBClient;
    const clock = manualClock();
    const store = new DynamoSnapshotStore(fake, { tableName: 't1x', clock });
    const a = restSnapshot(restKey());
    const entry = { key: a.key, hash: a.hash, capturedAt: 'x', versionSk: 'V#x', apiName: 'orders-api' };
    // Act
    const failure = store.getSnapshots([entry]);
    // Assess
    await expect(failure).rejects.toThrow(StoreError);
    await expect(failure).rejects.toThrow(/unprocessed 8 times in a row.*throttled/);
    expect(sent).toHaveLength(8);
    expect(sent.every((command) => command instanceof BatchGetItemCommand)).toBe(true);
    expect(clock.sleeps).toEqual([100, 200, 400, 800, 1600, 3200, 5000]);
  });

  it('asks for at most 100 keys per call', async () => {
    const sizes: number[] = [];
    const fake = {
      send: (command: BatchGetItemCommand) => {
        sizes.push(command.input.RequestItems?.t1x?.Keys?.length ?? 0);
        return Promise.resolve({ Responses: { t1x: [] } });
      },
    } as unknown as DynamoDBClient;
    const store = new DynamoSnapshotStore(fake, { tableName: 't1x', clock: manualClock() });
    const entries = Array.from({ length: 250 }, (_, index) => {
      const a = restSnapshot(restKey(`api${String(index).padStart(7, '0')}`));
      return { key: a.key, hash: a.hash, capturedAt: 'x', versionSk: 'V#x', apiName: 'orders-api' };
    });
    await expect(store.getSnapshots(entries)).rejects.toThrow(/is missing/);
    expect(sizes).toEqual([100, 100, 50]);
  });
});
