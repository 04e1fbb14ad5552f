import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { GSI1_NAME } from '../shared/store/table-definition';

/**
 * The hand-written grants of the monitor's functions: what each function's code calls and
 * nothing more (CDK's `grantReadWriteData` adds Scan, BatchWriteItem, ConditionCheckItem,
 * DescribeTable, the stream reads and `kms:ReEncrypt*`, which no function calls).
 * test/infra/least-privilege.test.ts greps the code each function's bundle keeps for the DynamoDB
 * commands it sends and checks these lists against it.
 */

/**
 * The store's calls in the scanning functions (snapshot, rescan): shared/store/table-access.ts,
 * scope-registry.ts, fingerprint-key.ts. No transactions (the store is crash-safe without them),
 * no scans, no batch writes.
 */
export const SCAN_TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

/** The publish function's delivery marks (shared/notify/delivery-log.ts): batch read, conditional put. */
export const DELIVERY_MARK_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:PutItem'] as const;

/**
 * The table's customer-managed key, for a principal that reads and writes items: DynamoDB decrypts
 * and encrypts the table key with the caller's permissions and asks for data keys with
 * GenerateDataKey or GenerateDataKeyWithoutPlaintext. No ReEncrypt: nothing here re-encrypts, and
 * key rotation keeps the old key material instead of re-encrypting data.
 */
export const TABLE_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
] as const;

/** SQS producers of an SSE-KMS queue need a data key and to decrypt it (the SQS developer guide). */
export const QUEUE_SEND_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'] as const;

/**
 * The scanning functions' table access: the store's item calls on the table, and Query on GSI1
 * (the store's drift-event listing, in the modules the scan bundles), plus the table key.
 */
export const grantScanTableAccess = (role: IRole, table: ITable): void => {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'StoreItemCalls',
      actions: [...SCAN_TABLE_ACTIONS],
      resources: [table.tableArn],
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'QueryDriftEventsByMonth',
      actions: ['dynamodb:Query'],
      resources: [`${table.tableArn}/index/${GSI1_NAME}`],
    }),
  );
  grantTableKey(role, table);
};

/** {@link TABLE_KEY_ACTIONS} on the table's key, if it has a customer-managed one. */
export const grantTableKey = (role: IRole, table: ITable): void => {
  table.encryptionKey?.grant(role, ...TABLE_KEY_ACTIONS);
};

/**
 * `sqs:SendMessage` (SendMessage and SendMessageBatch; a Lambda on-failure destination too) on
 * one queue, and its key's producer actions: not CDK's `grantSendMessages`, which adds
 * GetQueueAttributes, GetQueueUrl and `kms:ReEncrypt*` that nothing calls.
 */
export const grantSendTo = (role: IRole, queue: IQueue): void => {
  role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
  queue.encryptionMasterKey?.grant(role, ...QUEUE_SEND_KEY_ACTIONS);
};

/** The API Gateway resources a scan reads: list APIs, list each API's stages (v1 and v2). */
export const API_GATEWAY_READ_PATHS = ['/restapis', '/restapis/*/stages', '/apis', '/apis/*/stages'] as const;
/**
 * An API id in an IAM resource: API Gateway's ids (REST, HTTP and WebSocket APIs alike) are 10
 * characters, and IAM's `?` matches exactly one. Not `*`, which also spans `/` and so would reach
 * every resource below an API (`/restapis/{id}/resources/...`, `/apis/{id}/routes/...`).
 */
export const API_ID_PATTERN = '?'.repeat(10);

/**
 * The API Gateway resources a targeted rescan reads: one API (GetRestApi, GetApi) and its stages
 * (GetStages), v1 and v2; never the API lists, and nothing below an API but its stage list.
 */
export const RESCAN_API_GATEWAY_READ_PATHS = [
  `/restapis/${API_ID_PATTERN}`,
  `/restapis/${API_ID_PATTERN}/stages`,
  `/apis/${API_ID_PATTERN}`,
  `/apis/${API_ID_PATTERN}/stages`,
] as const;

/**
 * `paths` in every region of `regions`, as API Gateway ARNs: the resources of the hand-written
 * `apigateway:GET` statements (the only grant CDK has no method for).
 */
export const apiGatewayArns = (
  scope: IConstruct,
  regions: readonly string[],
  paths: readonly string[],
): string[] => {
  const partition = Stack.of(scope).partition;
  return regions.flatMap((region) => paths.map((p) => `arn:${partition}:apigateway:${region}::${p}`));
};

/**
 * `securityhub:BatchImportFindings` on the account's default product in each region of
 * `regions` (`securityHubFindings`): the findings of the stages the function scans go to their
 * region's Security Hub, as the account's own product (shared/findings). Nothing else of
 * Security Hub: no reads, no workflow updates.
 */
export const grantSecurityHubImport = (scope: IConstruct, role: IRole, regions: readonly string[]): void => {
  const { partition, account } = Stack.of(scope);
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ImportSecurityHubFindings',
      actions: ['securityhub:BatchImportFindings'],
      resources: regions.map(
        (region) => `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`,
      ),
    }),
  );
};
