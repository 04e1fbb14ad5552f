import type { CloudTrailRecord } from '../attribution';
import type { ApiFamily, ApiStagesSink, CollectResult, RawStage } from '../collect';
import { compareStageKeys } from '../collect';
import { diffStages } from '../diff';
import type { ApiRef, ApiType, StageKey, StageSnapshot } from '../model';
import { formatStageKey } from '../model';
import { normalizeRestStage, normalizeV2Stage, renormalizeSnapshot, StageNormalizeError } from '../normalize';
import type { NormalizeWarning } from '../normalize';
import type { DriftEventRecord, LatestEntry } from '../store';
import { toDriftEventRecord } from '../store';
import type { AnnotatedChange, DiffedChange } from './attribute-drifts';
import { annotateDrifts } from './attribute-drifts';
import type { PendingChange } from './compare';
import { compareStage, findDeletions } from './compare';
import { baselineSummary, familyOfApiType, readPendingBaseline } from './baseline';
import type { ScanDeps, ScanFailure, ScanScope, ScopeSummary } from './scan-types';
import { unknownMembersPart, zeroCounts } from './scan-types';
import { createWriteQueue } from './write-queue';

/** How a part of a scope's run is recorded (the chunks of `scan-task.ts`). */
export interface ScopePartOptions {
  /** When the part started (`deps.clock`), for `durationMs`. */
  readonly started: number;
  /**
   * Compare only the stored stages of these APIs: a later chunk of a run read only these, so the
   * store's other stages are none of its business. @default every stored stage of the scope
   */
  readonly onlyApiIds?: ReadonlySet<string>;
  /**
   * The API families this part baselines (their new stages stored without an event): decided by
   * the run's first chunk and kept by the later ones; `[]` for a targeted rescan.
   * @default decided here, from the scope's newest run record (`baseline.ts`)
   */
  readonly baselineFamilies?: readonly ApiFamily[];
  /**
   * Attribute drift from these CloudTrail records (an event-driven rescan's triggers) instead of
   * a lookup. @default a lookup through `deps.attribution`, if set
   */
  readonly records?: readonly CloudTrailRecord[];
}

/** What a collect tells the recording once it is over (its stages went to `onApiStages`). */
export type CollectOutcome = Pick<CollectResult, 'apis' | 'readApiIds' | 'listing' | 'failures' | 'calls'>;

export interface RecordedPart {
  readonly summary: ScopeSummary;
  readonly events: DriftEventRecord[];
}

/**
 * One scope's (or one chunk's) recording, fed by a collect as it reads. Use:
 * `const collected = await recording.collect((onApiStages) => collectStages(clients, options, onApiStages));`
 * then `await recording.finish(collected)`.
 */
export interface ScopeRecording {
  /**
   * Runs a collect that hands each API's stages to `onApiStages`. If the collect fails (a bug,
   * or a write failed and stopped it), the writes in flight settle first, then its error is
   * rethrown.
   */
  collect<R>(run: (onApiStages: ApiStagesSink) => Promise<R>): Promise<R>;
  /**
   * Once the collect is over: the deletions it allows, the diffs and attribution of the drifted
   * stages, their writes; resolves when every write has settled (rejects with the first error).
   */
  finish(collected: CollectOutcome): Promise<RecordedPart>;
}

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'Error');
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const stageNameOf = (raw: RawStage): string | undefined =>
  raw.apiType === 'REST' ? raw.stage.stageName : raw.stage.StageName;

const normalizeRaw = (
  scope: ScanScope,
  raw: RawStage,
  onWarning: (warning: NormalizeWarning) => void,
): StageSnapshot => {
  const context = { account: scope.account, region: scope.region, api: raw.api, onWarning };
  return raw.apiType === 'REST'
    ? normalizeRestStage(raw.stage, context)
    : normalizeV2Stage(raw.stage, context);
};

