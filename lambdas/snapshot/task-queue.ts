import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { isKnownRegion } from '../../shared/config';
import type { ScanTask } from '../../shared/scan';
import { TaskMessageError } from './errors';

/** One message to enqueue: the task and its deduplication id. */
export interface TaskMessage {
  readonly task: ScanTask;
  /** Same id within SQS's 5-minute window = one message (a retried schedule tick, a replayed chunk). */
  readonly deduplicationId: string;
}

export interface TaskQueue {
  send(messages: readonly TaskMessage[]): Promise<void>;
}

/** One FIFO group per scope: SQS hands out the next message of a group only once the last is done. */
export const messageGroupId = (task: Pick<ScanTask, 'account' | 'region'>): string =>
  `${task.account}#${task.region}`;

/** The task of a schedule tick (the scheduler's `scheduled-time`, the same on its retries). */
export const tickMessage = (task: ScanTask, tick: string): TaskMessage => ({
  task,
  deduplicationId: dedupId(`${messageGroupId(task)}#${tick}`),
});

/** The continuation of a run: one per run and chunk. */
export const continuationMessage = (task: ScanTask): TaskMessage => ({
  task,
  deduplicationId: dedupId(
    `${messageGroupId(task)}#${task.continuation?.runStartedAt ?? ''}#${task.continuation?.chunk ?? 0}`,
  ),
});

/** SQS allows 128 characters of letters, digits and punctuation. */
const dedupId = (text: string): string => text.replace(/[^\w!-/:-@[-`{-~]/g, '_').slice(0, 128);

/** The message body: the task without its external id (the consumer takes that from its config). */
export const encodeTask = (task: ScanTask): string => {
  return JSON.stringify({ ...task, externalId: undefined });
};

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/;

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');

/** Parses and checks a message body; `externalId` is the consumer's own. */
export const parseTask = (body: string, externalId: string | undefined): ScanTask => {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new TaskMessageError(`task message is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const o = value as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null) throw new TaskMessageError('task message is not an object');
  if (typeof o.account !== 'string' || !ACCOUNT_ID.test(o.account)) {
    throw new TaskMessageError(`task message has no 12-digit account: ${JSON.stringify(o.account)}`);
  }
  if (typeof o.region !== 'string' || !isKnownRegion(o.region)) {
    throw new TaskMessageError(`task message has an unknown region: ${JSON.stringify(o.region)}`);
  }
  if (o.roleArn !== undefined && (typeof o.roleArn !== 'string' || !ROLE_ARN.test(o.roleArn))) {
    throw new TaskMessageError(`task message has a malformed roleArn: ${JSON.stringify(o.roleArn)}`);
  }
  const c = o.continuation as Record<string, unknown> | undefined;
  if (c !== undefined) {
    const ids = c?.remainingApiIds as Record<string, unknown> | undefined;
    const ok =
      typeof c === 'object' &&
      c !== null &&
      typeof c.runStartedAt === 'string' &&
      !Number.isNaN(Date.parse(c.runStartedAt)) &&
      Number.isInteger(c.chunk) &&
      typeof c.baseline === 'boolean' &&
      (c.baselineFamilies === undefined || isStringList(c.baselineFamilies)) &&
      typeof ids === 'object' &&
      ids !== null &&
      isStringList(ids.rest) &&
      isStringList(ids.v2) &&
      typeof c.progress === 'object' &&
      c.progress !== null;
    if (!ok) throw new TaskMessageError('task message has a malformed continuation');
  }
  return {
    account: o.account,
    region: o.region,
    ...(typeof o.roleArn === 'string' ? { roleArn: o.roleArn } : {}),
    ...(o.roleArn !== undefined && externalId !== undefined ? { externalId } : {}),
    ...(c ? { continuation: c as unknown as ScanTask['continuation'] } : {}),
  };
};

/** The FIFO task queue: SendMessageBatch, ten at a time; any entry SQS refuses fails the call. */
export class SqsTaskQueue implements TaskQueue {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async send(messages: readonly TaskMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const out = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, j) => ({
            Id: String(j),
            MessageBody: encodeTask(message.task),
            MessageGroupId: messageGroupId(message.task),
            MessageDeduplicationId: message.deduplicationId,
          })),
        }),
      );
      const failed = out.Failed ?? [];
      if (failed.length > 0) {
        const first = failed[0]!;
        throw new Error(
          `SQS refused ${failed.length} of ${batch.length} task messages (first: ${first.Code}: ${first.Message}).`,
        );
      }
    }
  }
}
