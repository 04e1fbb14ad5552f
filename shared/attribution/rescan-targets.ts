import type { ApiFamily } from '../model';
import { compareFamilies, isJsonObject } from '../model';
import { compareText } from '../runtime';
import { API_CALL_DETAIL_TYPE } from './cloudtrail-events';
import type { CloudTrailRecord } from './cloudtrail-record';
import { accountOfRecord, parseCloudTrailRecord } from './cloudtrail-record';
import { CloudTrailRecordError } from './errors';
import { scopeOfRecord } from './record-scope';

/** One API to rescan: `REST` = API Gateway v1, `V2` = HTTP and WebSocket APIs. */
export interface RescanTarget {
  readonly account: string;
  readonly region: string;
  readonly apiType: ApiFamily;
  readonly apiId: string;
}

/** An event that asks for no rescan, and why. */
export interface SkippedEvent {
  /** The CloudTrail `eventID`, else the EventBridge event `id`, else `#<index>`. */
  readonly eventId: string;
  readonly eventName?: string;
  readonly reason: string;
}

export interface RescanPlan {
  /** One per API, however many events named it; sorted by account, region, apiType, apiId. */
  readonly targets: readonly RescanTarget[];
  /** In input order. */
  readonly skipped: readonly SkippedEvent[];
  /**
   * Events refused as forged, in input order: the EventBridge envelope's `account` (the account the
   * event came from, kept across a cross-account forward) is not the record's `recipientAccountId`.
   * Never rescanned, and no role is assumed for them.
   */
  readonly refused: readonly SkippedEvent[];
  /** The successful calls behind `targets`, in input order: attribution for the rescans' drift. */
  readonly records: readonly CloudTrailRecord[];
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const compareTargets = (a: RescanTarget, b: RescanTarget): number =>
  compareText(a.account, b.account) ||
  compareText(a.region, b.region) ||
  compareFamilies(a.apiType, b.apiType) ||
  compareText(a.apiId, b.apiId);

type Planned =
  | { readonly target: RescanTarget; readonly record: CloudTrailRecord }
  | { readonly skipped: SkippedEvent }
  | { readonly refused: SkippedEvent };

const planOne = (event: unknown, index: number): Planned => {
  const envelope = isJsonObject(event) ? event : undefined;
  const fallbackId = text(envelope?.id) ?? `#${index}`;
  if (!envelope || envelope['detail-type'] !== API_CALL_DETAIL_TYPE) {
    return { skipped: { eventId: fallbackId, reason: `not an '${API_CALL_DETAIL_TYPE}' event` } };
  }
  let record: CloudTrailRecord;
  try {
    record = parseCloudTrailRecord(envelope.detail);
  } catch (error) {
    if (!(error instanceof CloudTrailRecordError)) throw error;
    return { skipped: { eventId: fallbackId, reason: error.message } };
  }
  const skip = (reason: string): Planned => ({
    skipped: { eventId: record.eventID, eventName: record.eventName, reason },
  });
  if (record.errorCode !== undefined) {
    return skip(`the call failed with ${record.errorCode}, so it changed nothing`);
  }
  const scope = scopeOfRecord(record);
  if (scope.kind === 'none') return skip(scope.reason);
  const eventAccount = text(envelope.account);
  if (eventAccount !== undefined && record.recipientAccountId !== undefined) {
    if (eventAccount !== record.recipientAccountId) {
      return {
        refused: {
          eventId: record.eventID,
          eventName: record.eventName,
          reason:
            `the event came from account ${eventAccount} but its record is of account ` +
            `${record.recipientAccountId}: refused as forged`,
        },
      };
    }
  }
  const account = accountOfRecord(record) ?? eventAccount;
  if (account === undefined) return skip('neither the record nor the event names an account');
  return {
    target: { account, region: record.awsRegion, apiType: scope.apiType, apiId: scope.apiId },
    record,
  };
};

/**
 * EventBridge `AWS API Call via CloudTrail` events (as the rule delivers them, e.g. a batch read
 * from a queue) -> the APIs to rescan. Pure. A burst of events on one API (a deploy touches
 * many things) gives one target; failed calls (`errorCode`) and calls on anything but an API
 * Gateway API or stage are skipped, each with its reason; an event whose `account` disagrees with
 * its record's `recipientAccountId` is refused (`refused`).
 */
export const toRescanTargets = (events: readonly unknown[]): RescanPlan => {
  const targets = new Map<string, RescanTarget>();
  const skipped: SkippedEvent[] = [];
  const refused: SkippedEvent[] = [];
  const records: CloudTrailRecord[] = [];
  events.forEach((event, index) => {
    const planned = planOne(event, index);
    if ('skipped' in planned) {
      skipped.push(planned.skipped);
      return;
    }
    if ('refused' in planned) {
      refused.push(planned.refused);
      return;
    }
    const { target, record } = planned;
    targets.set([target.account, target.region, target.apiType, target.apiId].join('/'), target);
    records.push(record);
  });
  return { targets: [...targets.values()].sort(compareTargets), skipped, refused, records };
};
