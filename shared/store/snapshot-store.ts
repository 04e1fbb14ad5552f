import type { ScopeRef } from './scope-registry';
import type { JsonObject, Severity, StageChangeKind, StageDrift, StageKey, StageSnapshot } from '../model';
import type { AlertEventRecord, DriftAnnotations, DriftEventRecord } from './drift-event';
import type { PostureSummaryRecord } from './posture-summary-event';
import type { ItemKey } from './errors';

/** The latest item of one stage: small (no snapshot body), listed for a scope by one Query. */
export interface LatestEntry {
  readonly key: StageKey;
  /** Content hash of the stored snapshot (`StageSnapshot.hash`). */
  readonly hash: string;
  /**
   * When the current content was first captured: the `detectedAt` of the change that produced
   * it (or the baseline time). Equals the time in `versionSk`.
   */
  readonly capturedAt: string;
  /** Sort key of the version item holding the snapshot body: `V#<capturedAt>`. */
  readonly versionSk: string;
  readonly apiName: string;
  /** The stage's `createdDate`: a different one under the same key means deleted and recreated. */
  readonly createdDate?: string;
  /** `apiTagsHash` of the stored snapshot: absent when its API had no tags (or the item predates it). */
  readonly apiTagsHash?: string;
  readonly lastChange?: StageChangeKind;
  readonly lastSeverity?: Severity;
  readonly lastDriftAt?: string;
  /** Set only when the version body is split over this many part items (very large stages). */
  readonly versionParts?: number;
}

/** One stage to persist: a change, a creation, a deletion or (without `drift`) a baseline. */
export interface StageWrite {
  readonly key: StageKey;
  /** The latest entry as listed by `listLatest`; `undefined` for a stage the store does not know. */
  readonly previous?: LatestEntry;
  /** The new snapshot; `undefined` = the stage was deleted. */
  readonly next?: StageSnapshot;
  /** The drift to record as an event; `undefined` on a baseline (no event is written). */
  readonly drift?: StageDrift;
  /** ISO-8601 capture time of this scan. */
  readonly capturedAt: string;
  /** Stored in the drift event with `drift` (attribution, a downgraded severity's original). */
  readonly annotations?: DriftAnnotations;
}

/**
 * - `recorded`: this call wrote the change (event, version, latest).
 * - `replayed`: the event already existed (a rerun of an interrupted or concurrent write); the
 *   rest was completed idempotently and no second event was written.
 * - `superseded`: another scan moved the latest item first; this write's event and version stay
 *   in the history, the latest item is the other scan's.
 */
export type WriteOutcome = 'recorded' | 'replayed' | 'superseded';

export interface StageWriteResult {
  readonly outcome: WriteOutcome;
  /** The drift event's id, when the write carried a drift. */
  readonly eventId?: string;
  /**
   * Housekeeping that failed after the change was recorded (setting the TTL of the superseded
   * version). The change itself is stored; the old version just never expires.
   */
  readonly warning?: string;
}

/**
 * Where a run stands, as its record says: `complete` (the mark of a full scan of the scope) or
 * `in-progress` (a run in chunks between two of them), with what it has left.
 */
export type RunProgress =
  | { readonly state: 'complete' }
  | {
      readonly state: 'in-progress';
      /** The APIs the run has left, as the scan wrote them; absent from a summary cut to its scalars. */
      readonly remainingApiIds?: unknown;
    };

/**
 * The record of one run of one scope. Its item holds the summary and the progress in one JSON
 * attribute, in the form the first release wrote (`run-items.ts`), so every record reads back.
 */
export interface RunRecord<Summary extends object = JsonObject> {
  readonly account: string;
  readonly region: string;
  /** ISO-8601; the run item's sort key. */
  readonly startedAt: string;
  /** The run's totals as the scan wrote them (its `ScopeSummary`); the store does not read them. */
  readonly summary: Summary;
  readonly progress: RunProgress;
}

