import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../shared/store';

/** Every item of a table (a test-only Scan), sorted by PK then SK. */
export const scanTable = async (client: DynamoDBClient, tableName: string): Promise<Item[]> => {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const keyOf = (item: Item) => `${item.PK?.S ?? ''}\n${item.SK?.S ?? ''}`;
  return items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
};

export const itemsOfType = (items: readonly Item[], itemType: string): Item[] =>
  items.filter((item) => item.itemType?.S === itemType);

/** Version head items (not the chunks of a split version). */
export const versionHeads = (items: readonly Item[]): Item[] =>
  itemsOfType(items, 'VERSION').filter((item) => !(item.SK?.S ?? '').includes('#PART#'));
