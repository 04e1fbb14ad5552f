import type { StageChangeKind } from '../model';
import type { AlertEventRecord, DriftEventRecord, PostureSummaryRecord } from '../store';
import { POSTURE_SUMMARY_KIND, isPostureSummary } from '../store';
import type { AlertOptions, DriftAlert } from './drift-alert';
import { toDriftAlert } from './drift-alert';
import type { PostureSummaryAlert } from './posture-summary-alert';
import { describePostureCounts, toPostureSummaryAlert } from './posture-summary-alert';
import { escapeControlChars } from './values';

/** SNS's limit for one message, attributes included. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** Room kept below the limit for how SNS counts envelope bytes. */
const SNS_SAFETY_BYTES = 1_024;
/** SNS subjects must be shorter than 100 characters. */
export const SNS_SUBJECT_MAX_CHARS = 99;

export interface SnsMessageAttribute {
  readonly DataType: 'String';
  readonly StringValue: string;
}

/** The parameters of one SNS `Publish` (besides the topic). */
export interface SnsMessage {
  readonly Subject: string;
  /** The alert JSON: see `drift-event.schema.json` (`posture-summary.schema.json` for a summary). */
  readonly Message: string;
  /** For subscription filter policies: severity, change, apiType, region, account, apiId, stageName, source. */
  readonly MessageAttributes: Readonly<Record<string, SnsMessageAttribute>>;
}

export interface SnsRenderOptions extends AlertOptions {
  /** @default 262,144 (SNS's limit) minus a safety margin of 1 KB */
  readonly maxBytes?: number;
}

const VERBS: Readonly<Record<StageChangeKind, string>> = {
  CREATED: 'was created in',
  DELETED: 'was deleted in',
  MODIFIED: 'drifted in',
  RECREATED: 'was recreated in',
  REVERTED: 'was reverted in',
};

/**
 * Printable ASCII only: accents folded (`é` -> `e`), control, bidi and separator characters as
 * visible escapes (`\n`, `\x1b`, `\u202e`, and `\` as `\\`), anything else `?`, whitespace runs
 * one space.
 */
