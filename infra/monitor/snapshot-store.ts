import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { ConfigError } from '../../shared/config';
// Plain data: the table layout the store expects.
import { GSI1_NAME, tableDefinition, TTL_ATTRIBUTE } from '../../shared/store/table-definition';

export interface SnapshotStoreProps {
  /** Of the key and the table (a retained table keeps its key). */
  readonly removalPolicy: RemovalPolicy;
  /**
   * A table to use instead of creating one; it must have been imported with its stream.
   * @default - a new table, encrypted with the key (or DynamoDB's AWS owned key without one)
   */
  readonly existingTable?: ITable;
  /**
   * The customer-managed key: `true` creates one of the monitor's own (`Key`), an `IKey` is the
   * caller's; `false` keeps every resource on AWS owned or AWS managed keys (no key, no cost).
   */
  readonly customerManagedKey: boolean | IKey;
}

/**
 * The monitor's KMS key, if it has one, and the snapshot table (snapshots, history, drift events
 * and run records: shared/store/README.md), or the existing table, checked for its stream. Creates
 * them in `scope` (the monitor) itself, as `Key` and `Table`: the construct ids, and so the
 * logical ids, are the monitor's own, and renaming them replaces the table.
 * See docs/deploy.md, "Encryption".
 */
export class SnapshotStore {
  /** Encrypts the table, the topic and the queues; none by default (AWS owned / managed keys). */
  readonly key: IKey | undefined;
  readonly table: ITable;

  constructor(scope: Construct, props: SnapshotStoreProps) {
    const { customerManagedKey } = props;
    this.key =
      customerManagedKey === true
        ? new Key(scope, 'Key', {
            description: 'stage-drift: encrypts the snapshot table, the drift topic and the failure queue',
            enableKeyRotation: true,
            // The key must outlive a retained table, or the table's history becomes unreadable.
            removalPolicy: props.removalPolicy,
          })
        : customerManagedKey === false
          ? undefined
          : customerManagedKey;
    // A given key's policy is the caller's: an imported key ignores this (docs/deploy.md, "Encryption").
    if (this.key) allowAlarmsToUseKey(this.key);

    this.table = props.existingTable ?? createTable(scope, this.key, props.removalPolicy);
    if (this.table.tableStreamArn === undefined) {
      throw new ConfigError(
        'existingTable',
        'the table was imported without its stream: import it with ' +
          "Table.fromTableAttributes(this, 'Table', { tableArn, tableStreamArn }) and make sure its stream " +
          'is enabled with NEW_IMAGE (or NEW_AND_OLD_IMAGES)',
      );
    }
  }
}

/**
 * CloudWatch alarms publish to an encrypted topic only if the key lets them: this account's
 * alarms in this region (the topic policy's pattern). Not the alarms by ARN: their names are
 * CloudFormation's, and naming them here would be a cycle (key -> alarms -> topic -> key).
 */
const allowAlarmsToUseKey = (key: IKey): void => {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      // In a key policy, "*" means this key.
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
        },
      },
    }),
  );
};

const createTable = (scope: Construct, key: IKey | undefined, removal: RemovalPolicy): Table => {
  // The layout the store expects, read from its own definition so the two cannot diverge.
  const definition = tableDefinition('unused');
  const keyOf = (
    schema: readonly { AttributeName?: string; KeyType?: string }[] | undefined,
    type: string,
  ) => {
    const name = schema?.find((k) => k.KeyType === type)?.AttributeName;
    if (name === undefined) throw new Error(`tableDefinition() has no ${type} key`);
    return { name, type: AttributeType.STRING };
  };
  const table = new Table(scope, 'Table', {
    partitionKey: keyOf(definition.KeySchema, 'HASH'),
    sortKey: keyOf(definition.KeySchema, 'RANGE'),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    stream: StreamViewType.NEW_IMAGE,
    timeToLiveAttribute: TTL_ATTRIBUTE,
    // Without a key of ours, DynamoDB's AWS owned key: no key-month, no KMS requests.
    ...(key
      ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: key }
      : { encryption: TableEncryption.DEFAULT }),
    removalPolicy: removal,
    deletionProtection: removal !== RemovalPolicy.DESTROY,
  });
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    if (index.IndexName !== GSI1_NAME || index.Projection?.ProjectionType !== 'ALL') {
      throw new Error(`tableDefinition() has an index the construct does not know: ${index.IndexName}`);
    }
    table.addGlobalSecondaryIndex({
      indexName: GSI1_NAME,
      partitionKey: keyOf(index.KeySchema, 'HASH'),
      sortKey: keyOf(index.KeySchema, 'RANGE'),
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
};
