import {
  API_GATEWAY_STAGE_CALLS_PATTERN,
  STAGE_CHANGE_EVENT_PATTERN,
  WAF_STAGE_ASSOCIATION_PATTERN,
} from '../../shared/attribution';
import { ENV } from '../../shared/config';
import { logicalId, roleStatements } from './support/policies';
import { synthMonitor } from './support/synth';

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('StageDriftMonitor event-driven rescans (eventDrivenRescans, default true)', () => {
  const { template, monitor } = synthMonitor();
  const snapshotId = logicalId(template, 'AWS::Lambda::Function', 'MonitorSnapshotFunction');
  const queueId = logicalId(template, 'AWS::SQS::Queue', 'MonitorEventsQueue');
  const dlqId = logicalId(template, 'AWS::SQS::Queue', 'MonitorEventsDeadLetterQueue');
  const keyId = logicalId(template, 'AWS::KMS::Key', 'MonitorKey');

  it("routes the two halves of STAGE_CHANGE_EVENT_PATTERN (CDK's EventPattern has no $or) to the queue", () => {
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
        expect.objectContaining({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } }),
      ]);
    }
  });

  it('uses an encrypted standard queue with TLS enforced and a dead-letter queue after 5 receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      VisibilityTimeout: 5400,
      MessageRetentionPeriod: 86400,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    const queue = template.findResources('AWS::SQS::Queue')[queueId]!;
    expect(queue.Properties.FifoQueue).toBeUndefined();
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

  it('feeds the queue to the snapshot function in batches of 100 gathered for 20 s, reporting item failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: snapshotId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('tells the snapshot function the queue ARN, and alarms on the dead-letter queue', () => {
    const fn = template.findResources('AWS::Lambda::Function')[snapshotId]!;
    expect(fn.Properties.Environment.Variables[ENV.eventsQueueArn]).toEqual({
      'Fn::GetAtt': [queueId, 'Arn'],
    });
    expect(monitor.eventsQueue).toBeDefined();
    expect(monitor.alarms.eventDeadLetters).toBeDefined();
  });

  it('creates no rule, queue or LookupEvents-free role change when turned off, but keeps attribution', () => {
    const off = synthMonitor({ eventDrivenRescans: false });
    off.template.resourceCountIs('AWS::Events::Rule', 0);
    expect(off.monitor.eventsQueue).toBeUndefined();
    const fn = off.template.findResources('AWS::Lambda::Function')[snapshotId]!;
    expect(fn.Properties.Environment.Variables).not.toHaveProperty(ENV.eventsQueueArn);
    const roleId = logicalId(off.template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole');
    expect(roleStatements(off.template, roleId)).toContain('Allow cloudtrail:LookupEvents on *');
    expect(roleStatements(off.template, roleId).filter((s) => s.includes('sqs:'))).toEqual([]);
  });

  it('passes outOfBand to the function only when it is not off, and rejects an unknown mode', () => {
    const fnOf = (t: typeof template) =>
      t.findResources('AWS::Lambda::Function')[snapshotId]!.Properties.Environment.Variables as Record<
        string,
        unknown
      >;
    expect(fnOf(template)).not.toHaveProperty(ENV.outOfBand);
    expect(fnOf(synthMonitor({ outOfBand: 'suppress' }).template)[ENV.outOfBand]).toBe('suppress');
    expect(() => synthMonitor({ outOfBand: 'mute' as never })).toThrow(/outOfBand.*off, suppress, downgrade/);
  });
});
