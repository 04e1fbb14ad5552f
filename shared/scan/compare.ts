import type { CollectResult } from '../collect';
import type { StageKey, StageSnapshot } from '../model';
import { formatStageKey } from '../model';
import type { LatestEntry } from '../store';

/** One stage whose stored state must move: created, changed, recreated or deleted. */
export interface PendingChange {
  readonly key: StageKey;
  readonly previous?: LatestEntry;
  readonly next?: StageSnapshot;
}

const familyOf = (key: StageKey): 'rest' | 'v2' => (key.apiType === 'REST' ? 'rest' : 'v2');

/**
 * Two `createdDate`s name the same instant (`...Z` vs `....000Z`). Judged as the diff judges
 * them: equal text is the same instant even when it does not parse, so an odd date can never
 * make a stage look recreated on every scan.
 */
const sameInstant = (a: string, b: string): boolean => {
  if (a === b) return true;
  const x = Date.parse(a);
  return !Number.isNaN(x) && x === Date.parse(b);
};

/**
 * Pure: which stages changed between the stored latest entries and this scan's snapshots.
 * A stored stage missing from the scan is deleted only when its API's stages were read in full,
 * or its API family was listed completely and the API is gone; a failed read is never a deletion.
 */
export const compareWithLatest = (
  latest: readonly LatestEntry[],
  current: readonly StageSnapshot[],
  collected: Pick<CollectResult, 'apis' | 'readApiIds' | 'listing'>,
  unreadApiIds: ReadonlySet<string>,
): PendingChange[] => {
  const stored = new Map(latest.map((entry) => [formatStageKey(entry.key), entry]));
  const seen = new Set<string>();
  const changes: PendingChange[] = [];
  for (const next of current) {
    const id = formatStageKey(next.key);
    seen.add(id);
    const previous = stored.get(id);
    const recreated =
      previous?.createdDate !== undefined &&
      next.volatile.createdDate !== undefined &&
      !sameInstant(previous.createdDate, next.volatile.createdDate);
    if (!previous || previous.hash !== next.hash || recreated) {
      changes.push({ key: next.key, ...(previous ? { previous } : {}), next });
    }
  }
  const listed = new Set(collected.apis.map((api) => api.apiId));
  const read = new Set(collected.readApiIds);
  for (const [id, previous] of stored) {
    if (seen.has(id)) continue;
    const { apiId } = previous.key;
    const apiGone = collected.listing[familyOf(previous.key)] === 'complete' && !listed.has(apiId);
    const stagesReadInFull = read.has(apiId) && !unreadApiIds.has(apiId);
    if (apiGone || stagesReadInFull) changes.push({ key: previous.key, previous });
  }
  return changes;
};
