import type { ListingStatus } from '../collect';
import type { ApiFamily } from '../model';
import { API_FAMILIES } from '../model';
import type { ScopeSummary } from './scan-types';

// A scope is baselined family by family (REST; HTTP and WebSocket = V2), by its first scan that
// listed the family completely: a family whose listing failed contributed no stage, so its
// stages seen later are its baseline, not news. A scope whose first scan was denied on every call
// is thus baselined by the next scan that gets through, with no CREATED event per stage. The
// families still to baseline come from the scope's newest run record (`RunLedger.pendingBaseline`).

/** The API families listed in `value` (a stored record's), in order; undefined when it is no list. */
export const readFamilies = (value: unknown): ApiFamily[] | undefined =>
  Array.isArray(value) ? API_FAMILIES.filter((family) => value.includes(family)) : undefined;

/**
 * The baseline part of a run's summary: `baseline` when it baselined any family, which ones when
 * not both (`baselineFamilies`), and those still pending after it: the baselined families whose
 * listing failed this time (`baselinePending`, absent when none).
 */
export const baselineSummary = (
  families: ReadonlySet<ApiFamily>,
  listing: Readonly<Record<ApiFamily, ListingStatus>>,
): Pick<ScopeSummary, 'baseline' | 'baselineFamilies' | 'baselinePending'> => {
  const baselined = API_FAMILIES.filter((family) => families.has(family));
  const failed = (family: ApiFamily) => listing[family] !== 'complete';
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
