import type { CollectDeps, CollectFailure } from '../collect';
import {
  addCallCounts,
  collectApiSubsetStages,
  collectStages,
  createCollectorBudget,
  emptyCallCounts,
} from '../collect';
import { ScopeAccessError } from '../credentials/errors';
import type { ApiFamily, ApiRef } from '../model';
import { API_FAMILIES, byFamily, familyOfApiType, SEVERITIES } from '../model';
import { compareText } from '../runtime';
import type { DriftEventRecord } from '../store';
import type { ScanModeOutcome } from './adaptive-scan';
import { decideScanMode, scanModeRecord } from './adaptive-scan';
import { continuationFamilies } from './baseline';
import { RunLedger } from './run-ledger';
import type { StoredRemainingApiIds } from './run-record';
import { fromStoredRemainingApiIds, recordRun, toStoredRemainingApiIds } from './run-record';
import type { ScanModeDecision } from './scan-mode';
import type { CollectOutcome } from './scope-run';
import { ScopeRun } from './scope-run';
import type {
  AttributionCounts,
  ScanDeps,
  ScanFailure,
  ScanScope,
  ScanSummary,
  ScopeSummary,
  SeverityCounts,
} from './scan-types';
import { unknownMembersPart, zeroCounts } from './scan-types';

/** An account to scan: its reader role (absent = the function's own account and credentials). */
export interface ScanTarget {
  readonly account: string;
  readonly roleArn?: string;
  readonly externalId?: string;
}

/** Where a run that did not fit in one invocation goes on. */
export interface ScanContinuation {
  /** The run's capture time, kept by every chunk: one run, one `capturedAt`, one run record. */
  readonly runStartedAt: string;
  /** The number of the chunk this continuation starts (the first chunk is 1). */
  readonly chunk: number;
  /** Decided by the first chunk. */
  readonly baseline: boolean;
  /** The API families the run baselines, when not both (`baseline.ts`). @default both, when `baseline` */
  readonly baselineFamilies?: readonly ApiFamily[];
  /** APIs listed by the first chunk and not read yet, by family (stored form: the message holds it). */
  readonly remainingApiIds: StoredRemainingApiIds;
  /** Totals of the chunks so far (failures and warnings capped at {@link CARRIED_DETAILS}). */
  readonly progress: ScopeSummary;
}

/** One account + region scope: the unit of the fan-out, one SQS message. */
export interface ScanTask extends ScanScope {
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly continuation?: ScanContinuation;
}

export interface ScanTaskDeps extends ScanDeps {
  /**
   * The clients of a task's scope (e.g. with the member account's assumed role). Throws
   * `ScopeAccessError` when the scope refuses access; anything else thrown fails the invocation.
   * @default clientsFor(task)
   */
  readonly clientsForTask?: (task: ScanTask) => Promise<CollectDeps>;
}

export interface ScanTaskOptions {
  /** The capture time of a new run (a continuation keeps its own). */
  readonly now: Date;
  /** When this invocation must have ended (`deps.clock` time, e.g. now + remaining Lambda time). */
  readonly deadlineMs: number;
  /**
   * Time kept free before the deadline: no API read starts later than `deadlineMs - reserveMs`.
   * It must cover a read in flight (up to the throttle deadline) and the chunk's writes.
   * @default throttleDeadlineMs (120 s unless set) + 60 s
   */
  readonly reserveMs?: number;
}

/**
 * - `completed`: the scope's run is complete and recorded.
 * - `continued`: this chunk is recorded and `next` must be enqueued for the rest.
 * - `failed`: the scope could not be reached (`ScopeAccessError`); nothing was read or written.
 * - `superseded`: a newer run of the scope has started; this continuation was dropped.
 * - `skipped`: adaptive full scans: the scope's event path is healthy and no full scan is due
 *   (`scanMode` says why); nothing was read or written.
 */
export type ScanTaskOutcome = 'completed' | 'continued' | 'failed' | 'superseded' | 'skipped';

