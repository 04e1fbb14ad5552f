import type { ApiFamily } from '../model';
import { API_FAMILIES } from '../model';
import type { RunListing, RunRecord, SnapshotHistory } from '../store';
import { readFamilies } from './baseline';
import type { StoredRemainingApiIds } from './run-record';
import type { ScanScope, ScopeSummary } from './scan-types';

// A run record means "a full scan of this scope completed" (a run in chunks marks its record in
// progress until its last chunk): to the baseline, to a targeted rescan, to a run in chunks that
// must not go on once a newer run started. This ledger is the one place that reads them back;
// `recordRun` (run-record.ts) writes them, and the store maps them to and from their stored form.

/**
 * Where the newest run of a scope stands: no run yet, a record that cannot be read, a run in
 * chunks between two of them, or a completed run.
 */
export type RunStanding = 'none' | 'unreadable' | 'in-progress' | 'complete';

/** A run in progress whose record holds what it takes to go on with it. */
export interface ResumableRun {
  /** The run's capture time, kept by every chunk. */
  readonly startedAt: string;
  /** The chunks recorded so far. */
  readonly chunks: number;
  /** Whether the run baselines the scope (of at least one family). */
  readonly baseline: boolean;
  /** The families it baselines, when not both. @default both, when `baseline` */
  readonly baselineFamilies?: readonly ApiFamily[];
  /** The APIs listed by the first chunk and not read yet, by family (stored form). */
  readonly remainingApiIds: StoredRemainingApiIds;
  /** The run's totals so far, as its chunks recorded them. */
  readonly totals: ScopeSummary;
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** The families a run set out to baseline, as its summary says (`baselineFamilies`, else both or none). */
const baselinedBy = (summary: RunRecord['summary']): ApiFamily[] =>
  summary.baseline === true ? (readFamilies(summary.baselineFamilies) ?? [...API_FAMILIES]) : [];

/**
 * Pure: the run of `run`'s record when it is in progress and the record says where it goes on;
 * undefined for a completed run, or when the record lacks what is needed (a summary too large for
 * one item keeps only its scalars).
 */
export const resumableRunOf = (run: RunRecord): ResumableRun | undefined => {
  if (run.progress.state !== 'in-progress') return undefined;
  const ids = run.progress.remainingApiIds as { rest?: unknown; v2?: unknown } | undefined;
  const { chunks } = run.summary;
  if (typeof ids !== 'object' || ids === null) return undefined;
  if (!isStringList(ids.rest) || !isStringList(ids.v2) || !Number.isInteger(chunks)) return undefined;
  const families = readFamilies(run.summary.baselineFamilies);
  return {
    startedAt: run.startedAt,
    chunks: chunks as number,
    baseline: run.summary.baseline === true,
    ...(families ? { baselineFamilies: families } : {}),
    remainingApiIds: { rest: ids.rest, v2: ids.v2 },
    totals: run.summary as unknown as ScopeSummary,
  };
};

/**
 * The newest run records of one scope (`listRuns`, newest first), and every question the scan
 * asks of them. Read it one record deep (`RunLedger.read`) for all but `lastRunBefore`.
 */
export class RunLedger {
  private constructor(private readonly listing: RunListing) {}

  /** The ledger of a listing already made. */
  static of(listing: RunListing): RunLedger {
    return new RunLedger(listing);
  }

  /** The ledger of `scope`'s newest `depth` run records: one Query. */
  static async read(
    store: Pick<SnapshotHistory, 'listRuns'>,
    scope: ScanScope,
    depth = 1,
  ): Promise<RunLedger> {
    return new RunLedger(await store.listRuns(scope.account, scope.region, depth));
  }

  /** The newest run record that could be read. */
  get newest(): RunRecord | undefined {
    return this.listing.runs[0];
  }

  /** Where the newest run stands: a record that cannot be read counts unless a readable one is newer. */
  get standing(): RunStanding {
    const newest = this.newest;
    const unreadable = this.listing.problems.some(
      (p) => newest === undefined || p.itemKey.SK >= newest.startedAt,
    );
    if (unreadable) return 'unreadable';
    return newest === undefined ? 'none' : newest.progress.state;
  }

  /**
   * The families a full scan of the scope baselines (no complete listing has yet): their new
   * stages are stored without an event. No run: both. A completed run: those it left pending
   * (`baselinePending`). A run in progress: those it set out to baseline, as it has not finished
   * them. An unreadable record counts as a completed scan with nothing pending: an event too many
   * beats a change swallowed.
   */
  pendingBaseline(): ApiFamily[] {
    const newest = this.newest;
    switch (this.standing) {
      case 'none':
        return [...API_FAMILIES];
      case 'unreadable':
        return [];
      case 'in-progress':
        return newest ? baselinedBy(newest.summary) : [];
      case 'complete':
        return (newest && readFamilies(newest.summary.baselinePending)) ?? [];
    }
  }

  /**
   * Whether a full scan has completed the baseline of `family` (listed it completely), so a
   * targeted rescan of one of its APIs may compare it with what is stored.
   */
  hasCompleted(family: ApiFamily): boolean {
    return !this.pendingBaseline().includes(family);
  }

  /** The newest run, when it is in progress and its record says where it goes on. */
  inProgress(): ResumableRun | undefined {
    const newest = this.newest;
    return this.standing === 'in-progress' && newest ? resumableRunOf(newest) : undefined;
  }

  /**
   * Whether a run newer than the one started at `runStartedAt` has been recorded (its first
   * chunk writes a record): a continuation then drops itself, as two runs must never interleave.
   */
  isSuperseded(runStartedAt: string): boolean {
    const newest = this.newest;
    return newest !== undefined && newest.startedAt > runStartedAt;
  }

  /**
   * The start of the newest run recorded before `capturedAt`, complete or in progress. Read two
   * records deep: the newest may be the record of the run at `capturedAt` itself, not before it.
   */
  lastRunBefore(capturedAt: string): string | undefined {
    return this.listing.runs.find((run) => run.startedAt < capturedAt)?.startedAt;
  }
}
