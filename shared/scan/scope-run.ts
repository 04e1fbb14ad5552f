import type { CloudTrailRecord } from '../attribution';
import type { ApiStagesSink, CollectResult, RawStage } from '../collect';
import { compareStageKeys } from '../collect';
import { diffStages } from '../diff';
import type { ApiFamily, ApiRef, ApiType, StageSnapshot } from '../model';
import { API_FAMILIES, familyOfApiType, formatStageKey } from '../model';
import type { PostureChange } from '../posture';
import type { DriftEventRecord, LatestEntry } from '../store';
import type { AnnotatedChange, AnnotateResult, DiffedChange } from './attribute-drifts';
import { annotateDrifts } from './attribute-drifts';
import { baselineSummary } from './baseline';
import type { PendingChange } from './compare';
import { compareStage, findDeletions } from './compare';
import type { NormalizeFailure } from './normalize-api';
import { inTodaysForm, normalizeApi } from './normalize-api';
import { applyPostureStep, baselinedPosture } from './posture-step';
import { RunLedger } from './run-ledger';
import type { ScanDeps, ScanFailure, ScanScope, ScopeSummary } from './scan-types';
import { unknownMembersPart } from './scan-types';
import { StageWriter } from './stage-writer';

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
   * @default decided here, from the scope's newest run record (`RunLedger.pendingBaseline`)
   */
  readonly baselineFamilies?: readonly ApiFamily[];
  /**
   * Attribute drift from these CloudTrail records (an event-driven rescan's triggers) instead of
   * a lookup. @default a lookup through `deps.attribution`, if set
   */
  readonly records?: readonly CloudTrailRecord[];
}

/** What a collect tells the run once it is over (its stages went to the run's `read`). */
export type CollectOutcome = Pick<CollectResult, 'apis' | 'readApiIds' | 'listing' | 'failures' | 'calls'>;

export interface RecordedPart {
  readonly summary: ScopeSummary;
  readonly events: DriftEventRecord[];
  /** Every stage the part moved (baselined ones included), with its posture before and after. */
  readonly postureChanges: readonly PostureChange[];
}

/** What comparing a part's reads with the store found, and what to write for it. */
interface Compared {
  /** The families this part baselines. */
  readonly families: ReadonlySet<ApiFamily>;
  /** Stored stages gone, among the changes. */
  readonly deletions: number;
  readonly annotated: AnnotateResult;
  /** The posture of every stage compared at the end (`applyPostureStep`). */
  readonly postureChanges: readonly PostureChange[];
}

type StoredLatest = ReadonlyMap<string, LatestEntry>;

const baselines = (families: ReadonlySet<ApiFamily>, key: { readonly apiType: ApiType }): boolean =>
  families.has(familyOfApiType(key.apiType));

/**
 * The run of one scope (or of one chunk of it), fed by a collect as it reads: `start`, `read`, then
 * `finish`; the run record is the caller's to write, last (`recordRun`). The first failure wins.
 * See ARCHITECTURE.md, "Design notes: The scope run".
 */
export class ScopeRun {
  /** Step 1: the scope's latest items (of `onlyApiIds` only, when set), by `formatStageKey`. */
  private readonly latest: Promise<StoredLatest>;
  /** The families this part baselines, once decided (`decideBaseline`). */
  private baselineFamilies: Promise<ReadonlySet<ApiFamily>> | undefined;
  private readonly writer: StageWriter;
  /** The run's first failure: every step that fails rejects with it. */
  private failure: { readonly error: unknown } | undefined;

  // What the reads found, for `finish`.
  /** Stages read and normalized, by `formatStageKey`. */
  private readonly seen = new Set<string>();
  /** APIs not read cleanly (a malformed stage): none of their stored stages is judged. */
  private readonly unreadApiIds = new Set<string>();
  private readonly normalizeFailures: NormalizeFailure[] = [];
  private readonly unknownMembers = new Set<string>();
  /** Changes that wait for `finish` (they may carry drift). */
  private readonly deferred: PendingChange[] = [];
  /** The posture of the new stages a baseline wrote as it read them. */
  private readonly baselined: PostureChange[] = [];
  private stagesRead = 0;
  private stagesChanged = 0;

