export type { PendingChange } from './compare';
export { compareWithLatest } from './compare';
export { runScan, totalsOf } from './run-scan';
export type {
  ScanDeps,
  ScanFailure,
  ScanRequest,
  ScanScope,
  ScanSummary,
  ScopeSummary,
  SeverityCounts,
} from './scan-types';
