import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AlertChannel, PublishConfig, PublishDeps } from '../../shared/notify';
import {
  DynamoDeliveryLog,
  SlackChannel,
  SlackWebhookSecret,
  SlackWebhookSender,
  SnsChannel,
  SnsPublisher,
  SqsFailureQueue,
} from '../../shared/notify';
import type { Clock } from '../../shared/runtime';
import { systemClock } from '../../shared/runtime';
import { InvocationDeadline, SLACK_REQUEST_TIMEOUT_MS } from './invocation-deadline';

/** Test seams: a virtual clock for Slack pacing and backoff, another fetch. */
export interface PublishDepsOverrides {
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
}

/** The publish deps with the deadline each invocation restarts. */
export interface PublishFunctionDeps extends PublishDeps {
  readonly deadline: InvocationDeadline;
}

/**
 * Everything the publish handler needs, built once per container: the channels (SNS, and Slack
 * when a secret is set), the delivery log and the failure queue. The Slack webhook URL is read
 * from Secrets Manager on first use and cached; it is never in the environment. The Slack
 * sender waits through the deadline's clock, so no wait of its runs past the invocation's end.
 */
export const createPublishDeps = (
  config: PublishConfig,
  overrides: PublishDepsOverrides = {},
): PublishFunctionDeps => {
  const base = overrides.clock ?? systemClock;
  const clock = overrides.clock ? { clock: overrides.clock } : {};
  const deadline = new InvocationDeadline(base);
  const channels: AlertChannel[] = [
    new SnsChannel({
      publisher: new SnsPublisher(new SNSClient({}), config.topicArn),
      render: { tableName: config.tableName },
    }),
  ];
  if (config.slackSecretArn) {
    const sender = new SlackWebhookSender({
      webhookUrl: new SlackWebhookSecret(new SecretsManagerClient({}), config.slackSecretArn).url,
      clock: deadline.clock,
      timeoutMs: SLACK_REQUEST_TIMEOUT_MS,
      ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
    });
    channels.push(
      new SlackChannel({
        sender,
        minSeverity: config.slackMinSeverity,
        digestThreshold: config.digestThreshold,
        render: { tableName: config.tableName },
      }),
    );
  }
  return {
    clock: base,
    deadline,
    channels,
    deliveryLog: new DynamoDeliveryLog(new DynamoDBClient({}), { tableName: config.tableName, ...clock }),
    ...(config.failureQueueUrl
      ? { failureQueue: new SqsFailureQueue(new SQSClient({}), config.failureQueueUrl) }
      : {}),
  };
};
