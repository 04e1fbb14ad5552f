/**
 * Adaptive full scans: which scan a scheduled tick runs for a scope. Pure, no I/O: the caller
 * reads the inputs (the scope's newest run record, the trail check) and acts on the decision.
 *
 * - `full`: a full scan runs at this tick (the frequent schedule, or the safety net when due).
 * - `events-only`: no full scan at this tick; the event-driven rescans are the detector.
 */
export type ScanMode = 'full' | 'events-only';

/**
 * Why, in the order the rule checks them:
 * - `adaptive-off`: no `fullScanInterval` (no event path deployed): every tick is a full scan.
 * - `no-event-route`: the monitor's event rules do not receive this scope's events.
 * - `no-full-scan-yet`: the scope has no completed full scan (its baseline belongs to one).
 * - `trail-not-logging`: no CloudTrail trail logs this region's write management events, so
 *   EventBridge receives no API call events (or the trail check failed: not known to be healthy).
 * - `unannounced-change`: the canary: the last full scan found a change no event announced.
 * - `full-scan-due`: the last full scan is `fullScanInterval` old: the safety net runs.
 * - `events-healthy`: none of the above: events only until the next full scan is due.
 */
export type ScanModeReason =
  | 'adaptive-off'
  | 'no-event-route'
  | 'no-full-scan-yet'
  | 'trail-not-logging'
  | 'unannounced-change'
  | 'full-scan-due'
  | 'events-healthy';

export const SCAN_MODE_REASONS: readonly ScanModeReason[] = [
  'adaptive-off',
  'no-event-route',
  'no-full-scan-yet',
  'trail-not-logging',
  'unannounced-change',
  'full-scan-due',
  'events-healthy',
];

/** The trail check of a scope's region (shared/attribution/trail-status.ts), as the rule reads it. */
export interface TrailHealth {
  /** A trail logs this region's write management events and is logging. */
  readonly logging: boolean;
  /** Why not, or which trail: for the run record and the logs. */
  readonly detail: string;
}

export interface ScanModeInputs {
  /** The start of the scope's newest completed full scan; undefined when none completed. */
  readonly lastFullScanAt: Date | undefined;
  /** Undefined when the check was not made (it is made only when the answer matters). */
  readonly trailStatus: TrailHealth | undefined;
  /**
   * The start of the newest full scan that found a change no event announced (no rescan had
   * recorded it first); undefined when the newest full scan found none.
   */
  readonly unannouncedChangeAt: Date | undefined;
  readonly now: Date;
  /** Milliseconds between safety-net full scans; undefined = adaptive scans off. */
  readonly fullScanIntervalMs: number | undefined;
  /** Whether the monitor's event rules receive this scope's CloudTrail events. @default true */
  readonly eventsRouted?: boolean;
}

export interface ScanModeDecision {
  readonly mode: ScanMode;
  readonly reason: ScanModeReason;
  /** The trail check's detail, when it decided. */
  readonly detail?: string;
  /** In `events-only`: when the next safety-net full scan is due (ISO 8601). */
  readonly nextFullScanAt?: string;
}

/** Whether the rule needs the trail check for these inputs (so the caller makes it only then). */
export const needsTrailStatus = (inputs: Omit<ScanModeInputs, 'trailStatus'>): boolean =>
  inputs.fullScanIntervalMs !== undefined &&
  inputs.eventsRouted !== false &&
  inputs.lastFullScanAt !== undefined;

/**
 * The rule: a full scan at every tick unless the scope's event path is known to be healthy — its
 * events routed to the monitor, a trail logging its region's management events, and the last
 * full scan finding nothing that no event had announced; then a full scan only every
 * `fullScanInterval`, with event-driven rescans in between.
 */
export const scanModeFor = (inputs: ScanModeInputs): ScanModeDecision => {
  const { lastFullScanAt, trailStatus, unannouncedChangeAt, now, fullScanIntervalMs } = inputs;
  if (fullScanIntervalMs === undefined) return { mode: 'full', reason: 'adaptive-off' };
  if (inputs.eventsRouted === false) return { mode: 'full', reason: 'no-event-route' };
  if (lastFullScanAt === undefined) return { mode: 'full', reason: 'no-full-scan-yet' };
  if (trailStatus === undefined || !trailStatus.logging) {
    return {
      mode: 'full',
      reason: 'trail-not-logging',
      detail: trailStatus?.detail ?? 'the trail check was not made',
    };
  }
  if (unannouncedChangeAt !== undefined && unannouncedChangeAt.getTime() >= lastFullScanAt.getTime()) {
    return { mode: 'full', reason: 'unannounced-change', detail: trailStatus.detail };
  }
  const due = lastFullScanAt.getTime() + fullScanIntervalMs;
  if (now.getTime() >= due) return { mode: 'full', reason: 'full-scan-due', detail: trailStatus.detail };
  return {
    mode: 'events-only',
    reason: 'events-healthy',
    detail: trailStatus.detail,
    nextFullScanAt: new Date(due).toISOString(),
  };
};
