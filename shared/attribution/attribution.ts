import type { StageChangeKind, StageDrift } from '../model';
import { familyOfApiType } from '../model';
import { compareText } from '../runtime';
import type { ChangeSource } from './classify';
import { classifySource } from './classify';
import type { CloudTrailRecord } from './cloudtrail-record';
import { accountOfRecord } from './cloudtrail-record';
import { AttributionInputError } from './errors';
import { scopeOfRecord } from './record-scope';

/** Who changed a stage and through what, from one CloudTrail record. */
export interface Attribution {
  /** `userIdentity.arn`; for an AWS service acting on its own, the service (`invokedBy`). */
  readonly principalArn: string;
  /** `userIdentity.type`: `IAMUser`, `AssumedRole`, `Root`, `AWSService`, ... (`Unknown` if absent). */
  readonly principalType: string;
  /** The role behind an assumed-role session (`sessionContext.sessionIssuer.arn`). */
  readonly sessionIssuer?: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly eventName: string;
  readonly eventTime: string;
  /** The service's request id (`requestID`); absent only from records that carry none. */
  readonly requestId?: string;
  /** CloudTrail's `eventID`: finds the record in Event history. */
  readonly eventId: string;
  readonly source: ChangeSource;
  /** The CloudFormation stack, for a `cloudformation` change on a stage tagged with its name. */
  readonly stackName?: string;
}

/** The two snapshots a drift lies between, and the time attribution runs. ISO-8601. */
export interface AttributionWindow {
  /** Capture time of the previous snapshot. */
  readonly start: string;
  /** Capture time of the snapshot that showed the drift. */
  readonly end: string;
  readonly now: string;
}

export interface AttributionOptions {
  /** The stage's tags (for the CloudFormation stack name). */
  readonly stageTags?: Readonly<Record<string, string>>;
  /**
   * A window that ended less than this long ago may still lack its CloudTrail records, which
   * arrive within about 5 minutes of the call on average (not a guarantee).
   * @default 900000 (15 minutes)
   */
  readonly deliveryDelayMs?: number;
  /** Set when the candidates are known to be partial (a lookup cut short): says why. */
  readonly lookupIncomplete?: string;
}

export type AttributionResult =
  | {
      readonly status: 'attributed';
      readonly attribution: Attribution;
      /** Records in the window that matched the stage (or its API); the best one is `attribution`. */
      readonly candidates: number;
    }
  | { readonly status: 'unattributed'; readonly reason: string; readonly candidates: 0 };

/**
 * Attribution as a drift event carries it: who and how when a CloudTrail record was found, else
 * why not (the event is sent anyway, never held back).
 */
export type DriftAttribution =
  | ({ readonly status: 'attributed' } & Attribution)
  | { readonly status: 'unattributed'; readonly reason: string };

/** An `attributeDrift` result as the drift event stores it. */
export const toDriftAttribution = (result: AttributionResult): DriftAttribution =>
  result.status === 'attributed'
    ? { status: 'attributed', ...result.attribution }
    : { status: 'unattributed', reason: result.reason };

const DEFAULT_DELIVERY_DELAY_MS = 15 * 60 * 1000;

const parseTime = (label: string, value: string): number => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new AttributionInputError(
      `window.${label} must be an ISO-8601 time, got ${JSON.stringify(value)}.`,
    );
  }
  return ms;
};

/** Builds the attribution of one record (the stage's tags give a CloudFormation stack name). */
export const toAttribution = (
  record: CloudTrailRecord,
  stageTags?: Readonly<Record<string, string>>,
): Attribution => {
  const identity = record.userIdentity;
  const { source, stackName } = classifySource(record, stageTags);
  return {
    principalArn: identity.arn ?? identity.invokedBy ?? identity.principalId ?? 'unknown',
    principalType: identity.type ?? 'Unknown',
    ...(identity.sessionIssuer?.arn === undefined ? {} : { sessionIssuer: identity.sessionIssuer.arn }),
    ...(record.sourceIPAddress === undefined ? {} : { sourceIp: record.sourceIPAddress }),
    ...(record.userAgent === undefined ? {} : { userAgent: record.userAgent }),
    eventName: record.eventName,
    eventTime: record.eventTime,
    ...(record.requestID === undefined ? {} : { requestId: record.requestID }),
    eventId: record.eventID,
    source,
    ...(stackName === undefined ? {} : { stackName }),
  };
};

type Effect = 'create' | 'modify' | 'delete';

// What a call can do to a stage. A v1 CreateDeployment with a stage name creates that stage or
// moves its deployment.
const EFFECTS: Readonly<Record<string, readonly Effect[]>> = {
  CreateApi: ['create'],
  CreateStage: ['create'],
  CreateDeployment: ['create', 'modify'],
  UpdateStage: ['modify'],
  TagResource: ['modify'],
  UntagResource: ['modify'],
  AssociateWebACL: ['modify'],
  DisassociateWebACL: ['modify'],
  DeleteStage: ['delete'],
  DeleteRestApi: ['delete'],
  DeleteApi: ['delete'],
};

