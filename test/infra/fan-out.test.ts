import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { logicalId, roleStatements } from './support/policies';
import { constructError, synthMonitor } from './support/synth';

const OU = 'ou-ab12-cd34ef56';
const findings = (stack: Stack) =>
  new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

describe('StageDriftMonitor fan-out (targetAccounts, targetOrganizationalUnit)', () => {
  describe('with two target accounts and an OU', () => {
    const { stack, template } = synthMonitor({
      targetAccounts: ['111122223333', '444455556666'],
      targetOrganizationalUnit: OU,
      externalId: 'stage-drift-7f3a',
      maxConcurrentScans: 20,
      regions: ['eu-west-1', 'us-east-1'],
    });
    const keyId = logicalId(template, 'AWS::KMS::Key', 'MonitorKey');
    const queueId = logicalId(template, 'AWS::SQS::Queue', 'MonitorTaskQueue');
    const dlqId = logicalId(template, 'AWS::SQS::Queue', 'MonitorTaskDeadLetterQueue');
    const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole');

    it('creates a FIFO task queue encrypted with the monitor key, with a FIFO dead-letter queue', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        FifoQueue: true,
        ContentBasedDeduplication: false,
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        VisibilityTimeout: 5400,
        MessageRetentionPeriod: 86400,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        FifoQueue: true,
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        MessageRetentionPeriod: 1209600,
      });
      for (const id of [queueId, dlqId]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('consumes the queue one task at a time with bounded concurrency and item failures', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 1,
        ScalingConfig: { MaximumConcurrency: 20 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'stage-drift: scans API Gateway stages and records drift',
        ReservedConcurrentExecutions: 21,
        Environment: {
          Variables: Match.objectLike({
            STAGE_DRIFT_TASK_QUEUE_URL: { Ref: queueId },
            STAGE_DRIFT_TARGET_ACCOUNTS: '111122223333,444455556666',
            STAGE_DRIFT_TARGET_OU: OU,
            STAGE_DRIFT_READER_ROLE_NAME: 'StageDriftReader',
            STAGE_DRIFT_EXTERNAL_ID: 'stage-drift-7f3a',
          }),
        },
      });
    });

    it('passes the scheduled time to the planner, to name the tick', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: {
          Input: JSON.stringify({
            source: 'stage-drift.schedule',
            scheduledTime: '<aws.scheduler.scheduled-time>',
          }),
        },
      });
    });

    it('grants exactly: AssumeRole on the reader roles, the OU listing, the queue, besides the scan', () => {
      const lines = roleStatements(template, roleId);
      const role = (account: string) => `arn:<AWS::Partition>:iam::${account}:role/StageDriftReader`;
      expect(lines).toEqual(
        expect.arrayContaining([
          `Allow sts:AssumeRole on ${role('111122223333')} ${role('444455556666')}`,
          `Allow sts:AssumeRole on ${role('*')} if {"ForAnyValue:StringLike":{"aws:ResourceOrgPaths":["*/${OU}/*"]}}`,
          'Allow organizations:ListAccountsForParent on *',
          `Allow sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:SendMessage on <${queueId}.Arn>`,
        ]),
      );
      expect(lines.filter((l) => l.includes('sts:') || l.includes('organizations:'))).toHaveLength(3);
    });

    it('alarms on the task dead-letter queue', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        Threshold: 1,
      });
    });

    it('is cdk-nag clean', () => {
      expect(findings(stack)).toEqual([]);
    });
  });

  it('lists no OU and assumes only the listed accounts without an OU', () => {
    const { stack, template } = synthMonitor({ targetAccounts: ['111122223333'] });
    const lines = roleStatements(
      template,
      logicalId(template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole'),
    );
    expect(lines.filter((l) => l.includes('sts:') || l.includes('organizations:'))).toEqual([
      'Allow sts:AssumeRole on arn:<AWS::Partition>:iam::111122223333:role/StageDriftReader',
    ]);
    expect(findings(stack)).toEqual([]);
  });

  it('leaves a single-account monitor without queue, event source or cross-account grants', () => {
    const { template } = synthMonitor({ eventDrivenRescans: false });
    expect(Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(1); // the stream
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { FifoQueue: true }, 0);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a short account id',
      { targetAccounts: ['12345'] },
      /^targetAccounts\[0\]: "12345" is not an AWS account id/,
    ],
    ['an empty account list', { targetAccounts: [] }, /^targetAccounts: empty/],
    [
      'a malformed OU id',
      { targetOrganizationalUnit: 'r-ab12' },
      /^targetOrganizationalUnit: "r-ab12" is not an organizational unit id/,
    ],
    [
      'a bad role name',
      { targetAccounts: ['111122223333'], readerRoleName: 'no spaces' },
      /^readerRoleName: "no spaces" is not an IAM role name/,
    ],
    [
      'a bad external id',
      { targetAccounts: ['111122223333'], externalId: 'x' },
      /^externalId: expected 2 to 1224/,
    ],
    [
      'too few concurrent scans',
      { targetAccounts: ['111122223333'], maxConcurrentScans: 1 },
      /^maxConcurrentScans: expected an integer from 2 to 1000/,
    ],
    [
      'an external id without targets',
      { externalId: 'abc' },
      /^externalId: only used with targetAccounts or targetOrganizationalUnit/,
    ],
  ])('rejects %s, naming the prop', (_, props, message) => {
    expect(constructError(props).message).toMatch(message);
  });
});
