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

  it('has three alarms, each reading what the failure modes table of docs/deploy.md says', () => {
    expect(watched(template)).toEqual({
      MonitorHeartbeatAlarm: [`AWS/Lambda/Invocations ${JSON.stringify({ Ref: snapshotId })}`],
      MonitorPublishIteratorAgeAlarm: [`AWS/Lambda/IteratorAge ${JSON.stringify({ Ref: publishId })}`],
      // One queue for every failure the monitor does not retry further: no Errors or ScanFailures
      // metric, no events dead-letter queue of its own.
      MonitorDeadLettersAlarm: [
        '= FILL(failures, 0)',
        `AWS/SQS/ApproximateNumberOfMessagesVisible ${JSON.stringify(queue('MonitorFailureQueue'))}`,
      ],
    });
    expect(Object.keys(monitor.alarms).sort()).toEqual(['deadLetters', 'heartbeat', 'publishIteratorAge']);
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

  it('pages on the first message in the failure queue, in a 5-minute period', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Id: 'expr_1', Label: 'DeadLettersAlarm', ReturnData: true }),
      ]),
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    const periods = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources)
      .flatMap((a) => (a.Properties.Metrics as { MetricStat?: { Period: number } }[] | undefined) ?? [])
      .flatMap((q) => (q.MetricStat ? [q.MetricStat.Period] : []));
    expect(new Set(periods)).toEqual(new Set([300]));
  });

  it('in fan-out mode beats on the planner and the snapshot function, and watches the task dead letters', () => {
    const fanOut = synthMonitor({
      targetAccounts: ['111122223333'],
      externalId: 'stage-drift-7f3a',
    }).template;
    const alarms = watched(fanOut);
    expect(Object.keys(alarms).sort()).toEqual([
      'MonitorDeadLettersAlarm',
      'MonitorHeartbeatAlarm',
      'MonitorPublishIteratorAgeAlarm',
    ]);
    expect(alarms.MonitorHeartbeatAlarm?.[0]).toBe('= MIN([FILL(planner, 0), FILL(snapshot, 0)])');
    // The task dead-letter queue is FIFO (as its queue must be), so it cannot be the failure queue.
    expect(alarms.MonitorDeadLettersAlarm?.[0]).toBe('= FILL(failures, 0) + FILL(tasks, 0)');
  });

  it("names the command that reads the failure queue in the page, within CloudWatch's 1,024 characters", () => {
    // A queue URL is at most ~140 characters: https://sqs.<region>.amazonaws.com/<12 digits>/<80>.
    const LONGEST_QUEUE_URL = 140;
    for (const props of [{}, { targetAccounts: ['111122223333'], externalId: 'stage-drift-7f3a' }]) {
      const alarms = synthMonitor(props).template.findResources('AWS::CloudWatch::Alarm') as Resources;
      const [deadLetters] = Object.entries(alarms).filter(([id]) => id.startsWith('MonitorDeadLettersAlarm'));
      const description = deadLetters![1].Properties.AlarmDescription as { 'Fn::Join': [string, unknown[]] };
      const parts = description['Fn::Join'][1];
      const literal = parts.filter((p): p is string => typeof p === 'string').join('');
      expect(literal).toContain('stage-drift failures --queue-url ');
      expect(parts).toContainEqual({ Ref: logicalId(template, 'AWS::SQS::Queue', 'MonitorFailureQueue') });
      expect(literal.length + LONGEST_QUEUE_URL).toBeLessThanOrEqual(1024);
    }
  });

  it('without event-driven rescans reads the same failure queue', () => {
    const alarms = watched(synthMonitor({ eventDrivenRescans: false }).template);
    expect(alarms.MonitorDeadLettersAlarm?.[0]).toBe('= FILL(failures, 0)');
    expect(Object.keys(alarms)).toHaveLength(3);
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

  it("makes the failure queue the events queue's and both rule targets' dead-letter queue: SSE-SQS, 14 days", () => {
    const dlqId = logicalId(template, 'AWS::SQS::Queue', 'MonitorFailureQueue');
    expect(
      Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) => /DeadLetter|Failure/.test(id)),
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
    expect(template.findResources('AWS::SQS::Queue')[dlqId]?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    const statements = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
      .filter((p) => JSON.stringify(p.Properties.Queues).includes(dlqId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    // EventBridge may send to it for the two rules only; the functions send with their roles.
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: {
          ArnEquals: { 'aws:SourceArn': Object.keys(rules).map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) },
        },
      }),
    ]);
    expect(monitor.eventTargetDeadLetterQueue).toBe(monitor.failureQueue);
    expect(monitor.eventsDeadLetterQueue).toBe(monitor.failureQueue);
  });

  it('sends a failed or expired scheduled run to the failure queue, and lets the scanning functions report there', () => {
    const failureQueue = logicalId(template, 'AWS::SQS::Queue', 'MonitorFailureQueue');
    const arn = { 'Fn::GetAtt': [failureQueue, 'Arn'] };
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: snapshotId },
      MaximumRetryAttempts: 0,
      // Lambda's most: a tick throttled behind a long scan waits, and the handler skips it if late.
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: arn } },
    });
    // The schedule names the tick and its period, so the handler can tell a late tick.
    const [schedule] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
    expect(JSON.parse(schedule!.Properties.Target.Input as string)).toEqual({
      source: 'stage-drift.schedule',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      periodMinutes: 15,
    });
    const functions = template.findResources('AWS::Lambda::Function');
    for (const prefix of ['MonitorSnapshotFunction', 'MonitorRescanFunction']) {
      const fn = functions[logicalId(template, 'AWS::Lambda::Function', prefix)]!;
      expect(fn.Properties.Environment.Variables.STAGE_DRIFT_FAILURE_QUEUE_URL).toEqual({
        Ref: failureQueue,
      });
    }
    // Every role that sends to the failure queue sends there only: SendMessage, no other queue.
    const sends = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as Record<string, unknown>[]).filter((st) =>
        JSON.stringify(st.Action).includes('sqs:SendMessage'),
      ),
    );
    expect(sends.length).toBeGreaterThanOrEqual(3);
    for (const statement of sends.filter((st) => JSON.stringify(st.Resource).includes(failureQueue)))
      expect(statement).toMatchObject({ Action: 'sqs:SendMessage', Resource: arn });
  });

  it('adds no target dead-letter queue without event-driven rescans', () => {
    const off = synthMonitor({ eventDrivenRescans: false });
    expect(off.monitor.eventTargetDeadLetterQueue).toBeUndefined();
    expect(off.monitor.alarms.deadLetters).toBeDefined();
  });
});
