import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { toStoreError } from './errors';

/** An account + region that has been scanned at least once. */
export interface ScopeRef {
  readonly account: string;
  readonly region: string;
  /** When its baseline was taken. */
  readonly since: string;
}

const REGISTRY_PK = 'SCOPES';

/**
 * Records a scope in the registry partition (`PK = SCOPES`, `SK = <account>#<region>`). Written
 * once, by the baseline scan of a scope, so the query commands can list scopes with one Query
 * instead of scanning the table; later scans write nothing here.
 */
export const registerScope = async (
  client: DynamoDBClient,
  tableName: string,
  scope: ScopeRef,
): Promise<void> => {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          PK: { S: REGISTRY_PK },
          SK: { S: `${scope.account}#${scope.region}` },
          itemType: { S: 'SCOPE' },
          account: { S: scope.account },
          region: { S: scope.region },
          since: { S: scope.since },
        },
      }),
    );
  } catch (error) {
    throw toStoreError(error, tableName, `registering the scope ${scope.account}/${scope.region}`);
  }
};

/** Every scanned scope, sorted by account then region. */
export const listScopes = async (client: DynamoDBClient, tableName: string): Promise<ScopeRef[]> => {
  const scopes: ScopeRef[] = [];
  let start: Record<string, { S: string }> | undefined;
  try {
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: REGISTRY_PK } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const account = item.account?.S;
        const region = item.region?.S;
        if (account && region) scopes.push({ account, region, since: item.since?.S ?? '' });
      }
      start = page.LastEvaluatedKey as Record<string, { S: string }> | undefined;
    } while (start);
  } catch (error) {
    throw toStoreError(error, tableName, 'listing the scanned accounts and regions');
  }
  return scopes;
};
