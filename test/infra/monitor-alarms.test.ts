import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { logicalId } from './support/policies';
import { synthMonitor } from './support/synth';

type Resources = Record<string, { Properties: Record<string, unknown> }>;
type Query = { Id: string; Expression?: string; MetricStat?: { Metric: Record<string, unknown> } };

/** What each alarm reads, by its id: `Namespace/MetricName dimension`, and the expression if any. */
const watched = (template: Template): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(template.findResources('AWS::CloudWatch::Alarm') as Resources).map(([id, alarm]) => {
      const p = alarm.Properties;
      const dim = (d: unknown) => JSON.stringify((d as { Value: unknown }[] | undefined)?.[0]?.Value ?? '');
      const queries = (p.Metrics as Query[] | undefined) ?? [
        {
          Id: 'm',
          MetricStat: {
            Metric: { Namespace: p.Namespace, MetricName: p.MetricName, Dimensions: p.Dimensions },
          },
        },
      ];
      return [
        id.replace(/[0-9A-F]{8}$/, ''),
        queries.map((q) =>
          q.Expression
            ? `= ${q.Expression}`
            : `${String(q.MetricStat?.Metric.Namespace)}/${String(q.MetricStat?.Metric.MetricName)} ${dim(q.MetricStat?.Metric.Dimensions)}`,
        ),
      ];
    }),
  );

describe('StageDriftMonitor alarms: the fewest that page on every failure mode', () => {
  const { template, monitor } = synthMonitor();
  const publishId = logicalId(template, 'AWS::Lambda::Function', 'MonitorPublishFunction');
  const snapshotId = logicalId(template, 'AWS::Lambda::Function', 'MonitorSnapshotFunction');
  const topicId = logicalId(template, 'AWS::SNS::Topic', 'MonitorTopic');
  const queue = (prefix: string) => ({
    'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', prefix), 'QueueName'],
  });

  it('has four alarms, each reading what the failure modes table of docs/deploy.md says', () => {
    expect(watched(template)).toEqual({
      MonitorHeartbeatAlarm: [`AWS/Lambda/Invocations ${JSON.stringify({ Ref: snapshotId })}`],
      // No rescan Errors: a failing rescan batch ends in the events dead-letter queue (DeadLettersAlarm).
      MonitorScanErrorsAlarm: [
        '= FILL(snapshot, 0) + FILL(failures, 0)',
        `AWS/Lambda/Errors ${JSON.stringify({ Ref: snapshotId })}`,
        'StageDrift/ScanFailures "stage-drift-snapshot"',
      ],
      MonitorPublishIteratorAgeAlarm: [`AWS/Lambda/IteratorAge ${JSON.stringify({ Ref: publishId })}`],
      MonitorDeadLettersAlarm: [
        // One dead-letter queue for the whole event path: the events queue's and the rules' target's.
        '= FILL(failures, 0) + FILL(events, 0)',
        `AWS/SQS/ApproximateNumberOfMessagesVisible ${JSON.stringify(queue('MonitorFailureQueue'))}`,
        `AWS/SQS/ApproximateNumberOfMessagesVisible ${JSON.stringify(queue('MonitorEventsDeadLetterQueue'))}`,
      ],
    });
    expect(Object.keys(monitor.alarms).sort()).toEqual([
      'deadLetters',
      'heartbeat',
      'publishIteratorAge',
      'scanErrors',
    ]);
  });

  it('beats from the Invocations of the schedule target: two schedule periods without one alarm, missing data breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Statistic: 'Sum',
      Period: 900,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
  });

  it('pages on the first error or scan failure, and on the first dead letter, in a 5-minute period', () => {
    for (const id of ['ScanErrorsAlarm', 'DeadLettersAlarm']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([Match.objectLike({ Id: 'expr_1', Label: id, ReturnData: true })]),
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId }],
        OKActions: [{ Ref: topicId }],
      });
    }
    const periods = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources)
      .flatMap((a) => (a.Properties.Metrics as { MetricStat?: { Period: number } }[] | undefined) ?? [])
      .flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : []));
    expect(new Set(periods)).toEqual(new Set([300]));
  });

  it('in fan-out mode beats on the planner and the snapshot function, and watches the planner and the task dead letters', () => {
    const fanOut = synthMonitor({
      targetAccounts: ['111122223333'],
      externalId: 'stage-drift-7f3a',
    }).template;
    const alarms = watched(fanOut);
    expect(Object.keys(alarms).sort()).toEqual([
      'MonitorDeadLettersAlarm',
      'MonitorHeartbeatAlarm',
      'MonitorPublishIteratorAgeAlarm',
      'MonitorScanErrorsAlarm',
    ]);
    expect(alarms.MonitorHeartbeatAlarm?.[0]).toBe('= MIN([FILL(planner, 0), FILL(snapshot, 0)])');
    expect(alarms.MonitorScanErrorsAlarm?.[0]).toBe(
      '= FILL(snapshot, 0) + FILL(planner, 0) + FILL(failures, 0)',
    );
    expect(alarms.MonitorDeadLettersAlarm?.[0]).toBe(
      '= FILL(failures, 0) + FILL(tasks, 0) + FILL(events, 0)',
    );
  });

  it('without event-driven rescans watches no rescan function and no event queues', () => {
    const alarms = watched(synthMonitor({ eventDrivenRescans: false }).template);
    expect(alarms.MonitorScanErrorsAlarm?.[0]).toBe('= FILL(snapshot, 0) + FILL(failures, 0)');
    expect(alarms.MonitorDeadLettersAlarm?.[0]).toBe('= FILL(failures, 0)');
  });

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

  it("gives both rule targets the events queue's dead-letter queue: SSE-SQS, 14 days, only the two rules may send to it", () => {
    const dlqId = logicalId(template, 'AWS::SQS::Queue', 'MonitorEventsDeadLetterQueue');
    expect(
      Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => id.includes('DeadLetter')),
    ).toEqual([dlqId]);
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    const rules = template.findResources('AWS::Events::Rule');
    expect(Object.keys(rules)).toHaveLength(2);
    for (const rule of Object.values(rules)) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } }),
      ]);
    }
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
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
    expect(monitor.eventTargetDeadLetterQueue).toBe(monitor.eventsDeadLetterQueue);
  });

  it('adds no target dead-letter queue without event-driven rescans', () => {
    const off = synthMonitor({ eventDrivenRescans: false });
    expect(off.monitor.eventTargetDeadLetterQueue).toBeUndefined();
    expect(off.monitor.alarms.deadLetters).toBeDefined();
  });
});
