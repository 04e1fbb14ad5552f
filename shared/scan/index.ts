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
export { scanSettingsFrom } from './scan-settings';