export const toAsciiText = (text: string): string =>
  escapeControlChars(text.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?');

const shorten = (text: string, max: number): string =>
  text.length <= max ? text : max <= 3 ? text.slice(0, Math.max(0, max)) : `${text.slice(0, max - 3)}...`;

/**
 * `[HIGH] prod of orders-api (a1b2c3) drifted in eu-west-1`: ASCII, one line, under 100
 * characters. Long stage and API names are shortened with `...`, the longer one first.
 */
export const renderSnsSubject = (event: DriftEventRecord): string => {
  const name = toAsciiText(event.api.name).trim();
  const apiId = toAsciiText(event.api.id);
  const region = toAsciiText(event.region);
  const build = (stage: string, api: string) =>
    `[${event.severity}] ${stage} of ${name === '' ? `API ${apiId}` : `${api} (${apiId})`} ` +
    `${VERBS[event.change]} ${region}`;
  let stage = toAsciiText(event.stageName);
  let api = name;
  const budget = SNS_SUBJECT_MAX_CHARS - build('', '').length;
  if (stage.length + api.length > budget) {
    const half = Math.floor(budget / 2);
    if (stage.length <= half) api = shorten(api, budget - stage.length);
    else if (api.length <= half) stage = shorten(stage, budget - api.length);
    else {
      stage = shorten(stage, half);
      api = shorten(api, budget - stage.length);
    }
  }
  return shorten(build(stage, api), SNS_SUBJECT_MAX_CHARS);
};

const attribute = (value: string): SnsMessageAttribute => ({
  DataType: 'String',
  StringValue: value === '' ? '-' : value,
});

/**
 * Through what the change was made, for filter policies: a ChangeSource (`console`, `cli-sdk`,
 * `cloudformation`, `terraform`, `aws-service`, `unknown`), or `unattributed` when CloudTrail
 * had no record (or attribution is not configured).
 */
export const sourceAttributeOf = (event: DriftEventRecord): string =>
  event.attribution?.status === 'attributed' ? event.attribution.source : 'unattributed';

/** The attributes subscription filter policies match on (8 of SNS's 10). */
export const renderSnsAttributes = (event: DriftEventRecord): Record<string, SnsMessageAttribute> => ({
  severity: attribute(event.severity),
  change: attribute(event.change),
  apiType: attribute(event.api.type),
  region: attribute(event.region),
  account: attribute(event.account),
  apiId: attribute(event.api.id),
  stageName: attribute(event.stageName),
  source: attribute(sourceAttributeOf(event)),
});

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The size SNS counts: body, subject and every attribute's name, type and value. */
export const snsMessageBytes = (message: SnsMessage): number =>
  bytes(message.Message) +
  bytes(message.Subject) +
  Object.entries(message.MessageAttributes).reduce(
    (sum, [name, value]) => sum + bytes(name) + bytes(value.DataType) + bytes(value.StringValue),
    0,
  );

const serializeAlert = (alert: DriftAlert | PostureSummaryAlert): string => JSON.stringify(alert, null, 2);

/**
 * The attributes of a posture summary: `change` (and `kind`) `POSTURE_SUMMARY`, so a filter
 * policy on `change` keeps summaries out (or lets only them in); no stage, so `-` for its fields.
 */
export const renderPostureSnsAttributes = (
  record: PostureSummaryRecord,
): Record<string, SnsMessageAttribute> => ({
  severity: attribute(record.severity),
  change: attribute(POSTURE_SUMMARY_KIND),
  apiType: attribute(''),
  region: attribute(record.region),
  account: attribute(record.account),
  apiId: attribute(''),
  stageName: attribute(''),
  source: attribute('baseline'),
  kind: attribute(POSTURE_SUMMARY_KIND),
});

/** `[HIGH] Posture of 123456789012/eu-west-1: 2 controls fail on 2 of 3 stages`: ASCII, under 100 characters. */
export const renderPostureSnsSubject = (record: PostureSummaryRecord): string =>
  shorten(
    toAsciiText(
      `[${record.severity}] Posture of ${record.account}/${record.region}: ${describePostureCounts(record)}`,
    ),
    SNS_SUBJECT_MAX_CHARS,
  );

/** The SNS notification of a posture summary; a message over SNS's limit lists fewer stages per control. */
const renderPostureSnsMessage = (record: PostureSummaryRecord, options: SnsRenderOptions): SnsMessage => {
  const maxBytes = options.maxBytes ?? SNS_MAX_MESSAGE_BYTES - SNS_SAFETY_BYTES;
  const Subject = renderPostureSnsSubject(record);
  const MessageAttributes = renderPostureSnsAttributes(record);
  const withStages = (max: number): SnsMessage => ({
    Subject,
    Message: serializeAlert(toPostureSummaryAlert(record, options, max)),
    MessageAttributes,
  });
  let max = Math.max(0, ...record.failing.map((c) => c.stages.length));
  let message = withStages(max);
  while (snsMessageBytes(message) > maxBytes && max > 0) {
    max = Math.floor(max / 2);
    message = withStages(max);
  }
  return message;
};

/**
 * The SNS notification of one event: a drift event (below) or a posture summary (its own JSON,
 * `posture-summary.schema.json`).
 */
export const renderSnsMessage = (event: AlertEventRecord, options: SnsRenderOptions = {}): SnsMessage =>
  isPostureSummary(event) ? renderPostureSnsMessage(event, options) : renderDriftSnsMessage(event, options);

/**
 * The SNS notification of one drift event: a readable subject, the alert JSON (schema version 1)
 * and the filter attributes. A message that would pass SNS's 256 KB keeps the most severe changes
 * that fit, with `changesOmitted` and a note naming `stage-drift show`; it is never dropped.
 */
const renderDriftSnsMessage = (event: DriftEventRecord, options: SnsRenderOptions): SnsMessage => {
  const maxBytes = options.maxBytes ?? SNS_MAX_MESSAGE_BYTES - SNS_SAFETY_BYTES;
  const Subject = renderSnsSubject(event);
  const MessageAttributes = renderSnsAttributes(event);
  const withChanges = (keep: number): SnsMessage => ({
    Subject,
    Message: serializeAlert(toDriftAlert(event, options, keep)),
    MessageAttributes,
  });
  const full = withChanges(event.changes.length);
  if (snsMessageBytes(full) <= maxBytes) return full;
  // The most changes that fit: binary search on the count kept.
  let low = 0;
  let high = event.changes.length - 1;
  let best = withChanges(0);
  while (low <= high) {
    const keep = Math.floor((low + high) / 2);
    const candidate = withChanges(keep);
    if (snsMessageBytes(candidate) <= maxBytes) {
      best = candidate;
      low = keep + 1;
    } else {
      high = keep - 1;
    }
  }
  return best;
};
