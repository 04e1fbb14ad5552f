import { ConfigError, SETTINGS } from '../../shared/config';
import { loadPublishConfigFromEnv } from '../../shared/notify';

const BASE = {
  STAGE_DRIFT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:stage-drift-alerts',
  STAGE_DRIFT_TABLE: 'stage-drift',
} as const;

const errorOf = (env: Record<string, string>): ConfigError => {
  try {
    loadPublishConfigFromEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadPublishConfigFromEnv', () => {
  it('fills the defaults of the settings table', () => {
    expect(loadPublishConfigFromEnv(BASE)).toMatchObject({
      slackMinSeverity: SETTINGS.slackMinSeverity.default,
      digestThreshold: SETTINGS.slackDigestThreshold.default,
    });
  });

  it('takes a FIFO topic (the publisher sets its message group) and a severity in any case', () => {
    const config = loadPublishConfigFromEnv({
      ...BASE,
      STAGE_DRIFT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:stage-drift-alerts.fifo',
      STAGE_DRIFT_SLACK_MIN_SEVERITY: 'low',
    });
    expect(config).toMatchObject({
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:stage-drift-alerts.fifo',
      slackMinSeverity: 'LOW',
    });
  });

  it.each([
    [
      'the digest threshold is 0',
      { STAGE_DRIFT_DIGEST_THRESHOLD: '0' },
      'STAGE_DRIFT_DIGEST_THRESHOLD: expected an integer from 1 to 1000, got 0: set an integer in that range, ' +
        'or leave it unset for the default 5',
    ],
    [
      'the digest threshold is not a number',
      { STAGE_DRIFT_DIGEST_THRESHOLD: 'five' },
      'STAGE_DRIFT_DIGEST_THRESHOLD: expected a number, got "five": set a plain number such as 10, or unset it',
    ],
    [
      'the severity is none',
      { STAGE_DRIFT_SLACK_MIN_SEVERITY: 'urgent' },
      'STAGE_DRIFT_SLACK_MIN_SEVERITY: "urgent" is not a severity: use one of CRITICAL, HIGH, MEDIUM, LOW, INFO',
    ],
    [
      'the table name is not one',
      { STAGE_DRIFT_TABLE: 'my table' },
      'STAGE_DRIFT_TABLE: "my table" is not a DynamoDB table name: use 3 to 255 letters, digits, "_", "-" or "."',
    ],
    [
      'the topic is unset',
      { STAGE_DRIFT_TOPIC_ARN: '' },
      'STAGE_DRIFT_TOPIC_ARN: required: set it to the ARN of the SNS topic drift events are published to',
    ],
  ])('fails naming the variable and the fix when %s', (_, env, message) => {
    expect(errorOf({ ...BASE, ...env }).message).toBe(message);
  });

  it('refuses a secret ARN in a region that does not exist, without repeating it', () => {
    const arn = 'arn:aws:secretsmanager:xx-nowhere-1:123456789012:secret:slack-AbC123';
    const error = errorOf({ ...BASE, STAGE_DRIFT_SLACK_SECRET_ARN: arn });
    expect(error.setting).toBe('STAGE_DRIFT_SLACK_SECRET_ARN');
    expect(error.message).not.toContain(arn);
  });
});
