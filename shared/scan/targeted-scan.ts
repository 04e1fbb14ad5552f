import type { CloudTrailRecord, RescanTarget, SkippedEvent } from '../attribution';
import { accountOfRecord, scopeOfRecord, toRescanTargets } from '../attribution';
import type { RequestBudget } from '../collect';
import { collectApiStages, createCollectorBudget } from '../collect';
import type { PostureChange } from '../posture';
import type { DriftEventRecord } from '../store';
import { RunLedger } from './run-ledger';
import { bySeverityThenKey } from './run-scan';
import { recordCollected } from './scope-run';
import type { ScanDeps, ScanScope, ScanSummary, ScopeSummary } from './scan-types';

export interface TargetedScanRequest {
  /** EventBridge `AWS API Call via CloudTrail` events, as the rule delivered them (any order). */
  readonly events: readonly unknown[];
  /** The capture time of the rescans. */
  readonly now: Date;
  /**
   * The scopes this monitor watches (its account and configured regions): a target elsewhere is
   * skipped, since no full scan of it ever ran here. @default every target's scope
   */
  readonly scopes?: readonly ScanScope[];
  /**
   * Asked before a target's scope is read (after `scopes`): why this monitor may not rescan it (an
   * account it is not configured for), or undefined when it may. Its refusal is the target's
   * `refused` outcome; nothing is read, no role assumed. May prepare the scope's access (assume the
   * member's reader role) and refuse when that is refused. @default every scope is admitted
   */
  readonly admit?: (scope: ScanScope) => string | undefined | Promise<string | undefined>;
}

/** What became of one API named by the events. */
export type TargetOutcome =
  | { readonly target: RescanTarget; readonly outcome: 'rescanned'; readonly summary: ScopeSummary }
  | { readonly target: RescanTarget; readonly outcome: 'skipped'; readonly reason: string }
  /** A target in a scope this monitor may not rescan (`admit`): reported, never read. */
  | { readonly target: RescanTarget; readonly outcome: 'refused'; readonly reason: string };

export interface TargetedScanResult {
  /** One per API, however many events named it; sorted by account, region, apiType, apiId. */
  readonly targets: readonly TargetOutcome[];
  /** Events that named no API to rescan (failed calls, other resources), with the reason. */
  readonly skippedEvents: readonly SkippedEvent[];
  /** Events refused as forged (their `account` is not their record's), with the reason: never rescanned. */
  readonly refusedEvents: readonly SkippedEvent[];
  /** The rescans as a scan summary (one scope entry per rescanned API), for logs and metrics. */
  readonly summary: ScanSummary;
}

const scopeKey = (scope: ScanScope): string => `${scope.account}/${scope.region}`;

const recordsOf = (target: RescanTarget, records: readonly CloudTrailRecord[]): CloudTrailRecord[] =>
  records.filter((record) => {
    const scope = scopeOfRecord(record);
    return (
      record.awsRegion === target.region &&
      (accountOfRecord(record) ?? target.account) === target.account &&
      scope.kind !== 'none' &&
      scope.apiId === target.apiId
    );
  });

/**
 * The event-driven rescan: CloudTrail events (a batch from the events queue) -> the APIs they
 * touched, each read alone (`collectApiStages`: 2 control-plane calls) and compared with its own
 * stored stages only, its drift attributed from the triggering records and persisted like a
 * scan's. A burst of events on one API is one rescan. An API whose family no full scan has
 * listed completely yet is skipped (its baseline belongs to the full scan).
 *
 * No run record is written: run records mean "a full scan completed" to the baseline check, to
 * the heartbeat, and to a chunked run, which drops itself when a newer run record exists, so a
 * targeted one would wrongly supersede it. The scheduled full scan stays the safety net.
 */
export const runTargetedScan = async (
  deps: ScanDeps,
  request: TargetedScanRequest,
): Promise<TargetedScanResult> => {
  const started = deps.clock.now();
  const capturedAt = request.now.toISOString();
  const plan = toRescanTargets(request.events);
  const allowed = request.scopes && new Set(request.scopes.map(scopeKey));
  // Per scope, its run ledger: a family no full scan has listed completely (or whose run is still
  // in progress) is left to it. A targeted rescan never takes a baseline: every other stage of the
  // family would later alert as CREATED.
  const ledgers = new Map<string, RunLedger>();
  const budgets = new Map<string, RequestBudget>();
  // A targeted collect reads exactly its API: `apiIds` (a full scan's filter) does not apply.
  const collectOptions = { ...deps.collect, apiIds: undefined };
  const clock = collectOptions.clock ?? deps.clock;

  const targets: TargetOutcome[] = [];
  const scopes: ScopeSummary[] = [];
  const events: DriftEventRecord[] = [];
  const postureChanges: PostureChange[] = [];
  for (const target of plan.targets) {
    const scope: ScanScope = { account: target.account, region: target.region };
    const key = scopeKey(scope);
    if (allowed && !allowed.has(key)) {
      targets.push({ target, outcome: 'skipped', reason: `${key} is not a scope this monitor scans` });
      continue;
    }
    const refusal = await request.admit?.(scope);
    if (refusal !== undefined) {
      targets.push({ target, outcome: 'refused', reason: refusal });
      continue;
    }
    let ledger = ledgers.get(key);
    if (ledger === undefined) {
      ledger = await RunLedger.read(deps.store, scope);
      ledgers.set(key, ledger);
    }
    if (!ledger.hasCompleted(target.apiType)) {
      targets.push({
        target,
        outcome: 'skipped',
        reason: `no full scan of ${key} has listed its ${target.apiType} APIs yet: the scheduled scan takes the baseline`,
      });
      continue;
    }
    // One management-API budget per scope and invocation, shared by its rescans.
    let budget = budgets.get(key);
    if (!budget) {
      budget = createCollectorBudget(collectOptions, clock);
      budgets.set(key, budget);
    }
    const partStarted = deps.clock.now();
    const collected = await collectApiStages(
      deps.clientsFor(scope),
      { apiType: target.apiType, apiId: target.apiId },
      { ...collectOptions, clock, budget },
    );
    const result = await recordCollected(deps, scope, capturedAt, collected, {
      started: partStarted,
      onlyApiIds: new Set([target.apiId]),
      baselineFamilies: [],
      records: recordsOf(target, plan.records),
    });
    targets.push({ target, outcome: 'rescanned', summary: result.summary });
    scopes.push(result.summary);
    events.push(...result.events);
    postureChanges.push(...result.postureChanges);
  }
  return {
    targets,
    skippedEvents: plan.skipped,
    refusedEvents: plan.refused,
    summary: {
      startedAt: capturedAt,
      baseline: false,
      scopes,
      events: events.sort(bySeverityThenKey),
      postureSummaries: [],
      postureChanges,
      durationMs: deps.clock.now() - started,
    },
  };
};
