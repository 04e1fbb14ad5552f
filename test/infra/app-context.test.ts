import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CONTEXT_KEYS, readStageDriftSettings } from '../../infra/app-context';
import { constructError, testApp } from './support/synth';

const read = (context: Record<string, unknown>) => readStageDriftSettings(testApp(context).node);

const errorOf = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('readStageDriftSettings', () => {
  it('reads nothing but the stack name when no context is set', () => {
    const settings = read({});
    expect(settings.stackName).toBe('StageDrift');
    expect(Object.values(settings.monitor).filter((v) => v !== undefined)).toEqual([]);
  });

  it('parses -c strings: durations, numbers, comma lists, JSON, enums and ARNs', () => {
    const settings = read({
      stackName: 'StageDriftProd',
      schedule: '5 minutes',
      regions: 'eu-west-1, us-east-1',
      requestsPerSecond: '1.5',
      burst: '5',
      concurrency: '2',
      severityOverrides: '[{"path":"tags.**","severity":"INFO"}]',
      ignore: '{"stages":[{"stageName":"dev-*"}]}',
      revealVariables: 'logLevel,color',
      slackWebhookSecret: 'stage-drift/slack',
      slackMinSeverity: 'high',
      slackDigestThreshold: '10',
      emailSubscriptions: 'ops@example.com,sec@example.com',
      retentionDays: '90',
      removalPolicy: 'destroy',
      logRetention: '30',
      operationsTopicArn: 'arn:aws:sns:eu-west-1:111122223333:ops',
    });
    expect(settings).toEqual({
      stackName: 'StageDriftProd',
      monitor: {
        schedule: Duration.minutes(5),
        regions: ['eu-west-1', 'us-east-1'],
        requestsPerSecond: 1.5,
        burst: 5,
        concurrency: 2,
        severityOverrides: [{ path: 'tags.**', severity: 'INFO' }],
        ignore: { stages: [{ stageName: 'dev-*' }] },
        revealVariables: ['logLevel', 'color'],
        slackWebhookSecret: 'stage-drift/slack',
        slackMinSeverity: 'HIGH',
        slackDigestThreshold: 10,
        emailSubscriptions: ['ops@example.com', 'sec@example.com'],
        retentionDays: 90,
        removalPolicy: RemovalPolicy.DESTROY,
        logRetention: RetentionDays.ONE_MONTH,
      },
      operationsTopicArn: 'arn:aws:sns:eu-west-1:111122223333:ops',
    });
  });

  it('reads the fan-out settings: target accounts, OU, reader role, external id, concurrency', () => {
    const { monitor } = read({
      targetAccounts: '111122223333, 444455556666',
      targetOrganizationalUnit: 'ou-ab12-cd34ef56',
      readerRoleName: 'DriftReader',
      externalId: 'stage-drift-7f3a',
      maxConcurrentScans: '20',
    });
    expect(monitor).toMatchObject({
      targetAccounts: ['111122223333', '444455556666'],
      targetOrganizationalUnit: 'ou-ab12-cd34ef56',
      readerRoleName: 'DriftReader',
      externalId: 'stage-drift-7f3a',
      maxConcurrentScans: 20,
    });
  });

  it('takes typed values from cdk.json as they are', () => {
    const { monitor } = read({
      schedule: 60,
      regions: ['eu-west-1'],
      burst: 5,
      ignore: { paths: ['tags.**'] },
      severityOverrides: [{ path: 'description', severity: 'LOW' }],
    });
    expect(monitor).toMatchObject({
      schedule: Duration.minutes(60),
      regions: ['eu-west-1'],
      burst: 5,
      ignore: { paths: ['tags.**'] },
      severityOverrides: [{ path: 'description', severity: 'LOW' }],
    });
  });

  it.each([
    ['1 hour', Duration.hours(1)],
    ['2h', Duration.hours(2)],
    ['1 day', Duration.days(1)],
    ['30m', Duration.minutes(30)],
    ['15', Duration.minutes(15)],
  ])('reads the schedule "%s"', (text, duration) => {
    expect(read({ schedule: text }).monitor.schedule?.toMinutes()).toBe(duration.toMinutes());
  });

  it('reads an existing table with its stream and key', () => {
    const settings = read({
      existingTableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift',
      existingTableStreamArn:
        'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/2026-01-01T00:00:00.000',
      existingTableKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      existingTopicArn: 'arn:aws:sns:eu-west-1:111122223333:drift',
    });
    expect(settings).toMatchObject({
      existingTableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift',
      existingTableStreamArn:
        'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/2026-01-01T00:00:00.000',
      existingTableKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      existingTopicArn: 'arn:aws:sns:eu-west-1:111122223333:drift',
    });
  });

  it('names where a JSON context value breaks and how to fix it, never the text around the error', () => {
    const error = errorOf(() => read({ ignore: '{"stages":[{"stageName":pr0d-S3cr3t}]}' }));
    expect(error.message).toMatch(
      /^ignore \(context\): not valid JSON at line 1, column 25: check for a missing quote or comma near there .*e\.g\. -c 'ignore=/,
    );
    expect([error.message, error.stack, String(error.cause)].join('\n')).not.toContain('S3cr3t');
  });

  it('refuses a webhook URL given as slackWebhookSecret at synth without repeating any of it', () => {
    const url = 'https://hooks.slack.com/services/T024BE7LD/B08ABCDEF12/q8zP3xLmN0vRtY7sW2aBcDeF';
    const error = constructError(read({ slackWebhookSecret: url }).monitor);
    expect(error.message).toBe(
      'slackWebhookSecret: this looks like a webhook URL; store it in Secrets Manager and pass the ' +
        "secret's name (e.g. stage-drift/slack) or ARN",
    );
    const printed = [error.message, error.stack, String(error.cause)].join('\n');
    for (const fragment of [url, 'hooks.slack.com', 'T024BE7LD', 'B08ABCDEF12', 'q8zP3xLmN0vRtY7sW2aBcDeF']) {
      expect(printed).not.toContain(fragment);
    }
  });

  it('reads enum values in any case, and a FIFO topic ARN (the construct decides where one may go)', () => {
    const settings = read({
      outOfBand: 'SUPPRESS',
      removalPolicy: 'Retain-On-Update-Or-Delete',
      eventDrivenRescans: 'FALSE',
      existingTopicArn: 'arn:aws:sns:eu-west-1:111122223333:drift.fifo',
    });
    expect(settings).toMatchObject({
      monitor: {
        outOfBand: 'suppress',
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        eventDrivenRescans: false,
      },
      existingTopicArn: 'arn:aws:sns:eu-west-1:111122223333:drift.fifo',
    });
  });

  it('treats an empty value as unset', () => {
    expect(read({ slackWebhookSecret: '', regions: ' ' }).monitor).toMatchObject({
      slackWebhookSecret: undefined,
      regions: undefined,
    });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a schedule in seconds',
      { schedule: '30s' },
      /^schedule \(context\): expected minutes or a duration such as "15 minutes"/,
    ],
    [
      'a number that is not one',
      { burst: 'ten' },
      /^burst \(context\): expected a number, got "ten": e\.g\. -c burst=5/,
    ],
    ['invalid JSON', { ignore: "{paths:['x']}" }, /^ignore \(context\): not valid JSON .*e\.g\. -c 'ignore=/],
    [
      'an unknown removal policy',
      { removalPolicy: 'keep' },
      /^removalPolicy \(context\): expected one of retain, destroy, retain-on-update-or-delete, got "keep"/,
    ],
    [
      'a log retention CloudWatch does not offer',
      { logRetention: '45' },
      /^logRetention \(context\): CloudWatch Logs keeps logs for one of .* days; got 45/,
    ],
    [
      'a malformed topic ARN',
      { operationsTopicArn: 'arn:aws:sqs:eu-west-1:111122223333:ops' },
      /^operationsTopicArn \(context\): .*is not a valid ARN: expected arn:aws:sns:<region>:<account>:<topic>/,
    ],
    [
      'a malformed table ARN',
      { existingTableArn: 'Drift', existingTableStreamArn: 'x' },
      /^existingTableArn \(context\): "Drift" is not a valid ARN: expected arn:aws:dynamodb:<region>:<account>:table\/<name>/,
    ],
    [
      'a table without its stream',
      { existingTableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift' },
      /^existingTableStreamArn \(context\): required with existingTableArn/,
    ],
    [
      'a stream without its table',
      { existingTableStreamArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/x' },
      /^existingTableStreamArn \(context\): only used with existingTableArn/,
    ],
    [
      'an out-of-band mode that is none',
      { outOfBand: 'ignore' },
      /^outOfBand \(context\): expected one of off, suppress, downgrade, got "ignore"/,
    ],
    [
      'a severity that is none',
      { slackMinSeverity: 'urgent' },
      /^slackMinSeverity \(context\): expected one of CRITICAL, HIGH, MEDIUM, LOW, INFO, got "urgent"/,
    ],
    [
      'a boolean that is not one',
      { eventDrivenRescans: 'yes' },
      /^eventDrivenRescans \(context\): expected true or false, got "yes": e\.g\. -c eventDrivenRescans=false/,
    ],
    [
      'a topic ARN in a region that does not exist',
      { existingTopicArn: 'arn:aws:sns:eu-west-9:111122223333:drift' },
      /^existingTopicArn \(context\): .*is not a valid ARN: expected arn:aws:sns:<region>:<account>:<topic>/,
    ],
    [
      'a list that is not one',
      { regions: 42 },
      /^regions \(context\): expected a comma-separated list, got 42/,
    ],
  ])('rejects %s, naming the context key and the fix', (_, context, message) => {
    expect(() => read(context)).toThrow(message);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      '-c region=… (the key is regions)',
      { region: 'eu-west-1' },
      /^region \(context\): unknown context key, ignored until now: did you mean regions\? /,
    ],
    [
      'a typo of a key',
      { shedule: '5 minutes' },
      /^shedule \(context\): unknown context key.*did you mean schedule\?/,
    ],
    [
      'a key of the reader-role app',
      { monitorAccountId: '999988887777' },
      /^monitorAccountId \(context\): unknown context key.*infra\/reader-role-app\.ts/,
    ],
    [
      'a CDK CLI setting given as context',
      { versionReporting: false },
      /^versionReporting \(context\): .*top level of cdk\.json.*not under "context"/,
    ],
  ])('rejects %s, naming the key and the nearest known one', (_, context, message) => {
    expect(() => read(context)).toThrow(message);
  });

  it("accepts CDK's own context: feature flags, aws:cdk: keys, lookups and the CLI's settings", () => {
    expect(() =>
      read({
        '@aws-cdk/core:failSynthOnValidationErrors': false,
        '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
        'aws:cdk:enable-path-metadata': true,
        'aws:cdk:version-reporting': false,
        'availability-zones:account=111122223333:region=eu-west-1': ['eu-west-1a'],
        'acknowledged-issue-numbers': [32775],
        'cli-telemetry': false,
        'cdk-migrate': true,
      }),
    ).not.toThrow();
  });

  it.each(['1StageDrift', 'Stage_Drift', 'stage drift', 'a'.repeat(129)])(
    'rejects the stack name %j with the rule and an example',
    (stackName) => {
      expect(() => read({ stackName })).toThrow(
        /^stackName \(context\): .* is not a CloudFormation stack name: start with a letter, then letters, digits and hyphens, up to 128 characters; e\.g\. -c stackName=StageDriftProd$/,
      );
    },
  );

  it('documents one context key per plain prop, plus the stack name and the imports', () => {
    expect(CONTEXT_KEYS.map((k) => k.key)).toEqual([
      'stackName',
      'schedule',
      'fullScanInterval',
      'eventForwarders',
      'regions',
      'requestsPerSecond',
      'burst',
      'concurrency',
      'severityOverrides',
      'ignore',
      'postureRules',
      'revealVariables',
      'outOfBand',
      'eventDrivenRescans',
      'securityHubFindings',
      'driftMetrics',
      'slackWebhookSecret',
      'slackMinSeverity',
      'slackDigestThreshold',
      'emailSubscriptions',
      'retentionDays',
      'removalPolicy',
      'customerManagedKey',
      'encryptionKeyArn',
      'logRetention',
      'targetAccounts',
      'targetOrganizationalUnit',
      'readerRoleName',
      'externalId',
      'maxConcurrentScans',
      'existingTopicArn',
      'existingTableArn',
      'existingTableStreamArn',
      'existingTableKeyArn',
      'operationsTopicArn',
    ]);
  });

  it('has every context key in the configuration table of docs/deploy.md', () => {
    const docs = readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
    const section = docs.slice(
      docs.indexOf('## Configuration'),
      docs.indexOf('\n## ', docs.indexOf('## Configuration') + 1),
    );
    const documented = [...section.matchAll(/^\| `([A-Za-z]+)` +\|/gm)].map((m) => m[1]);
    expect(documented).toEqual(CONTEXT_KEYS.map((k) => k.key));
  });
});
