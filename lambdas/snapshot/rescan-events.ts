import type { SQSRecord } from 'aws-lambda';

/** A message of the events queue that is not JSON: dropped (retrying cannot fix it), with why. */
export interface UnreadableMessage {
  readonly messageId: string;
  readonly reason: string;
}

/**
 * The bodies of an events-queue batch: each is one EventBridge event (the rule's target is the
 * queue, no input transformation). Pure; a body that is not JSON is reported, not thrown.
 */
export const readEventBodies = (
  records: readonly Pick<SQSRecord, 'messageId' | 'body'>[],
): { readonly events: unknown[]; readonly unreadable: UnreadableMessage[] } => {
  const events: unknown[] = [];
  const unreadable: UnreadableMessage[] = [];
  for (const record of records) {
    try {
      events.push(JSON.parse(record.body) as unknown);
    } catch (error) {
      unreadable.push({ messageId: record.messageId, reason: `not JSON: ${(error as Error).message}` });
    }
  }
  return { events, unreadable };
};

/** Whether every record of a batch comes from the events queue (its ARN, set by the construct). */
export const isFromQueue = (
  records: readonly Pick<SQSRecord, 'eventSourceARN'>[],
  queueArn?: string,
): boolean =>
  queueArn !== undefined && records.length > 0 && records.every((r) => r.eventSourceARN === queueArn);
