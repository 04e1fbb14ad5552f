import type { CloudTrailRecord, DriftAttribution } from '../attribution';
import {
  attributeDrift,
  isInfrastructureAsCode,
  LOOKUP_FAILURE_REASONS,
  lookupFailureReason,
  toDriftAttribution,
} from '../attribution';
import type { StageDrift, StageSnapshot } from '../model';
import type { DriftAnnotations } from '../store';
import type { PendingChange } from './compare';
import { RunLedger } from './run-ledger';
import type { AttributionCounts, ScanDeps, ScanScope } from './scan-types';

/** One change of a scope with the drift the diff found (none on a baseline). */
export interface DiffedChange {
  readonly change: PendingChange;
  readonly drift?: StageDrift;
  /** The stored snapshot the drift was diffed against (its tags name a deleted stage's stack). */
  readonly before?: StageSnapshot;
}

/** What to write for one change: the drift (lowered or dropped by out-of-band mode) and its annotations. */
export interface AnnotatedChange {
  readonly change: PendingChange;
  readonly drift?: StageDrift;
  readonly annotations?: DriftAnnotations;
}

export interface AnnotateResult {
  readonly changes: readonly AnnotatedChange[];
  readonly counts?: AttributionCounts;
  readonly suppressed: number;
  readonly warnings: readonly string[];
}

/** Where the CloudTrail candidates come from: the triggering records, or a lookup over the window. */
export type AttributionSource =
  { readonly kind: 'records'; readonly records: readonly CloudTrailRecord[] } | { readonly kind: 'lookup' };

/** LookupEvents covers the last 90 days. */
const LOOKUP_HORIZON_MS = 90 * 24 * 60 * 60 * 1000;
/** A CREATED stage has no previous capture: the window of a scope with no run to go by. */
const DEFAULT_CREATED_WINDOW_MS = 24 * 60 * 60 * 1000;

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const lookupFailed = (scope: ScanScope): string =>
  `CloudTrail lookup for ${scope.account}/${scope.region} failed`;

/** The stage's tags, the API's under them: `aws:cloudformation:stack-name` names the stack. */
const tagsOf = (snapshot: StageSnapshot | undefined): Readonly<Record<string, string>> | undefined =>
  snapshot && (snapshot.apiTags || snapshot.config.tags)
    ? { ...snapshot.apiTags, ...snapshot.config.tags }
    : undefined;

const minIso = (values: readonly string[]): string | undefined =>
  values.reduce<string | undefined>((min, v) => (min === undefined || v < min ? v : min), undefined);

/**
 * The start of a scope's lookup window: the earliest previous capture of a drifted stage; for a
 * CREATED stage (no previous), the newest run recorded before this one (`RunLedger.lastRunBefore`).
 */
const windowStart = async (
  deps: ScanDeps,
  scope: ScanScope,
  capturedAt: string,
  drifted: readonly DiffedChange[],
): Promise<string> => {
  const previous = drifted.flatMap((d) => (d.change.previous ? [d.change.previous.capturedAt] : []));
  let start = minIso(previous);
  if (drifted.some((d) => d.change.previous === undefined)) {
    const lastRun = (await RunLedger.read(deps.store, scope, 2)).lastRunBefore(capturedAt);
    const fallback = new Date(Date.parse(capturedAt) - DEFAULT_CREATED_WINDOW_MS).toISOString();
    start = minIso([...(start ? [start] : []), lastRun ?? fallback]);
  }
  const horizon = new Date(Date.parse(capturedAt) - LOOKUP_HORIZON_MS).toISOString();
  const bounded = start === undefined || start < horizon ? horizon : start;
  return bounded > capturedAt ? capturedAt : bounded;
};

/**
 * Attributes a scope's drifts from CloudTrail and applies out-of-band mode. The candidates are
 * the triggering records of an event-driven rescan, or ONE LookupEvents (per event source, paged,
 * within its own budget) over [earliest previous capture, this capture] for the whole scope. An
 * event is never held back: a failed or incomplete lookup, or a record not delivered yet, leaves
 * the drift unattributed with the reason. A failed lookup is counted (`lookupFailures`), its
 * details go to the warnings, and the alert carries a short fixed reason, never the SDK's text.
 * Without `deps.attribution` (and no records) nothing changes.
 */
