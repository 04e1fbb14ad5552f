import type { StageSnapshot } from '../../shared/model';
import { formatStageKey } from '../../shared/model';
import type { PostureControl, StagePosture } from '../../shared/posture';
import { DEFAULT_CONTROLS, evaluatePosture } from '../../shared/posture';
import type { DynamoSnapshotStore, LatestEntry } from '../../shared/store';
import { readPostureRulesOption } from './posture-rules-option';
import { scopesOf } from './query-support';

/** The stages `posture` and `report` look at. */
export interface PostureFilter {
  readonly region?: string;
  readonly account?: string;
  readonly api?: string;
  /** Only the stages that fail at least one control. */
  readonly failing?: boolean;
}

/** One stage's latest snapshot and its posture. */
export interface EvaluatedStage {
  readonly entry: LatestEntry;
  readonly snapshot: StageSnapshot;
  readonly posture: StagePosture;
}

/** Code-point order: the same in every locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortKey = (e: LatestEntry): string =>
  [e.key.account, e.key.region, e.apiName, e.key.apiId, e.key.stageName].join('\u0000');

export const isFailing = (posture: StagePosture): boolean =>
  posture.results.some((r) => r.status === 'FAILED');

/** The controls to evaluate: the posture table, and with `--posture-rules FILE` the user's rules after it. */
export const postureControlsOf = (rulesFile: string | undefined): readonly PostureControl[] =>
  rulesFile === undefined ? DEFAULT_CONTROLS : readPostureRulesOption(rulesFile);

/**
 * The latest snapshot of every stage of the matching scopes, filtered, with its posture; sorted
 * by account, region, API name, API id and stage. An empty store or unscanned scope is a
 * UsageError (as the other query commands say it).
 */
export const loadPostures = async (
  store: DynamoSnapshotStore,
  filter: PostureFilter,
  where: string,
  controls: readonly PostureControl[],
): Promise<EvaluatedStage[]> => {
  const scopes = await scopesOf(store, filter, where);
  const latest: LatestEntry[] = [];
  for (const scope of scopes) latest.push(...(await store.listLatest(scope.account, scope.region)));
  const entries = latest
    .filter((e) => !filter.api || e.key.apiId === filter.api)
    .sort((a, b) => compareText(sortKey(a), sortKey(b)));
  const snapshots = entries.length > 0 ? await store.getSnapshots(entries) : new Map<string, StageSnapshot>();
  return entries.flatMap((entry): EvaluatedStage[] => {
    const snapshot = snapshots.get(formatStageKey(entry.key));
    if (!snapshot) return [];
    const posture = evaluatePosture(snapshot, controls);
    return filter.failing && !isFailing(posture) ? [] : [{ entry, snapshot, posture }];
  });
};