/**
 * The stored snapshot as today's normalize would write it, with its stored hash (what the
 * event's `beforeHash` names). A snapshot stored by a release with another canonical form then
 * differs from a fresh one only in its hash: the diff finds no change and reports no drift,
 * and the stage is stored again in today's form. One that no longer normalizes is kept as is.
 */
const inTodaysForm = (stored: StageSnapshot): StageSnapshot => {
  try {
    return { ...renormalizeSnapshot(stored), hash: stored.hash };
  } catch (error) {
    if (error instanceof StageNormalizeError) return stored;
    throw error;
  }
};

interface NormalizeFailure {
  readonly order: Omit<StageKey, 'account' | 'region'>;
  readonly failure: ScanFailure;
}

/** `methodSettings["~1pets/GET"].newField` -> `methodSettings[*].newField`: one path per field, not per key. */
const MAP_KEY = /\["(?:[^"\\]|\\.)*"\]/g;

/**
 * SDK shapes -> canonical snapshots of one API; a malformed stage fails its API, not the scan.
 * Members the model does not know go to `unknownMembers` as `<apiType> <path>`, map keys as `*`.
 */
const normalizeApi = (scope: ScanScope, raws: readonly RawStage[], unknownMembers: Set<string>) => {
  const snapshots: StageSnapshot[] = [];
  const failures: NormalizeFailure[] = [];
  for (const raw of raws) {
    try {
      snapshots.push(
        normalizeRaw(scope, raw, (warning) =>
          unknownMembers.add(`${raw.apiType} ${warning.path.replace(MAP_KEY, '[*]')}`),
        ),
      );
    } catch (error) {
      const stageName = stageNameOf(raw);
      failures.push({
        order: { apiType: raw.api.apiType, apiId: raw.api.apiId, stageName: stageName ?? '' },
        failure: {
          kind: 'normalize',
          apiType: raw.apiType === 'REST' ? 'REST' : 'V2',
          apiId: raw.api.apiId,
          ...(stageName ? { stageName } : {}),
          errorName: errorName(error),
          message: errorMessage(error),
        },
      });
    }
  }
  return { snapshots, failures };
};

/**
 * Starts recording one scope (or one chunk of its run): lists the scope's latest items at once,
 * so the comparison is ready when the first API's stages arrive, and persists each API's
 * stages as they are read when nothing is left to decide about them; the rest waits for the
 * end of the collect (`finish`). The store's work thus overlaps the collector's waits for its
 * budget, and a stage never waits in memory once written. Listing the latest items before
 * reading also means a stage is never compared with a stored state newer than what was read.
 *
 * What is written during the collect: the stages of a baseline (no event, so nothing to
 * attribute). What waits for `finish`:
 * - deletions, decided only once the listing and every read are over (a failed read is never
 *   a deletion, and an API gone counts only from a complete listing);
 * - changes that may carry a drift event: they are diffed and attributed together (one
 *   CloudTrail lookup per scope), as out-of-band mode may suppress or downgrade them.
 *
 * An API with a malformed stage is a failure of that API: none of its stages is written or
 * compared. Every write keeps the store's crash-safe order, and a rerun converges (idempotent).
 */
