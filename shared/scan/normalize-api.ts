import type { RawStage } from '../collect';
import { apiFamilyOf } from '../collect';
import type { StageKey, StageSnapshot } from '../model';
import { familyOfApiType } from '../model';
import type { NormalizeWarning } from '../normalize';
import { renormalizeSnapshot, StageNormalizeError } from '../normalize';
import type { ScanFailure, ScanScope } from './scan-types';

const errorName = (error: unknown): string => (error instanceof Error ? error.name : 'Error');
const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const stageNameOf = (raw: RawStage): string | undefined => apiFamilyOf(raw.apiType).stageNameOf(raw.stage);

const normalizeRaw = (
  scope: ScanScope,
  raw: RawStage,
  onWarning: (warning: NormalizeWarning) => void,
): StageSnapshot => {
  const context = { account: scope.account, region: scope.region, api: raw.api, onWarning };
  return apiFamilyOf(raw.apiType).normalize(raw.stage, context);
};

/**
 * The stored snapshot as today's normalize would write it, with its stored hash (what the
 * event's `beforeHash` names). A snapshot stored by a release with another canonical form then
 * differs from a fresh one only in its hash: the diff finds no change and reports no drift,
 * and the stage is stored again in today's form. One that no longer normalizes is kept as is.
 */
export const inTodaysForm = (stored: StageSnapshot): StageSnapshot => {
  try {
    return { ...renormalizeSnapshot(stored), hash: stored.hash };
  } catch (error) {
    if (error instanceof StageNormalizeError) return stored;
    throw error;
  }
};

/** A stage that did not normalize: its failure, and where it sorts among the scope's. */
export interface NormalizeFailure {
  readonly order: Omit<StageKey, 'account' | 'region'>;
  readonly failure: ScanFailure;
}

/** `methodSettings["~1pets/GET"].newField` -> `methodSettings[*].newField`: one path per field, not per key. */
const MAP_KEY = /\["(?:[^"\\]|\\.)*"\]/g;

/**
 * SDK shapes -> canonical snapshots of one API; a malformed stage fails its API, not the scan.
 * Members the model does not know go to `unknownMembers` as `<apiType> <path>`, map keys as `*`.
 */
export const normalizeApi = (
  scope: ScanScope,
  raws: readonly RawStage[],
  unknownMembers: Set<string>,
): { snapshots: StageSnapshot[]; failures: NormalizeFailure[] } => {
  const snapshots: StageSnapshot[] = [];
  const failures: NormalizeFailure[] = [];
  for (const raw of raws) {
    try {
      snapshots.push(
        normalizeRaw(scope, raw, (warning) =>
          unknownMembers.add(`${raw.apiType} ${warning.path.replace(MAP_KEY, '[*]')}`),
        ),
      );
    } catch (error) {
      const stageName = stageNameOf(raw);
      failures.push({
        order: { apiType: raw.api.apiType, apiId: raw.api.apiId, stageName: stageName ?? '' },
        failure: {
          kind: 'normalize',
          apiType: familyOfApiType(raw.apiType),
          apiId: raw.api.apiId,
          ...(stageName ? { stageName } : {}),
          errorName: errorName(error),
          message: errorMessage(error),
        },
      });
    }
  }
  return { snapshots, failures };
};
