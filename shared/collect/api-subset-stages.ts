import type { ApiRef } from '../model';
import { compareText } from '../runtime';
import { assertCollectorClients, compareStages, readApiStages } from './api-families';
import type { CollectDeps } from './api-family';
import type { CollectOptions } from './collect-options';
import { createCollectSession } from './collect-options';
import type { ApiStagesSink, CallCounts, CollectFailure, RawStage } from './collect-result';
import { compareApis, compareFailures, emptyCallCounts } from './collect-result';
import { readStagesOfEach } from './family-stages';

export interface ApiSubsetOptions extends CollectOptions {
  /**
   * Asked before each API's read starts; once it returns true no further read starts (the reads
   * in flight finish) and the APIs not started come back in `unstarted`. The first API is always
   * started, so a caller that loops on `unstarted` always makes progress.
   * @default never stop
   */
  readonly shouldStop?: () => boolean;
}

export interface ApiSubsetResult {
  /** Sorted by apiType, apiId, stageName; empty with an `onApiStages`. */
  readonly stages: readonly RawStage[];
  /** APIs whose stages were read completely, sorted. */
  readonly readApiIds: readonly string[];
  /** Sorted as `CollectResult.failures`. */
  readonly failures: readonly CollectFailure[];
  /** APIs left unread because `shouldStop` said so, in the order given. */
  readonly unstarted: readonly ApiRef[];
  readonly calls: CallCounts;
}

/**
 * Reads the stages of the given APIs only, without listing: GetStages per REST API, GetStages
 * (paged) per HTTP or WebSocket API, through one session (pass `budget` to share the scope's
 * bucket with a listing made elsewhere). `apis` come from a listing of the same account and
 * region; their names and tags are used as given. A failed read is recorded in `failures` and
 * the rest goes on; anything else (a bug) is rethrown once the reads in flight have settled.
 * With `onApiStages`, each API's stages go there as read and `stages` comes back empty (as in
 * `collectStages`).
 */
export const collectApiSubsetStages = async (
  deps: CollectDeps,
  apis: readonly ApiRef[],
  options: ApiSubsetOptions = {},
  onApiStages?: ApiStagesSink,
): Promise<ApiSubsetResult> => {
  const { shouldStop, ...collectOptions } = options;
  const session = createCollectSession(collectOptions, onApiStages);
  await assertCollectorClients(deps);
  const calls = emptyCallCounts();
  const unstarted: ApiRef[] = [];
  let started = 0;
  let stopped = false;
  const admit = (api: ApiRef): boolean => {
    if (stopped || (started > 0 && shouldStop?.() === true)) {
      stopped = true;
      unstarted.push(api);
      return false;
    }
    started += 1;
    return true;
  };
  const { stages, readApiIds, failures } = await readStagesOfEach(
    session,
    apis,
    (api) => readApiStages(deps, session, calls, api),
    admit,
  );
  const order = new Map(apis.map((api, i) => [api.apiId, i]));
  return {
    stages: stages.sort(compareStages),
    readApiIds: readApiIds.sort(compareText),
    failures: failures.sort(compareFailures),
    unstarted: unstarted.sort(
      (a, b) => (order.get(a.apiId) ?? 0) - (order.get(b.apiId) ?? 0) || compareApis(a, b),
    ),
    calls,
  };
};
