import type { Env } from '../config';
import {
  ConfigError,
  decodeEnv,
  isArn,
  loadTableName,
  numberRange,
  PUBLISH_ENV,
  readEnv,
  SETTINGS,
  validateEnum,
  validateNumber,
} from '../config';
import type { Severity } from '../model';
import { redactSecrets } from './redact';

/** The environment variables of the publish function (from the settings table, shared/config/settings.ts). */
export { PUBLISH_ENV } from '../config';

/** Refused on sight: the webhook URL is a secret and lives in Secrets Manager only. */
const FORBIDDEN_WEBHOOK_ENV = 'STAGE_DRIFT_SLACK_WEBHOOK_URL';

export interface PublishConfig {
  readonly topicArn: string;
  readonly tableName: string;
  /** Secrets Manager secret holding the Slack incoming-webhook URL; no Slack without it. */
  readonly slackSecretArn?: string;
  /** The `slackMinSeverity` setting. */
  readonly slackMinSeverity: Severity;
  /** SQS queue for permanent delivery failures. */
  readonly failureQueueUrl?: string;
  /** The `slackDigestThreshold` setting: more Slack-bound events than this in one batch become one digest. */
  readonly digestThreshold: number;
  /**
   * `STAGE_DRIFT_DRIFT_METRICS`: also send the activity metrics (`AlertsPublished`,
   * `AlertDuplicatesSkipped`, `SlackDigests`); set only when true. @default false
   */
  readonly driftMetrics?: true;
}

/**
 * An SNS topic ARN, e.g. `arn:aws:sns:eu-west-1:123456789012:stage-drift`; a FIFO topic too (the
 * publisher sets its message group and deduplication id).
 */
export const validateTopicArn = (value: string, setting: string): string => {
  if (!isArn('snsTopic', value)) {
    throw new ConfigError(
      setting,
      `"${redactSecrets(value)}" is not an SNS topic ARN: expected arn:aws:sns:<region>:<12-digit account>:<topic name>`,
    );
  }
  return value;
};

/** A Secrets Manager secret ARN (the ARN, not the secret's value). */
export const validateSecretArn = (value: string, setting: string): string => {
  if (!isArn('secret', value)) {
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

/**
 * Reads and validates the publish function's settings; throws a ConfigError naming the variable,
 * so a misconfigured function fails at init. A webhook URL in the environment is refused.
 */
export const loadPublishConfigFromEnv = (env: Env): PublishConfig => {
  if (readEnv(env, FORBIDDEN_WEBHOOK_ENV) !== undefined) {
    throw new ConfigError(
      FORBIDDEN_WEBHOOK_ENV,
      'the Slack webhook URL is a secret and must not be in the environment: store it in Secrets Manager ' +
        `and set ${PUBLISH_ENV.slackSecretArn} to the secret's ARN`,
    );
  }
  const topicArn = readEnv(env, PUBLISH_ENV.topicArn);
  if (!topicArn) {
    throw new ConfigError(
      PUBLISH_ENV.topicArn,
      'required: set it to the ARN of the SNS topic drift events are published to',
    );
  }
  const secret = readEnv(env, PUBLISH_ENV.slackSecretArn);
  const queue = readEnv(env, PUBLISH_ENV.failureQueueUrl);
  const severity = decodeEnv('slackMinSeverity', env) ?? SETTINGS.slackMinSeverity.default;
  const threshold = decodeEnv('slackDigestThreshold', env) ?? SETTINGS.slackDigestThreshold.default;
  const driftMetrics = decodeEnv('driftMetrics', env) ?? SETTINGS.driftMetrics.default;
  return {
    topicArn: validateTopicArn(topicArn, PUBLISH_ENV.topicArn),
    ...(secret ? { slackSecretArn: validateSecretArn(secret, PUBLISH_ENV.slackSecretArn) } : {}),
    slackMinSeverity: validateEnum<Severity>(severity, PUBLISH_ENV.slackMinSeverity, 'slackMinSeverity'),
    ...(queue ? { failureQueueUrl: validateQueueUrl(queue, PUBLISH_ENV.failureQueueUrl) } : {}),
    digestThreshold: validateNumber(
      threshold as number,
      PUBLISH_ENV.digestThreshold,
      numberRange('slackDigestThreshold'),
    ),
    tableName: loadTableName(env),
    ...(driftMetrics === true ? { driftMetrics: true as const } : {}),
  };
};
