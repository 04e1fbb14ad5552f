import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Severity } from '../../infra/monitor-structs';
import { synthMonitor } from './support/synth';

const findings = (report: PolicyValidationPluginReport) =>
  report.violations.map(
    (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
  );

describe('cdk-nag AwsSolutions checks', () => {
  it.each([
    ['the default props (AWS owned and managed keys)', {}],
    ['a customer-managed key', { customerManagedKey: true }],
    [
      'fan-out with a customer-managed key',
      { targetAccounts: ['111122223333'], externalId: 'stage-drift-7f3a', customerManagedKey: true },
    ],
    [
      'every option set',
      {
        schedule: Duration.minutes(5),
        regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'],
        slackWebhookSecret: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:stage-drift/slack-AbC123',
        emailSubscriptions: ['ops@example.com'],
        removalPolicy: RemovalPolicy.DESTROY,
        severityOverrides: [{ path: 'tags.**', severity: Severity.INFO }],
      },
    ],
  ])('finds nothing unacknowledged with %s', (_, props) => {
    const { stack } = synthMonitor(props);
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(findings(report)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('finds nothing unacknowledged with an existing table, topic and operations topic', () => {
    const { stack } = synthMonitor((s) => ({
      existingTopic: Topic.fromTopicArn(s, 'Drift', 'arn:aws:sns:eu-west-1:111122223333:drift'),
      operationsTopic: Topic.fromTopicArn(s, 'Ops', 'arn:aws:sns:eu-west-1:111122223333:ops'),
      existingTable: Table.fromTableAttributes(s, 'Existing', {
        tableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift',
        tableStreamArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/2026-01-01T00:00:00.000',
        encryptionKey: Key.fromKeyArn(
          s,
          'Key',
          'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        ),
      }),
    }));
    expect(findings(new AwsSolutionsChecks().validateScope(stack))).toEqual([]);
  });

  it('still reports what is not acknowledged (the check is live)', () => {
    const { stack, monitor } = synthMonitor({ customerManagedKey: true });
    monitor.table.grantFullAccess(monitor.snapshotFunction);
    // grantFullAccess's wildcards, none of which the role is given otherwise, are all reported.
    const at = 'at Test/Monitor/SnapshotFunction/Role/DefaultPolicy/Resource';
    expect(findings(new AwsSolutionsChecks().validateScope(stack))).toEqual([
      `error AwsSolutions-IAM5[Action::dynamodb:*] ${at}`,
      expect.stringMatching(/^error AwsSolutions-IAM5\[Resource::<MonitorTable\w+\.Arn>\/index\/\*\] at /),
      `error AwsSolutions-IAM5[Action::kms:ReEncrypt*] ${at}`,
    ]);
  });
});
