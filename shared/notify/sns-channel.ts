import { formatStageKey } from '../model';
import type { AlertEventRecord } from '../store';
import { isPostureSummary } from '../store';
import type { AlertChannel, ChannelFailure } from './alert-channel';
import { classifyDeliveryError } from './alert-channel';
import type { SnsMessage, SnsRenderOptions } from './sns-message';
import { renderSnsMessage } from './sns-message';
import type { SnsSink } from './sns-publisher';

export interface SnsChannelOptions {
  readonly publisher: SnsSink;
  readonly render?: SnsRenderOptions;
  /** SNS publishes in flight. @default 4 */
  readonly concurrency?: number;
}

/** One SNS publish: the message, and the event id and stage a FIFO topic deduplicates and groups by. */
export interface SnsDelivery {
  readonly message: SnsMessage;
  readonly eventId: string;
  readonly groupId: string;
}

/** SNS FIFO message group: the stage (at most 128 characters); a posture summary's scope. */
const groupIdOf = (event: AlertEventRecord): string =>
  isPostureSummary(event)
    ? `POSTURE#${event.account}#${event.region}`
    : formatStageKey({
        account: event.account,
        region: event.region,
        apiType: event.api.type,
        apiId: event.api.id,
        stageName: event.stageName,
      }).slice(0, 128);

/**
 * The SNS topic as an alert channel: every event, one message each, several in flight; no digest
 * and no hold (each publish stands on its own). Marks are `SK = SNS` with SNS's message id.
 */
export class SnsChannel implements AlertChannel<SnsDelivery> {
  readonly id = 'SNS';
  readonly label = 'SNS';
  readonly concurrency: number;
  readonly holdAfterRetryableFailure = false;
  readonly renderDigest = null;

  constructor(private readonly options: SnsChannelOptions) {
    this.concurrency = options.concurrency ?? 4;
  }

  accepts(): boolean {
    return true;
  }

  render(event: AlertEventRecord): SnsDelivery {
    return {
      message: renderSnsMessage(event, this.options.render),
      eventId: event.id,
      groupId: groupIdOf(event),
    };
  }

  send({ message, eventId, groupId }: SnsDelivery): Promise<string> {
    return this.options.publisher.publish(message, { eventId, groupId });
  }

  classify(error: unknown): ChannelFailure {
    return classifyDeliveryError(error);
  }
}
