import fc from 'fast-check';
import type { EnvSettingName, SettingSpec } from '../../shared/config';
import {
  decodeEnv,
  encodeEnvironment,
  ENV,
  isArn,
  parseArn,
  PUBLISH_ENV,
  SETTING_NAMES,
  settingSpec,
} from '../../shared/config';

describe('the settings table', () => {
  it('names the variables the scanning functions read', () => {
    expect(ENV).toEqual({
      table: 'STAGE_DRIFT_TABLE',
      fullScanInterval: 'STAGE_DRIFT_FULL_SCAN_INTERVAL',
      eventForwarders: 'STAGE_DRIFT_EVENT_FORWARDERS',
      failureQueueUrl: 'STAGE_DRIFT_FAILURE_QUEUE_URL',
      regions: 'STAGE_DRIFT_REGIONS',
      requestsPerSecond: 'STAGE_DRIFT_REQUESTS_PER_SECOND',
      burst: 'STAGE_DRIFT_BURST',
      concurrency: 'STAGE_DRIFT_CONCURRENCY',
      throttleDeadlineSeconds: 'STAGE_DRIFT_THROTTLE_DEADLINE_SECONDS',
      retentionDays: 'STAGE_DRIFT_RETENTION_DAYS',
      severityOverrides: 'STAGE_DRIFT_SEVERITY_OVERRIDES',
      ignore: 'STAGE_DRIFT_IGNORE',
      postureRules: 'STAGE_DRIFT_POSTURE_RULES',
      revealVariables: 'STAGE_DRIFT_REVEAL_VARIABLES',
      outOfBand: 'STAGE_DRIFT_OUT_OF_BAND',
      securityHubFindings: 'STAGE_DRIFT_SECURITY_HUB',
      driftMetrics: 'STAGE_DRIFT_DRIFT_METRICS',
      targetAccounts: 'STAGE_DRIFT_TARGET_ACCOUNTS',
      targetOrganizationalUnit: 'STAGE_DRIFT_TARGET_OU',
      readerRoleName: 'STAGE_DRIFT_READER_ROLE_NAME',
      externalId: 'STAGE_DRIFT_EXTERNAL_ID',
      taskQueueUrl: 'STAGE_DRIFT_TASK_QUEUE_URL',
      eventsQueueArn: 'STAGE_DRIFT_EVENTS_QUEUE_ARN',
    });
  });

  it('names the variables the publish function reads', () => {
    expect(PUBLISH_ENV).toEqual({
      topicArn: 'STAGE_DRIFT_TOPIC_ARN',
      table: 'STAGE_DRIFT_TABLE',
      slackSecretArn: 'STAGE_DRIFT_SLACK_SECRET_ARN',
      slackMinSeverity: 'STAGE_DRIFT_SLACK_MIN_SEVERITY',
      failureQueueUrl: 'STAGE_DRIFT_FAILURE_QUEUE_URL',
      digestThreshold: 'STAGE_DRIFT_DIGEST_THRESHOLD',
      driftMetrics: 'STAGE_DRIFT_DRIFT_METRICS',
    });
  });

  it('gives each variable to one setting', () => {
    const names = SETTING_NAMES.flatMap((name) => settingSpec(name).env?.name ?? []);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^STAGE_DRIFT_[A-Z_]+$/);
  });

  it.each(SETTING_NAMES.map((name) => [name, settingSpec(name)] as [string, SettingSpec]))(
    'keeps the default of %s in its range or among its values',
    (_, spec) => {
      if (spec.type === 'number' || spec.type === 'integer' || spec.type === 'duration') {
        if (spec.default !== undefined) {
          expect(spec.default).toBeGreaterThanOrEqual(spec.min);
          expect(spec.default).toBeLessThanOrEqual(spec.max);
        }
        expect(spec.min).toBeLessThan(spec.max);
      }
      if (spec.type === 'enum') expect(spec.values).toContain(spec.default);
      expect(spec.doc).not.toMatch(/\.$/);
    },
  );
});

