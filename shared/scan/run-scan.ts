import type { CloudTrailRecord } from '../attribution';
import type { CollectResult, RawStage } from '../collect';
import { collectStages, createLimiter } from '../collect';
import { diffStages } from '../diff';
import type { Severity, StageSnapshot } from '../model';
import { formatStageKey, SEVERITIES, severityRank } from '../model';
import { normalizeRestStage, normalizeV2Stage } from '../normalize';
import type { DriftEventRecord, LatestEntry } from '../store';
import { toDriftEventRecord } from '../store';
import type { DiffedChange } from './attribute-drifts';
import { annotateDrifts } from './attribute-drifts';
import type { PendingChange } from './compare';
import { compareWithLatest } from './compare';
import type {
  ScanDeps,
  ScanFailure,
  ScanRequest,
  ScanScope,
  ScanSummary,
  ScopeSummary,
  SeverityCounts,
} from './scan-types';

const zeroCounts = (): SeverityCounts => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'Error');
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** SDK shapes -> canonical snapshots; a malformed stage fails its API, not the scan. */
const normalizeCollected = (scope: ScanScope, collected: CollectResult) => {
  const snapshots: StageSnapshot[] = [];
  const failures: ScanFailure[] = [];
  const unreadApiIds = new Set<string>();
  for (const raw of collected.stages) {
    try {
      snapshots.push(normalizeRaw(scope, raw));
    } catch (error) {
      unreadApiIds.add(raw.api.apiId);
      failures.push({
        kind: 'normalize',
        apiType: raw.apiType === 'REST' ? 'REST' : 'V2',
        apiId: raw.api.apiId,
        ...(stageNameOf(raw) ? { stageName: stageNameOf(raw) } : {}),
        errorName: errorName(error),
        message: errorMessage(error),
      });
    }
  }
  // A stage of an API with a malformed sibling is kept out too: that API was not read cleanly,
  // so none of its stored stages may be judged against a partial picture.
  return { snapshots: snapshots.filter((s) => !unreadApiIds.has(s.key.apiId)), failures, unreadApiIds };
};

const stageNameOf = (raw: RawStage): string | undefined =>
  raw.apiType === 'REST' ? raw.stage.stageName : raw.stage.StageName;

const normalizeRaw = (scope: ScanScope, raw: RawStage): StageSnapshot => {
  const context = { account: scope.account, region: scope.region, api: raw.api };
  return raw.apiType === 'REST'
    ? normalizeRestStage(raw.stage, context)
    : normalizeV2Stage(raw.stage, context);
};

/**
 * A baseline is a scope no scan has completed yet (a completed scan leaves a run record). The
 * run records are read only when that can matter: when nothing is stored for the scope, or when
 * this scan found stages the store does not know, which is also what a baseline that crashed
 * before its run record leaves behind. So an unchanged rescan costs no extra read. An
 * unreadable run record counts as a completed scan: an event too many beats a change swallowed.
 * A run still in progress (a chunked run, `scan-task.ts`) counts as completed unless it is itself
 * a baseline: a run that is not a baseline was decided after a completed one.
 */
const isBaseline = async (
  deps: ScanDeps,
  scope: ScanScope,
  latest: readonly LatestEntry[],
  pending: readonly PendingChange[],
): Promise<boolean> => {
  if (latest.length > 0 && pending.every((change) => change.previous !== undefined)) return false;
  const { runs, problems } = await deps.store.listRuns(scope.account, scope.region, 1);
  if (problems.length > 0) return false;
  const newest = runs[0];
  return (
    newest === undefined || (newest.summary[RUN_IN_PROGRESS] === true && newest.summary.baseline === true)
  );
};

/**
 * Runs `write` for every change, at most `concurrency` at a time. Once one fails no further
 * write starts, the writes in flight are awaited, and the first error is rethrown: a scan never
 * fails (or returns) while its writes still go on behind its back.
 */
const writeAll = async <T>(
  changes: readonly T[],
  concurrency: number,
  write: (change: T) => Promise<void>,
): Promise<void> => {
  const limiter = createLimiter(concurrency);
  let failure: { readonly error: unknown } | undefined;
  await Promise.all(
    changes.map((change) =>
      limiter.run(async () => {
        if (failure) return;
        try {
          await write(change);
        } catch (error) {
          failure ??= { error };
        }
      }),
    ),
  );
  if (failure) throw failure.error;
};

/** How a part of a scope's run is recorded (the chunks of `scan-task.ts`). */
export interface ScopePartOptions {
  /** When the part started (`deps.clock`), for `durationMs`. */
  readonly started: number;
  /**
   * Compare only the stored stages of these APIs: a later chunk of a run read only these, so the
   * store's other stages are none of its business. @default every stored stage of the scope
   */
  readonly onlyApiIds?: ReadonlySet<string>;
  /** Decided by the run's first chunk and kept by the later ones. @default decided here */
  readonly baseline?: boolean;
  /**
   * Attribute drift from these CloudTrail records (an event-driven rescan's triggers) instead of
   * a lookup. @default a lookup through `deps.attribution`, if set
   */
  readonly records?: readonly CloudTrailRecord[];
}

/**
 * Normalizes, compares and persists what one collect (or one chunk of one) read, without the run
 * record: `recordRun` writes that once the scope's run is complete.
 */
