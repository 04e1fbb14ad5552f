import type { ApiFamily } from '../model';
import { API_FAMILIES, byFamily, isApiFamily } from '../model';
import { API_FAMILY_ADAPTERS, assertCollectorClients, compareStages, readApiStages } from './api-families';
import type { ApiRead, CollectDeps } from './api-family';
import { toFailure } from './calls';
import type { CollectOptions } from './collect-options';
import { createCollectSession } from './collect-options';
import type { CollectFailure, CollectOperation, CollectResult, ListingStatus } from './collect-result';
import { emptyCallCounts } from './collect-result';
import { ApiCallFailedError, CollectOptionsError } from './errors';

/** The one API a targeted collect reads. */
export interface TargetApi {
  /** `REST` = API Gateway v1; `V2` = an HTTP or WebSocket API. */
  readonly apiType: ApiFamily;
  readonly apiId: string;
}

/**
 * A `CollectResult` for one API: `listing` is `failed` for both families (so no other API's stages
 * become deletions), and `apiGone` is true when GetRestApi/GetApi answered 404.
 * See ARCHITECTURE.md, "Design notes: Targeted rescans".
 */
export interface TargetedCollectResult extends CollectResult {
  readonly target: TargetApi;
  readonly apiGone: boolean;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof ApiCallFailedError &&
  (error.errorName === 'NotFoundException' || error.httpStatus === 404);

/** A failed call as a CollectFailure, its message naming the operation and the API; rethrows a bug. */
const failureOf = (
  error: unknown,
  where: { apiType: ApiFamily; operation: CollectOperation; apiId: string },
): CollectFailure => {
  const failure = toFailure(error, where);
  if (!failure) throw error;
  return { ...failure, message: `${where.operation} ${where.apiId}: ${failure.message}` };
};

const checkTarget = (target: TargetApi, options: CollectOptions): void => {
  if (!isApiFamily(target.apiType)) {
    const families = API_FAMILIES.map((family) => `'${family}'`).join(' or ');
    throw new CollectOptionsError(
      `target.apiType must be ${families}, got ${JSON.stringify(target.apiType)}.`,
    );
  }
  if (typeof target.apiId !== 'string' || target.apiId === '') {
    throw new CollectOptionsError(
      `target.apiId must be a non-empty string, got ${JSON.stringify(target.apiId)}.`,
    );
  }
  if (options.apiIds !== undefined) {
    throw new CollectOptionsError('A targeted collect reads exactly its target API: leave apiIds out.');
  }
};

/**
 * Reads one API and its stages: REST, GetRestApi (name, tags; 404 = deleted) then GetStages,
 * 2 calls; HTTP/WebSocket, GetApi then GetStages paged (1 page up to `v2PageSize` stages), 2
 * calls. A targeted rescan, for an API named by a CloudTrail event, at a fraction of a full
 * collect's calls, through the same budget, retry and failure rules (pass `budget` to share the
 * scope's bucket). How the scan use case must use it (only this API's stored stages, no run record,
 * no baseline): see ARCHITECTURE.md, "Design notes: Targeted rescans".
 */
export const collectApiStages = async (
  deps: CollectDeps,
  target: TargetApi,
  options: CollectOptions = {},
): Promise<TargetedCollectResult> => {
  checkTarget(target, options);
  const session = createCollectSession(options);
  await assertCollectorClients(deps);
  const calls = emptyCallCounts();
  const adapter = API_FAMILY_ADAPTERS[target.apiType];
  const { operations } = adapter;
  const base = { target, listing: byFamily((): ListingStatus => 'failed'), calls };
  let read: ApiRead;
  try {
    read = await adapter.readApi(adapter.clientOf(deps), session, calls, target.apiId);
  } catch (error) {
    if (isNotFound(error)) {
      return { ...base, apiGone: true, apis: [], readApiIds: [target.apiId], stages: [], failures: [] };
    }
    read = {
      failure: failureOf(error, {
        apiType: target.apiType,
        operation: operations.readApi,
        apiId: target.apiId,
      }),
    };
  }
  if (read.failure) {
    return { ...base, apiGone: false, apis: [], readApiIds: [], stages: [], failures: [read.failure] };
  }
  const { api } = read;
  try {
    const stages = await readApiStages(deps, session, calls, api);
    return {
      ...base,
      apiGone: false,
      apis: [api],
      readApiIds: [api.apiId],
      stages: stages.sort(compareStages),
      failures: [],
    };
  } catch (error) {
    const where = {
      apiType: target.apiType,
      operation: operations.readStages,
      apiId: api.apiId,
      apiName: api.name,
    };
    const failure = toFailure(error, where);
    if (!failure) throw error;
    return { ...base, apiGone: false, apis: [api], readApiIds: [], stages: [], failures: [failure] };
  }
};
