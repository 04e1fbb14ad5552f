import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** The GSI that lists drift events by UTC month, newest first. */
export const GSI1_NAME = 'GSI1';
/** Epoch seconds; enable TTL on this attribute (CDK: `timeToLiveAttribute: 'ttl'`). */
export const TTL_ATTRIBUTE = 'ttl';

/**
 * The table as the store expects it: string keys `PK` and `SK`, the sparse index `GSI1`
 * (`GSI1PK` = `DRIFT#<yyyy-mm>`, `GSI1SK` = `<detectedAt>#<eventId>`, all attributes
 * projected), on-demand billing and a `NEW_IMAGE` stream for the publisher.
 *
 * Used by tests and the CLI's embedded store; the CDK construct mirrors it. TTL (on
 * {@link TTL_ATTRIBUTE}) and point-in-time recovery are separate API calls, not part of
 * CreateTable: the construct turns both on.
 */
export const tableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
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
