import type { StackProps } from 'aws-cdk-lib';
import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { PlainMonitorProps } from './app-context';
import { StageDriftMonitor } from './stage-drift-monitor';

export interface StageDriftStackProps extends StackProps {
  /** The monitor's props (see StageDriftMonitorProps). @default - every default */
  readonly monitor?: PlainMonitorProps;
  /** Reuse this topic for drift events. @default - a new topic */
  readonly existingTopicArn?: string;
  /** Reuse this table (with `existingTableStreamArn`). @default - a new table */
  readonly existingTableArn?: string;
  /** The stream of `existingTableArn`. @default - required with existingTableArn */
  readonly existingTableStreamArn?: string;
  /** The KMS key of `existingTableArn`, if it has a customer-managed one. @default - none */
  readonly existingTableKeyArn?: string;
  /** Where alarms go. @default - the drift topic */
  readonly operationsTopicArn?: string;
  /** The customer-managed key of the table, topic and queues. @default - see `customerManagedKey` */
  readonly encryptionKeyArn?: string;
}

/** The deployable stack: one StageDriftMonitor and the outputs a user needs next. */
export class StageDriftStack extends Stack {
  readonly monitor: StageDriftMonitor;

  constructor(scope: Construct, id: string, props: StageDriftStackProps = {}) {
    super(scope, id, props);
    const {
      existingTopicArn,
      existingTableArn,
      existingTableStreamArn,
      existingTableKeyArn,
      operationsTopicArn,
      encryptionKeyArn,
    } = props;
    this.monitor = new StageDriftMonitor(this, 'Monitor', {
      ...props.monitor,
      existingTopic: existingTopicArn
        ? Topic.fromTopicArn(this, 'ExistingTopic', existingTopicArn)
        : undefined,
      existingTable: existingTableArn
        ? Table.fromTableAttributes(this, 'ExistingTable', {
            tableArn: existingTableArn,
            tableStreamArn: existingTableStreamArn,
            encryptionKey: existingTableKeyArn
              ? Key.fromKeyArn(this, 'ExistingTableKey', existingTableKeyArn)
              : undefined,
          })
        : undefined,
      operationsTopic: operationsTopicArn
        ? Topic.fromTopicArn(this, 'OperationsTopic', operationsTopicArn)
        : undefined,
      encryptionKey: encryptionKeyArn ? Key.fromKeyArn(this, 'EncryptionKey', encryptionKeyArn) : undefined,
    });
    new CfnOutput(this, 'TableName', {
      description: 'The snapshot table: STAGE_DRIFT_TABLE for the stage-drift CLI',
      value: this.monitor.table.tableName,
    });
    new CfnOutput(this, 'TopicArn', {
      description: 'Drift events (and alarms): subscribe email, SQS, Chatbot or anything else here',
      value: this.monitor.topic.topicArn,
    });
    new CfnOutput(this, 'FailureQueueUrl', {
      description:
        'What failed and is not retried further (DeadLettersAlarm): read, then delete (docs/deploy.md, "The failure queue")',
      value: this.monitor.failureQueue.queueUrl,
    });
    new CfnOutput(this, 'ScanningRoleArns', {
      description:
        "The roles that assume the member accounts' reader roles: the reader-role app's -c monitorRoleArns=<this value>",
      value: Fn.join(
        ',',
        this.monitor.scanningRoles.map((role) => role.roleArn),
      ),
    });
  }
}
