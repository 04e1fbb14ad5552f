import type { CollectResult } from '../../shared/collect';
import type { StageSnapshot } from '../../shared/model';
import { formatStageKey } from '../../shared/model';
import type { PendingChange } from '../../shared/scan';
import { compareStage, findDeletions } from '../../shared/scan';
import type { LatestEntry } from '../../shared/store';

/**
 * The whole comparison of one scope as the scan makes it in pieces (`ScopeRun`, scope-run.ts):
 * `compareStage` for each snapshot read, then `findDeletions` once the collect is over.
 */
export const compareWithLatest = (
  latest: readonly LatestEntry[],
  current: readonly StageSnapshot[],
  collected: Pick<CollectResult, 'apis' | 'readApiIds' | 'listing'>,
  unreadApiIds: ReadonlySet<string>,
): PendingChange[] => {
  const stored = new Map(latest.map((entry) => [formatStageKey(entry.key), entry]));
  const seen = new Set(current.map((next) => formatStageKey(next.key)));
  const changes = current.flatMap((next) => compareStage(stored.get(formatStageKey(next.key)), next) ?? []);
  return [...changes, ...findDeletions(stored.values(), seen, collected, unreadApiIds)];
};
