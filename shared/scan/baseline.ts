import type { ApiFamily, ListingStatus } from '../collect';
import type { ApiType } from '../model';
import type { RunListing } from '../store';
import { RUN_IN_PROGRESS } from './run-record';
import type { ScanDeps, ScanScope, ScopeSummary } from './scan-types';

/**
 * A scope is baselined family by family (REST; HTTP and WebSocket = V2), by its first scan that
 * listed the family completely: a family whose listing failed contributed no stage, so its
 * stages seen later are its baseline, not news. A scope whose first scan was denied on every call
 * is thus baselined by the next scan that gets through, with no CREATED event per stage.
 */
export const API_FAMILIES: readonly ApiFamily[] = ['REST', 'V2'];

export const familyOfApiType = (apiType: ApiType): ApiFamily => (apiType === 'REST' ? 'REST' : 'V2');

/** The API families listed in `value` (a stored record's), in order; undefined when it is no list. */
export const readFamilies = (value: unknown): ApiFamily[] | undefined =>
  Array.isArray(value) ? API_FAMILIES.filter((family) => value.includes(family)) : undefined;

/** The families a run set out to baseline, as its record says (`baselineFamilies`, else both or none). */
const baselinedBy = (summary: Readonly<Record<string, unknown>>): ApiFamily[] =>
  summary.baseline === true ? (readFamilies(summary.baselineFamilies) ?? [...API_FAMILIES]) : [];

/**
 * Pure: the families of a scope no complete listing has baselined yet, from its newest run record
 * (`listRuns(..., 1)`). No run: both. A completed run: those it left pending (`baselinePending`).
 * A run still in progress (a chunked run, `scan-task.ts`): those it set out to baseline, as it has
 * not finished them. An unreadable run record counts as a completed scan with nothing pending:
 * an event too many beats a change swallowed.
 */
export const pendingBaselineOf = ({ runs, problems }: RunListing): ApiFamily[] => {
  if (problems.length > 0) return [];
  const newest = runs[0];
  if (newest === undefined) return [...API_FAMILIES];
  if (newest.summary[RUN_IN_PROGRESS] === true) return baselinedBy(newest.summary);
  return readFamilies(newest.summary.baselinePending) ?? [];
};

/** The families still to baseline in `scope`: one read of its newest run record. */
export const readPendingBaseline = async (deps: ScanDeps, scope: ScanScope): Promise<ApiFamily[]> =>
  pendingBaselineOf(await deps.store.listRuns(scope.account, scope.region, 1));

/**
 * The baseline part of a run's summary: `baseline` when it baselined any family, which ones when
 * not both (`baselineFamilies`), and those still pending after it: the baselined families whose
 * listing failed this time (`baselinePending`, absent when none).
 */
export const baselineSummary = (
  families: ReadonlySet<ApiFamily>,
  listing: { readonly rest: ListingStatus; readonly v2: ListingStatus },
): Pick<ScopeSummary, 'baseline' | 'baselineFamilies' | 'baselinePending'> => {
  const baselined = API_FAMILIES.filter((family) => families.has(family));
  const failed = (family: ApiFamily) => (family === 'REST' ? listing.rest : listing.v2) !== 'complete';
  const pending = baselined.filter(failed);
  return {
    baseline: baselined.length > 0,
    ...(baselined.length > 0 && baselined.length < API_FAMILIES.length
      ? { baselineFamilies: baselined }
      : {}),
    ...(pending.length > 0 ? { baselinePending: pending } : {}),
  };
};

/** What a continuation carries: the families its run baselines (old messages: `baseline` only). */
export const continuationFamilies = (continuation: {
  readonly baseline: boolean;
  readonly baselineFamilies?: readonly ApiFamily[];
}): ApiFamily[] =>
  continuation.baseline ? (readFamilies(continuation.baselineFamilies) ?? [...API_FAMILIES]) : [];
