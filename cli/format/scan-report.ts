import { totalCalls } from '../../shared/collect';
import type { ApiFamily, StageDrift } from '../../shared/model';
import { SEVERITIES } from '../../shared/model';
import type { ScanFailure, ScanSummary, ScopeSummary } from '../../shared/scan';
import type { DriftEventRecord } from '../../shared/store';
import { formatTransitionLine } from '../../shared/notify/slack-message';
import { renderDriftReport } from './drift-report';
import { renderPostureSummaryText } from './posture-summary-report';
import { escapeControlChars, renderJsonDocument } from './values';

/** An event record as the drift renderer sees it. */
export const eventAsDrift = (event: DriftEventRecord): StageDrift => ({
  key: {
    account: event.account,
    region: event.region,
    apiType: event.api.type,
    apiId: event.api.id,
    stageName: event.stageName,
  },
  apiName: event.api.name,
  change: event.change,
  severity: event.severity,
  rule: event.rule,
  changes: event.changes,
});

const FAMILY_LABELS: Readonly<Record<ApiFamily, string>> = { REST: 'REST', V2: 'HTTP/WebSocket' };

const failureText = (f: ScanFailure): string => {
  if (f.kind === 'access') return `scope not reachable: ${f.errorName}: ${f.message}`;
  const family = FAMILY_LABELS[f.apiType];
  if (f.kind === 'normalize') {
    return `${family} API ${f.apiId}${f.stageName ? ` stage ${f.stageName}` : ''}: malformed stage (${f.message})`;
  }
  const what = f.apiId
    ? `${family} API ${f.apiId}${f.apiName ? ` (${f.apiName})` : ''}`
    : `${family} API listing`;
  return `${what}: ${f.operation} failed with ${f.errorName}: ${f.message}`;
};

/** One failure in words; its names and messages come from the service, so they are escaped. */
const describeFailure = (f: ScanFailure): string => escapeControlChars(failureText(f));

const scopeLine = (s: ScopeSummary): string => {
  const calls = totalCalls(s.calls);
  const events = SEVERITIES.filter((sev) => s.events[sev] > 0).map((sev) => `${s.events[sev]} ${sev}`);
  const what = s.baseline
    ? `baseline stored: ${s.stagesRead} stages`
    : `${s.stagesChanged} changed${events.length > 0 ? ` (${events.join(', ')})` : ''}`;
  return (
    `${s.account} ${s.region}: ${s.apisListed} APIs, ${s.stagesRead} stages read, ${what}; ` +
    `${calls} calls (${s.calls.throttled} throttled), ${(s.durationMs / 1000).toFixed(1)} s`
  );
};

export const renderScanText = (summary: ScanSummary): string => {
  const lines = summary.scopes.map(scopeLine);
  const failures = summary.scopes.flatMap((s) =>
    s.failures.map((f) => `  ! ${s.region}: ${describeFailure(f)}`),
  );
  if (failures.length > 0) {
    lines.push(`Not read (previous snapshots kept, nothing reported deleted):`, ...failures);
  }
  // A scope baselined now (all, or some of a fleet) says what its baseline found, once.
  const posture =
    summary.postureSummaries.length > 0 ? `\n${renderPostureSummaryText(summary.postureSummaries)}` : '';
  if (summary.baseline) {
    lines.push('First scan: a baseline. Later scans report drift against it.');
    return `${lines.join('\n')}\n${posture}`;
  }
  const transitions = summary.events.flatMap((e) =>
    (e.controls ?? []).map(
      (t) =>
        `  ${formatTransitionLine(t, e.stageName)} (${escapeControlChars(e.api.name || e.api.id)}, ${e.region})`,
    ),
  );
  const controls = transitions.length > 0 ? `\nControls:\n${transitions.join('\n')}\n` : '';
  return `${lines.join('\n')}\n${posture}${controls}\n${renderDriftReport(summary.events.map(eventAsDrift), 'text')}`;
};

/** `--format json`: `{ baseline, scopes, events, postureSummaries }`, stable for scripts and jq. */
export const renderScanJson = (summary: ScanSummary): string =>
  renderJsonDocument({
    baseline: summary.baseline,
    startedAt: summary.startedAt,
    durationMs: summary.durationMs,
    scopes: summary.scopes,
    events: summary.events,
    postureSummaries: summary.postureSummaries,
  });