  private constructor(
    private readonly deps: ScanDeps,
    private readonly scope: ScanScope,
    private readonly capturedAt: string,
    private readonly options: ScopePartOptions,
  ) {
    const only = options.onlyApiIds;
    this.latest = deps.store.listLatest(scope.account, scope.region).then((entries) => {
      const kept = only ? entries.filter((entry) => only.has(entry.key.apiId)) : entries;
      return new Map(kept.map((entry) => [formatStageKey(entry.key), entry]));
    });
    // Awaited by the first API's stages or by `finish`; a collect that fails before either must
    // not leave the listing's rejection unhandled.
    this.latest.catch(() => undefined);
    this.writer = new StageWriter(deps.store, capturedAt, deps.writeConcurrency ?? 8);
  }

  /** Step 1: starts the run of `scope` (or of a chunk of it) by listing its latest items. */
  static start(deps: ScanDeps, scope: ScanScope, capturedAt: string, options: ScopePartOptions): ScopeRun {
    return new ScopeRun(deps, scope, capturedAt, options);
  }

  /**
   * Step 2: runs a collect that hands each API's stages to the run as it reads them. Rejects with
   * the run's first failure (the collect's, or a write's), once the writes in flight have settled.
   */
  read<R>(collect: (onApiStages: ApiStagesSink) => Promise<R>): Promise<R> {
    return this.step(() => collect((api, raws) => this.readApi(api, raws)));
  }

  /**
   * Steps 3 to 5, once the collect is over: compare, record, sum up. Resolves when every write
   * has settled; rejects with the run's first failure.
   */
  finish(collected: CollectOutcome): Promise<RecordedPart> {
    return this.step(async () => {
      const compared = await this.compare(collected);
      await this.record(compared.annotated.changes);
      return this.summarize(collected, compared);
    });
  }

  /** One API's stages, as the collect read them (step 2). */
  private async readApi(api: ApiRef, raws: readonly RawStage[]): Promise<void> {
    this.throwIfFailed(); // stops the collect: its reads would be for nothing
    const { snapshots, failures } = normalizeApi(this.scope, raws, this.unknownMembers);
    if (failures.length > 0) {
      // The API was not read cleanly: none of its stored stages may be judged on a partial picture.
      this.unreadApiIds.add(api.apiId);
      this.normalizeFailures.push(...failures);
      return;
    }
    const stored = await this.latest;
    this.stagesRead += snapshots.length;
    for (const next of snapshots) {
      const id = formatStageKey(next.key);
      this.seen.add(id);
      const change = compareStage(stored.get(id), next);
      if (!change) continue;
      this.stagesChanged += 1;
      // A baseline stores a new stage without an event: nothing to diff or attribute, so now.
      // A stage already stored (by a baseline that crashed before its run record) is compared.
      if (!change.previous && baselines(await this.decideBaseline(stored, true), change.key)) {
        this.baselined.push(baselinedPosture(next, this.deps.postureControls));
        await this.writer.writeWhenRoom({ change });
      } else {
        this.deferred.push(change);
      }
    }
  }

  /**
   * Step 3: the deletions the collect allows, the diff of every change (pure, so the scope's
   * drifts can be attributed together) and their attribution.
   */
  private async compare(collected: CollectOutcome): Promise<Compared> {
    const stored = await this.latest;
    // At the end the record matters for an empty store, and when a listing failed: a family
    // still pending must stay so, whether or not anything new appeared elsewhere.
    const listingFailed = API_FAMILIES.some((family) => collected.listing[family] !== 'complete');
    const families = await this.decideBaseline(stored, listingFailed);
    const deletions = findDeletions(stored.values(), this.seen, collected, this.unreadApiIds);
    const pending = [...this.deferred.sort((a, b) => compareStageKeys(a.key, b.key)), ...deletions];

    // Full previous snapshots only for the stages that changed.
    const previousEntries = pending.flatMap((p) => (p.previous ? [p.previous] : []));
    const previousSnapshots =
      previousEntries.length > 0
        ? await this.deps.store.getSnapshots(previousEntries)
        : new Map<string, StageSnapshot>();
    const diffed = pending.map((change): DiffedChange => {
      const previous = change.previous ? previousSnapshots.get(formatStageKey(change.key)) : undefined;
      const before = previous && inTodaysForm(previous);
      const drift =
        !change.previous && baselines(families, change.key)
          ? undefined
          : diffStages(before, change.next, this.deps.diff);
      return { change, ...(drift ? { drift } : {}), ...(before ? { before } : {}) };
    });
    const annotated = await annotateDrifts(
      this.deps,
      this.scope,
      this.capturedAt,
      diffed,
      this.options.records ? { kind: 'records', records: this.options.records } : { kind: 'lookup' },
    );
    // Posture after attribution: out-of-band mode decided the severity the controls build on.
    const postured = applyPostureStep(diffed, annotated.changes, this.deps.postureControls);
    return {
      families,
      deletions: deletions.length,
      annotated: { ...annotated, changes: postured.changes },
      postureChanges: postured.postureChanges,
    };
  }

