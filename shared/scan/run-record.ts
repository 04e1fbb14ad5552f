import type { ApiFamily } from '../model';
import { API_FAMILIES, byFamily } from '../model';
import type { PostureSummaryRecord } from '../store';
import { recordBaselinePosture } from './baseline-posture';
import type { ScanDeps, ScopeSummary } from './scan-types';

/**
 * The APIs a run has left, by family, as run records and task messages store them: under the
 * keys `rest` and `v2` they were first written with (`ApiFamily` spells the families `REST`, `V2`).
 */
export interface StoredRemainingApiIds {
  readonly rest: readonly string[];
  readonly v2: readonly string[];
}

const STORED_FAMILY_KEYS: Readonly<Record<ApiFamily, keyof StoredRemainingApiIds>> = {
  REST: 'rest',
  V2: 'v2',
};

/** The stored form of the APIs left by family (keys in `API_FAMILIES` order). */
export const toStoredRemainingApiIds = (
  apiIds: Readonly<Record<ApiFamily, readonly string[]>>,
): StoredRemainingApiIds =>
  Object.fromEntries(
    API_FAMILIES.map((family) => [STORED_FAMILY_KEYS[family], apiIds[family]]),
  ) as unknown as StoredRemainingApiIds;

/** The APIs left by family, from their stored form. */
export const fromStoredRemainingApiIds = (
  stored: StoredRemainingApiIds,
): Record<ApiFamily, readonly string[]> => byFamily((family) => stored[STORED_FAMILY_KEYS[family]]);

/** What the record of a run in progress adds to the totals so far. */
export interface RunInProgress {
  /** The APIs listed by the first chunk and not read yet, by family. */
  readonly remainingApiIds: StoredRemainingApiIds;
}

/**
 * Records a scope's run: on a completed baseline, stores the scope's posture summary (returned,
 * for the caller's outbox) and registers the scope; then writes the run record (the
 * mark of a completed scan), or, with `inProgress`, the record of a run that goes on: its totals
 * so far and the APIs left, from which the run can continue (`RunLedger.inProgress`). Written
 * after every stage write of the run (or chunk), so a record never names work not stored.
 */
export const recordRun = async (
  deps: ScanDeps,
  capturedAt: string,
  summary: ScopeSummary,
  inProgress?: RunInProgress,
): Promise<PostureSummaryRecord | undefined> => {
  let posture: PostureSummaryRecord | undefined;
  if (summary.baseline && !inProgress) {
    // Before the run record: a crash in between reruns the baseline, which summarizes again.
    posture = await recordBaselinePosture(deps, capturedAt, summary);
    await deps.store.registerScope({ account: summary.account, region: summary.region, since: capturedAt });
  }
  await deps.store.writeRun({
    account: summary.account,
    region: summary.region,
    startedAt: capturedAt,
    summary,
    progress: inProgress
      ? { state: 'in-progress', remainingApiIds: inProgress.remainingApiIds }
      : { state: 'complete' },
  });
  return posture;
};
