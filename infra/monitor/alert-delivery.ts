import { Duration, Names } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
// Plain data: the filter the publish function is written for.
import { DRIFT_STREAM_FILTER } from '../../shared/notify/stream-filter';
import { encodeEnvironment } from '../../shared/config/encode-environment';
import { grantSendTo, grantTableKey } from '../grants';
import { FUNCTION_MEMORY_MB, MonitorFunction } from '../monitor-function';
import type { MonitorSettings, SlackSecretRef } from '../monitor-settings';
import { acknowledgeKeyGrant } from '../nag-acknowledgements';
import { DELIVERY_PK_PREFIX, PUBLISH_ENTRY, PUBLISH_SERVICE } from '../runtime-contract';

/** Stream batches: retries before a batch (bisected down to one record) goes to the failure queue. */
export const STREAM_RETRY_ATTEMPTS = 3;

export interface AlertDeliveryProps {
  readonly settings: Pick<
    MonitorSettings,
    'slackSecret' | 'slackMinSeverity' | 'slackDigestThreshold' | 'logRetention' | 'driftMetrics'
  >;
  /** Its stream carries the drift events; it holds the delivery marks. */
  readonly table: ITable;
  /** Where every drift event is published. */
  readonly topic: ITopic;
  /** Where stream batches go that could not be delivered after their retries. */
  readonly failureQueue: IQueue;
}

/**
 * The delivery of drift events: the publish function, created in `scope` as `PublishFunction`, fed
 * by the table's stream (drift events only), publishing to the topic and, with a webhook secret
 * (imported as `SlackWebhookSecret`), to Slack. Batches it cannot deliver go to the failure queue.
 * Its role reads this stream, publishes to this topic, reads this secret, and touches no item of
 * the table but its delivery marks.
 */
export class AlertDelivery {
  readonly publish: MonitorFunction;

  constructor(scope: Construct, { settings, table, topic, failureQueue }: AlertDeliveryProps) {
    const secret = importSlackSecret(scope, settings.slackSecret);
    // `PUBLISH_ENV`, encoded by the settings table; in this order, which is the template's.
    const environment = encodeEnvironment({
      topicArn: topic.topicArn,
      table: table.tableName,
      slackMinSeverity: settings.slackMinSeverity,
      slackDigestThreshold: settings.slackDigestThreshold,
      failureQueueUrl: failureQueue.queueUrl,
      slackSecretArn: secret?.secretArn,
      // Left out when off (unsetAtDefault): the template of a monitor without them is unchanged.
      driftMetrics: settings.driftMetrics,
    });

    const publish = new MonitorFunction(scope, 'PublishFunction', {
      entry: PUBLISH_ENTRY,
      description: 'stage-drift: publishes drift events to SNS and Slack',
      serviceName: PUBLISH_SERVICE,
      // Slack pacing (1 msg/s) and Retry-After waits (up to 30 s, 3 times) must fit in one invocation.
      timeout: Duration.minutes(5),
      memorySize: FUNCTION_MEMORY_MB.publish,
      environment,
      logRetention: settings.logRetention,
    });
    const fn = publish.function;
    addDriftStream(publish, table, failureQueue);
    topic.grantPublish(fn);
    secret?.grantRead(fn);
    // The function's own sends and the mapping's on-failure destination, both with the role.
    grantSendTo(publish.role, failureQueue);
    // Delivery marks (one item per delivered event and channel, `PK = DELIVERY#<eventId>`): batch
    // read and conditional put, on those items only. The LeadingKeys condition keeps the function
    // away from snapshots, history and drift events, which it reads from the stream alone.
    publish.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadWriteDeliveryMarks',
        actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${DELIVERY_PK_PREFIX}*`] } },
      }),
    );
    grantTableKey(publish.role, table);
    acknowledgeKeyGrant(publish, 'the table, its stream and the topic');
    this.publish = publish;
  }
}

/**
 * The stream of drift events -> the publish function, as CDK's `DynamoEventSource` sets it up
 * (the same construct id, so the same mapping) but with its grants written here: the stream
 * reads on this stream, `dynamodb:ListStreams` (no resource-level permissions) in a policy of
 * its own, and the failure queue as the on-failure destination without CDK's SQS grant.
 */
const addDriftStream = (publish: MonitorFunction, table: ITable, failureQueue: IQueue): void => {
  const streamArn = table.tableStreamArn;
  if (streamArn === undefined) throw new Error('the table has no stream (checked by SnapshotStore)');
  publish.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadDriftStream',
      actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      resources: [streamArn],
    }),
  );
  publish.allowOnEveryResource(
    'ListStreamsPolicy',
    { sid: 'ListStreams', actions: ['dynamodb:ListStreams'] },
    'dynamodb:ListStreams, which the stream event source mapping calls, cannot be scoped to a resource ' +
      '(AWS does not support resource-level permissions for it); it lists stream ARNs only. Reading ' +
      'records is scoped to this table’s stream.',
  );
  publish.function.addEventSourceMapping(`DynamoDBEventSource:${Names.nodeUniqueId(table.node)}`, {
    eventSourceArn: streamArn,
    startingPosition: StartingPosition.TRIM_HORIZON,
    batchSize: 25,
    filters: [FilterCriteria.filter(DRIFT_STREAM_FILTER)],
    bisectBatchOnError: true,
    retryAttempts: STREAM_RETRY_ATTEMPTS,
    reportBatchItemFailures: true,
    onFailure: { bind: () => ({ destination: failureQueue.queueArn }) },
  });
};

const importSlackSecret = (scope: Construct, ref: SlackSecretRef | undefined): ISecret | undefined => {
  if (ref === undefined) return undefined;
  switch (ref.kind) {
    case 'name':
      return Secret.fromSecretNameV2(scope, 'SlackWebhookSecret', ref.name);
    case 'completeArn':
      return Secret.fromSecretCompleteArn(scope, 'SlackWebhookSecret', ref.arn);
    case 'partialArn':
      return Secret.fromSecretPartialArn(scope, 'SlackWebhookSecret', ref.arn);
  }
};