export interface ScanTaskResult {
  readonly outcome: ScanTaskOutcome;
  /** This invocation's work (one scope): what metrics and logs should count. */
  readonly summary: ScanSummary;
  /** The whole run's summary, as recorded, when `outcome` is `completed`. */
  readonly run?: ScopeSummary;
  /** The task to enqueue when `outcome` is `continued`. */
  readonly next?: ScanTask;
  /** Adaptive full scans: this tick's decision for the scope (absent when off, and for a continuation). */
  readonly scanMode?: ScanModeDecision;
}

/** Failures and warnings carried from chunk to chunk, at most (the message must stay small). */
export const CARRIED_DETAILS = 20;

const DEFAULT_WRITE_RESERVE_MS = 60_000;
const DEFAULT_THROTTLE_DEADLINE_MS = 120_000;

/**
 * Pure: one task per account and region, each once, sorted by account then region. A target
 * given twice keeps its first role.
 */
export const planScanTasks = (targets: readonly ScanTarget[], regions: readonly string[]): ScanTask[] => {
  const byAccount = new Map<string, ScanTarget>();
  for (const target of targets) if (!byAccount.has(target.account)) byAccount.set(target.account, target);
  const uniqueRegions = [...new Set(regions)].sort(compareText);
  return [...byAccount.values()]
    .sort((a, b) => compareText(a.account, b.account))
    .flatMap((target) =>
      uniqueRegions.map((region): ScanTask => ({
        account: target.account,
        region,
        ...(target.roleArn === undefined ? {} : { roleArn: target.roleArn }),
        ...(target.externalId === undefined ? {} : { externalId: target.externalId }),
      })),
    );
};

const addAttribution = (
  a: AttributionCounts | undefined,
  b: AttributionCounts | undefined,
): Pick<ScopeSummary, 'attribution'> => {
  if (!a || !b) return a || b ? { attribution: (a ?? b)! } : {};
  const lookupFailures = (a.lookupFailures ?? 0) + (b.lookupFailures ?? 0);
  return {
    attribution: {
      attributed: a.attributed + b.attributed,
      unattributed: a.unattributed + b.unattributed,
      lookupCalls: a.lookupCalls + b.lookupCalls,
      ...(lookupFailures > 0 ? { lookupFailures } : {}),
    },
  };
};

/**
 * Totals of a run so far: counters summed; the listing, and so the baseline, decided once (the
 * first chunk's).
 */
const mergeSummaries = (before: ScopeSummary, chunk: ScopeSummary, chunks: number): ScopeSummary => ({
  account: chunk.account,
  region: chunk.region,
  baseline: before.baseline,
  ...(before.baselineFamilies ? { baselineFamilies: before.baselineFamilies } : {}),
  ...(before.baselinePending ? { baselinePending: before.baselinePending } : {}),
  apisListed: before.apisListed,
  apisRead: before.apisRead + chunk.apisRead,
  stagesRead: before.stagesRead + chunk.stagesRead,
  stagesChanged: before.stagesChanged + chunk.stagesChanged,
  events: Object.fromEntries(
    SEVERITIES.map((s) => [s, before.events[s] + chunk.events[s]]),
  ) as SeverityCounts,
  replayed: before.replayed + chunk.replayed,
  superseded: before.superseded + chunk.superseded,
  warnings: [...before.warnings, ...chunk.warnings],
  failures: [...before.failures, ...chunk.failures],
  calls: addCallCounts(before.calls, chunk.calls),
  durationMs: before.durationMs + chunk.durationMs,
  chunks,
  ...addAttribution(before.attribution, chunk.attribution),
  ...((before.suppressed ?? 0) + (chunk.suppressed ?? 0) > 0
    ? { suppressed: (before.suppressed ?? 0) + (chunk.suppressed ?? 0) }
    : {}),
  ...unknownMembersPart(before.unknownMembers, chunk.unknownMembers),
});

/** What a continuation carries: the totals with their lists capped, so the message stays small. */
const carried = (summary: ScopeSummary): ScopeSummary => ({
  ...summary,
  warnings: summary.warnings.slice(0, CARRIED_DETAILS),
  failures: summary.failures.slice(0, CARRIED_DETAILS),
});

