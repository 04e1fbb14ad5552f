import { SEVERITIES } from '../model';
import type { RunLedger } from './run-ledger';
import type { ScanModeDecision, ScanModeInputs, TrailHealth } from './scan-mode';
import { needsTrailStatus, scanModeFor } from './scan-mode';
import type { ScanDeps, ScanScope, ScopeSummary } from './scan-types';

type Target = ScanScope & { readonly roleArn?: string; readonly externalId?: string };

/**
 * Pure: the changes a full scan recorded that no event had announced: its drift events (and those
 * out-of-band `suppress` stored without one). A change a rescan recorded first is no change to
 * the full scan (the latest pointer already holds it); a baseline's new stages are no drift.
 */
export const unannouncedChangesOf = (summary: Pick<ScopeSummary, 'events' | 'suppressed'>): number =>
  SEVERITIES.reduce((n, severity) => n + (summary.events[severity] ?? 0), 0) + (summary.suppressed ?? 0);

/** The canary input from the newest run record: its start, when it found an unannounced change. */
const unannouncedAt = (ledger: RunLedger): Date | undefined => {
  const newest = ledger.newest;
  if (!newest || ledger.standing !== 'complete') return undefined;
  const stored = newest.summary.unannouncedChanges;
  const count =
    typeof stored === 'number'
      ? stored
      : unannouncedChangesOf(newest.summary as unknown as Pick<ScopeSummary, 'events' | 'suppressed'>);
  return count > 0 ? new Date(newest.startedAt) : undefined;
};

export interface ScanModeOutcome {
  readonly decision: ScanModeDecision;
  /** The trail check, when it was made (reused by the run record). */
  readonly trail?: TrailHealth;
}

/**
 * The decision of a scheduled tick for one scope (`scanModeFor`), from its newest run record and,
 * only when the answer matters, the trail check of its region.
 */
export const decideScanMode = async (
  deps: Pick<ScanDeps, 'adaptive'>,
  target: Target,
  ledger: RunLedger,
  now: Date,
): Promise<ScanModeOutcome> => {
  const { adaptive } = deps;
  const complete = ledger.standing === 'complete' ? ledger.newest : undefined;
  const inputs: Omit<ScanModeInputs, 'trailStatus'> = {
    lastFullScanAt: complete ? new Date(complete.startedAt) : undefined,
    unannouncedChangeAt: unannouncedAt(ledger),
    now,
    fullScanIntervalMs: adaptive?.fullScanIntervalMs,
    eventsRouted: adaptive ? adaptive.eventsRouted(target) : true,
  };
  const trail = adaptive && needsTrailStatus(inputs) ? await adaptive.trailStatus(target) : undefined;
  return { decision: scanModeFor({ ...inputs, trailStatus: trail }), ...(trail ? { trail } : {}) };
};

/**
 * The run record's part of adaptive full scans: why this full scan ran, and the mode the scope is
 * in after it (the rule applied with this run as the last full scan), so the record says which
 * mode each scope is in and why. `{}` when adaptive scans are off.
 */
export const scanModeRecord = async (
  deps: Pick<ScanDeps, 'adaptive'>,
  target: Target,
  capturedAt: string,
  summary: ScopeSummary,
  ran: ScanModeOutcome | undefined,
): Promise<Partial<ScopeSummary>> => {
  const { adaptive } = deps;
  if (!adaptive) return {};
  const at = new Date(capturedAt);
  const unannouncedChanges = summary.baseline ? 0 : unannouncedChangesOf(summary);
  const routed = adaptive.eventsRouted(target);
  const trail = ran?.trail ?? (routed ? await adaptive.trailStatus(target) : undefined);
  const after = scanModeFor({
    lastFullScanAt: at,
    trailStatus: trail,
    unannouncedChangeAt: unannouncedChanges > 0 ? at : undefined,
    now: at,
    fullScanIntervalMs: adaptive.fullScanIntervalMs,
    eventsRouted: routed,
  });
  return {
    ...(ran ? { fullScanReason: ran.decision.reason } : {}),
    scanMode: after.mode,
    scanModeReason: after.reason,
    ...(after.nextFullScanAt ? { nextFullScanAt: after.nextFullScanAt } : {}),
    ...(trail ? { trail: trail.detail } : {}),
    unannouncedChanges,
  };
};
