import { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError } from '../../shared/config';
import type { Severity } from '../../shared/model';
import type { PublishDeps, PublishResult } from '../../shared/notify';
import {
  DynamoDeliveryLog,
  SlackWebhookSender,
  SnsPublisher,
  validateTopicArn,
  webhookUrlProblem,
} from '../../shared/notify';
import type { CliIo } from '../io';
import { UsageError } from '../io';

export interface PublishOptions {
  readonly slackWebhookUrl?: string;
  readonly snsTopicArn?: string;
  readonly slackMinSeverity?: Severity;
}

/** The env var the CLI also reads the webhook URL from (keeps it out of shell history and `ps`). */
export const SLACK_URL_ENV = 'STAGE_DRIFT_SLACK_WEBHOOK_URL';

/** Publishing deps for `scan --sns-topic-arn/--slack-webhook-url`, validated before the scan starts. */
export const createCliPublishDeps = (
  options: PublishOptions,
  io: CliIo,
  store: { readonly client: DynamoDBClient; readonly tableName: string },
): { deps: PublishDeps; destroy(): void } | undefined => {
  const webhookUrl = options.slackWebhookUrl ?? io.env[SLACK_URL_ENV];
  if (!webhookUrl && !options.snsTopicArn) return undefined;
  if (webhookUrl) {
    const problem = webhookUrlProblem(webhookUrl);
    if (problem) throw new UsageError(`--slack-webhook-url ${problem} (the URL is not repeated here)`);
  }
  let sns: SNSClient | undefined;
  if (options.snsTopicArn) {
    try {
      validateTopicArn(options.snsTopicArn, '--sns-topic-arn');
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
      throw error;
    }
    sns = new SNSClient({ region: options.snsTopicArn.split(':')[3] });
  }
  return {
    deps: {
      ...(sns && options.snsTopicArn
        ? { sns: { publisher: new SnsPublisher(sns, options.snsTopicArn) } }
        : {}),
      ...(webhookUrl
        ? {
            slack: {
              sender: new SlackWebhookSender({ webhookUrl }),
              ...(options.slackMinSeverity ? { minSeverity: options.slackMinSeverity } : {}),
            },
          }
        : {}),
      // Marks in the same store: a rerun of the CLI never alerts the same change twice.
      deliveryLog: new DynamoDeliveryLog(store.client, { tableName: store.tableName }),
    },
    destroy: () => sns?.destroy(),
  };
};

export const describePublish = (result: PublishResult): string => {
  const c = result.counts;
  const parts = [
    `${c.published} published`,
    c['skipped-duplicate'] ? `${c['skipped-duplicate']} already published` : '',
    c['skipped-filtered'] ? `${c['skipped-filtered']} below the Slack minimum` : '',
    c['failed-retryable'] ? `${c['failed-retryable']} failed (retry by rerunning)` : '',
    c['failed-permanent'] ? `${c['failed-permanent']} refused` : '',
  ].filter(Boolean);
  const slack = result.slackDigests > 0 ? ` (Slack: ${result.slackDigests} digest)` : '';
  return `Alerts: ${parts.join(', ')}${slack}.`;
};
