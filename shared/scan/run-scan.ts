import { collectStages, totalCalls } from '../collect';
import type { Severity } from '../model';
import { SEVERITIES, severityRank } from '../model';
import { compareText } from '../runtime';
import type { PostureChange } from '../posture';
import type { DriftEventRecord, PostureSummaryRecord } from '../store';
import { recordRun } from './run-record';
import type { RecordedPart } from './scope-run';
import { ScopeRun } from './scope-run';
import type { ScanDeps, ScanRequest, ScanScope, ScanSummary, ScopeSummary } from './scan-types';
import { zeroCounts } from './scan-types';

/**
 * One scope: its latest items listed while the collect starts, each API's stages recorded as
 * they are read, the rest once the collect is over (`ScopeRun`), the run record last.
 */
const scanScope = async (
  deps: ScanDeps,
  scope: ScanScope,
  capturedAt: string,
): Promise<RecordedPart & { readonly posture?: PostureSummaryRecord }> => {
  const run = ScopeRun.start(deps, scope, capturedAt, { started: deps.clock.now() });
  const collected = await run.read((onApiStages) =>
    collectStages(deps.clientsFor(scope), deps.collect, onApiStages),
  );
  const result = await run.finish(collected);
  const posture = await recordRun(deps, capturedAt, result.summary);
  return { ...result, ...(posture ? { posture } : {}) };
};

const eventKey = (event: DriftEventRecord): string =>
  [event.account, event.region, event.api.type, event.api.id, event.stageName].join('/');

/** Most severe first, then by stage: the order of a summary's events. */
export const bySeverityThenKey = (a: DriftEventRecord, b: DriftEventRecord): number =>
  severityRank(b.severity) - severityRank(a.severity) || compareText(eventKey(a), eventKey(b));

/**
 * The scan use case: for each account + region scope, collect, normalize, compare with the
 * stored hashes, diff what changed, persist (event, version, latest pointer) and record a run;
 * the store's work overlaps the collect where it can (`ScopeRun`). Scopes run one
 * after another so each respects its own management-API budget.
 */
export const runScan = async (deps: ScanDeps, request: ScanRequest): Promise<ScanSummary> => {
  const started = deps.clock.now();
  const capturedAt = request.now.toISOString();
  const scopes: ScopeSummary[] = [];
  const events: DriftEventRecord[] = [];
  const postureSummaries: PostureSummaryRecord[] = [];
  const postureChanges: PostureChange[] = [];
  for (const scope of request.scopes) {
    const result = await scanScope(deps, scope, capturedAt);
    scopes.push(result.summary);
    events.push(...result.events);
    if (result.posture) postureSummaries.push(result.posture);
    postureChanges.push(...result.postureChanges);
  }
  return {
    startedAt: capturedAt,
    baseline: scopes.length > 0 && scopes.every((s) => s.baseline),
    scopes,
    events: events.sort(bySeverityThenKey),
    postureSummaries,
    postureChanges,
    durationMs: deps.clock.now() - started,
  };
};

/** Totals across scopes, for logs and metrics. */
export const totalsOf = (summary: ScanSummary) => {
  const events: Record<Severity, number> = zeroCounts();
  let stagesRead = 0;
  let stagesChanged = 0;
  let failures = 0;
  let calls = 0;
  let throttled = 0;
  for (const scope of summary.scopes) {
    stagesRead += scope.stagesRead;
    stagesChanged += scope.stagesChanged;
    failures += scope.failures.length;
    calls += totalCalls(scope.calls);
    throttled += scope.calls.throttled;
    for (const s of SEVERITIES) events[s] += scope.events[s];
  }
  return { stagesRead, stagesChanged, failures, calls, throttled, events };
};