const single = (
  scope: ScopeSummary,
  startedAt: string,
  events: readonly DriftEventRecord[],
  posture: Pick<ScanSummary, 'postureSummaries' | 'postureChanges'> = {
    postureSummaries: [],
    postureChanges: [],
  },
): ScanSummary => ({
  startedAt,
  baseline: scope.baseline,
  scopes: [scope],
  events,
  ...posture,
  durationMs: scope.durationMs,
});

const emptyScope = (task: ScanTask, failures: readonly ScanFailure[], durationMs: number): ScopeSummary => ({
  account: task.account,
  region: task.region,
  baseline: false,
  apisListed: 0,
  apisRead: 0,
  stagesRead: 0,
  stagesChanged: 0,
  events: zeroCounts(),
  replayed: 0,
  superseded: 0,
  warnings: [],
  failures,
  calls: emptyCallCounts(),
  durationMs,
});

/**
 * Scans one account + region within one invocation's time. The first chunk lists both API
 * families and reads stages until `deadlineMs - reserveMs`; if APIs are left it records what it
 * read and returns `next`, a continuation holding the ids of the APIs left. A later chunk lists
 * again (a few calls: names and tags must be current, and an API gone from a complete listing
 * is gone) but reads, compares and deletes only the stages of its own APIs. Every chunk of a run
 * writes with the run's `capturedAt`; the run record is written once the run completes (before
 * that, it is marked in progress), so a run in pieces ends with the same stored state and events
 * as one that fits in one invocation. One token bucket per invocation and scope: the scope's
 * management budget is spent by this task alone (the FIFO group runs one task of a scope at a time).
 */
