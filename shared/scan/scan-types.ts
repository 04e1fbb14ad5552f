import type { LookupStageEventsResult } from '../attribution';
import type { CallCounts, CollectDeps, CollectFailure, CollectOptions } from '../collect';
import type { DiffOptions } from '../diff';
import type { ApiFamily, OutOfBandMode, Severity } from '../model';
import type { PostureChange, PostureControl } from '../posture';
import { SEVERITIES } from '../model';
import type { Clock } from '../runtime';
import { compareText } from '../runtime';
import type { DriftEventRecord, PostureSummaryRecord, SnapshotHistory, SnapshotStore } from '../store';
import type { ScanMode, ScanModeReason, TrailHealth } from './scan-mode';

/** One account + region: the unit a scan reads, compares and records. */
export interface ScanScope {
  readonly account: string;
  readonly region: string;
}

/** The window a scheduled scan looks CloudTrail up over: [earliest previous capture, this capture]. */
export interface LookupWindow {
  readonly start: Date;
  readonly end: Date;
}

/**
 * CloudTrail for attribution: one `lookupStageEvents` per scope and scan, with its own budget per
 * account and region (LookupEvents allows 2 requests/s), built by the adapter.
 */
export interface ScanAttribution {
  lookup(scope: ScanScope, window: LookupWindow): Promise<LookupStageEventsResult>;
}

export interface ScanDeps {
  /** API Gateway clients for a scope (built with COLLECTOR_CLIENT_CONFIG); the adapter owns them. */
  readonly clientsFor: (scope: ScanScope) => CollectDeps;
  readonly store: SnapshotStore & Pick<SnapshotHistory, 'listRuns'>;
  readonly clock: Clock;
  readonly collect?: CollectOptions;
  readonly diff: DiffOptions;
  /** Stage writes in flight per scope. @default 8 */
  readonly writeConcurrency?: number;
  /**
   * Attribute each drift from CloudTrail (who, through what). Without it events carry no
   * attribution; with it an event whose record cannot be found goes out unattributed, saying why.
   * @default no attribution
   */
  readonly attribution?: ScanAttribution;
  /**
   * Drift attributed to infrastructure as code: reported (`off`), stored without an event
   * (`suppress`) or reported at INFO (`downgrade`). Needs attribution to have any effect.
   * @default 'off'
   */
  readonly outOfBand?: OutOfBandMode;
  /**
   * The posture controls evaluated on every stage: the Security Hub controls, then the user's
   * `postureRules` (`scanSettingsFrom` compiles them). @default DEFAULT_CONTROLS
   */
  readonly postureControls?: readonly PostureControl[];
  /**
   * Adaptive full scans (`scanModeFor`, scan-mode.ts): a scheduled scope whose event path is
   * healthy gets a full scan only every `fullScanIntervalMs`. @default every tick a full scan
   */
  readonly adaptive?: AdaptiveScans;
}

/** What adaptive full scans need besides the run ledger: the interval, the routes, the trail check. */
export interface AdaptiveScans {
  readonly fullScanIntervalMs: number;
  /** Whether the monitor's event rules receive the scope's CloudTrail events. */
  readonly eventsRouted: (scope: ScanScope) => boolean;
  /**
   * The trail check of the scope's account and region (through the task's reader role for a
   * member account); a failure answers `logging: false`.
   */
  readonly trailStatus: (
    scope: ScanScope & { readonly roleArn?: string; readonly externalId?: string },
  ) => Promise<TrailHealth>;
}

export interface ScanRequest {
  readonly scopes: readonly ScanScope[];
  /** The capture time of this scan (stored as `capturedAt` / `detectedAt`). */
  readonly now: Date;
}

/** Something that could not be read; its stages keep their previous snapshots. */
export type ScanFailure =
  | ({ readonly kind: 'collect' } & CollectFailure)
  | {
      readonly kind: 'normalize';
      readonly apiType: ApiFamily;
      readonly apiId: string;
      readonly stageName?: string;
      readonly errorName: string;
      readonly message: string;
    }
  | {
      /** The scope could not be reached at all, e.g. its account refused the reader role. */
      readonly kind: 'access';
      readonly errorName: string;
      readonly message: string;
    };

export type SeverityCounts = Record<Severity, number>;

/** Every severity at 0. */
export const zeroCounts = (): SeverityCounts =>
  Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;

