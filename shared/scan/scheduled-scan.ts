import { compareText } from '../runtime';
import type { PostureChange } from '../posture';
import type { DriftEventRecord, PostureSummaryRecord } from '../store';
import type { ResumableRun } from './run-ledger';
import { RunLedger } from './run-ledger';
import { bySeverityThenKey } from './run-scan';
import type { ScanModeDecision } from './scan-mode';
import type { ScanContinuation } from './scan-task';
import { runScanTask } from './scan-task';
import type { ScanDeps, ScanScope, ScanSummary, ScopeSummary } from './scan-types';

export interface ScheduledScanRequest {
  readonly scopes: readonly ScanScope[];
  /** The capture time of a new run (a run resumed keeps its own). */
  readonly now: Date;
  /** When this invocation must have ended (`deps.clock` time: now + the remaining Lambda time). */
  readonly deadlineMs: number;
  /** Time kept free before the deadline (see `ScanTaskOptions.reserveMs`). @default throttle deadline + 60 s */
  readonly reserveMs?: number;
}

export interface ScheduledScanResult {
  /** This invocation's work: what metrics and logs count. Its `startedAt` is `now`. */
  readonly summary: ScanSummary;
  /** Scope runs completed by this invocation (resumed ones included). */
  readonly completed: number;
  /** Runs of earlier invocations this one went on with. */
  readonly resumed: number;
  /** The scope whose run stopped before the deadline: the next scheduled run goes on with it. */
  readonly continued?: ScanScope;
  /** Scopes not started for want of time: the next scheduled run takes them first. */
  readonly waiting: readonly ScanScope[];
  /**
   * Adaptive full scans: the scopes with no full scan due at this tick (`events-only`), and why.
   * Empty when adaptive scans are off.
   */
  readonly skipped: readonly { readonly scope: ScanScope; readonly scanMode: ScanModeDecision }[];
}

/** A run left in progress longer than this is not resumed: a new run starts (as a stale task would expire). */
export const MAX_RESUME_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Pure: where a run in progress goes on (a chunk recorded, APIs left: `runScanTask`), from its
 * record (`RunLedger.inProgress`): the continuation a fan-out task would have put on its queue.
 */
export const continuationOf = (run: ResumableRun): ScanContinuation => ({
  runStartedAt: run.startedAt,
  chunk: run.chunks + 1,
  baseline: run.baseline,
  ...(run.baselineFamilies ? { baselineFamilies: run.baselineFamilies } : {}),
  remainingApiIds: run.remainingApiIds,
  progress: run.totals,
});

interface Planned {
  readonly scope: ScanScope;
  readonly continuation?: ScanContinuation;
  /** The newest run's start ('' for none): the scope scanned longest ago goes first. */
  readonly lastRun: string;
  readonly order: number;
}

/** Runs in progress first (oldest first), then the scopes whose newest run is oldest, never scanned first. */
const byTurn = (a: Planned, b: Planned): number => {
  if (a.continuation && b.continuation) return compareText(a.lastRun, b.lastRun) || a.order - b.order;
  if (a.continuation || b.continuation) return a.continuation ? -1 : 1;
  return compareText(a.lastRun, b.lastRun) || a.order - b.order;
};

/**
 * The scheduled scan of a single-account monitor, in one invocation's time: the scopes one after
 * another (each its own management budget), a scope's run stopping before `deadlineMs - reserveMs`
 * as a fan-out task does (`runScanTask`). A run that stops is recorded as in progress with the
 * APIs it left, and the next scheduled run goes on with it from that record — the same
 * continuation a fan-out task puts on its queue, kept in the table since there is no queue — so
 * it ends with the same stored state and events as a run that fits. Runs in progress go first,
 * then the scopes scanned longest ago, so no scope waits behind the others for ever. One Query
 * per scope (its newest run record) decides the order.
 */
export const runScheduledScan = async (
  deps: ScanDeps,
  request: ScheduledScanRequest,
): Promise<ScheduledScanResult> => {
  const started = deps.clock.now();
  const stopAt = request.deadlineMs - (request.reserveMs ?? 0);
  const planned = await Promise.all(
    request.scopes.map(async (scope, order): Promise<Planned> => {
      const ledger = await RunLedger.read(deps.store, scope);
      const resumable = ledger.inProgress();
      const continuation = resumable && continuationOf(resumable);
      const fresh =
        continuation !== undefined &&
        request.now.getTime() - Date.parse(continuation.runStartedAt) <= MAX_RESUME_AGE_MS;
      return { scope, lastRun: ledger.newest?.startedAt ?? '', order, ...(fresh ? { continuation } : {}) };
    }),
  );
  const queue = [...planned].sort(byTurn);

  const scopes: ScopeSummary[] = [];
  const events: DriftEventRecord[] = [];
  const postureSummaries: PostureSummaryRecord[] = [];
  const postureChanges: PostureChange[] = [];
  let completed = 0;
  let resumed = 0;
  let continued: ScanScope | undefined;
  const skipped: { scope: ScanScope; scanMode: ScanModeDecision }[] = [];
  let next = 0;
  for (; next < queue.length && continued === undefined; next += 1) {
    // Each invocation starts at least one scope, so every run makes progress.
    if (next > 0 && deps.clock.now() >= stopAt) break;
    const { scope, continuation } = queue[next]!;
    const result = await runScanTask(
      deps,
      { ...scope, ...(continuation ? { continuation } : {}) },
      {
        now: request.now,
        deadlineMs: request.deadlineMs,
        ...(request.reserveMs === undefined ? {} : { reserveMs: request.reserveMs }),
      },
    );
    if (continuation) resumed += 1;
    if (result.outcome === 'skipped') {
      skipped.push({ scope, scanMode: result.scanMode! });
      continue;
    }
    scopes.push(...result.summary.scopes);
    events.push(...result.summary.events);
    postureSummaries.push(...result.summary.postureSummaries);
    postureChanges.push(...result.summary.postureChanges);
    if (result.outcome === 'completed') completed += 1;
    if (result.outcome === 'continued') continued = scope;
  }
  return {
    summary: {
      startedAt: request.now.toISOString(),
      baseline: scopes.length > 0 && scopes.every((s) => s.baseline),
      scopes,
      events: events.sort(bySeverityThenKey),
      postureSummaries,
      postureChanges,
      durationMs: deps.clock.now() - started,
    },
    completed,
    resumed,
    ...(continued ? { continued } : {}),
    waiting: queue.slice(next).map((p) => p.scope),
    skipped,
  };
};
