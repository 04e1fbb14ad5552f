import type { CloudTrailClient, Event as LookupEvent } from '@aws-sdk/client-cloudtrail';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { RequestBudget, RetryPolicy } from '../collect';
import { ApiCallFailedError, countCalls, sendWithRetry, TokenBucket } from '../collect';
import { assertCollectorClient } from '../collect/client-config';
import type { Clock } from '../runtime';
import { compareText, systemClock } from '../runtime';
import { API_GATEWAY_EVENT_SOURCE, STAGE_CHANGE_EVENT_NAMES, WAFV2_EVENT_SOURCE } from './cloudtrail-events';
import type { CloudTrailRecord } from './cloudtrail-record';
import { parseCloudTrailRecord } from './cloudtrail-record';
import { CloudTrailRecordError, LookupEventsInputError } from './errors';

/**
 * LookupEvents' own limit: "two per second, per account, per Region" (CloudTrail API reference,
 * LookupEvents). Sized to stay under it: one request every 500 ms, no burst.
 */
export const LOOKUP_EVENTS_RATE = { ratePerSecond: 2, burst: 1 } as const;

/** A LookupEvents page holds at most 50 events (and 50 is the default). */
export const LOOKUP_EVENTS_PAGE_SIZE = 50;

/** The event sources looked up by default: API Gateway, and WAFv2 for web ACL (dis)associations. */
export const DEFAULT_LOOKUP_EVENT_SOURCES: readonly string[] = [API_GATEWAY_EVENT_SOURCE, WAFV2_EVENT_SOURCE];

export interface LookupStageEventsRequest {
  /** Start of the window (inclusive); LookupEvents covers the last 90 days. */
  readonly start: Date;
  /** End of the window (inclusive). */
  readonly end: Date;
  /**
   * The LookupEvents budget of this account and region; share one across lookups of one
   * invocation. @default a TokenBucket of LOOKUP_EVENTS_RATE
   */
  readonly budget?: RequestBudget;
  /**
   * One paged lookup per source: LookupEvents takes a single lookup attribute per call, here
   * `EventSource`. Add `waf-regional.amazonaws.com` for WAF Classic.
   * @default DEFAULT_LOOKUP_EVENT_SOURCES
   */
  readonly eventSources?: readonly string[];
  /** Pages read per source before stopping (the result then says it is incomplete). @default 20 */
  readonly maxPages?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  /**
   * Throttling is retried with backoff until `throttleDeadlineMs` after the call started.
   * @default { baseDelayMs: 500, maxDelayMs: 5000, throttleDeadlineMs: 30000, maxTransientRetries: 2 }
   */
  readonly retry?: Partial<RetryPolicy>;
}

/** A returned event whose CloudTrailEvent could not be read; the others are kept. */
export interface LookupProblem {
  readonly eventId?: string;
  readonly message: string;
}

/** What kind of failure ended a source's paging: the alert's fixed reason is chosen by it. */
export type LookupFailureKind = 'access-denied' | 'throttled' | 'failed';

/** A LookupEvents call that failed (after its retries), ending the paging of its source. */
export interface LookupFailure {
  readonly source: string;
  readonly kind: LookupFailureKind;
  /** The SDK error's name, e.g. `AccessDeniedException`. */
  readonly errorName: string;
  readonly httpStatus?: number;
  /** The service's message: for logs and run records, never for an alert. */
  readonly message: string;
}

/**
 * Short fixed reasons for an alert whose lookup failed: no SDK text, which can name principals,
 * request ids or addresses. The details go to the run summary's warnings and the log.
 */
export const LOOKUP_FAILURE_REASONS: Readonly<Record<LookupFailureKind, string>> = {
  'access-denied': 'LookupEvents was denied: grant cloudtrail:LookupEvents to the snapshot role',
  throttled: 'LookupEvents stayed throttled',
  failed: 'LookupEvents failed',
};

/** The fixed reason for the most telling of `failures` (access first, then throttling). */
export const lookupFailureReason = (failures: readonly Pick<LookupFailure, 'kind'>[]): string => {
  const kinds = new Set(failures.map((f) => f.kind));
  const kind = (['access-denied', 'throttled', 'failed'] as const).find((k) => kinds.has(k)) ?? 'failed';
  return LOOKUP_FAILURE_REASONS[kind];
};

export interface LookupStageEventsResult {
  /**
   * Write calls that may change a stage (the rule's event names), read-only calls left out,
   * deduplicated by eventID; newest first. Failed calls are kept (`errorCode`); attribution
   * skips them.
   */
  readonly records: readonly CloudTrailRecord[];
  /** False when a source's paging was cut short (maxPages, a failed call); `incompleteReason` says why. */
  readonly complete: boolean;
  readonly incompleteReason?: string;
  /** The calls that failed, one per source at most; empty when none did. */
  readonly failures: readonly LookupFailure[];
  readonly problems: readonly LookupProblem[];
  /** Events returned before filtering, across sources. */
  readonly scanned: number;
  /** LookupEvents sends (retries included), throttling answers and retries. */
  readonly calls: Readonly<LookupCalls>;
}

/** What a lookup counts: LookupEvents sends (retries included), throttling answers, retries. */
export interface LookupCalls {
  LookupEvents: number;
  throttled: number;
  retries: number;
}

/** No call made yet. */
export const emptyLookupCalls = (): LookupCalls => ({ LookupEvents: 0, throttled: 0, retries: 0 });

const DEFAULT_RETRY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 5000,
  throttleDeadlineMs: 30_000,
  maxTransientRetries: 2,
};