export interface ScopeSummary {
  readonly account: string;
  readonly region: string;
  /**
   * A baseline of this scope (of at least one API family): its new stages stored, no event per
   * stage. A family is baselined by its first complete listing (`baseline.ts`).
   */
  readonly baseline: boolean;
  /** The families this run baselined, when not both. @default both, when `baseline` */
  readonly baselineFamilies?: readonly ApiFamily[];
  /** Baselined families whose listing failed: their baseline is still to come. Absent when none. */
  readonly baselinePending?: readonly ApiFamily[];
  readonly apisListed: number;
  readonly apisRead: number;
  readonly stagesRead: number;
  /** Stages whose content (or createdDate) differs from the stored one, deletions included. */
  readonly stagesChanged: number;
  readonly events: SeverityCounts;
  /** Writes that found their event already stored (a rerun after an interrupted scan). */
  readonly replayed: number;
  /** Writes that lost the race for the latest pointer to an overlapping scan. */
  readonly superseded: number;
  readonly warnings: readonly string[];
  readonly failures: readonly ScanFailure[];
  readonly calls: CallCounts;
  readonly durationMs: number;
  /** Invocations the run took, when it was split (`runScanTask`); absent for a one-shot scan. */
  readonly chunks?: number;
  /** Set when attribution ran: drifts attributed and not, and the CloudTrail calls it cost. */
  readonly attribution?: AttributionCounts;
  /** Drifts made through infrastructure as code stored without an event (out-of-band `suppress`). */
  readonly suppressed?: number;
  /**
   * Members of the stages read that the model does not know, so not compared (a field AWS added
   * that the SDK returns): `<apiType> <path>` with map keys as `*` (`REST methodSettings[*].x`),
   * distinct, sorted, at most `MAX_UNKNOWN_MEMBERS`. Absent when there are none.
   */
  readonly unknownMembers?: readonly string[];
  /** Adaptive full scans: why this full scan ran (`scanModeFor`'s reason). Absent when off. */
  readonly fullScanReason?: ScanModeReason;
  /** Adaptive full scans: the mode the scope is in after this run, and why. Absent when off. */
  readonly scanMode?: ScanMode;
  readonly scanModeReason?: ScanModeReason;
  /** In `events-only` mode: when the next safety-net full scan is due (ISO 8601). */
  readonly nextFullScanAt?: string;
  /** The trail check's detail (which trail logs, or why none does). */
  readonly trail?: string;
  /**
   * Changes this full scan recorded that no event had announced (no rescan recorded them first):
   * the canary of adaptive full scans. Set with `scanMode`.
   */
  readonly unannouncedChanges?: number;
}

/** How many distinct unknown members a summary lists. */
export const MAX_UNKNOWN_MEMBERS = 40;

/** `unknownMembers` of a summary: the distinct members of the lists, sorted and capped; `{}` when none. */
export const unknownMembersPart = (
  ...lists: readonly (readonly string[] | undefined)[]
): Pick<ScopeSummary, 'unknownMembers'> => {
  const merged = [...new Set(lists.flatMap((list) => list ?? []))]
    .sort(compareText)
    .slice(0, MAX_UNKNOWN_MEMBERS);
  return merged.length === 0 ? {} : { unknownMembers: merged };
};

export interface AttributionCounts {
  readonly attributed: number;
  readonly unattributed: number;
  /** LookupEvents sends (0 for an event-driven rescan, which has its records). */
  readonly lookupCalls: number;
  /**
   * Lookups that failed (a denied, throttled or failed LookupEvents, or one that threw): their
   * drifts went out unattributed with a fixed reason, the details are in `warnings`. Absent when 0.
   */
  readonly lookupFailures?: number;
}

export interface ScanSummary {
  readonly startedAt: string;
  /** True when every scope was a baseline. */
  readonly baseline: boolean;
  readonly scopes: readonly ScopeSummary[];
  /** Drift events recorded by this scan, most severe first. */
  readonly events: readonly DriftEventRecord[];
  /**
   * The posture summaries stored by the scopes this scan baselined (one per scope and baseline;
   * delivered like drift events: the stream, or the CLI's outbox).
   */
  readonly postureSummaries: readonly PostureSummaryRecord[];
  /**
   * Every stage this scan moved (created, changed, recreated, deleted; a baseline's stages too),
   * with its posture before and after: what the Security Hub export files. Not in the run record.
   */
  readonly postureChanges: readonly PostureChange[];
  readonly durationMs: number;
}
