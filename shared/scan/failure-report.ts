import type { ScanFailure, ScanSummary } from './scan-types';

// The failure queue's scan message: a deployed contract, documented in docs/deploy.md ("The
// failure queue"), beside the publisher's delivery failure (shared/notify/failure-report.ts).

/** At most this many failures of one scope in a report (a message stays far below SQS's 256 KiB). */
export const MAX_REPORTED_FAILURES = 50;

/** Which scanning path could not read something. */
export type ScanFailureSource = 'scheduled-scan' | 'scan-task' | 'rescan';

/** One scope's failures: its stages keep their previous snapshots. */
export interface ScopeFailures {
  readonly account: string;
  readonly region: string;
  /** The first MAX_REPORTED_FAILURES, as the scan recorded them (SDK error names and texts). */
  readonly failures: readonly ScanFailure[];
  /** How many more there were. Absent when none. */
  readonly failuresOmitted?: number;
}

/**
 * What a scan or rescan could not read, as sent to the failure queue: the scopes with failures,
 * or, for a run that failed as a whole, its `error`. No secret in it (names and SDK texts only).
 */
export interface ScanFailureReport {
  readonly kind: 'stage-drift.scan-failure';
  readonly source: ScanFailureSource;
  /** The invocation's request id: its log lines carry it as `runId`. */
  readonly runId: string;
  readonly failedAt: string;
  readonly scopes: readonly ScopeFailures[];
  /** A run that failed as a whole (a task or a rescan batch that SQS delivers again). */
  readonly error?: { readonly name: string; readonly message: string };
}

export interface ScanFailureContext {
  readonly source: ScanFailureSource;
  readonly runId: string;
  readonly failedAt: Date;
}

/** The report of `summary`'s failures, or undefined when every scope was read whole. */
export const scanFailureReport = (
  summary: Pick<ScanSummary, 'scopes'>,
  context: ScanFailureContext,
): ScanFailureReport | undefined => {
  const scopes = summary.scopes
    .filter((scope) => scope.failures.length > 0)
    .map(({ account, region, failures }): ScopeFailures => {
      const omitted = failures.length - MAX_REPORTED_FAILURES;
      return {
        account,
        region,
        failures: failures.slice(0, MAX_REPORTED_FAILURES),
        ...(omitted > 0 ? { failuresOmitted: omitted } : {}),
      };
    });
  return scopes.length === 0 ? undefined : reportOf(context, scopes);
};

/** The report of a run that failed as a whole: `error` (its name and message, no stack). */
export const runFailureReport = (
  error: unknown,
  context: ScanFailureContext,
  scopes: readonly { readonly account: string; readonly region: string }[] = [],
): ScanFailureReport => {
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  return {
    ...reportOf(
      context,
      scopes.map(({ account, region }) => ({ account, region, failures: [] })),
    ),
    error: { name, message },
  };
};

const reportOf = (context: ScanFailureContext, scopes: readonly ScopeFailures[]): ScanFailureReport => ({
  kind: 'stage-drift.scan-failure',
  source: context.source,
  runId: context.runId,
  failedAt: context.failedAt.toISOString(),
  scopes,
});
