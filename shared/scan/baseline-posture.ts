import type { ApiFamily, Severity } from '../model';
import { API_FAMILIES, familyOfApiType, maxSeverity } from '../model';
import type { PostureControl, PostureSummary } from '../posture';
import { DEFAULT_CONTROLS, evaluatePosture, summarizePosture } from '../posture';
import type { PostureSummaryRecord } from '../store';
import { POSTURE_SUMMARY_KIND, postureSummaryIdFor } from '../store';
import { inTodaysForm } from './normalize-api';
import type { ScanDeps, ScopeSummary } from './scan-types';

/** Failing stages a summary lists per control (the rest are counted). */
export const POSTURE_SUMMARY_STAGES = 20;

/** The families a completed run baselined and whose listing went through (a pending one baselines later). */
export const summarizedFamilies = (summary: ScopeSummary): ApiFamily[] => {
  if (!summary.baseline) return [];
  const baselined = summary.baselineFamilies ?? API_FAMILIES;
  return API_FAMILIES.filter((f) => baselined.includes(f) && !(summary.baselinePending ?? []).includes(f));
};

/** Pure: the record of a scope's posture summary. */
export const toPostureSummaryRecord = (
  scope: { readonly account: string; readonly region: string },
  families: readonly ApiFamily[],
  runStartedAt: string,
  summary: PostureSummary,
): PostureSummaryRecord => ({
  kind: POSTURE_SUMMARY_KIND,
  id: postureSummaryIdFor(scope.account, scope.region, families, runStartedAt),
  detectedAt: runStartedAt,
  account: scope.account,
  region: scope.region,
  severity: maxSeverity(summary.failing.map((c): Severity => c.severity)),
  families,
  stagesScanned: summary.stagesScanned,
  stagesFailing: summary.stagesFailing,
  counts: summary.counts,
  failing: summary.failing.map((control) => ({
    id: control.id,
    title: control.title,
    severity: control.severity,
    stageCount: control.stageCount,
    stages: control.stages.map((s) => ({
      apiType: s.key.apiType,
      apiId: s.key.apiId,
      apiName: s.apiName,
      stageName: s.key.stageName,
      reason: s.reason,
    })),
  })),
});

/**
 * The posture summary of a completed baseline, once per scope: the stored stages of the families
 * it baselined (read back, so a run in chunks, or one that reran after a crash, is summed up
 * whole), evaluated and summed up, and stored as an event (`writePostureSummary`, deterministic
 * id: a rerun of the same run stores nothing new). Undefined when the run baselined nothing, or
 * the scope has no stage of those families (an empty region sends nothing).
 */
export const recordBaselinePosture = async (
  deps: Pick<ScanDeps, 'store' | 'postureControls'>,
  runStartedAt: string,
  summary: ScopeSummary,
): Promise<PostureSummaryRecord | undefined> => {
  const families = summarizedFamilies(summary);
  if (families.length === 0) return undefined;
  const controls: readonly PostureControl[] = deps.postureControls ?? DEFAULT_CONTROLS;
  const entries = (await deps.store.listLatest(summary.account, summary.region)).filter((entry) =>
    families.includes(familyOfApiType(entry.key.apiType)),
  );
  if (entries.length === 0) return undefined;
  const snapshots = await deps.store.getSnapshots(entries);
  const postures = [...snapshots.values()].map((snapshot) =>
    evaluatePosture(inTodaysForm(snapshot), controls),
  );
  const record = toPostureSummaryRecord(
    summary,
    families,
    runStartedAt,
    summarizePosture(postures, controls, POSTURE_SUMMARY_STAGES),
  );
  await deps.store.writePostureSummary(record);
  return record;
};
