import { isKnownRegion, partitionOf } from './regions';

/**
 * The one rule for each kind of AWS name or ARN the settings take, so the construct, the `-c`
 * context and the functions' environment accept the same values. An ARN's region must be a known
 * one (regions.ts) and its partition that region's.
 */

/** DynamoDB's rule for table names. */
export const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

const TABLE_NAME_PART = '[A-Za-z0-9_.-]{3,255}';

/**
 * What follows `arn:<partition>:<service>:<region>:<account>:` for each kind. SNS topic and SQS
 * queue names count their `.fifo` suffix in their limits (256 and 80 characters).
 */
const RESOURCES = {
  snsTopic: { service: 'sns', resource: /^(?:[A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\.fifo)$/ },
  sqsQueue: { service: 'sqs', resource: /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/ },
  /** A secret's name (`secret:<name>`), with the 6-character suffix for a complete ARN. */
  secret: { service: 'secretsmanager', resource: /^secret:[A-Za-z0-9/_+=.@-]{1,512}$/ },
  dynamodbTable: { service: 'dynamodb', resource: new RegExp(`^table/${TABLE_NAME_PART}$`) },
  dynamodbStream: { service: 'dynamodb', resource: new RegExp(`^table/${TABLE_NAME_PART}/stream/[^\\s/]+$`) },
  kmsKey: { service: 'kms', resource: /^key\/[A-Za-z0-9-]+$/ },
} as const;

export type ArnKind = keyof typeof RESOURCES;

/** The shape of each kind, for messages. */
export const ARN_SHAPES: Readonly<Record<ArnKind, string>> = {
  snsTopic: 'arn:aws:sns:<region>:<account>:<topic>',
  sqsQueue: 'arn:aws:sqs:<region>:<account>:<queue>',
  secret: 'arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>',
  dynamodbTable: 'arn:aws:dynamodb:<region>:<account>:table/<name>',
  dynamodbStream: 'arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>',
  kmsKey: 'arn:aws:kms:<region>:<account>:key/<key id>',
};

const ARN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]+):(\d{12}):(.+)$/;

export interface ParsedArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** What follows the account, e.g. `secret:stage-drift/slack-AbC123`. */
  readonly resource: string;
}

/** The parts of an ARN of this kind, or `undefined` when `value` is not one. */
export const parseArn = (kind: ArnKind, value: unknown): ParsedArn | undefined => {
  const match = typeof value === 'string' ? ARN.exec(value) : null;
  if (!match) return undefined;
  const [, partition = '', service, region = '', account = '', resource = ''] = match;
  const rule = RESOURCES[kind];
  if (service !== rule.service || !rule.resource.test(resource)) return undefined;
  if (!isKnownRegion(region) || partitionOf(region) !== partition) return undefined;
  return { partition, region, account, resource };
};

export const isArn = (kind: ArnKind, value: unknown): boolean => parseArn(kind, value) !== undefined;

/** A FIFO topic or queue: its name ends in `.fifo`. */
export const isFifoArn = (arn: string): boolean => arn.endsWith('.fifo');
