import type { DiffOptions } from '../../shared/diff';
import { diffConfigs } from '../../shared/diff';
import type { StageDrift, StageSnapshot } from '../../shared/model';
import { configAsJson, formatStageKey, maxSeverity } from '../../shared/model';
import type {
  DriftEventRecord,
  DynamoSnapshotStore,
  RevertMarks,
  StageWriteResult,
} from '../../shared/store';
import { DynamoEventStatus } from '../../shared/store';
import type { OpenedStore } from '../open-store';

export interface RevertRecordInput {
  /** The stage as re-read after the revert (it equals the target version). */
  readonly after: StageSnapshot;
  readonly by: string;
  readonly at: string;
  /** capturedAt of the version put back. */
  readonly toVersion: string;
  /** capturedAt of the stage's newest version before the revert (a tombstone for a deleted stage). */
  readonly fromVersion?: string;
  /** The drift events the revert undid. */
  readonly undone: readonly DriftEventRecord[];
  /** Redaction of the event's values: every stage variable fingerprinted. */
  readonly diffOptions: DiffOptions;
}

export interface RevertRecord {
  readonly write: StageWriteResult;
  readonly marks?: RevertMarks;
}

/**
 * Records a verified revert as the stage's next change: a `REVERTED` drift event (from the
 * stored latest version to the stage as re-read, who ran it, from and to which version), the new
 * version and the latest pointer, through the store's crash-safe `writeStage` — so the next scan
 * sees no drift, `history` shows the revert, and the publisher alerts it like any change. The
 * events it undid are marked `reverted`.
 */
export const recordRevert = async (opened: OpenedStore, input: RevertRecordInput): Promise<RevertRecord> => {
  const store: DynamoSnapshotStore = opened.store;
  const { key } = input.after;
  // One GetItem of the stage's latest item, not a Query of the whole scope.
  const previous = await store.getLatest(key);
  const stored =
    previous === undefined ? undefined : (await store.getSnapshots([previous])).get(formatStageKey(key));
  const changes = diffConfigs(
    stored === undefined ? undefined : configAsJson(stored),
    configAsJson(input.after),
    key.apiType,
    input.diffOptions,
  );
  const drift: StageDrift = {
    key,
    apiName: input.after.apiName,
    change: 'REVERTED',
    severity: maxSeverity(changes.map((c) => c.severity)),
    rule: 'stage-reverted',
    changes,
    ...(stored === undefined ? {} : { beforeHash: stored.hash }),
    afterHash: input.after.hash,
  };
  const write = await store.writeStage({
    key,
    ...(previous === undefined ? {} : { previous }),
    next: input.after,
    drift,
    capturedAt: input.at,
    annotations: {
      revert: {
        by: input.by,
        fromVersion: input.fromVersion ?? previous?.capturedAt ?? input.at,
        toVersion: input.toVersion,
        revertedEventIds: input.undone.map((e) => e.id),
      },
    },
  });
  if (write.eventId === undefined || input.undone.length === 0) return { write };
  const marks = await new DynamoEventStatus(opened.client, {
    tableName: opened.tableName,
  }).markEventsReverted(input.undone, { by: input.by, at: input.at, revertEventId: write.eventId });
  return { write, marks };
};
