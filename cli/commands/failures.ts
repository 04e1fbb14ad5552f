import type { Message } from '@aws-sdk/client-sqs';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FailureMessageKind } from '../../shared/notify/failure-messages';
import { describeFailureMessage, printableBody } from '../../shared/notify/failure-messages';
import { UsageError } from '../errors';
import { renderTable } from '../format/table';
import { escapeControlChars } from '../format/values';
import type { CliIo } from '../io';
import { EXIT, tableStyle } from '../io';

export interface FailuresOptions {
  /** The failure queue's URL (the stack output `FailureQueueUrl`); else STAGE_DRIFT_FAILURE_QUEUE_URL. */
  readonly queueUrl?: string;
  readonly region?: string;
  /** At most this many messages. */
  readonly max?: string;
  /** Delete the messages printed. */
  readonly delete?: boolean;
  readonly format?: 'text' | 'json';
}

/** The most messages one run reads: SQS hands out 10 a call. */
const MAX_MESSAGES = 1000;
/** How long the messages read stay hidden from other readers; undeleted, they come back after it. */
const VISIBILITY_SECONDS = 120;

const KIND_LABELS: Record<FailureMessageKind, string> = {
  'scan-failure': 'not read',
  'delivery-failure': 'not delivered',
  'run-failure': 'run failed',
  'stream-batch': 'stream batch',
  'event-dead-letter': 'event',
  unknown: 'unknown',
};

const parseMax = (value: string | undefined): number => {
  if (value === undefined) return 100;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_MESSAGES) {
    throw new UsageError(`--max: expected a whole number from 1 to ${MAX_MESSAGES}, got "${value}"`);
  }
  return n;
};

/** The queue's region from its URL (`https://sqs.<region>.amazonaws.com/…`), when it names one. */
const regionOf = (url: string): string | undefined =>
  /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\//.exec(url)?.[1];

const attributesOf = (message: Message): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
  );

/**
 * `stage-drift failures [--queue-url URL] [--max N] [--delete]`: reads the monitor's failure
 * queue and says what each message is (docs/deploy.md, "The failure queue"). Reading never
 * deletes: the messages come back after two minutes, and the alarm stays on, unless `--delete`.
 */
export const runFailuresCommand = async (options: FailuresOptions, io: CliIo): Promise<number> => {
  const queueUrl = options.queueUrl ?? io.env.STAGE_DRIFT_FAILURE_QUEUE_URL;
  if (!queueUrl) {
    throw new UsageError(
      'no queue: pass --queue-url with the stack output FailureQueueUrl (or set STAGE_DRIFT_FAILURE_QUEUE_URL)',
    );
  }
  const max = parseMax(options.max);
  const region = options.region ?? regionOf(queueUrl);
  const client = new SQSClient(region ? { region } : {});
  try {
    return await readFailures(client, queueUrl, max, options, io);
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (/QueueDoesNotExist|NonExistentQueue/.test(name)) {
      throw new UsageError(
        `no queue at ${queueUrl}${region ? ` in ${region}` : ''}: check --queue-url and --region`,
      );
    }
    throw error;
  } finally {
    client.destroy();
  }
};

const readFailures = async (
  client: SQSClient,
  queueUrl: string,
  max: number,
  options: FailuresOptions,
  io: CliIo,
): Promise<number> => {
  const messages: Message[] = [];
  while (messages.length < max) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - messages.length),
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
        VisibilityTimeout: VISIBILITY_SECONDS,
        WaitTimeSeconds: messages.length === 0 ? 1 : 0,
      }),
    );
    if (Messages.length === 0) break;
    messages.push(...Messages);
  }
  const read = messages.map((message) => {
    const sent = Number(message.Attributes?.SentTimestamp);
    return {
      messageId: message.MessageId ?? '',
      sentAt: Number.isFinite(sent) ? new Date(sent).toISOString() : undefined,
      ...describeFailureMessage({ body: message.Body ?? '', attributes: attributesOf(message) }),
      message,
    };
  });
  read.sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
  if (options.format === 'json') {
    io.stdout(
      JSON.stringify(
        read.map(({ message, ...rest }) => ({
          ...rest,
          attributes: attributesOf(message),
          body: printableBody({ body: message.Body ?? '' }),
        })),
        null,
        2,
      ) + '\n',
    );
  } else if (read.length === 0) {
    io.stdout('the failure queue is empty\n');
  } else {
    const rows = read.map((m) => [
      m.sentAt?.slice(0, 19).replace('T', ' ') ?? '?',
      KIND_LABELS[m.kind],
      escapeControlChars(m.summary),
    ]);
    io.stdout(
      renderTable(
        [{ header: 'SENT (UTC)' }, { header: 'KIND' }, { header: 'WHAT FAILED', flexible: true }],
        rows,
        tableStyle(io).columns,
      ),
    );
  }
  if (options.delete && read.length > 0) {
    await deleteMessages(
      client,
      queueUrl,
      read.map((m) => m.message),
    );
    io.stderr(`deleted ${read.length} message(s)\n`);
  } else if (read.length > 0 && options.format !== 'json') {
    io.stderr(
      `${read.length} message(s) read, none deleted: they come back in ${VISIBILITY_SECONDS} s; --delete once dealt with\n`,
    );
  }
  return EXIT.ok;
};

/** Deletes `messages` (10 a call); throws naming the ones SQS refused. */
const deleteMessages = async (client: SQSClient, queueUrl: string, messages: readonly Message[]) => {
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    const { Failed = [] } = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    if (Failed.length > 0) {
      throw new UsageError(
        `could not delete ${Failed.length} message(s): ${Failed.map((f) => f.Message ?? f.Code).join('; ')}; they come back in ${VISIBILITY_SECONDS} s`,
      );
    }
  }
};
