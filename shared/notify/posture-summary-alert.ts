import type { Severity } from '../model';
import type { PostureSummaryControl, PostureSummaryRecord } from '../store';
import { POSTURE_SUMMARY_KIND } from '../store';
import type { AlertOptions } from './drift-alert';
import { stageConsoleUrl } from './console-url';

/** The version of the posture summary JSON (`posture-summary.schema.json`). Bumped on a breaking change. */
export const POSTURE_SUMMARY_SCHEMA_VERSION = 1;
/** `$id` of `posture-summary.schema.json`. */
export const POSTURE_SUMMARY_SCHEMA_ID = 'urn:stage-drift:schema:posture-summary:1';

/** One failing stage of a control, as subscribers receive it. */
export interface PostureSummaryAlertStage {
  readonly apiType: PostureSummaryControl['stages'][number]['apiType'];
  readonly apiId: string;
  readonly apiName: string;
  readonly stageName: string;
  readonly reason: string;
  readonly consoleUrl: string;
}

/** One failing control of the summary. */
export interface PostureSummaryAlertControl {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly stageCount: number;
  /** The first stages that fail it; `stagesOmitted` more are not listed. */
  readonly stages: readonly PostureSummaryAlertStage[];
  readonly stagesOmitted?: number;
}

/**
 * The baseline's posture summary as subscribers receive it (the SNS `Message`, with the message
 * attribute `change = POSTURE_SUMMARY`). Documented in `posture-summary.schema.json` and
 * docs/alerts.md. Additive changes keep `schemaVersion: 1`.
 */
export interface PostureSummaryAlert extends Omit<PostureSummaryRecord, 'id' | 'failing'> {
  readonly schemaVersion: typeof POSTURE_SUMMARY_SCHEMA_VERSION;
  readonly source: 'stage-drift';
  /** Deterministic per scope and baseline run (the record's `id`). */
  readonly eventId: string;
  readonly failing: readonly PostureSummaryAlertControl[];
}

/** The alert of a posture summary, each control's stage list cut to `maxStages` (@default all stored). */
export const toPostureSummaryAlert = (
  record: PostureSummaryRecord,
  options: AlertOptions = {},
  maxStages = Number.POSITIVE_INFINITY,
): PostureSummaryAlert => ({
  schemaVersion: POSTURE_SUMMARY_SCHEMA_VERSION,
  source: 'stage-drift',
  kind: POSTURE_SUMMARY_KIND,
  eventId: record.id,
  detectedAt: record.detectedAt,
  account: record.account,
  region: record.region,
  severity: record.severity,
  families: record.families,
  stagesScanned: record.stagesScanned,
  stagesFailing: record.stagesFailing,
  counts: record.counts,
  failing: record.failing.map((control): PostureSummaryAlertControl => {
    const stages = control.stages.slice(0, maxStages).map((s): PostureSummaryAlertStage => ({
      ...s,
      consoleUrl: stageConsoleUrl(
        { apiType: s.apiType, apiId: s.apiId, region: record.region },
        options.consoleBaseUrl,
      ),
    }));
    const omitted = control.stageCount - stages.length;
    return {
      id: control.id,
      title: control.title,
      severity: control.severity,
      stageCount: control.stageCount,
      stages,
      ...(omitted > 0 ? { stagesOmitted: omitted } : {}),
    };
  }),
});

/** `2 controls fail on 2 of 3 stages` (or `no control fails on 3 stages`). */
export const describePostureCounts = (record: PostureSummaryRecord): string => {
  const stages = (n: number) => `${n} stage${n === 1 ? '' : 's'}`;
  if (record.failing.length === 0) return `no control fails on ${stages(record.stagesScanned)}`;
  const n = record.failing.length;
  return `${n} control${n === 1 ? '' : 's'} fail${n === 1 ? 's' : ''} on ${record.stagesFailing} of ${stages(record.stagesScanned)}`;
};
