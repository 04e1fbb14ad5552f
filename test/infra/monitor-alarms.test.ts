import { Match } from 'aws-cdk-lib/assertions';
import { logicalId } from './support/policies';
import { synthMonitor } from './support/synth';

describe('StageDriftMonitor alarms on the silent failure modes', () => {
  const { template, monitor } = synthMonitor();
  const publishId = logicalId(template, 'AWS::Lambda::Function', 'MonitorPublishFunction');
  const keyId = logicalId(template, 'AWS::KMS::Key', 'MonitorKey');
  const topicId = logicalId(template, 'AWS::SNS::Topic', 'MonitorTopic');

  it('alarms when the publish function falls behind the stream (IteratorAge over 5 minutes for 15 minutes)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: publishId } }],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Threshold: 300_000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('behind'),
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    expect(monitor.alarms.publishIteratorAge).toBeDefined();
  });

  it('gives both rule targets a dead-letter queue: encrypted, 14 days, only the two rules may send to it', () => {
    const dlqId = logicalId(template, 'AWS::SQS::Queue', 'MonitorEventTargetDeadLetterQueue');
    const rules = template.findResources('AWS::Events::Rule');
    expect(Object.keys(rules)).toHaveLength(2);
    for (const rule of Object.values(rules)) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } }),
      ]);
    }
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    const statements = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
      .filter((p) => JSON.stringify(p.Properties.Queues).includes(dlqId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: {
          ArnEquals: { 'aws:SourceArn': Object.keys(rules).map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) },
        },
      }),
    ]);
    expect(monitor.eventTargetDeadLetterQueue).toBeDefined();
  });

  it('alarms on the first event that a rule could not deliver', () => {
    const dlqId = logicalId(template, 'AWS::SQS::Queue', 'MonitorEventTargetDeadLetterQueue');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmDescription: Match.stringLikeRegexp('could not deliver'),
      AlarmActions: [{ Ref: topicId }],
    });
    expect(monitor.alarms.eventTargetDeadLetters).toBeDefined();
  });

  it('adds no target dead-letter queue or its alarm without event-driven rescans', () => {
    const off = synthMonitor({ eventDrivenRescans: false });
    expect(off.monitor.eventTargetDeadLetterQueue).toBeUndefined();
    expect(off.monitor.alarms.eventTargetDeadLetters).toBeUndefined();
    expect(off.monitor.alarms.publishIteratorAge).toBeDefined();
  });
});