export const runScanTask = async (
  deps: ScanTaskDeps,
  task: ScanTask,
  options: ScanTaskOptions,
): Promise<ScanTaskResult> => {
  const started = deps.clock.now();
  const continuation = task.continuation;
  const capturedAt = continuation?.runStartedAt ?? options.now.toISOString();
  const scope: ScanScope = { account: task.account, region: task.region };

  // A continuation is dropped once a newer run of its scope has started: the newer one reads it all.
  if (continuation && (await RunLedger.read(deps.store, scope)).isSuperseded(continuation.runStartedAt)) {
    return {
      outcome: 'superseded',
      summary: single(emptyScope(task, [], deps.clock.now() - started), capturedAt, []),
    };
  }
  // Adaptive full scans: a new run only when the rule says one is due (scan-mode.ts).
  let ran: ScanModeOutcome | undefined;
  if (!continuation && deps.adaptive) {
    ran = await decideScanMode(deps, task, await RunLedger.read(deps.store, scope), options.now);
    if (ran.decision.mode === 'events-only') {
      return {
        outcome: 'skipped',
        summary: single(emptyScope(task, [], deps.clock.now() - started), capturedAt, []),
        scanMode: ran.decision,
      };
    }
  }
  const modeOf = (): Pick<ScanTaskResult, 'scanMode'> => (ran ? { scanMode: ran.decision } : {});

  let clients: CollectDeps;
  try {
    clients = deps.clientsForTask ? await deps.clientsForTask(task) : deps.clientsFor(scope);
  } catch (error) {
    if (!(error instanceof ScopeAccessError)) throw error;
    const failure: ScanFailure = { kind: 'access', errorName: error.errorName, message: error.message };
    return {
      outcome: 'failed',
      summary: single(emptyScope(task, [failure], deps.clock.now() - started), capturedAt, []),
    };
  }

  const collectOptions = deps.collect ?? {};
  const clock = collectOptions.clock ?? deps.clock;
  const budget = createCollectorBudget(collectOptions, clock);
  const reserveMs =
    options.reserveMs ??
    (collectOptions.throttleDeadlineMs ?? DEFAULT_THROTTLE_DEADLINE_MS) + DEFAULT_WRITE_RESERVE_MS;
  const stopAt = options.deadlineMs - reserveMs;

  const remainingIds = continuation && fromStoredRemainingApiIds(continuation.remainingApiIds);
  const remainingByFamily = remainingIds && byFamily((family) => new Set(remainingIds[family]));
  const remaining = remainingIds && new Set(API_FAMILIES.flatMap((family) => remainingIds[family]));
  const scopeRun = ScopeRun.start(deps, scope, capturedAt, {
    started,
    ...(remaining ? { onlyApiIds: remaining } : {}),
    ...(continuation ? { baselineFamilies: continuationFamilies(continuation) } : {}),
  });

  // The listing alone (no stage read), then the stages of this chunk's APIs: one bucket for both.
  const { listing, read } = await scopeRun.read(async (onApiStages) => {
    const listed = await collectStages(clients, { ...collectOptions, clock, budget, apiIds: [] });
    const isRemaining = (api: ApiRef): boolean =>
      remainingByFamily === undefined || remainingByFamily[familyOfApiType(api.apiType)].has(api.apiId);
    const subset = await collectApiSubsetStages(
      clients,
      listed.apis.filter(isRemaining),
      { ...collectOptions, clock, budget, shouldStop: () => clock.now() >= stopAt },
      onApiStages,
    );
    return { listing: listed, read: subset };
  });

  // A later chunk reports only the listing's own failures and those of its APIs.
  const listingFailures = listing.failures.filter(
    (f: CollectFailure) => remaining === undefined || f.apiId === undefined || remaining.has(f.apiId),
  );
  const chunk = await scopeRun.finish({
    apis: listing.apis,
    readApiIds: read.readApiIds,
    listing: listing.listing,
    failures: [...listingFailures, ...read.failures],
    calls: addCallCounts(listing.calls, read.calls),
  } satisfies CollectOutcome);
  // A later chunk read a subset of the listing: count only its own APIs as listed once.
  const chunkSummary: ScopeSummary = continuation ? { ...chunk.summary, apisListed: 0 } : chunk.summary;
  const chunkNumber = continuation?.chunk ?? 1;
  const total = continuation
    ? mergeSummaries(continuation.progress, chunkSummary, chunkNumber)
    : { ...chunkSummary, ...(read.unstarted.length > 0 ? { chunks: 1 } : {}) };
  const partSummary = (postureSummaries: ScanSummary['postureSummaries']) =>
    single(chunkSummary, capturedAt, chunk.events, {
      postureSummaries,
      postureChanges: chunk.postureChanges,
    });

  if (read.unstarted.length === 0) {
    const recorded: ScopeSummary = {
      ...total,
      ...(await scanModeRecord(deps, task, capturedAt, total, ran)),
    };
    const posture = await recordRun(deps, capturedAt, recorded);
    return {
      outcome: 'completed',
      summary: partSummary(posture ? [posture] : []),
      run: recorded,
      ...modeOf(),
    };
  }
  const summary = partSummary([]);

  const left = (family: ApiFamily) =>
    read.unstarted.filter((api) => familyOfApiType(api.apiType) === family).map((api) => api.apiId);
  const remainingApiIds = toStoredRemainingApiIds(byFamily(left));
  const progress: ScopeSummary = { ...total, chunks: chunkNumber };
  // The record of the run in progress says what is left, so a run can also go on from it.
  await recordRun(deps, capturedAt, progress, { remainingApiIds });
  const next: ScanTask = {
    account: task.account,
    region: task.region,
    ...(task.roleArn === undefined ? {} : { roleArn: task.roleArn }),
    ...(task.externalId === undefined ? {} : { externalId: task.externalId }),
    continuation: {
      runStartedAt: capturedAt,
      chunk: chunkNumber + 1,
      baseline: chunk.summary.baseline,
      ...(chunk.summary.baselineFamilies ? { baselineFamilies: chunk.summary.baselineFamilies } : {}),
      remainingApiIds,
      progress: carried(progress),
    },
  };
  return { outcome: 'continued', summary, next, ...modeOf() };
};
