import type { ApiType, Severity } from '../model';
import type { AlertEventRecord } from '../store';
import { isPostureSummary } from '../store';
import type { DeliveryChannel } from './delivery-log';

// The failure queue's message: a deployed contract, documented in docs/alerts.md.

/** An event a channel refused for good, as sent to the failure queue. No secret in it. */
export interface DeliveryFailure {
  readonly kind: 'stage-drift.delivery-failure';
  readonly eventId: string;
  readonly channel: DeliveryChannel;
  /** What went wrong (the webhook URL redacted). */
  readonly error: string;
  readonly status?: number;
  readonly slackError?: string;
  /** The drifted stage; absent for a posture summary (`eventKind`), which has `scope` instead. */
  readonly stage?: {
    readonly account: string;
    readonly region: string;
    readonly apiType: ApiType;
    readonly apiId: string;
    readonly stageName: string;
  };
  /** Set for a posture summary: `POSTURE_SUMMARY`. */
  readonly eventKind?: 'POSTURE_SUMMARY';
  /** A posture summary's scope. */
  readonly scope?: { readonly account: string; readonly region: string };
  readonly severity: Severity;
  readonly detectedAt: string;
  readonly failedAt: string;
}

/** The fields of a failure report a channel fills in itself (a webhook's answer). */
export type DeliveryFailureDetails = Pick<DeliveryFailure, 'status' | 'slackError'>;

/**
 * The failure report of `event` on `channel`, for every channel alike. The keys come in the
 * documented order (docs/alerts.md), whatever order the channel gave its details in: consumers
 * of the queue may compare bodies byte for byte.
 */
export const toDeliveryFailure = (
  event: AlertEventRecord,
  channel: DeliveryChannel,
  failure: { readonly message: string; readonly details?: DeliveryFailureDetails },
  failedAt: string,
): DeliveryFailure => {
  const { status, slackError } = failure.details ?? {};
  return {
    kind: 'stage-drift.delivery-failure',
    eventId: event.id,
    channel,
    error: failure.message,
    ...(status !== undefined ? { status } : {}),
    ...(slackError !== undefined ? { slackError } : {}),
    ...(isPostureSummary(event)
      ? { eventKind: event.kind, scope: { account: event.account, region: event.region } }
      : {
          stage: {
            account: event.account,
            region: event.region,
            apiType: event.api.type,
            apiId: event.api.id,
            stageName: event.stageName,
          },
        }),
    severity: event.severity,
    detectedAt: event.detectedAt,
    failedAt,
  };
};
