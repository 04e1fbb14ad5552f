import { createHash } from 'node:crypto';
import type { StageKey } from '../model';
import { formatStageKey } from '../model';
import type { LatestEntry } from './snapshot-store';

/**
 * The deterministic id of one drift event: the first 32 hex digits of SHA-256 over the stage
 * key, the previous hash and capturedAt (or `-` for a stage the store has no latest item for)
 * and the new hash (or `DELETED`).
 *
 * - A replay of the same interrupted change (same previous state, same new hash) gets the same
 *   id, so the conditional put of the event is a no-op the second time.
 * - A flap A→B→A→B gets a new id each time, because the previous capturedAt moves on.
 * - `priorTombstoneSk` is the sort key of the newest tombstone in the stage's history. It only
 *   counts when there is no previous entry (a CREATED stage), so a stage created, deleted and
 *   created again with the same content is a second event, not a replay of the first.
 */
export const eventIdFor = (
  key: StageKey,
  previous: LatestEntry | undefined,
  nextHash: string | undefined,
  priorTombstoneSk?: string,
): string => {
  const parts = [
    formatStageKey(key),
    previous?.hash ?? '-',
    previous?.capturedAt ?? '-',
    nextHash ?? 'DELETED',
  ];
  if (previous === undefined && priorTombstoneSk !== undefined) parts.push(priorTombstoneSk);
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
};