  /** Step 4: the writes of the compared changes; resolves once every write of the run has settled. */
  private async record(changes: readonly AnnotatedChange[]): Promise<void> {
    this.writer.writeAll(changes);
    await this.writer.settle();
  }

  /** Step 5: the part's summary and the drift events it recorded. */
  private summarize(
    collected: CollectOutcome,
    { families, deletions, annotated, postureChanges }: Compared,
  ): RecordedPart {
    const written = this.writer.tally();
    const failures: ScanFailure[] = [
      ...collected.failures.map((f): ScanFailure => ({ kind: 'collect', ...f })),
      ...this.normalizeFailures.sort((a, b) => compareStageKeys(a.order, b.order)).map((f) => f.failure),
    ];
    const summary: ScopeSummary = {
      account: this.scope.account,
      region: this.scope.region,
      ...baselineSummary(families, collected.listing),
      apisListed: collected.apis.length,
      apisRead: collected.readApiIds.filter((id) => !this.unreadApiIds.has(id)).length,
      stagesRead: this.stagesRead,
      stagesChanged: this.stagesChanged + deletions,
      events: written.events,
      replayed: written.replayed,
      superseded: written.superseded,
      warnings: [...annotated.warnings, ...written.warnings],
      failures,
      calls: collected.calls,
      durationMs: this.deps.clock.now() - this.options.started,
      ...(annotated.counts ? { attribution: annotated.counts } : {}),
      ...(annotated.suppressed > 0 ? { suppressed: annotated.suppressed } : {}),
      ...unknownMembersPart([...this.unknownMembers]),
    };
    return { summary, events: [...written.recorded], postureChanges: [...this.baselined, ...postureChanges] };
  }

  /**
   * The families this part baselines, decided once: when a stage the store does not know appears,
   * or at the end. The scope's newest run record is read only when that can matter: nothing is
   * stored for the scope, this scan found stages the store does not know (also what a baseline
   * that crashed before its run record leaves behind), or a listing failed (a family still
   * pending stays so). So an unchanged rescan costs no extra read.
   */
  private decideBaseline(stored: StoredLatest, mayMatter: boolean): Promise<ReadonlySet<ApiFamily>> {
    this.baselineFamilies ??=
      this.options.baselineFamilies !== undefined
        ? Promise.resolve(new Set(this.options.baselineFamilies))
        : stored.size > 0 && !mayMatter
          ? Promise.resolve(new Set<ApiFamily>())
          : RunLedger.read(this.deps.store, this.scope).then((ledger) => new Set(ledger.pendingBaseline()));
    return this.baselineFamilies;
  }

  /**
   * Runs one step. Whatever fails in it (the step, or a write it awaits) becomes the run's first
   * failure unless one came before; the writes in flight settle, then the step rejects with that
   * first failure: the caller never sees a later one, nor goes on while writes run behind its back.
   */
  private async step<R>(work: () => Promise<R>): Promise<R> {
    try {
      this.throwIfFailed();
      return await work();
    } catch (error) {
      this.failure ??= this.writer.failure ?? { error };
      await this.writer.settled();
      throw this.failure.error;
    }
  }

  private throwIfFailed(): void {
    const failure = this.failure ?? this.writer.failure;
    if (failure) throw failure.error;
  }
}

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
  const run = ScopeRun.start(deps, scope, capturedAt, options);
  await run.read(async (onApiStages) => {
    for (const [api, stages] of stagesByApi(collected.stages)) await onApiStages(api, stages);
  });
  return run.finish(collected);
};