export const annotateDrifts = async (
  deps: ScanDeps,
  scope: ScanScope,
  capturedAt: string,
  diffed: readonly DiffedChange[],
  source: AttributionSource,
): Promise<AnnotateResult> => {
  const drifted = diffed.filter((d) => d.drift !== undefined);
  const plain = diffed.map((d): AnnotatedChange => ({
    change: d.change,
    ...(d.drift ? { drift: d.drift } : {}),
  }));
  if (drifted.length === 0 || (source.kind === 'lookup' && !deps.attribution)) {
    return { changes: plain, suppressed: 0, warnings: [] };
  }

  const warnings: string[] = [];
  let candidates: readonly CloudTrailRecord[] = [];
  let lookupIncomplete: string | undefined;
  let lookupCalls = 0;
  let lookupFailures = 0;
  // An event-driven rescan's window opens at its earliest triggering call (or previous capture).
  const start =
    source.kind === 'records'
      ? (minIso(
          [
            ...drifted.flatMap((d) => (d.change.previous ? [d.change.previous.capturedAt] : [])),
            ...source.records.map((r) => new Date(Date.parse(r.eventTime)).toISOString()),
          ].filter((t) => t <= capturedAt),
        ) ?? capturedAt)
      : await windowStart(deps, scope, capturedAt, drifted);
  if (source.kind === 'records') {
    candidates = source.records;
  } else if (deps.attribution) {
    try {
      const result = await deps.attribution.lookup(scope, {
        start: new Date(start),
        end: new Date(capturedAt),
      });
      candidates = result.records;
      lookupCalls = result.calls.LookupEvents;
      if (result.failures.length > 0) {
        // The alert gets a fixed reason; the SDK's text goes to the summary's warnings (and the log).
        lookupFailures = 1;
        lookupIncomplete = lookupFailureReason(result.failures);
        warnings.push(`${lookupFailed(scope)}: ${result.incompleteReason ?? lookupIncomplete}`);
      } else if (!result.complete) {
        lookupIncomplete = result.incompleteReason ?? 'paging cut short';
      }
    } catch (error) {
      // Attribution is a nice-to-have: the events go out, unattributed, and the summary says why.
      lookupFailures = 1;
      lookupIncomplete = LOOKUP_FAILURE_REASONS.failed;
      warnings.push(`${lookupFailed(scope)}: ${errorMessage(error)}`);
    }
  }

  const mode = deps.outOfBand ?? 'off';
  let attributed = 0;
  let unattributed = 0;
  let suppressed = 0;
  const changes = diffed.map((d): AnnotatedChange => {
    const { change, drift } = d;
    if (!drift) return { change };
    const previousAt = change.previous?.capturedAt;
    const result = attributeDrift(
      drift,
      candidates,
      {
        start: previousAt !== undefined && previousAt <= capturedAt ? previousAt : start,
        end: capturedAt,
        now: capturedAt,
      },
      {
        ...(tagsOf(change.next ?? d.before) ? { stageTags: tagsOf(change.next ?? d.before) } : {}),
        ...(lookupIncomplete === undefined ? {} : { lookupIncomplete }),
      },
    );
    const attribution: DriftAttribution = toDriftAttribution(result);
    if (result.status === 'attributed') attributed += 1;
    else unattributed += 1;
    const iac = result.status === 'attributed' && isInfrastructureAsCode(result.attribution.source);
    if (iac && mode === 'suppress') {
      suppressed += 1;
      return { change };
    }
    if (iac && mode === 'downgrade' && drift.severity !== 'INFO') {
      return {
        change,
        drift: { ...drift, severity: 'INFO' },
        annotations: { attribution, originalSeverity: drift.severity },
      };
    }
    return { change, drift, annotations: { attribution } };
  });
  return {
    changes,
    counts: { attributed, unattributed, lookupCalls, ...(lookupFailures > 0 ? { lookupFailures } : {}) },
    suppressed,
    warnings,
  };
};
