import type { ScanDeps, ScopeSummary } from './scan-types';

/**
 * The summary key that marks the run record of a chunked run still in progress: written after
 * each chunk but the last, replaced by the full summary once the run completes.
 */
export const RUN_IN_PROGRESS = 'inProgress';

/**
 * Records a scope's run: registers the scope on its baseline and writes the run record (the
 * mark of a completed scan), or, with `inProgress`, the record of a run that goes on.
 */
export const recordRun = async (
  deps: ScanDeps,
  capturedAt: string,
  summary: ScopeSummary,
  inProgress = false,
): Promise<void> => {
  if (summary.baseline && !inProgress)
    await deps.store.registerScope({ account: summary.account, region: summary.region, since: capturedAt });
  await deps.store.writeRun({
    account: summary.account,
    region: summary.region,
    startedAt: capturedAt,
    summary: {
      ...(summary as unknown as Record<string, unknown>),
      ...(inProgress ? { [RUN_IN_PROGRESS]: true } : {}),
    },
  });
};
