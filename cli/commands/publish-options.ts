import { SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError } from '../../shared/config';
import type { Severity } from '../../shared/model';
import type { AlertChannel, DriftEventFeed, OutboxDeps, OutboxResult } from '../../shared/notify';
import {
  deliverPending,
  DeliveryLogError,
  DynamoDeliveryLog,
  redactSecrets,
  SlackChannel,
  SlackWebhookSender,
  SnsChannel,
  SnsPublisher,
  validateTopicArn,
  webhookUrlProblem,
} from '../../shared/notify';
import type { AlertEventRecord } from '../../shared/store';
import { StoreError } from '../../shared/store';
import type { CliIo } from '../io';
import { UsageError } from '../errors';

export interface PublishOptions {
  readonly slackWebhookUrl?: string;
  readonly snsTopicArn?: string;
  readonly slackMinSeverity?: Severity;
}

/** The env var the CLI also reads the webhook URL from (keeps it out of shell history and `ps`). */
export const SLACK_URL_ENV = 'STAGE_DRIFT_SLACK_WEBHOOK_URL';

/** Whether any channel is asked for (the webhook URL may come from the environment). */
export const hasChannel = (options: PublishOptions, io: CliIo): boolean =>
  Boolean(options.snsTopicArn || options.slackWebhookUrl || io.env[SLACK_URL_ENV]);

export interface CliPublisher {
  readonly deps: OutboxDeps['publish'];
  /** What never reaches a message: the webhook URL. */
  readonly secrets: readonly string[];
  destroy(): void;
}

/** Publishing deps for `--sns-topic-arn/--slack-webhook-url`, validated before any work starts. */
export const createCliPublishDeps = (
  options: PublishOptions,
  io: CliIo,
  store: {
    readonly client: DynamoDBClient;
    readonly tableName: string;
    /** A deployed table (`--table`): the alerts' CLI lines name it; the embedded store's is internal. */
    readonly deployed: boolean;
  },
): CliPublisher | undefined => {
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
  const channels: AlertChannel[] = [];
  const render = store.deployed ? { render: { tableName: store.tableName } } : {};
  // One publish in flight: a kill -9 can catch at most one alert between its send and its mark.
  if (sns && options.snsTopicArn)
    channels.push(
      new SnsChannel({ publisher: new SnsPublisher(sns, options.snsTopicArn), concurrency: 1, ...render }),
    );
  if (webhookUrl) {
    channels.push(
      new SlackChannel({
        sender: new SlackWebhookSender({ webhookUrl }),
        ...render,
        ...(options.slackMinSeverity ? { minSeverity: options.slackMinSeverity } : {}),
      }),
    );
  }
  return {
    deps: {
      channels,
      // The marks the publish Lambda writes too, in the same table: an alert either sends is
      // never sent again by the other, and one that failed stays pending until one of them sends it.
      deliveryLog: new DynamoDeliveryLog(store.client, { tableName: store.tableName }),
    },
    secrets: webhookUrl ? [webhookUrl] : [],
    destroy: () => sns?.destroy(),
  };
};

/** The channel's name in a sentence (`Slack`), as its result gives it. */
const labelOf = (result: OutboxResult, channel: string): string =>
  result.sends.find((s) => s.channel === channel)?.label ?? channel;

const alerts = (n: number): string => `${n} alert${n === 1 ? '' : 's'}`;

/** `Alerts: 2 published (1 from earlier runs) (Slack: 1 digest).`, or undefined when nothing was sent or due. */
export const describeOutbox = (result: OutboxResult): string | undefined => {
  const refused = result.shortfalls.reduce((n, s) => n + s.refused, 0);
  const pending = result.shortfalls.reduce((n, s) => n + s.pending, 0);
  if (result.published + refused + pending === 0) return undefined;
  const parts = [
    `${result.published} published${result.fromEarlierRuns > 0 ? ` (${result.fromEarlierRuns} from earlier runs)` : ''}`,
    pending > 0 ? `${pending} still pending` : '',
    refused > 0 ? `${refused} refused` : '',
  ].filter(Boolean);
  const digests = result.sends.filter((s) => s.digests > 0).map((s) => `${s.label}: ${s.digests} digest`);
  return `Alerts: ${parts.join(', ')}${digests.length > 0 ? ` (${digests.join(', ')})` : ''}.`;
};

/** One line per channel that did not take everything: the channel, how many, and the cause. */
export const describeShortfalls = (result: OutboxResult, secrets: readonly string[]): string[] =>
  result.shortfalls.map((s) => {
    const cause = redactSecrets(s.cause, secrets);
    const channel = labelOf(result, s.channel);
    return s.pending > 0
      ? `stage-drift: ${alerts(s.pending)} not delivered to ${channel}: ${cause}; pending until delivered: rerun, or run \`stage-drift publish\``
      : `stage-drift: ${alerts(s.refused)} refused by ${channel} for good: ${cause} (not retried)`;
  });

/**
 * Sends what is pending (this run's events and any an earlier run left), prints the summary
 * (to `summaryTo`) and one line per failing channel (stderr). `false` when something is left.
 */
export const deliverAndReport = async (
  publisher: CliPublisher,
  feed: DriftEventFeed,
  io: CliIo,
  request: {
    readonly now: Date;
    readonly fresh?: readonly AlertEventRecord[];
    readonly summaryTo: 'stdout' | 'stderr';
    /** Printed when nothing was pending. @default nothing */
    readonly ifNothingPending?: string;
  },
): Promise<boolean> => {
  let result: OutboxResult;
  try {
    result = await deliverPending({ feed, publish: publisher.deps }, request);
  } catch (error) {
    if (!(error instanceof DeliveryLogError || error instanceof StoreError)) throw error;
    io.stderr(
      `stage-drift: alerts not delivered: ${redactSecrets(error.message, publisher.secrets)}; rerun to retry\n`,
    );
    return false;
  }
  const summary = describeOutbox(result) ?? request.ifNothingPending;
  if (summary) io[request.summaryTo](`${summary}\n`);
  for (const warning of result.warnings)
    io.stderr(`stage-drift: warning: ${redactSecrets(warning, publisher.secrets)}\n`);
  if (result.problems.length > 0)
    io.stderr(
      `stage-drift: ${result.problems.length} stored drift events could not be read and were not alerted: ${result.problems[0]!.message}\n`,
    );
  for (const line of describeShortfalls(result, publisher.secrets)) io.stderr(`${line}\n`);
  return result.shortfalls.length === 0;
};
