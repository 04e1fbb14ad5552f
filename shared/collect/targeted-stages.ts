import { GetRestApiCommand } from '@aws-sdk/client-api-gateway';
import { GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import type { ApiRef } from '../model';
import { readApiStages } from './api-stages';
import { sendCounted, toFailure } from './calls';
import { assertCollectorClient } from './client-config';
import type { CollectOptions, CollectSession } from './collect-options';
import { CollectOptionsError, createCollectSession } from './collect-options';
import type {
  ApiFamily,
  CallCounts,
  CollectFailure,
  CollectOperation,
  CollectResult,
} from './collect-result';
import { compareStages, emptyCallCounts } from './collect-result';
import type { CollectDeps } from './collect-stages';
import { ApiCallFailedError } from './retry';

/** The one API a targeted collect reads. */
export interface TargetApi {
  /** `REST` = API Gateway v1; `V2` = an HTTP or WebSocket API. */
  readonly apiType: ApiFamily;
  readonly apiId: string;
}

/**
 * A `CollectResult` for one API, and so usable wherever one is, with two promises:
 *
 * - `listing` is `failed` for both families, because a targeted collect lists neither: absence
 *   from `apis` proves nothing about any other API, so `findDeletions` can never turn another
 *   API's stored stages into deletions, even if handed the whole scope.
 * - The target's own deletion is explicit: when GetRestApi/GetApi answers 404, `apiGone` is true,
 *   `apis` and `stages` are empty and `readApiIds` holds the API (read in full: it has no stages),
 *   so every stored stage of that API compares as DELETED.
 *
 * In CollectResult's vocabulary GetRestApi and GetApi fill the listing's role for the one API
 * (existence, name, tags): their sends are counted, and their failures recorded, under
 * `GetRestApis` and `GetApis` until `CollectOperation` names the single-API reads. A failure's
 * message starts with the real operation name.
 */
export interface TargetedCollectResult extends CollectResult {
  readonly target: TargetApi;
  readonly apiGone: boolean;
}

interface ApiRead {
  readonly apiGone: boolean;
  readonly api?: ApiRef;
  readonly failure?: CollectFailure;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof ApiCallFailedError &&
  (error.errorName === 'NotFoundException' || error.httpStatus === 404);

/** A failed call as a CollectFailure, its message naming the real operation; rethrows a bug. */
const failureOf = (
  error: unknown,
  where: { apiType: ApiFamily; operation: CollectOperation; apiId: string; apiName?: string },
  realOperation: string,
): CollectFailure => {
  const failure = toFailure(error, where);
  if (!failure) throw error;
  return { ...failure, message: `${realOperation} ${where.apiId}: ${failure.message}` };
};

const readRestApi = async (
  deps: CollectDeps,
  session: CollectSession,
  calls: CallCounts,
  apiId: string,
): Promise<ApiRead> => {
  try {
    const out = await sendCounted(session, calls, 'GetRestApis', () =>
      deps.restClient.send(new GetRestApiCommand({ restApiId: apiId })),
    );
    if (out.id !== apiId) {
      const failure: CollectFailure = {
        apiType: 'REST',
        apiId,
        operation: 'GetRestApis',
        errorName: 'MalformedResponseError',
        message: `GetRestApi ${apiId} answered with id ${JSON.stringify(out.id)}.`,
      };
      return { apiGone: false, failure };
    }
    const api: ApiRef = {
      apiId,
      apiType: 'REST',
      name: out.name ?? '',
      ...(out.tags === undefined ? {} : { tags: { ...out.tags } }),
    };
    return { apiGone: false, api };
  } catch (error) {
    if (isNotFound(error)) return { apiGone: true };
    return {
      apiGone: false,
      failure: failureOf(error, { apiType: 'REST', operation: 'GetRestApis', apiId }, 'GetRestApi'),
    };
  }
};

const readV2Api = async (
  deps: CollectDeps,
  session: CollectSession,
  calls: CallCounts,
  apiId: string,
): Promise<ApiRead> => {
  try {
    const out = await sendCounted(session, calls, 'GetApis', () =>
      deps.v2Client.send(new GetApiCommand({ ApiId: apiId })),
    );
    const protocol = out.ProtocolType;
    if (out.ApiId !== apiId || (protocol !== 'HTTP' && protocol !== 'WEBSOCKET')) {
      const failure: CollectFailure = {
        apiType: 'V2',
        apiId,
        ...(out.Name === undefined ? {} : { apiName: out.Name }),
        operation: 'GetApis',
        errorName: out.ApiId !== apiId ? 'MalformedResponseError' : 'UnsupportedProtocolTypeError',
        message:
          out.ApiId !== apiId
            ? `GetApi ${apiId} answered with ApiId ${JSON.stringify(out.ApiId)}.`
            : `API ${apiId} has ProtocolType ${JSON.stringify(protocol)}; only HTTP and WEBSOCKET are collected.`,
      };
      return { apiGone: false, failure };
    }
    const api: ApiRef = {
      apiId,
      apiType: protocol,
      name: out.Name ?? '',
      ...(out.Tags === undefined ? {} : { tags: { ...out.Tags } }),
    };
    return { apiGone: false, api };
  } catch (error) {
    if (isNotFound(error)) return { apiGone: true };
    return {
      apiGone: false,
      failure: failureOf(error, { apiType: 'V2', operation: 'GetApis', apiId }, 'GetApi'),
    };
  }
};

const checkTarget = (target: TargetApi, options: CollectOptions): void => {
  if (target.apiType !== 'REST' && target.apiType !== 'V2') {
    throw new CollectOptionsError(
      `target.apiType must be 'REST' or 'V2', got ${JSON.stringify(target.apiType)}.`,
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
 * scope's bucket).
 *
 * How the scan use case should use it: compare and delete only this API's stored stages, i.e.
 * filter the scope's latest entries to `key.apiId === target.apiId` before comparing
 * (the `listing` promise above makes the unfiltered call safe too, but reading and comparing the
 * rest of the scope is waste); write no run record that could pass for a full scan's; and skip
 * a scope that has never completed a full scan (its baseline belongs to the full scan, or every
 * other stage would later alert as CREATED).
 */
export const collectApiStages = async (
  deps: CollectDeps,
  target: TargetApi,
  options: CollectOptions = {},
): Promise<TargetedCollectResult> => {
  checkTarget(target, options);
  const session = createCollectSession(options);
  await assertCollectorClient(deps.restClient, 'restClient');
  await assertCollectorClient(deps.v2Client, 'v2Client');
  const calls = emptyCallCounts();
  const read =
    target.apiType === 'REST'
      ? await readRestApi(deps, session, calls, target.apiId)
      : await readV2Api(deps, session, calls, target.apiId);

  const base = { target, listing: { rest: 'failed', v2: 'failed' } as const, calls };
  if (read.apiGone) {
    return { ...base, apiGone: true, apis: [], readApiIds: [target.apiId], stages: [], failures: [] };
  }
  const { api } = read;
  if (!api) {
    return {
      ...base,
      apiGone: false,
      apis: [],
      readApiIds: [],
      stages: [],
      failures: read.failure ? [read.failure] : [],
    };
  }
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
    const operation = api.apiType === 'REST' ? 'GetStages' : 'GetStagesV2';
    const where = { apiType: target.apiType, operation, apiId: api.apiId, apiName: api.name } as const;
    const failure = toFailure(error, where);
    if (!failure) throw error;
    return { ...base, apiGone: false, apis: [api], readApiIds: [], stages: [], failures: [failure] };
  }
};