/** What the scan use case needs from storage. */
export interface SnapshotStore {
  /** Every latest entry of one account + region: one paged Query of small items. */
  listLatest(account: string, region: string): Promise<LatestEntry[]>;
  /** The stored snapshots of `entries`, keyed by `formatStageKey`. Throws if one cannot be read. */
  getSnapshots(entries: readonly LatestEntry[]): Promise<Map<string, StageSnapshot>>;
  /** Persists one changed stage: drift event, then version, then latest pointer. */
  writeStage(write: StageWrite): Promise<StageWriteResult>;
  writeRun(run: RunRecord<object>): Promise<void>;
  /** Records a scope once, at its baseline, so the query commands can list scopes. */
  registerScope(scope: ScopeRef): Promise<void>;
  /**
   * Records a scope's baseline posture summary once (conditional put on its deterministic id):
   * `false` when it was already stored (a rerun of the same run).
   */
  writePostureSummary(record: PostureSummaryRecord): Promise<boolean>;
}

/** An item a listing could not read; the rest of the listing is returned. */
export interface StoreProblem {
  readonly itemKey: ItemKey;
  readonly message: string;
}

export interface EventQuery {
  /** ISO-8601 instant, inclusive. @default now minus the retention period */
  readonly since?: string;
  /** ISO-8601 instant, inclusive. @default now */
  readonly until?: string;
  /** At most this many events, newest first. @default no limit */
  readonly limit?: number;
}

export interface EventListing {
  /** Newest first. */
  readonly events: DriftEventRecord[];
  readonly problems: StoreProblem[];
}

/** A page of drift events in the order they were detected (the outbox reads them so). */
export interface EventPageQuery {
  /** ISO-8601 instant, inclusive. */
  readonly since: string;
  /** ISO-8601 instant, inclusive. */
  readonly until: string;
  /** Where to go on: the `next` of the page before. @default the start of the window */
  readonly after?: string;
  /** At most this many events (and problems) a page: a positive whole number. */
  readonly limit: number;
}

export interface EventPage {
  /** Oldest first: by `detectedAt`, then by id. Posture summaries too (the outbox sends them). */
  readonly events: AlertEventRecord[];
  readonly problems: StoreProblem[];
  /** Pass it as `after` for the next page; absent once the window is read to its end. */
  readonly next?: string;
}

/** One version item of a stage's history (metadata only). */
export interface VersionEntry {
  readonly key: StageKey;
  readonly versionSk: string;
  readonly capturedAt: string;
  /** Absent on a tombstone. */
  readonly hash?: string;
  readonly prevHash?: string;
  /** A tombstone: the stage was deleted at `capturedAt`. */
  readonly deleted: boolean;
  /** Epoch seconds when the version expires; absent on the current version. */
  readonly ttl?: number;
}

export interface VersionAt extends VersionEntry {
  /** The stored snapshot; absent on a tombstone. */
  readonly snapshot?: StageSnapshot;
}

export interface RunListing {
  /** Newest first. */
  readonly runs: RunRecord[];
  readonly problems: StoreProblem[];
}

/** Read helpers for the query CLI. */
export interface SnapshotHistory {
  /** Drift events of every stage detected in [since, until], newest first, via GSI1 month partitions. */
  listEvents(query?: EventQuery): Promise<EventListing>;
  /** Drift events detected in [since, until], oldest first, one bounded page at a time (GSI1). */
  listEventsOldestFirst(query: EventPageQuery): Promise<EventPage>;
  /** The drift events of one stage, newest first. */
  listStageEvents(key: StageKey): Promise<EventListing>;
  /** The versions (and tombstones) of one stage, newest first. */
  listVersions(key: StageKey): Promise<VersionEntry[]>;
  /** The version in effect at `atIso` (the newest captured at or before it), or `undefined`. */
  getVersionAt(key: StageKey, atIso: string): Promise<VersionAt | undefined>;
  /** Run records of one scope, newest first. */
  listRuns(account: string, region: string, limit?: number): Promise<RunListing>;
}
