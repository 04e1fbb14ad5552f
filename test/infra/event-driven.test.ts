import {
  API_GATEWAY_STAGE_CALLS_PATTERN,
  STAGE_CHANGE_EVENT_PATTERN,
  WAF_STAGE_ASSOCIATION_PATTERN,
} from '../../shared/attribution';
import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ENV } from '../../shared/config';
import { OutOfBandMode } from '../../infra/monitor-structs';
import { logicalId, roleStatements } from './support/policies';
import { synthMonitor } from './support/synth';

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const PARTITION = 'arn:<AWS::Partition>';
const API_ID = '??????????';
const rescanReads = (region: string) =>
  [`/restapis/${API_ID}`, `/restapis/${API_ID}/stages`, `/apis/${API_ID}`, `/apis/${API_ID}/stages`].map(
    (path) => `${PARTITION}:apigateway:${region}::${path}`,
  );

describe('StageDriftMonitor event-driven rescans (eventDrivenRescans, default true)', () => {
  // With the monitor's own key: the rules' key policy statement and the roles' key grants.
  const { template, monitor } = synthMonitor({ customerManagedKey: true });
  const snapshotId = logicalId(template, 'AWS::Lambda::Function', 'MonitorSnapshotFunction');
  const rescanId = logicalId(template, 'AWS::Lambda::Function', 'MonitorRescanFunction');
  const rescanRoleId = logicalId(template, 'AWS::IAM::Role', 'MonitorRescanFunctionRole');
  const tableId = logicalId(template, 'AWS::DynamoDB::Table', 'MonitorTable');
  const queueId = logicalId(template, 'AWS::SQS::Queue', 'MonitorEventsQueue');
  const failureQueueId = logicalId(template, 'AWS::SQS::Queue', 'MonitorFailureQueue');
  const keyId = logicalId(template, 'AWS::KMS::Key', 'MonitorKey');

  it("routes the two halves of STAGE_CHANGE_EVENT_PATTERN (CDK's EventPattern has no $or) to the queue, dead letters to the failure queue", () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules.map((r): unknown => r.Properties.EventPattern)).toEqual([
      plain(API_GATEWAY_STAGE_CALLS_PATTERN),
      plain(WAF_STAGE_ASSOCIATION_PATTERN),
    ]);
    expect(STAGE_CHANGE_EVENT_PATTERN.$or).toEqual([
      API_GATEWAY_STAGE_CALLS_PATTERN,
      WAF_STAGE_ASSOCIATION_PATTERN,
    ]);
    for (const rule of rules) {
      expect(rule.Properties.State).toBe('ENABLED');
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [failureQueueId, 'Arn'] } },
        }),
      ]);
    }
  });

  it('uses an encrypted standard queue with TLS enforced and the failure queue as its dead-letter queue after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      // Six times the rescan function's 5-minute timeout (AWS's guidance for Lambda event sources).
      VisibilityTimeout: 1800,
      MessageRetentionPeriod: 86400,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [failureQueueId, 'Arn'] }, maxReceiveCount: 5 },
    });
    const queue = template.findResources('AWS::SQS::Queue')[queueId]!;
    expect(queue.Properties.FifoQueue).toBeUndefined();
    // No dead-letter queue of its own: the failure queue and the events queue are the only queues.
    expect(Object.keys(template.findResources('AWS::SQS::Queue'))).toEqual([failureQueueId, queueId]);
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')).filter((p) =>
      JSON.stringify(p.Properties.Queues).includes(queueId),
    );
    const statements = policies.flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[],
    );
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } }),
      ]),
    );
  });

  it('lets only its two rules send to the queue, so no other rule can forge CloudTrail events into it, and their dead letters to the failure queue', () => {
    const ruleIds = Object.keys(template.findResources('AWS::Events::Rule'));
    expect(ruleIds).toHaveLength(2);
    const statements = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
      .filter((p) => JSON.stringify(p.Properties.Queues).includes(queueId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
    expect(statements).toContainEqual({
      Sid: 'OnlyTheStageChangeRules',
      Effect: 'Deny',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      Condition: { ArnNotEquals: { 'aws:SourceArn': ruleIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) } },
    });
    // The failure queue: EventBridge may send the two rules' dead letters, nothing else.
    const failureAllows = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
      .filter((p) => JSON.stringify(p.Properties.Queues).includes(failureQueueId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[])
      .filter((st) => st.Effect === 'Allow');
    expect(failureAllows).toEqual([
      {
        Sid: 'AllowTheStageChangeRulesDeadLetters',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [failureQueueId, 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) } },
      },
    ]);
  });

  it('feeds the queue to the rescan function in batches of 100 gathered for 20 s, at most 2 at once, reporting item failures', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (m) =>
        JSON.stringify(m.Properties.EventSourceArn) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] }),
    );
    expect(mappings.map((m): unknown => m.Properties)).toEqual([
      {
        FunctionName: { Ref: rescanId },
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 20,
        ScalingConfig: { MaximumConcurrency: 2 },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      },
    ]);
  });

  it('runs the rescans in a function of their own: own handler, log group and role, no reserved concurrency, 5 minutes', () => {
    const fn = template.findResources('AWS::Lambda::Function')[rescanId]!;
    expect(fn.Properties).toMatchObject({
      Description: 'stage-drift: rescans the APIs named by CloudTrail stage-change events',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 300,
      MemorySize: 256,
      Role: { 'Fn::GetAtt': [rescanRoleId, 'Arn'] },
      LoggingConfig: {
        LogGroup: { Ref: logicalId(template, 'AWS::Logs::LogGroup', 'MonitorRescanFunctionLogGroup') },
      },
    });
    // The mapping bounds it (a mapping does not see reserved concurrency and would be throttled by it).
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(monitor.rescanFunction).toBeDefined();
    // The full scan keeps its reserved concurrency of 1 and consumes no queue.
    const snapshot = template.findResources('AWS::Lambda::Function')[snapshotId]!;
    expect(snapshot.Properties.ReservedConcurrentExecutions).toBe(1);
    template.resourcePropertiesCountIs(
      'AWS::Lambda::EventSourceMapping',
      { FunctionName: { Ref: snapshotId } },
      0,
    );
  });

  it('gives the rescan function the scan settings, the queue ARN and the failure queue URL, and the snapshot function no queue ARN', () => {
    const fn = template.findResources('AWS::Lambda::Function')[rescanId]!;
    expect(fn.Properties.Environment.Variables).toEqual({
      POWERTOOLS_SERVICE_NAME: 'stage-drift-rescan',
      POWERTOOLS_METRICS_NAMESPACE: 'StageDrift',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      [ENV.table]: { Ref: tableId },
      [ENV.requestsPerSecond]: '3',
      [ENV.burst]: '10',
      [ENV.concurrency]: '4',
      [ENV.retentionDays]: '365',
      [ENV.eventsQueueArn]: { 'Fn::GetAtt': [queueId, 'Arn'] },
      [ENV.failureQueueUrl]: { Ref: failureQueueId },
    });
    const snapshot = template.findResources('AWS::Lambda::Function')[snapshotId]!;
    expect(snapshot.Properties.Environment.Variables).not.toHaveProperty(ENV.eventsQueueArn);
    expect(monitor.eventsQueue).toBeDefined();
  });

  it('lets the rescan function GET single APIs and their stages, use its table, consume the events queue and report to the failure queue, nothing else', () => {
    expect(roleStatements(template, rescanRoleId)).toEqual([
      `Allow apigateway:GET on ${rescanReads('<AWS::Region>').join(' ')}`,
      'Allow dynamodb:BatchGetItem,dynamodb:DeleteItem,dynamodb:GetItem,dynamodb:PutItem,dynamodb:Query,' +
        `dynamodb:UpdateItem on <${tableId}.Arn>`,
      `Allow dynamodb:Query on <${tableId}.Arn>/index/GSI1`,
      `Allow kms:Decrypt on <${keyId}.Arn>`,
      `Allow kms:Decrypt,kms:DescribeKey,kms:Encrypt,kms:GenerateDataKey* on <${keyId}.Arn>`,
      // The failure queue's producer actions on its key (QUEUE_SEND_KEY_ACTIONS).
      `Allow kms:Decrypt,kms:GenerateDataKey on <${keyId}.Arn>`,
      `Allow logs:CreateLogStream,logs:PutLogEvents on <${logicalId(template, 'AWS::Logs::LogGroup', 'MonitorRescanFunctionLogGroup')}.Arn>`,
      'Allow sqs:ChangeMessageVisibility,sqs:DeleteMessage,sqs:GetQueueAttributes,sqs:GetQueueUrl,sqs:ReceiveMessage ' +
        `on <${queueId}.Arn>`,
      `Allow sqs:SendMessage on <${failureQueueId}.Arn>`,
    ]);
    const role = template.findResources('AWS::IAM::Role')[rescanRoleId]!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('grants the rescan function the single-API paths in each configured region', () => {
    const { template: t } = synthMonitor({ regions: ['eu-west-1', 'us-east-1'] });
    const roleId = logicalId(t, 'AWS::IAM::Role', 'MonitorRescanFunctionRole');
    expect(roleStatements(t, roleId)[0]).toBe(
      `Allow apigateway:GET on ${[...rescanReads('eu-west-1'), ...rescanReads('us-east-1')].join(' ')}`,
    );
    t.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('rescans'),
      Environment: { Variables: Match.objectLike({ [ENV.regions]: 'eu-west-1,us-east-1' }) },
    });
  });

  it('watches rescan failures through the failure queue in the dead letters alarm, with no Errors or ScanFailures metric', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const deadLetters = alarms[logicalId(template, 'AWS::CloudWatch::Alarm', 'MonitorDeadLettersAlarm')]!;
    // No rescan Errors metric: a failing batch ends in the failure queue after its deliveries
    // (docs/deploy.md, "Alarms"), and the handler reports what it could not read there itself.
    expect(deadLetters.Properties.Metrics).toEqual([
      expect.objectContaining({ Id: 'expr_1', Expression: 'FILL(failures, 0)' }),
      expect.objectContaining({
        Id: 'failures',
        MetricStat: expect.objectContaining({
          Metric: expect.objectContaining({
            Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [failureQueueId, 'QueueName'] } }],
          }),
        }),
      }),
    ]);
    expect(JSON.stringify(alarms)).not.toContain(JSON.stringify({ Ref: rescanId }));
    expect(JSON.stringify(alarms)).not.toContain('ScanFailures');
    expect(JSON.stringify(alarms)).not.toContain('"Errors"');
    expect(Object.keys(monitor.alarms)).toHaveLength(3);
    expect(monitor.eventsDeadLetterQueue).toBe(monitor.failureQueue);
  });

  it('acknowledges the cdk-nag findings of the rescan role, and only those it has', () => {
    const findings = (stack: Stack) =>
      new AwsSolutionsChecks()
        .validateScope(stack)
        .violations.map(
          (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
        );
    const clean = synthMonitor({ regions: ['eu-west-1', 'us-east-1'] });
    expect(findings(clean.stack)).toEqual([]);
    // A wildcard the rescan role was not given is still reported (the acknowledgements are exact).
    const live = synthMonitor({ customerManagedKey: true });
    live.monitor.table.grantFullAccess(live.monitor.rescanFunction!);
    const at = 'at Test/Monitor/RescanFunction/Role/DefaultPolicy/Resource';
    expect(findings(live.stack)).toEqual([
      `AwsSolutions-IAM5[Action::dynamodb:*] ${at}`,
      `AwsSolutions-IAM5[Resource::<${tableId}.Arn>/index/*] ${at}`,
      `AwsSolutions-IAM5[Action::kms:ReEncrypt*] ${at}`,
    ]);
  });

  it('creates no rule, events queue or rescan function when turned off, and the snapshot role keeps LookupEvents and the failure queue', () => {
    const off = synthMonitor({ eventDrivenRescans: false });
    off.template.resourceCountIs('AWS::Events::Rule', 0);
    const offFailureQueueId = logicalId(off.template, 'AWS::SQS::Queue', 'MonitorFailureQueue');
    expect(Object.keys(off.template.findResources('AWS::SQS::Queue'))).toEqual([offFailureQueueId]);
    expect(off.monitor.eventsQueue).toBeUndefined();
    expect(off.monitor.eventsDeadLetterQueue).toBeUndefined();
    expect(off.monitor.eventTargetDeadLetterQueue).toBeUndefined();
    expect(off.monitor.rescanFunction).toBeUndefined();
    expect(JSON.stringify(off.template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('Rescan');
    expect(Object.keys(off.template.findResources('AWS::Lambda::Function'))).toHaveLength(2);
    const fn = off.template.findResources('AWS::Lambda::Function')[snapshotId]!;
    expect(fn.Properties.Environment.Variables).not.toHaveProperty(ENV.eventsQueueArn);
    const roleId = logicalId(off.template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole');
    expect(roleStatements(off.template, roleId)).toContain('Allow cloudtrail:LookupEvents on *');
    // The failure reports only (no events queue to consume).
    expect(roleStatements(off.template, roleId).filter((s) => s.includes('sqs:'))).toEqual([
      `Allow sqs:SendMessage on <${offFailureQueueId}.Arn>`,
    ]);
    // Nothing but the failure queue's TLS policy: no rule may send to it.
    expect(
      Object.values(off.template.findResources('AWS::SQS::QueuePolicy')).flatMap(
        (p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[],
      ),
    ).toEqual([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  it('passes outOfBand to both scanning functions only when it is not off, and rejects an unknown mode', () => {
    const envOf = (t: typeof template, id: string) =>
      t.findResources('AWS::Lambda::Function')[id]!.Properties.Environment.Variables as Record<
        string,
        unknown
      >;
    const suppress = synthMonitor({ outOfBand: OutOfBandMode.SUPPRESS }).template;
    for (const id of [snapshotId, rescanId]) {
      expect(envOf(template, id)).not.toHaveProperty(ENV.outOfBand);
      expect(envOf(suppress, id)[ENV.outOfBand]).toBe('suppress');
    }
    expect(() => synthMonitor({ outOfBand: 'mute' as never })).toThrow(/outOfBand.*off, suppress, downgrade/);
  });
});
