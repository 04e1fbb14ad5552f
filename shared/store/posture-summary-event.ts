import { createHash } from 'node:crypto';
import type { ApiFamily, ApiType, Severity } from '../model';
import { canonicalJson, isJsonObject, isSeverity } from '../model';
import type { Item } from './attributes';
import { bin, num, readStr, str } from './attributes';
import { INLINE_MAX_BYTES, gzipIfFits } from './body-codec';
import { StoreError, describeItemKey } from './errors';
import { driftGsiSk, driftMonthPk, driftSk } from './keys';

/** The `kind` of a posture summary: what the first scan (the baseline) of a scope found. */
export const POSTURE_SUMMARY_KIND = 'POSTURE_SUMMARY';

/** One stage that fails a control, as the summary lists it. */
export interface PostureSummaryStage {
  readonly apiType: ApiType;
  readonly apiId: string;
  readonly apiName: string;
  readonly stageName: string;
  /** Why it fails (names fields, never stage variable values). */
  readonly reason: string;
}

/** One control that at least one baselined stage fails. */
export interface PostureSummaryControl {
  readonly id: string;
  readonly title: string;
  /** The control's own rating (Security Hub's labels). */
  readonly severity: Severity;
  /** How many stages fail it. */
  readonly stageCount: number;
  /** The first of them (`stagesListed` at most), in stage-key order. */
  readonly stages: readonly PostureSummaryStage[];
}

/**
 * The posture summary of a scope's baseline, stored next to the drift events (GSI1, `itemType =
 * DRIFT`, `kind = POSTURE_SUMMARY`) so the stream, the publish function, the outbox and the
 * delivery marks deliver it as they deliver drift events. One per scope and baseline run.
 */
export interface PostureSummaryRecord {
  readonly kind: typeof POSTURE_SUMMARY_KIND;
  /** Deterministic per scope and baseline run (`postureSummaryIdFor`). */
  readonly id: string;
  /** The baseline run's capture time. */
  readonly detectedAt: string;
  readonly account: string;
  readonly region: string;
  /** The most severe failing control's rating; INFO when nothing fails. */
  readonly severity: Severity;
  /** The API families this baseline covers. */
  readonly families: readonly ApiFamily[];
  readonly stagesScanned: number;
  /** Stages that fail at least one control. */
  readonly stagesFailing: number;
  /** Per control: stages passed, failed, not applicable (table order). */
  readonly counts: readonly {
    readonly id: string;
    readonly passed: number;
    readonly failed: number;
    readonly notApplicable: number;
  }[];
  /** The controls some stage fails, in table order. */
  readonly failing: readonly PostureSummaryControl[];
}

/**
 * The id of a scope's posture summary: SHA-256 over the scope, the baselined families and the
 * run's capture time, so a rerun of the same run (a retried chunk, a resumed run) finds it stored.
 */
export const postureSummaryIdFor = (
  account: string,
  region: string,
  families: readonly ApiFamily[],
  runStartedAt: string,
): string =>
  createHash('sha256')
    .update(['POSTURE_SUMMARY', account, region, families.join(','), runStartedAt].join('\n'))
    .digest('hex')
    .slice(0, 32);

/** The partition of a scope's posture summaries (no stage's history). */
export const posturePk = (account: string, region: string): string => `POSTURE#${account}#${region}`;

/** The summary's item: keyed like a drift event in GSI1, so every reader of the events finds it. */
export const postureSummaryItem = (record: PostureSummaryRecord, ttlSeconds: number): Item => {
  const json = canonicalJson(record);
  let body: Item;
  if (Buffer.byteLength(json, 'utf8') <= INLINE_MAX_BYTES) body = { event: str(json) };
  else {
    const gz = gzipIfFits(json);
    if (!gz)
      throw new StoreError(
        `The posture summary of ${record.account}/${record.region} does not fit in one item.`,
      );
    body = { eventGz: bin(gz) };
  }
  return {
    PK: str(posturePk(record.account, record.region)),
    SK: str(driftSk(record.id)),
    itemType: str('DRIFT'),
    kind: str(POSTURE_SUMMARY_KIND),
    eventId: str(record.id),
    detectedAt: str(record.detectedAt),
    change: str(POSTURE_SUMMARY_KIND),
    severity: str(record.severity),
    GSI1PK: str(driftMonthPk(record.detectedAt)),
    GSI1SK: str(driftGsiSk(record.detectedAt, record.id)),
    ttl: num(ttlSeconds),
    ...body,
  };
};

/** Whether a drift-like item holds a posture summary (its `kind` attribute). */
export const isPostureSummaryItem = (item: Item): boolean => readStr(item, 'kind') === POSTURE_SUMMARY_KIND;

/** Checks a parsed body; throws a StoreError naming the item when it is not a posture summary. */
export const checkPostureSummary = (
  value: unknown,
  itemKey: { PK: string; SK: string },
): PostureSummaryRecord => {
  const ok =
    isJsonObject(value) &&
    value.kind === POSTURE_SUMMARY_KIND &&
    typeof value.id === 'string' &&
    typeof value.detectedAt === 'string' &&
    typeof value.account === 'string' &&
    typeof value.region === 'string' &&
    isSeverity(value.severity) &&
    typeof value.stagesScanned === 'number' &&
    Array.isArray(value.failing) &&
    value.failing.every((c) => isJsonObject(c) && typeof c.id === 'string' && Array.isArray(c.stages));
  if (!ok) {
    throw new StoreError(`The item ${describeItemKey(itemKey)} is not a posture summary.`, { itemKey });
  }
  return value as unknown as PostureSummaryRecord;
};