export const recordCollected = async (
  deps: ScanDeps,
  scope: ScanScope,
  capturedAt: string,
  collected: CollectResult,
  options: ScopePartOptions,
): Promise<{ summary: ScopeSummary; events: DriftEventRecord[] }> => {
  const { snapshots, failures: normalizeFailures, unreadApiIds } = normalizeCollected(scope, collected);

  const stored = await deps.store.listLatest(scope.account, scope.region);
  const only = options.onlyApiIds;
  const latest = only ? stored.filter((entry) => only.has(entry.key.apiId)) : stored;
  const pending = compareWithLatest(latest, snapshots, collected, unreadApiIds);
  const baseline = options.baseline ?? (await isBaseline(deps, scope, latest, pending));

  // Full previous snapshots only for the stages that changed.
  const previousEntries = pending.map((p) => p.previous).filter((p): p is LatestEntry => p !== undefined);
  const previousSnapshots =
    previousEntries.length > 0
      ? await deps.store.getSnapshots(previousEntries)
      : new Map<string, StageSnapshot>();

  // Diff every change first (pure), so the scope's drifts can be attributed together.
  const diffed = pending.map((change): DiffedChange => {
    const before = change.previous ? previousSnapshots.get(formatStageKey(change.key)) : undefined;
    // A baseline stores new stages without events; a stage already stored (by a baseline that
    // crashed before its run record) is compared as usual.
    const drift = baseline && !change.previous ? undefined : diffStages(before, change.next, deps.diff);
    return { change, ...(drift ? { drift } : {}), ...(before ? { before } : {}) };
  });
  const annotated = await annotateDrifts(
    deps,
    scope,
    capturedAt,
    diffed,
    options.records ? { kind: 'records', records: options.records } : { kind: 'lookup' },
  );

  const events = zeroCounts();
  const recorded: DriftEventRecord[] = [];
  const warnings: string[] = [...annotated.warnings];
  let replayed = 0;
  let superseded = 0;
  await writeAll(annotated.changes, deps.writeConcurrency ?? 8, async ({ change, drift, annotations }) => {
    const result = await deps.store.writeStage({
      key: change.key,
      ...(change.previous ? { previous: change.previous } : {}),
      ...(change.next ? { next: change.next } : {}),
      ...(drift ? { drift } : {}),
      ...(drift && annotations ? { annotations } : {}),
      capturedAt,
    });
    if (result.warning) warnings.push(result.warning);
    if (result.outcome === 'replayed') replayed += 1;
    if (result.outcome === 'superseded') superseded += 1;
    if (drift && result.eventId && result.outcome !== 'replayed') {
      events[drift.severity] += 1;
      recorded.push(toDriftEventRecord(drift, result.eventId, capturedAt, annotations));
    }
  });

  const failures: ScanFailure[] = [
    ...collected.failures.map((f): ScanFailure => ({ kind: 'collect', ...f })),
    ...normalizeFailures,
  ];
  const summary: ScopeSummary = {
    account: scope.account,
    region: scope.region,
    baseline,
    apisListed: collected.apis.length,
    apisRead: collected.readApiIds.filter((id) => !unreadApiIds.has(id)).length,
    stagesRead: snapshots.length,
    stagesChanged: pending.length,
    events,
    replayed,
    superseded,
    warnings,
    failures,
    calls: collected.calls,
    durationMs: deps.clock.now() - options.started,
    ...(annotated.counts ? { attribution: annotated.counts } : {}),
    ...(annotated.suppressed > 0 ? { suppressed: annotated.suppressed } : {}),
  };
  return { summary, events: recorded };
};

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

const scanScope = async (
  deps: ScanDeps,
  scope: ScanScope,
  capturedAt: string,
): Promise<{ summary: ScopeSummary; events: DriftEventRecord[] }> => {
  const started = deps.clock.now();
  const collected = await collectStages(deps.clientsFor(scope), deps.collect);
  const result = await recordCollected(deps, scope, capturedAt, collected, { started });
  await recordRun(deps, capturedAt, result.summary);
  return result;
};

/** Code-point order: the same in every locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const eventKey = (event: DriftEventRecord): string =>
  [event.account, event.region, event.api.type, event.api.id, event.stageName].join('/');

const bySeverityThenKey = (a: DriftEventRecord, b: DriftEventRecord): number =>
  severityRank(b.severity) - severityRank(a.severity) || compareText(eventKey(a), eventKey(b));

/**
 * The scan use case: for each account + region scope, collect, normalize, compare with the
 * stored hashes, diff what changed, persist (event, version, latest pointer) and record a run.
 * Scopes run one after another so each respects its own management-API budget.
 */
export const runScan = async (deps: ScanDeps, request: ScanRequest): Promise<ScanSummary> => {
  const started = deps.clock.now();
  const capturedAt = request.now.toISOString();
  const scopes: ScopeSummary[] = [];
  const events: DriftEventRecord[] = [];
  for (const scope of request.scopes) {
    const result = await scanScope(deps, scope, capturedAt);
    scopes.push(result.summary);
    events.push(...result.events);
  }
  return {
    startedAt: capturedAt,
    baseline: scopes.length > 0 && scopes.every((s) => s.baseline),
    scopes,
    events: events.sort(bySeverityThenKey),
    durationMs: deps.clock.now() - started,
  };
};

/** Totals across scopes, for logs and metrics. */
export const totalsOf = (summary: ScanSummary) => {
  const events: Record<Severity, number> = zeroCounts();
  let stagesRead = 0;
  let stagesChanged = 0;
  let failures = 0;
  let calls = 0;
  let throttled = 0;
  for (const scope of summary.scopes) {
    stagesRead += scope.stagesRead;
    stagesChanged += scope.stagesChanged;
    failures += scope.failures.length;
    calls += scope.calls.GetRestApis + scope.calls.GetStages + scope.calls.GetApis + scope.calls.GetStagesV2;
    throttled += scope.calls.throttled;
    for (const s of SEVERITIES) events[s] += scope.events[s];
  }
  return { stagesRead, stagesChanged, failures, calls, throttled, events };
};
