import type { Severity } from '../model';
import { isSeverity, SEVERITIES } from '../model';
import { ConfigError, validateNumber } from '../config';
import { redactSecrets } from './redact';

/** The environment variables of the publish function. */
export const PUBLISH_ENV = {
  topicArn: 'STAGE_DRIFT_TOPIC_ARN',
  table: 'STAGE_DRIFT_TABLE',
  slackSecretArn: 'STAGE_DRIFT_SLACK_SECRET_ARN',
  slackMinSeverity: 'STAGE_DRIFT_SLACK_MIN_SEVERITY',
  failureQueueUrl: 'STAGE_DRIFT_FAILURE_QUEUE_URL',
  digestThreshold: 'STAGE_DRIFT_DIGEST_THRESHOLD',
} as const;

/** Refused on sight: the webhook URL is a secret and lives in Secrets Manager only. */
const FORBIDDEN_WEBHOOK_ENV = 'STAGE_DRIFT_SLACK_WEBHOOK_URL';

export interface PublishConfig {
  readonly topicArn: string;
  readonly tableName: string;
  /** Secrets Manager secret holding the Slack incoming-webhook URL; no Slack without it. */
  readonly slackSecretArn?: string;
  /** @default 'MEDIUM' */
  readonly slackMinSeverity: Severity;
  /** SQS queue for permanent delivery failures. */
  readonly failureQueueUrl?: string;
  /** More Slack-bound events than this in one batch become one digest. @default 5 */
  readonly digestThreshold: number;
}

const TOPIC_ARN = /^arn:aws(?:-[a-z]+)*:sns:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/;
const SECRET_ARN =
  /^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;

/** An SNS topic ARN, e.g. `arn:aws:sns:eu-west-1:123456789012:stage-drift`. */
export const validateTopicArn = (value: string, setting: string): string => {
  if (!TOPIC_ARN.test(value)) {
    throw new ConfigError(
      setting,
      `"${redactSecrets(value)}" is not an SNS topic ARN: expected arn:aws:sns:<region>:<12-digit account>:<topic name>`,
    );
  }
  return value;
};

/** A Secrets Manager secret ARN (the ARN, not the secret's value). */
export const validateSecretArn = (value: string, setting: string): string => {
  if (!SECRET_ARN.test(value)) {
    throw new ConfigError(
      setting,
      'not a Secrets Manager secret ARN: expected arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix> ' +
        '(the ARN of the secret that holds the webhook URL, never the URL itself)',
    );
  }
  return value;
};

/** An SQS queue URL, e.g. `https://sqs.eu-west-1.amazonaws.com/123456789012/stage-drift-failures`. */
export const validateQueueUrl = (value: string, setting: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      setting,
      `"${redactSecrets(value)}" is not a URL: expected https://sqs.<region>.amazonaws.com/<account>/<queue>`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(setting, `expected an https:// SQS queue URL, got a ${url.protocol} URL`);
  }
  return value;
};

type Env = Readonly<Record<string, string | undefined>>;

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/**
 * Reads and validates the publish function's settings; throws a ConfigError naming the variable,
 * so a misconfigured function fails at init. A webhook URL in the environment is refused.
 */
export const loadPublishConfigFromEnv = (env: Env): PublishConfig => {
  if (read(env, FORBIDDEN_WEBHOOK_ENV) !== undefined) {
    throw new ConfigError(
      FORBIDDEN_WEBHOOK_ENV,
      'the Slack webhook URL is a secret and must not be in the environment: store it in Secrets Manager ' +
        `and set ${PUBLISH_ENV.slackSecretArn} to the secret's ARN`,
    );
  }
  const topicArn = read(env, PUBLISH_ENV.topicArn);
  if (!topicArn)
    throw new ConfigError(PUBLISH_ENV.topicArn, 'required: the ARN of the SNS topic for drift alerts');
  const tableName = read(env, PUBLISH_ENV.table);
  if (!tableName)
    throw new ConfigError(PUBLISH_ENV.table, 'required: the name of the stage-drift DynamoDB table');
  const secret = read(env, PUBLISH_ENV.slackSecretArn);
  const queue = read(env, PUBLISH_ENV.failureQueueUrl);
  const severity = read(env, PUBLISH_ENV.slackMinSeverity)?.toUpperCase() ?? 'MEDIUM';
  if (!isSeverity(severity)) {
    throw new ConfigError(
      PUBLISH_ENV.slackMinSeverity,
      `expected one of ${SEVERITIES.join(', ')}, got "${severity}"`,
    );
  }
  const rawThreshold = read(env, PUBLISH_ENV.digestThreshold);
  const threshold = rawThreshold === undefined ? 5 : Number(rawThreshold);
  return {
    topicArn: validateTopicArn(topicArn, PUBLISH_ENV.topicArn),
    tableName,
    ...(secret ? { slackSecretArn: validateSecretArn(secret, PUBLISH_ENV.slackSecretArn) } : {}),
    slackMinSeverity: severity,
    ...(queue ? { failureQueueUrl: validateQueueUrl(queue, PUBLISH_ENV.failureQueueUrl) } : {}),
    digestThreshold: validateNumber(threshold, PUBLISH_ENV.digestThreshold, {
      min: 1,
      max: 1000,
      integer: true,
    }),
  };
};
