import type { CollectResult } from '../collect';
import type { StageKey, StageSnapshot } from '../model';
import { apiTagsHash, familyOfApiType, formatStageKey, sameCreatedDate } from '../model';
import type { LatestEntry } from '../store';

/** One stage whose stored state must move: created, changed, recreated or deleted. */
export interface PendingChange {
  readonly key: StageKey;
  readonly previous?: LatestEntry;
  readonly next?: StageSnapshot;
}

/**
 * Pure: the change of one stage read by this scan against its stored latest entry (`undefined`
 * for a stage the store does not know): created, changed or recreated, or `undefined` if none.
 */
export const compareStage = (
  previous: LatestEntry | undefined,
  next: StageSnapshot,
): PendingChange | undefined => {
  const recreated =
    previous?.createdDate !== undefined &&
    next.volatile.createdDate !== undefined &&
    !sameCreatedDate(previous.createdDate, next.volatile.createdDate);
  // API tags are not in `hash`; a change of them (the ignore tag among them) moves the stage too.
  // A latest item without `apiTagsHash` counts as "no API tags" (stages of tagged APIs move once).
  const sameApiTags = previous?.apiTagsHash === apiTagsHash(next);
  if (previous && previous.hash === next.hash && sameApiTags && !recreated) return undefined;
  return { key: next.key, ...(previous ? { previous } : {}), next };
};

/**
 * Pure: the stored stages this scan did not see (`seen`: their `formatStageKey`s) that are
 * deleted: only when their API's stages were read in full, or their API family was listed
 * completely and the API is gone; a failed read is never a deletion.
 */
export const findDeletions = (
  latest: Iterable<LatestEntry>,
  seen: ReadonlySet<string>,
  collected: Pick<CollectResult, 'apis' | 'readApiIds' | 'listing'>,
  unreadApiIds: ReadonlySet<string>,
): PendingChange[] => {
  const listed = new Set(collected.apis.map((api) => api.apiId));
  const read = new Set(collected.readApiIds);
  const changes: PendingChange[] = [];
  for (const previous of latest) {
    if (seen.has(formatStageKey(previous.key))) continue;
    const { apiId } = previous.key;
    const apiGone =
      collected.listing[familyOfApiType(previous.key.apiType)] === 'complete' && !listed.has(apiId);
    const stagesReadInFull = read.has(apiId) && !unreadApiIds.has(apiId);
    if (apiGone || stagesReadInFull) changes.push({ key: previous.key, previous });
  }
  return changes;
};