describe('encodeEnvironment and decodeEnv', () => {
  const roundTrip = (name: EnvSettingName, value: unknown): unknown =>
    decodeEnv(name, encodeEnvironment({ [name]: value as never }));

  it('decode what the construct encodes: integers in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 3650 }), (threshold, days) => {
        expect(roundTrip('slackDigestThreshold', threshold)).toBe(threshold);
        expect(roundTrip('retentionDays', days)).toBe(days);
      }),
    );
  });

  it('decode what the construct encodes: rates, stage variable names and JSON rules', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/);
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.array(name, { minLength: 1, maxLength: 5 }),
        fc.array(fc.record({ path: name, severity: fc.constantFrom('INFO', 'LOW') }), { minLength: 1 }),
        (rate, names, overrides) => {
          expect(roundTrip('requestsPerSecond', rate)).toBe(rate);
          expect(roundTrip('revealVariables', names)).toEqual(names);
          expect(roundTrip('severityOverrides', overrides)).toEqual(overrides);
        },
      ),
    );
  });

  it('leave out what a function takes as its default anyway: empty lists and rules, outOfBand off', () => {
    expect(
      encodeEnvironment({ revealVariables: [], ignore: {}, outOfBand: 'off', regions: undefined, burst: 10 }),
    ).toEqual({ STAGE_DRIFT_BURST: '10' });
    expect(encodeEnvironment({ outOfBand: 'suppress' })).toEqual({ STAGE_DRIFT_OUT_OF_BAND: 'suppress' });
  });

  it('keep the order given, which is the template’s', () => {
    expect(Object.keys(encodeEnvironment({ topicArn: 'arn', table: 't', slackDigestThreshold: 5 }))).toEqual([
      'STAGE_DRIFT_TOPIC_ARN',
      'STAGE_DRIFT_TABLE',
      'STAGE_DRIFT_DIGEST_THRESHOLD',
    ]);
  });

  it('read an enum in any case as the table writes it', () => {
    expect(decodeEnv('slackMinSeverity', { STAGE_DRIFT_SLACK_MIN_SEVERITY: ' high ' })).toBe('HIGH');
    expect(decodeEnv('outOfBand', { STAGE_DRIFT_OUT_OF_BAND: 'Suppress' })).toBe('suppress');
  });
});

describe('parseArn', () => {
  it.each([
    ['snsTopic', 'arn:aws:sns:eu-west-1:111122223333:drift'],
    ['snsTopic', 'arn:aws:sns:eu-west-1:111122223333:drift.fifo'],
    ['snsTopic', `arn:aws:sns:eu-west-1:111122223333:${'a'.repeat(251)}.fifo`],
    ['snsTopic', 'arn:aws-us-gov:sns:us-gov-west-1:111122223333:alerts'],
    ['secret', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:stage-drift/slack-AbC123'],
    ['secret', 'arn:aws-cn:secretsmanager:cn-north-1:111122223333:secret:slack'],
    ['sqsQueue', 'arn:aws:sqs:eu-west-1:111122223333:events'],
    ['dynamodbTable', 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift'],
    ['dynamodbStream', 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/2026-01-01T00:00:00.000'],
    ['kmsKey', 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  ] as const)('accepts the %s ARN %s', (kind, arn) => {
    expect(isArn(kind, arn)).toBe(true);
  });

  it.each([
    ['snsTopic', 'arn:aws:sns:eu-west-1:111122223333:drift.fifo.fifo', 'a dot in the name'],
    ['snsTopic', `arn:aws:sns:eu-west-1:111122223333:${'a'.repeat(257)}`, 'a name over 256 characters'],
    ['snsTopic', `arn:aws:sns:eu-west-1:111122223333:${'a'.repeat(252)}.fifo`, 'a FIFO name over 256'],
    ['snsTopic', 'arn:aws:sqs:eu-west-1:111122223333:drift', 'another service'],
    ['snsTopic', 'arn:aws:sns:eu-west-9:111122223333:drift', 'an unknown region'],
    ['snsTopic', 'arn:aws-cn:sns:eu-west-1:111122223333:drift', "another partition than the region's"],
    ['snsTopic', 'arn:aws:sns:eu-west-1:1111:drift', 'a short account'],
    ['secret', 'arn:aws:secretsmanager:eu-west-1:111122223333:slack-AbC123', 'no secret: prefix'],
    ['secret', 'https://hooks.slack.com/services/T/B/x', 'a webhook URL'],
  ] as const)('refuses the %s ARN %s (%s)', (kind, arn, _why) => {
    expect(parseArn(kind, arn)).toBeUndefined();
  });
});
