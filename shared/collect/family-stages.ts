import type { ApiRef } from '../model';
import { byFamily, familyOfApiType } from '../model';
import { compareText } from '../runtime';
import { compareStages } from './api-families';
import type { ApiFamilyAdapter, ApiListing } from './api-family';
import { runInPool, toFailure } from './calls';
import { assertCollectorClient } from './client-config';
import type { CollectSession } from './collect-options';
import { createCollectSession } from './collect-options';
import type { CollectFailure, CollectResult, FamilyCollectResult, RawStage } from './collect-result';
import {
  addCallCounts,
  compareApis,
  compareFailures,
  emptyCallCounts,
  FAMILY_OPERATIONS,
} from './collect-result';

/** What reading the stages of a list of APIs gave (not sorted). */
export interface ApiStageReads {
  /** Empty when the session hands each API's stages to its `onApiStages`. */
  readonly stages: RawStage[];
  readonly readApiIds: string[];
  readonly failures: CollectFailure[];
}

/**
 * Reads the stages of each API in the session's pool. A failed read is that API's failure (under
 * its family's stage-read operation) and the rest goes on; the stages of an API read in full go to
 * the session's `onApiStages` (or into `stages`). `admit` is asked as each API's turn comes: false
 * skips it. Anything else thrown (a bug, or the sink's error) aborts the session and is rethrown
 * once the reads in flight settled.
 */
export const readStagesOfEach = async <A extends ApiRef>(
  session: CollectSession,
  apis: readonly A[],
  read: (api: A) => Promise<RawStage[]>,
  admit: (api: A) => boolean = () => true,
): Promise<ApiStageReads> => {
  const reads: ApiStageReads = { stages: [], readApiIds: [], failures: [] };
  await runInPool(session, apis, async (api) => {
    if (!admit(api)) return;
    let stages: RawStage[];
    try {
      stages = await read(api);
    } catch (error) {
      const family = familyOfApiType(api.apiType);
      const failure = toFailure(error, {
        apiType: family,
        operation: FAMILY_OPERATIONS[family].readStages,
        apiId: api.apiId,
        apiName: api.name,
      });
      if (!failure) throw error;
      reads.failures.push(failure);
      return;
    }
    reads.readApiIds.push(api.apiId);
    if (session.onApiStages) await session.onApiStages(api, stages);
    else reads.stages.push(...stages);
  });
  return reads;
};

/** Sorts one half on its own (the halves are public functions too). */
const sortFamilyResult = (result: FamilyCollectResult): FamilyCollectResult => ({
  ...result,
  apis: [...result.apis].sort(compareApis),
  readApiIds: [...result.readApiIds].sort(compareText),
  stages: [...result.stages].sort(compareStages),
  failures: [...result.failures].sort(compareFailures),
});

/**
 * One family's half of a collect: its listing, every page, then the stages of each listed API
 * (or of `session.options.apiIds` among them). An API counts as read only when all its stages
 * were.
 *
 * A failed listing page fails the whole listing: no stages are read for the APIs of earlier
 * pages, and none of them is reported, so a half-listing can never pass for a complete one.
 * Pass the session of the other halves to share one budget and one pool (and its
 * `onApiStages`, which then gets each API's stages instead of the result).
 */
export const collectFamilyStages = async (
  adapter: ApiFamilyAdapter,
  client: Parameters<ApiFamilyAdapter['listApis']>[0],
  session: CollectSession = createCollectSession(),
): Promise<FamilyCollectResult> => {
  await assertCollectorClient(client, adapter.clientName);
  const { family, operations } = adapter;
  const calls = emptyCallCounts();

  let listed: ApiListing;
  try {
    listed = await adapter.listApis(client, session, calls);
  } catch (error) {
    const failure = toFailure(error, { apiType: family, operation: operations.listApis });
    if (!failure) {
      session.abort(error);
      throw error;
    }
    listed = { listing: 'failed', failure };
  }
  if (listed.listing === 'failed') {
    return {
      family,
      listing: 'failed',
      apis: [],
      readApiIds: [],
      stages: [],
      failures: [listed.failure],
      calls,
    };
  }

  const { apiIds } = session.options;
  const targets = apiIds ? listed.apis.filter((api) => apiIds.has(api.apiId)) : listed.apis;
  const { stages, readApiIds, failures } = await readStagesOfEach(session, targets, (api) =>
    adapter.readStages(client, session, calls, api),
  );
  return sortFamilyResult({
    family,
    listing: 'complete',
    apis: listed.apis,
    readApiIds,
    stages,
    failures: [...listed.failures, ...failures],
    calls,
  });
};

/**
 * Merges the families' halves into one result in deterministic order. A family without a half
 * counts as not listed (nothing of it can be deleted).
 */
export const mergeFamilyResults = (halves: readonly FamilyCollectResult[]): CollectResult => ({
  apis: halves.flatMap((half) => half.apis).sort(compareApis),
  readApiIds: halves.flatMap((half) => half.readApiIds).sort(compareText),
  listing: byFamily((family) => halves.find((half) => half.family === family)?.listing ?? 'failed'),
  stages: halves.flatMap((half) => half.stages).sort(compareStages),
  failures: halves.flatMap((half) => half.failures).sort(compareFailures),
  calls: halves.map((half) => half.calls).reduce(addCallCounts, emptyCallCounts()),
});