const STAGE_CHANGE_NAMES = new Set(STAGE_CHANGE_EVENT_NAMES);

const validate = (request: LookupStageEventsRequest): number => {
  const { start, end } = request;
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new LookupEventsInputError('start and end must be valid Dates.');
  }
  if (start > end) {
    throw new LookupEventsInputError(
      `start (${start.toISOString()}) is after end (${end.toISOString()}): pass the earlier time as start.`,
    );
  }
  const maxPages = request.maxPages ?? 20;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new LookupEventsInputError(`maxPages must be an integer >= 1, got ${maxPages}: pass e.g. 20.`);
  }
  if (request.eventSources?.length === 0) {
    throw new LookupEventsInputError('eventSources is empty: leave it out for the default sources.');
  }
  return maxPages;
};

const ACCESS_DENIED_NAMES = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

const failureOf = (error: ApiCallFailedError, source: string): LookupFailure => ({
  source,
  kind:
    ACCESS_DENIED_NAMES.has(error.errorName) || error.httpStatus === 403
      ? 'access-denied'
      : error.kind === 'throttled'
        ? 'throttled'
        : 'failed',
  errorName: error.errorName,
  ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
  message: error.message,
});

const describeFailure = (failure: LookupFailure): string => {
  const hint =
    failure.kind === 'access-denied' ? ' (grant cloudtrail:LookupEvents to the snapshot role)' : '';
  return `LookupEvents on ${failure.source} failed with ${failure.errorName}${hint}: ${failure.message}`;
};

const byNewestFirst = (a: CloudTrailRecord, b: CloudTrailRecord): number =>
  compareText(b.eventTime, a.eventTime) || compareText(a.eventID, b.eventID);

/**
 * CloudTrail LookupEvents over one window, for each event source in turn, paged with NextToken,
 * within LookupEvents' own rate limit (its own token bucket, not the API Gateway budget).
 * Throttling (`ThrottlingException`) is retried with backoff until a deadline. Each event's
 * `CloudTrailEvent` JSON is parsed into the record shape attribution reads. A failed call or a
 * page cap ends that source's paging and marks the result incomplete; anything that is not a
 * service or network error is rethrown.
 *
 * Build the client with `{ ...COLLECTOR_CLIENT_CONFIG }` so only this code retries.
 * Cost: one call per page of 50 per source, so a window holding many API Gateway calls (read
 * calls included: LookupEvents cannot filter on two attributes) costs more pages.
 */
export const lookupStageEvents = async (
  client: CloudTrailClient,
  request: LookupStageEventsRequest,
): Promise<LookupStageEventsResult> => {
  const maxPages = validate(request);
  await assertCollectorClient(client, 'cloudTrailClient');
  const clock = request.clock ?? systemClock;
  const budget = request.budget ?? new TokenBucket({ ...LOOKUP_EVENTS_RATE, clock });
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...request.retry };
  const random = request.random ?? Math.random;
  const calls = emptyLookupCalls();
  const byId = new Map<string, CloudTrailRecord>();
  const problems: LookupProblem[] = [];
  const failures: LookupFailure[] = [];
  const incomplete: string[] = [];
  let scanned = 0;

  const keep = (event: LookupEvent): void => {
    scanned += 1;
    if (event.ReadOnly === 'true' || (event.EventName && !STAGE_CHANGE_NAMES.has(event.EventName))) return;
    let record: CloudTrailRecord;
    try {
      record = parseCloudTrailRecord(event.CloudTrailEvent ?? '');
    } catch (error) {
      if (!(error instanceof CloudTrailRecordError)) throw error;
      problems.push({ ...(event.EventId ? { eventId: event.EventId } : {}), message: error.message });
      return;
    }
    if (record.readOnly === true || !STAGE_CHANGE_NAMES.has(record.eventName)) return;
    byId.set(record.eventID, record);
  };

  for (const source of request.eventSources ?? DEFAULT_LOOKUP_EVENT_SOURCES) {
    const seenTokens = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    try {
      do {
        if (pages === maxPages) {
          incomplete.push(
            `stopped after ${maxPages} pages of ${source} (maxPages); older calls in the window were not read`,
          );
          break;
        }
        const NextToken = token;
        const page = await sendWithRetry(
          () =>
            client.send(
              new LookupEventsCommand({
                LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: source }],
                StartTime: request.start,
                EndTime: request.end,
                MaxResults: LOOKUP_EVENTS_PAGE_SIZE,
                NextToken,
              }),
            ),
          {
            budget,
            clock,
            policy,
            random,
            observer: countCalls(calls, 'LookupEvents'),
          },
        );
        pages += 1;
        for (const event of page.Events ?? []) keep(event);
        token = page.NextToken === '' ? undefined : page.NextToken;
        if (token !== undefined && seenTokens.has(token)) {
          incomplete.push(`LookupEvents on ${source} returned a NextToken twice; stopped paging`);
          break;
        }
        if (token !== undefined) seenTokens.add(token);
      } while (token !== undefined);
    } catch (error) {
      if (!(error instanceof ApiCallFailedError)) throw error;
      const failure = failureOf(error, source);
      failures.push(failure);
      incomplete.push(describeFailure(failure));
    }
  }

  return {
    records: [...byId.values()].sort(byNewestFirst),
    complete: incomplete.length === 0,
    ...(incomplete.length === 0 ? {} : { incompleteReason: incomplete.join('; ') }),
    failures,
    problems,
    scanned,
    calls,
  };
};