const WANTED: Readonly<Record<StageChangeKind, Effect>> = {
  CREATED: 'create',
  RECREATED: 'create',
  MODIFIED: 'modify',
  DELETED: 'delete',
  REVERTED: 'modify',
};

interface Candidate {
  readonly record: CloudTrailRecord;
  readonly time: number;
  /** 0: the call can cause this kind of change; 1: it cannot (kept as a last resort). */
  readonly relevance: number;
  /** 0: the call named this stage; 1: it named only the API. */
  readonly specificity: number;
}

const byBestFirst = (a: Candidate, b: Candidate): number =>
  a.relevance - b.relevance ||
  a.specificity - b.specificity ||
  b.time - a.time ||
  compareText(a.record.eventID, b.record.eventID);

const candidateOf = (
  drift: Pick<StageDrift, 'key' | 'change'>,
  record: CloudTrailRecord,
  from: number,
  to: number,
): Candidate | undefined => {
  const { key } = drift;
  if (record.errorCode !== undefined) return undefined;
  const account = accountOfRecord(record);
  if (record.awsRegion !== key.region || (account !== undefined && account !== key.account)) return undefined;
  const time = Date.parse(record.eventTime);
  if (Number.isNaN(time) || time < from || time > to) return undefined;
  const scope = scopeOfRecord(record);
  if (scope.kind === 'none' || scope.apiId !== key.apiId) return undefined;
  if (scope.apiType !== familyOfApiType(key.apiType)) return undefined;
  if (scope.kind === 'stage' && scope.stageName !== key.stageName) return undefined;
  const effects = EFFECTS[record.eventName] ?? [];
  return {
    record,
    time,
    relevance: effects.includes(WANTED[drift.change]) ? 0 : 1,
    specificity: scope.kind === 'stage' ? 0 : 1,
  };
};

/**
 * Who made one stage drift, from CloudTrail records (the triggering events of an event-driven
 * rescan, or a LookupEvents over the window). Pure.
 *
 * A candidate is a successful call in the same account and region, between the two snapshots,
 * that named this stage, or only its API (DeleteRestApi, a CreateDeployment without a stage, a
 * tag on the API). The best one is a call that can cause this kind of change (a delete for
 * DELETED, a create for CREATED and RECREATED, an update, tag, deployment or WAF change for
 * MODIFIED), naming the stage rather than only the API, newest first. With none, the drift goes
 * out unattributed with the reason: never held back waiting for CloudTrail.
 */
export const attributeDrift = (
  drift: Pick<StageDrift, 'key' | 'change'>,
  candidates: readonly CloudTrailRecord[],
  window: AttributionWindow,
  options: AttributionOptions = {},
): AttributionResult => {
  const start = parseTime('start', window.start);
  const end = parseTime('end', window.end);
  const now = parseTime('now', window.now);
  if (start > end) {
    throw new AttributionInputError(
      `window.start (${window.start}) is after window.end (${window.end}): pass the previous capture time as start.`,
    );
  }
  // CloudTrail times are whole seconds, truncated: a call 0.9 s after `start` reads as before it.
  const from = Math.floor(start / 1000) * 1000;
  const matched = candidates
    .map((record) => candidateOf(drift, record, from, end))
    .filter((candidate): candidate is Candidate => candidate !== undefined)
    .sort(byBestFirst);
  const best = matched[0];
  if (best) {
    return {
      status: 'attributed',
      attribution: toAttribution(best.record, options.stageTags),
      candidates: matched.length,
    };
  }
  const { key } = drift;
  const stage = `${key.apiId}/${key.stageName}`;
  if (options.lookupIncomplete !== undefined) {
    return {
      status: 'unattributed',
      reason: `CloudTrail lookup incomplete (${options.lookupIncomplete}); no record found for ${stage}`,
      candidates: 0,
    };
  }
  const ageSeconds = Math.max(0, Math.round((now - end) / 1000));
  if (now - end < (options.deliveryDelayMs ?? DEFAULT_DELIVERY_DELAY_MS)) {
    return {
      status: 'unattributed',
      reason:
        `no CloudTrail record yet: CloudTrail delivers within ~5 minutes, and this change was seen ` +
        `${ageSeconds} s ago; sent now rather than held back`,
      candidates: 0,
    };
  }
  return {
    status: 'unattributed',
    reason:
      `no CloudTrail record of a call on ${stage} between ${window.start} and ${window.end} ` +
      '(is CloudTrail logging in this region?)',
    candidates: 0,
  };
};
