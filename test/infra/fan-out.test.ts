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
      customerManagedKey: true,
    });
    const keyId = logicalId(template, 'AWS::KMS::Key', 'MonitorKey');
    const queueId = logicalId(template, 'AWS::SQS::Queue', 'MonitorTaskQueue');
    const dlqId = logicalId(template, 'AWS::SQS::Queue', 'MonitorTaskDeadLetterQueue');
    const failureQueueId = logicalId(template, 'AWS::SQS::Queue', 'MonitorFailureQueue');
    const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole');
    const plannerId = logicalId(template, 'AWS::Lambda::Function', 'MonitorPlannerFunction');
    const plannerRoleId = logicalId(template, 'AWS::IAM::Role', 'MonitorPlannerFunctionRole');

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
      const scanner = template.findResources('AWS::Lambda::Function', {
        Properties: { Description: 'stage-drift: scans API Gateway stages and records drift' },
      });
      const [props] = Object.values(scanner).map(
        (r) => r.Properties as { ReservedConcurrentExecutions: number; Environment: { Variables: object } },
      );
      expect(props?.ReservedConcurrentExecutions).toBe(20);
      // The consumer checks each task against the targets (a task queue is an input, not trusted).
      expect(props!.Environment.Variables).toMatchObject({
        STAGE_DRIFT_TASK_QUEUE_URL: { Ref: queueId },
        STAGE_DRIFT_EXTERNAL_ID: 'stage-drift-7f3a',
        STAGE_DRIFT_TARGET_ACCOUNTS: '111122223333,444455556666',
        STAGE_DRIFT_TARGET_OU: OU,
        STAGE_DRIFT_READER_ROLE_NAME: 'StageDriftReader',
      });
    });

    it('plans in a function of its own: the targets, one at a time, its failures to the failure queue', () => {
      const planner = template.toJSON().Resources[plannerId].Properties;
      expect(planner).toMatchObject({
        Description: 'stage-drift: plans one scan task per account and region (fan-out)',
        Handler: 'index.handler',
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 128,
        Timeout: 300,
        ReservedConcurrentExecutions: 1,
      });
      expect(planner.Environment.Variables).toEqual({
        POWERTOOLS_SERVICE_NAME: 'stage-drift-planner',
        POWERTOOLS_METRICS_NAMESPACE: 'StageDrift',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        STAGE_DRIFT_TABLE: { Ref: logicalId(template, 'AWS::DynamoDB::Table', 'MonitorTable') },
        STAGE_DRIFT_REGIONS: 'eu-west-1,us-east-1',
        STAGE_DRIFT_TASK_QUEUE_URL: { Ref: queueId },
        STAGE_DRIFT_READER_ROLE_NAME: 'StageDriftReader',
        STAGE_DRIFT_TARGET_ACCOUNTS: '111122223333,444455556666',
        STAGE_DRIFT_TARGET_OU: OU,
      });
      // The schedule's target: a failed or expired run (one period, clamped to 1 minute..6 hours)
      // goes to the failure queue, which the dead letters alarm watches.
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: plannerId },
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 900,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failureQueueId, 'Arn'] } } },
      });
      // No alarm reads the planner's Errors: only the heartbeat reads it, for its Invocations.
      const alarms = template.findResources('AWS::CloudWatch::Alarm');
      const readingPlanner = Object.keys(alarms).filter((id) =>
        JSON.stringify(alarms[id]?.Properties).includes(JSON.stringify({ Ref: plannerId })),
      );
      expect(readingPlanner).toEqual([
        logicalId(template, 'AWS::CloudWatch::Alarm', 'MonitorHeartbeatAlarm'),
      ]);
      expect(JSON.stringify(alarms)).not.toContain('"Errors"');
    });

    it('schedules the planner and passes it the scheduled time and the period, to name the tick', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: {
          Arn: { 'Fn::GetAtt': [plannerId, 'Arn'] },
          Input: JSON.stringify({
            source: 'stage-drift.schedule',
            scheduledTime: '<aws.scheduler.scheduled-time>',
            periodMinutes: 15,
          }),
        },
      });
      expect(roleStatements(template, logicalId(template, 'AWS::IAM::Role', 'MonitorScheduleRole'))).toEqual([
        `Allow lambda:InvokeFunction on <${plannerId}.Arn> <${plannerId}.Arn>:*`,
      ]);
    });

    it("grants the planner exactly: the OU tree's listing, sending to the task queue and to the failure queue", () => {
      expect(roleStatements(template, plannerRoleId)).toEqual([
        `Allow kms:Decrypt,kms:GenerateDataKey on <${keyId}.Arn>`,
        `Allow logs:CreateLogStream,logs:PutLogEvents on <${logicalId(template, 'AWS::Logs::LogGroup', 'MonitorPlannerFunctionLogGroup')}.Arn>`,
        'Allow organizations:ListAccountsForParent,organizations:ListOrganizationalUnitsForParent on *',
        // Lambda's on-failure record of a failed or expired run, sent with the planner's role.
        `Allow sqs:SendMessage on <${failureQueueId}.Arn>`,
        `Allow sqs:SendMessage on <${queueId}.Arn>`,
      ]);
    });

    it('grants the scanner exactly: AssumeRole on the reader roles, the task queue and the failure queue, besides the scan; no Organizations', () => {
      const lines = roleStatements(template, roleId);
      const role = (account: string) => `arn:<AWS::Partition>:iam::${account}:role/StageDriftReader`;
      expect(lines).toEqual(
        expect.arrayContaining([
          `Allow sts:AssumeRole on ${role('111122223333')} ${role('444455556666')}`,
          `Allow sts:AssumeRole on ${role('*')} if {"ForAnyValue:StringLike":{"aws:ResourceOrgPaths":["*/${OU}/*"]}}`,
          `Allow sqs:SendMessage on <${queueId}.Arn>`,
          `Allow sqs:ChangeMessageVisibility,sqs:DeleteMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:ReceiveMessage on <${queueId}.Arn>`,
        ]),
      );
      expect(lines.filter((l) => l.includes('sts:') || l.includes('organizations:'))).toHaveLength(2);
      expect(lines.filter((l) => l.includes('sqs:'))).toEqual([
        `Allow sqs:ChangeMessageVisibility,sqs:DeleteMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:ReceiveMessage on <${queueId}.Arn>`,
        // What a task's scan could not read.
        `Allow sqs:SendMessage on <${failureQueueId}.Arn>`,
        `Allow sqs:SendMessage on <${queueId}.Arn>`,
      ]);
    });

    it('alarms on the task dead-letter queue (in the dead letters alarm, beside the failure queue)', () => {
      const deadLetters = logicalId(template, 'AWS::CloudWatch::Alarm', 'MonitorDeadLettersAlarm');
      const metrics = template.findResources('AWS::CloudWatch::Alarm')[deadLetters]?.Properties.Metrics;
      expect(JSON.stringify(metrics)).toContain(JSON.stringify({ 'Fn::GetAtt': [dlqId, 'QueueName'] }));
      expect(JSON.stringify(metrics)).toContain(
        JSON.stringify({ 'Fn::GetAtt': [failureQueueId, 'QueueName'] }),
      );
      // FIFO, as the task queue's dead-letter queue must be: it cannot be the (standard) failure queue.
      expect(metrics[0]).toMatchObject({ Id: 'expr_1', Expression: 'FILL(failures, 0) + FILL(tasks, 0)' });
    });

    it('is cdk-nag clean', () => {
      expect(findings(stack)).toEqual([]);
    });
  });

  it('lists no OU and assumes only the listed accounts without an OU', () => {
    const { stack, template } = synthMonitor({
      targetAccounts: ['111122223333'],
      externalId: 'stage-drift-7f3a',
    });
    const lines = roleStatements(
      template,
      logicalId(template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole'),
    );
    expect(lines.filter((l) => l.includes('sts:') || l.includes('organizations:'))).toEqual([
      'Allow sts:AssumeRole on arn:<AWS::Partition>:iam::111122223333:role/StageDriftReader',
    ]);
    const planner = roleStatements(
      template,
      logicalId(template, 'AWS::IAM::Role', 'MonitorPlannerFunctionRole'),
    );
    expect(planner.filter((l) => !l.includes('logs:') && !l.includes('kms:'))).toEqual([
      'Allow sqs:SendMessage on <MonitorFailureQueueC5A18B33.Arn>',
      'Allow sqs:SendMessage on <MonitorTaskQueueDE8F64C2.Arn>',
    ]);
    expect(findings(stack)).toEqual([]);
  });

  it("needs no external id when the only target is the monitor's own account (no reader role)", () => {
    const { template } = synthMonitor(
      { targetAccounts: ['111122223333'] },
      { env: { account: '111122223333' } },
    );
    const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole');
    expect(roleStatements(template, roleId).filter((l) => l.includes('sts:'))).toEqual([]);
  });

  it('leaves a single-account monitor without planner, queue, event source or cross-account grants', () => {
    const { monitor, template } = synthMonitor({ eventDrivenRescans: false });
    expect(Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(1); // the stream
    template.resourcePropertiesCountIs('AWS::SQS::Queue', { FifoQueue: true }, 0);
    expect(monitor.plannerFunction).toBeUndefined();
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('Planner');
    const snapshotId = logicalId(template, 'AWS::Lambda::Function', 'MonitorSnapshotFunction');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { Arn: { 'Fn::GetAtt': [snapshotId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'stage-drift: scans API Gateway stages and records drift',
      ReservedConcurrentExecutions: 1,
    });
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
      'target accounts without an external id',
      { targetAccounts: ['111122223333'] },
      /^externalId: required with targetAccounts or targetOrganizationalUnit: every StageDriftReaderRole requires sts:ExternalId; set the reader roles' value, e\.g\. externalId: 'stage-drift-7f3a'/,
    ],
    [
      'an OU without an external id',
      { targetOrganizationalUnit: 'ou-ab12-cd34ef56' },
      /^externalId: required with targetAccounts or targetOrganizationalUnit/,
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
