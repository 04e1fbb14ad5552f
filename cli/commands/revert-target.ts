import type { StageKey, StageSnapshot } from '../../shared/model';
import type { DriftEventRecord, DynamoSnapshotStore, VersionEntry } from '../../shared/store';
import { UsageError } from '../errors';
import { parseWhen } from './query-support';

/** The version a revert goes back to, with the drift events it undoes. */
export interface RevertTarget {
  readonly capturedAt: string;
  readonly snapshot: StageSnapshot;
  /** The stage's drift events after the target version (REVERTED ones aside): what the revert undoes. */
  readonly undone: readonly DriftEventRecord[];
}

const describe = (key: StageKey): string => `API ${key.apiId} stage ${key.stageName}`;

/**
 * `--to` (an ISO time, a version's capturedAt, or a relative `2h`), or by default the version
 * before the stage's latest drift event (a revert's own event aside).
 * @throws UsageError (exit 2): a time before the first version, a time the stage was deleted,
 *   no drift event to go back before
 */
export const resolveRevertTarget = async (
  store: DynamoSnapshotStore,
  key: StageKey,
  versions: readonly VersionEntry[],
  to: string | undefined,
  now: Date,
): Promise<RevertTarget> => {
  const events = (await store.listStageEvents(key)).events.filter((e) => e.change !== 'REVERTED');
  let at: string;
  if (to !== undefined) {
    at = parseWhen(to, '--to', now);
    if (at > now.toISOString())
      throw new UsageError(
        `--to ${to} is in the future: give a time when a version was captured (see \`stage-drift history\`)`,
      );
    const oldest = versions.at(-1);
    if (oldest === undefined || at < oldest.capturedAt)
      throw new UsageError(
        `${describe(key)} has no version at ${at}: its first was captured at ${oldest?.capturedAt ?? '(none)'}; see \`stage-drift history ${key.apiId} ${key.stageName}\``,
      );
  } else {
    const latest = events[0];
    if (latest === undefined)
      throw new UsageError(
        `${describe(key)} has no drift event to go back before: pass --to <ISO time> (see \`stage-drift history ${key.apiId} ${key.stageName}\`)`,
      );
    const before = versions.find((v) => v.capturedAt < latest.detectedAt && !v.deleted);
    if (before === undefined)
      throw new UsageError(
        `${describe(key)} has no version before its latest drift event (${latest.change} at ${latest.detectedAt}): pass --to <ISO time>`,
      );
    at = before.capturedAt;
  }
  const version = await store.getVersionAt(key, at);
  if (version === undefined || version.snapshot === undefined)
    throw new UsageError(
      `${describe(key)} was deleted at ${at} (since ${version?.capturedAt ?? at}): pick a time when it existed; see \`stage-drift history ${key.apiId} ${key.stageName}\``,
    );
  return {
    capturedAt: version.capturedAt,
    snapshot: version.snapshot,
    undone: events.filter((e) => e.detectedAt > version.capturedAt),
  };
};
