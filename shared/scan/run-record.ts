import type { ScanDeps, ScopeSummary } from './scan-types';

/**
 * The summary key that marks the run record of a chunked run still in progress: written after
 * each chunk but the last, replaced by the full summary once the run completes.
 */
export const RUN_IN_PROGRESS = 'inProgress';

/** The summary key, in the record of a run in progress, of the APIs its next chunk reads. */
export const RUN_REMAINING_API_IDS = 'remainingApiIds';

/** What the record of a run in progress adds to the totals so far. */
export interface RunInProgress {
  /** The APIs listed by the first chunk and not read yet, by family. */
  readonly remainingApiIds: { readonly rest: readonly string[]; readonly v2: readonly string[] };
}

/**
 * Records a scope's run: registers the scope on its baseline and writes the run record (the
 * mark of a completed scan), or, with `inProgress`, the record of a run that goes on: its totals
 * so far and the APIs left, from which the run can continue (`continuationOf`).
 */
export const recordRun = async (
  deps: ScanDeps,
  capturedAt: string,
  summary: ScopeSummary,
  inProgress?: RunInProgress,
): Promise<void> => {
  if (summary.baseline && !inProgress)
    await deps.store.registerScope({ account: summary.account, region: summary.region, since: capturedAt });
  await deps.store.writeRun({
    account: summary.account,
    region: summary.region,
    startedAt: capturedAt,
    summary: {
      ...(summary as unknown as Record<string, unknown>),
      ...(inProgress ? { [RUN_IN_PROGRESS]: true, [RUN_REMAINING_API_IDS]: inProgress.remainingApiIds } : {}),
    },
  });
};
