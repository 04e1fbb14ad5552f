import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { StoreError, isConditionalCheckFailed, toStoreError } from './errors';

const KEY = { PK: { S: 'CONFIG' }, SK: { S: 'FINGERPRINT_KEY' } };

/**
 * The HMAC key that fingerprints stage variable values in events, kept in the table itself:
 * the table already holds the full snapshots (values included), so the key adds no exposure
 * there, while alert readers (SNS, Slack) see only fingerprints that stay comparable across
 * scans. Created once (conditional put: two cold starts agree), then read.
 */
export const loadOrCreateFingerprintKey = async (
  client: DynamoDBClient,
  tableName: string,
  generate: () => string = () => randomBytes(32).toString('hex'),
): Promise<string> => {
  const read = async (): Promise<string | undefined> => {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: KEY, ConsistentRead: true }),
    );
    const value = Item?.key?.S;
    if (Item && !value)
      throw new StoreError(
        `The fingerprint key item (PK=CONFIG, SK=FINGERPRINT_KEY) in ${tableName} has no "key" string.`,
      );
    return value;
  };
  try {
    const existing = await read();
    if (existing) return existing;
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...KEY, itemType: { S: 'CONFIG' }, key: { S: generate() } },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const created = await read();
    if (!created) throw new StoreError(`The fingerprint key could not be stored in ${tableName}.`);
    return created;
  } catch (error) {
    throw error instanceof StoreError ? error : toStoreError(error, tableName, 'reading the fingerprint key');
  }
};