export const startScopeRecording = (
  deps: ScanDeps,
  scope: ScanScope,
  capturedAt: string,
  options: ScopePartOptions,
): ScopeRecording => {
  const only = options.onlyApiIds;
  const latestReady = deps.store.listLatest(scope.account, scope.region).then((entries) => {
    const kept = only ? entries.filter((entry) => only.has(entry.key.apiId)) : entries;
    return new Map(kept.map((entry) => [formatStageKey(entry.key), entry]));
  });
  // Awaited by the first API's stages or by `finish`; a collect that fails before either must
  // not leave the listing's rejection unhandled.
  latestReady.catch(() => undefined);

  let baselineDecided: Promise<ReadonlySet<ApiFamily>> | undefined;
  /**
   * The families this part baselines, decided once: when a stage the store does not know appears,
   * or at the end. The scope's newest run record is read only when that can matter: nothing is
   * stored for the scope, this scan found stages the store does not know (also what a baseline
   * that crashed before its run record leaves behind), or a listing failed (a family still
   * pending stays so). So an unchanged rescan costs no extra read.
   */
  const decideBaseline = (stored: ReadonlyMap<string, LatestEntry>, mayMatter: boolean) => {
    baselineDecided ??=
      options.baselineFamilies !== undefined
        ? Promise.resolve(new Set(options.baselineFamilies))
        : stored.size > 0 && !mayMatter
          ? Promise.resolve(new Set<ApiFamily>())
          : readPendingBaseline(deps, scope).then((families) => new Set(families));
    return baselineDecided;
  };
  const baselines = (families: ReadonlySet<ApiFamily>, key: { readonly apiType: ApiType }): boolean =>
    families.has(familyOfApiType(key.apiType));

  const seen = new Set<string>();
  const unreadApiIds = new Set<string>();
  const normalizeFailures: NormalizeFailure[] = [];
  const unknownMembers = new Set<string>();
  /** Changes that wait for `finish` (they may carry drift). */
  const deferred: PendingChange[] = [];
  let stagesRead = 0;
  let stagesChanged = 0;

  const events = zeroCounts();
  const recorded: DriftEventRecord[] = [];
  const writeWarnings: string[] = [];
  let replayed = 0;
  let superseded = 0;
  const writes = createWriteQueue<AnnotatedChange>(
    deps.writeConcurrency ?? 8,
    async ({ change, drift, annotations }) => {
      const result = await deps.store.writeStage({
        key: change.key,
        ...(change.previous ? { previous: change.previous } : {}),
        ...(change.next ? { next: change.next } : {}),
        ...(drift ? { drift } : {}),
        ...(drift && annotations ? { annotations } : {}),
        capturedAt,
      });
      if (result.warning) writeWarnings.push(result.warning);
      if (result.outcome === 'replayed') replayed += 1;
      if (result.outcome === 'superseded') superseded += 1;
      if (drift && result.eventId && result.outcome !== 'replayed') {
        events[drift.severity] += 1;
        recorded.push(toDriftEventRecord(drift, result.eventId, capturedAt, annotations));
      }
    },
  );
  const throwIfWriteFailed = (): void => {
    if (writes.failure) throw writes.failure.error;
  };

  const onApiStages = async (api: ApiRef, raws: readonly RawStage[]): Promise<void> => {
    throwIfWriteFailed(); // stops the collect: its reads would be for nothing
    const { snapshots, failures } = normalizeApi(scope, raws, unknownMembers);
    if (failures.length > 0) {
      // The API was not read cleanly: none of its stored stages may be judged on a partial picture.
      unreadApiIds.add(api.apiId);
      normalizeFailures.push(...failures);
      return;
    }
    const stored = await latestReady;
    stagesRead += snapshots.length;
    for (const next of snapshots) {
      const id = formatStageKey(next.key);
      seen.add(id);
      const change = compareStage(stored.get(id), next);
      if (!change) continue;
      stagesChanged += 1;
      // A baseline stores a new stage without an event: nothing to diff or attribute, so now.
      // A stage already stored (by a baseline that crashed before its run record) is compared.
      if (!change.previous && baselines(await decideBaseline(stored, true), change.key)) {
        await writes.room();
        writes.push({ change });
      } else {
        deferred.push(change);
      }
    }
  };

  /** Whatever fails, the writes in flight settle before the error goes on. */
  const settlingOnFailure = async <R>(work: () => Promise<R>): Promise<R> => {
    try {
      return await work();
    } catch (error) {
      await writes.settle().catch(() => undefined);
      throw error;
    }
  };

  return {
    collect: (run) => settlingOnFailure(() => run(onApiStages)),

    finish: (collected) =>
      settlingOnFailure(async () => {
        throwIfWriteFailed();
        const stored = await latestReady;
        // At the end the record matters for an empty store, and when a listing failed: a family
        // still pending must stay so, whether or not anything new appeared elsewhere.
        const listingFailed = collected.listing.rest !== 'complete' || collected.listing.v2 !== 'complete';
        const families = await decideBaseline(stored, listingFailed);
        const deletions = findDeletions(stored.values(), seen, collected, unreadApiIds);
        const pending = [...deferred.sort((a, b) => compareStageKeys(a.key, b.key)), ...deletions];

        // Full previous snapshots only for the stages that changed.
        const previousEntries = pending.flatMap((p) => (p.previous ? [p.previous] : []));
        const previousSnapshots =
          previousEntries.length > 0
            ? await deps.store.getSnapshots(previousEntries)
            : new Map<string, StageSnapshot>();
        // Diff every change first (pure), so the scope's drifts can be attributed together.
        const diffed = pending.map((change): DiffedChange => {
          const stored = change.previous ? previousSnapshots.get(formatStageKey(change.key)) : undefined;
          const before = stored && inTodaysForm(stored);
          const drift =
            !change.previous && baselines(families, change.key)
              ? undefined
              : diffStages(before, change.next, deps.diff);
          return { change, ...(drift ? { drift } : {}), ...(before ? { before } : {}) };
        });
        const annotated = await annotateDrifts(
          deps,
          scope,
          capturedAt,
          diffed,
          options.records ? { kind: 'records', records: options.records } : { kind: 'lookup' },
        );
        for (const change of annotated.changes) writes.push(change);
        await writes.settle();

        const failures: ScanFailure[] = [
          ...collected.failures.map((f): ScanFailure => ({ kind: 'collect', ...f })),
          ...normalizeFailures.sort((a, b) => compareStageKeys(a.order, b.order)).map((f) => f.failure),
        ];
        const summary: ScopeSummary = {
          account: scope.account,
          region: scope.region,
          ...baselineSummary(families, collected.listing),
          apisListed: collected.apis.length,
          apisRead: collected.readApiIds.filter((id) => !unreadApiIds.has(id)).length,
          stagesRead,
          stagesChanged: stagesChanged + deletions.length,
          events,
          replayed,
          superseded,
          warnings: [...annotated.warnings, ...writeWarnings],
          failures,
          calls: collected.calls,
          durationMs: deps.clock.now() - options.started,
          ...(annotated.counts ? { attribution: annotated.counts } : {}),
          ...(annotated.suppressed > 0 ? { suppressed: annotated.suppressed } : {}),
          ...unknownMembersPart([...unknownMembers]),
        };
        return { summary, events: recorded };
      }),
  };
};

/** Each API's stages of a collect that kept them, in the collector's order. */
const stagesByApi = (stages: readonly RawStage[]): [ApiRef, RawStage[]][] => {
  const byApi = new Map<string, [ApiRef, RawStage[]]>();
  for (const raw of stages) {
    const id = `${raw.api.apiType}/${raw.api.apiId}`;
    const entry = byApi.get(id) ?? [raw.api, []];
    entry[1].push(raw);
    byApi.set(id, entry);
  }
  return [...byApi.values()];
};

/**
 * Normalizes, compares and persists what one collect that kept its stages read (a targeted
 * rescan's), without the run record: `recordRun` writes that once the scope's run is complete.
 */
export const recordCollected = async (
  deps: ScanDeps,
  scope: ScanScope,
  capturedAt: string,
  collected: CollectResult,
  options: ScopePartOptions,
): Promise<RecordedPart> => {
  const recording = startScopeRecording(deps, scope, capturedAt, options);
  await recording.collect(async (onApiStages) => {
    for (const [api, stages] of stagesByApi(collected.stages)) await onApiStages(api, stages);
  });
  return recording.finish(collected);
};
