export type { PendingChange } from './compare';
export { compareStage, findDeletions } from './compare';
export type { ResumableRun, RunStanding } from './run-ledger';
export { RunLedger } from './run-ledger';
export { runScan, totalsOf } from './run-scan';
export type {
  ScanContinuation,
  ScanTarget,
  ScanTask,
  ScanTaskDeps,
  ScanTaskOptions,
  ScanTaskOutcome,
  ScanTaskResult,
} from './scan-task';
export { CARRIED_DETAILS, planScanTasks, runScanTask } from './scan-task';
export type {
  AdaptiveScans,
  AttributionCounts,
  LookupWindow,
  ScanAttribution,
  ScanDeps,
  ScanFailure,
  ScanRequest,
  ScanScope,
  ScanSummary,
  ScopeSummary,
  SeverityCounts,
} from './scan-types';
export type { TargetOutcome, TargetedScanRequest, TargetedScanResult } from './targeted-scan';
export { runTargetedScan } from './targeted-scan';
export type { ScheduledScanRequest, ScheduledScanResult } from './scheduled-scan';
export { continuationOf, MAX_RESUME_AGE_MS, runScheduledScan } from './scheduled-scan';
export { API_FAMILIES } from '../model';
export { cloudTrailAttribution } from './cloudtrail-attribution';
export type { MemberTrailClients } from './cloudtrail-attribution';
export { scanSettingsFrom } from './scan-settings';
export type { ScanMode, ScanModeDecision, ScanModeInputs, ScanModeReason, TrailHealth } from './scan-mode';
export { needsTrailStatus, SCAN_MODE_REASONS, scanModeFor } from './scan-mode';
export type { ScanModeOutcome } from './adaptive-scan';
export { decideScanMode, scanModeRecord } from './adaptive-scan';
export type {
  ScanFailureContext,
  ScanFailureReport,
  ScanFailureSource,
  ScopeFailures,
} from './failure-report';
export { MAX_REPORTED_FAILURES, runFailureReport, scanFailureReport } from './failure-report';
export type { ScheduleTick } from './schedule-tick';
export { latenessOf, scheduleTickOf } from './schedule-tick';
