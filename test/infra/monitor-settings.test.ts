import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { StageDriftMonitorProps } from '../../infra/stage-drift-monitor-props';
import { Severity } from '../../infra/monitor-structs';
import { StageDriftMonitor } from '../../infra/stage-drift-monitor';
import { constructError, synthMonitor, testApp } from './support/synth';

describe('StageDriftMonitor prop validation', () => {
  // [case, props, message]: each message starts with the prop and says how to fix it.
  it.each<[string, StageDriftMonitorProps, RegExp]>([
    [
      'a schedule under 1 minute',
      { schedule: Duration.seconds(30) },
      /^schedule: .*shorter than 1 minute.*Duration\.minutes\(1\) or more/,
    ],
    [
      'a schedule of no whole minutes',
      { schedule: Duration.seconds(90) },
      /^schedule: .*not a whole number of minutes/,
    ],
    [
      'a schedule over a day',
      { schedule: Duration.days(2) },
      /^schedule: .*longer than 1 day: use Duration\.days\(1\) or less/,
    ],
    [
      'an unknown region',
      { regions: ['eu-west-9'] },
      /^regions: unknown region "eu-west-9": use a region code such as eu-west-1/,
    ],
    ['no regions', { regions: [] }, /^regions: give at least one region/],
    [
      'regions of two partitions',
      { regions: ['eu-west-1', 'cn-north-1'] },
      /^regions: eu-west-1, cn-north-1 are in different partitions \(aws, aws-cn\).*deploy one monitor per partition/,
    ],
    [
      'requestsPerSecond over the account budget',
      { requestsPerSecond: 20 },
      /^requestsPerSecond: expected a number from 0\.1 to 10, got 20/,
    ],
    ['a fractional burst', { burst: 2.5 }, /^burst: expected an integer from 1 to 40/],
    ['concurrency 0', { concurrency: 0 }, /^concurrency: expected an integer from 1 to 32, got 0/],
    [
      'a retention of 0 days',
      { retentionDays: 0 },
      /^retentionDays: expected an integer from 1 to 3650, got 0/,
    ],
    [
      'an unknown severity in an override',
      { severityOverrides: [{ path: 'tags.**', severity: 'SEVERE' as never }] },
      /^severityOverrides\[0\]\.severity: .*CRITICAL, HIGH, MEDIUM, LOW, INFO/,
    ],
    [
      'a bad path pattern in an override',
      { severityOverrides: [{ path: 'tags..x', severity: Severity.INFO }] },
      /^severityOverrides\[0\]\.path: /,
    ],
    ['an empty stage ignore rule', { ignore: { stages: [{}] } }, /^ignore\.stages\[0\]: set at least one of/],
    [
      'an unknown ignore key',
      { ignore: { tags: ['x'] } as never },
      /^ignore\.tags: unknown key: use paths, stages or tag/,
    ],
    [
      'a stage variable name with a comma',
      { revealVariables: ['a,b'] },
      /^revealVariables\[0\]: .*not a stage variable name/,
    ],
    [
      'a stage variable name API Gateway does not allow',
      { revealVariables: ['logLevel', 'log.level'] },
      /^revealVariables\[1\]: "log\.level" is not a stage variable name: use letters, digits and underscores/,
    ],
    [
      "a secret ARN whose partition is not its region's",
      { slackWebhookSecret: 'arn:aws:secretsmanager:cn-north-1:111122223333:secret:slack-AbC123' },
      /^slackWebhookSecret: .*is not a Secrets Manager secret ARN/,
    ],
    [
      'a malformed secret ARN',
      { slackWebhookSecret: 'arn:aws:s3:::bucket/slack' },
      /^slackWebhookSecret: "arn:aws:s3:::bucket\/slack" is not a Secrets Manager secret ARN: give the secret name .* or its complete ARN/,
    ],
    [
      'a secret ARN in an unknown region',
      { slackWebhookSecret: 'arn:aws:secretsmanager:xx-nowhere-1:111122223333:secret:slack-AbC123' },
      /^slackWebhookSecret: .*is not a Secrets Manager secret ARN/,
    ],
    [
      'a secret name with spaces',
      { slackWebhookSecret: 'my slack url' },
      /^slackWebhookSecret: not a valid secret name \(letters, digits and \/_\+=\.@- only, up to 512\): give the secret name/,
    ],
    [
      'a webhook URL instead of a secret',
      { slackWebhookSecret: 'https://hooks.slack.com/services/T/B/x' },
      /^slackWebhookSecret: this looks like a webhook URL; store it in Secrets Manager and pass the secret's name .*or ARN$/,
    ],
    [
      'an unknown Slack severity',
      { slackMinSeverity: 'URGENT' as never },
      /^slackMinSeverity: "URGENT" is not a severity: use one of CRITICAL/,
    ],
    [
      'a digest threshold of 0',
      { slackDigestThreshold: 0 },
      /^slackDigestThreshold: expected an integer from 1 to 1000, got 0/,
    ],
    [
      'an invalid email',
      { emailSubscriptions: ['ops@example.com', 'not-an-email'] },
      /^emailSubscriptions\[1\]: "not-an-email" is not an email address: use the form name@example\.com/,
    ],
    [
      'the SNAPSHOT removal policy',
      { removalPolicy: RemovalPolicy.SNAPSHOT },
      /^removalPolicy: SNAPSHOT is not supported for DynamoDB tables: use RemovalPolicy\.RETAIN/,
    ],
  ])('rejects %s, naming the prop and the fix', (_, props, message) => {
    expect(constructError(props).message).toMatch(message);
  });

  it.each([
    'https://hooks.slack.com/services/T024BE7LD/B08ABCDEF12/q8zP3xLmN0vRtY7sW2aBcDeF',
    'hooks.slack.com/services/T024BE7LD/B08ABCDEF12/q8zP3xLmN0vRtY7sW2aBcDeF',
    'https://hooks.slack-gov.com/services/T024BE7LD/B08ABCDEF12/q8zP3xLmN0vRtY7sW2aBcDeF',
    'http://chat.example.com/hooks/T024BE7LD/q8zP3xLmN0vRtY7sW2aBcDeF',
  ])('refuses the webhook URL %s as slackWebhookSecret without repeating any of it', (url) => {
    const message = constructError({ slackWebhookSecret: url }).message;
    expect(message).toMatch(
      /^slackWebhookSecret: this looks like a webhook URL; store it in Secrets Manager/,
    );
    for (const fragment of [url, ...url.split(/[/:]+/).filter((part) => part.length >= 5)]) {
      expect(message).not.toContain(fragment);
    }
  });

  it('does not repeat a secret name that is not valid (it may be a pasted secret)', () => {
    const message = constructError({ slackWebhookSecret: 'xoxb-1234 5678-s3cr3tT0ken' }).message;
    expect(message).toMatch(/^slackWebhookSecret: not a valid secret name \(letters, digits/);
    expect(message).not.toMatch(/xoxb|s3cr3tT0ken/);
  });

  it('rejects an unknown stack region when it is the default, saying the regions default to it', () => {
    expect(constructError({}, { env: { region: 'xx-nowhere-1' } }).message).toMatch(
      /^regions \(default: the stack region\): unknown region "xx-nowhere-1"/,
    );
  });

  it("rejects regions of another partition than the stack's", () => {
    expect(constructError({ regions: ['cn-north-1'] }, { env: { region: 'eu-west-1' } }).message).toMatch(
      /^regions: cn-north-1 and the stack's region eu-west-1 are in different partitions \(aws, aws-cn\)/,
    );
  });

  it('rejects an existing table imported without its stream, saying how to import it', () => {
    const stack = new Stack(testApp(), 'Test');
    const table = Table.fromTableName(stack, 'Existing', 'Drift');
    expect(() => new StageDriftMonitor(stack, 'Monitor', { existingTable: table })).toThrow(
      /^existingTable: the table was imported without its stream: import it with Table\.fromTableAttributes/,
    );
  });

  describe('with a FIFO topic', () => {
    const FIFO = 'arn:aws:sns:eu-west-1:111122223333:drift.fifo';
    const STANDARD = 'arn:aws:sns:eu-west-1:111122223333:ops';
    const build = (props: (stack: Stack) => StageDriftMonitorProps) => () => {
      const stack = new Stack(testApp(), 'Test');
      new StageDriftMonitor(stack, 'Monitor', props(stack));
    };

    it('refuses it as the operations topic: CloudWatch alarms cannot publish to one', () => {
      expect(build((stack) => ({ operationsTopic: Topic.fromTopicArn(stack, 'Ops', FIFO) }))).toThrow(
        /^operationsTopic: a FIFO topic cannot receive alarm notifications .*use a standard topic$/,
      );
    });

    it('refuses it as the drift topic while the alarms go there too, saying to set operationsTopic', () => {
      expect(build((stack) => ({ existingTopic: Topic.fromTopicArn(stack, 'Drift', FIFO) }))).toThrow(
        /^existingTopic: a FIFO topic cannot receive the alarm notifications.*set operationsTopic to a standard topic/,
      );
    });

    it('refuses email subscriptions to it: a FIFO topic delivers to SQS queues only', () => {
      expect(
        build((stack) => ({
          existingTopic: Topic.fromTopicArn(stack, 'Drift', FIFO),
          operationsTopic: Topic.fromTopicArn(stack, 'Ops', STANDARD),
          emailSubscriptions: ['ops@example.com'],
        })),
      ).toThrow(
        /^emailSubscriptions: the drift topic \(existingTopic\) is a FIFO topic, which delivers to SQS queues only/,
      );
    });

    it('accepts it as the drift topic with a standard operations topic (the publisher sets the group id)', () => {
      expect(
        build((stack) => ({
          existingTopic: Topic.fromTopicArn(stack, 'Drift', FIFO),
          operationsTopic: Topic.fromTopicArn(stack, 'Ops', STANDARD),
        })),
      ).not.toThrow();
    });
  });

  it.each<[string, StageDriftMonitorProps]>([
    ['the shortest schedule', { schedule: Duration.minutes(1) }],
    ['the longest schedule', { schedule: Duration.days(1) }],
    ['the edges of the budget', { requestsPerSecond: 10, burst: 40, concurrency: 32 }],
    ['the shortest retention', { retentionDays: 1 }],
    ['a secret name', { slackWebhookSecret: 'stage-drift/slack' }],
    ['GovCloud regions together', { regions: ['us-gov-west-1', 'us-gov-east-1'] }],
  ])('accepts %s', (_, props) => {
    expect(() => synthMonitor(props)).not.toThrow();
  });
});
