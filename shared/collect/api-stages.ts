import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { GetStagesCommand as GetRestStagesCommand } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { GetStagesCommand as GetV2StagesCommand } from '@aws-sdk/client-apigatewayv2';
import type { ApiRef } from '../model';
import { readAllPages, runInPool, sendCounted, toFailure } from './calls';
import type { CollectSession } from './collect-options';
import type { CallCounts, CollectFailure, RawStage } from './collect-result';
import type { CollectDeps } from './collect-stages';

export type RestApiRef = ApiRef & { readonly apiType: 'REST' };
export type V2ApiRef = ApiRef & { readonly apiType: 'HTTP' | 'WEBSOCKET' };

/** Every stage of one REST API: one GetStages (not paged). */
export const readRestApiStages = async (
  client: APIGatewayClient,
  session: CollectSession,
  calls: CallCounts,
  api: RestApiRef,
): Promise<RawStage[]> => {
  const out = await sendCounted(session, calls, 'GetStages', () =>
    client.send(new GetRestStagesCommand({ restApiId: api.apiId })),
  );
  return (out.item ?? []).map((stage) => ({ api, apiType: 'REST', stage }));
};

/** Every stage of one HTTP or WebSocket API: GetStages paged by `v2PageSize`. */
export const readV2ApiStages = async (
  client: ApiGatewayV2Client,
  session: CollectSession,
  calls: CallCounts,
  api: V2ApiRef,
): Promise<RawStage[]> => {
  const MaxResults = String(session.options.v2PageSize);
  const items = await readAllPages('GetStagesV2', async (NextToken) => {
    const page = await sendCounted(session, calls, 'GetStagesV2', () =>
      client.send(new GetV2StagesCommand({ ApiId: api.apiId, MaxResults, NextToken })),
    );
    return { items: page.Items, next: page.NextToken };
  });
  return items.map((stage) => ({ api, apiType: api.apiType, stage }));
};

/**
 * Every stage of one known API, REST or v2. Each send goes through the session's budget and
 * retry; errors propagate, the caller decides whether they fail the API or the collect.
 */
export const readApiStages = (
  deps: CollectDeps,
  session: CollectSession,
  calls: CallCounts,
  api: ApiRef,
): Promise<RawStage[]> => {
  const typed: RestApiRef | V2ApiRef = api;
  return typed.apiType === 'REST'
    ? readRestApiStages(deps.restClient, session, calls, typed)
    : readV2ApiStages(deps.v2Client, session, calls, typed);
};

/** What reading the stages of a list of APIs gave (not sorted). */
export interface ApiStageReads {
  /** Empty when the session hands each API's stages to its `onApiStages`. */
  readonly stages: RawStage[];
  readonly readApiIds: string[];
  readonly failures: CollectFailure[];
}

/**
 * Reads the stages of each API in the session's pool. A failed read is that API's failure and
 * the rest goes on; the stages of an API read in full go to the session's `onApiStages` (or into
 * `stages`). `admit` is asked as each API's turn comes: false skips it. Anything else thrown (a
 * bug, or the sink's error) aborts the session and is rethrown once the reads in flight settled.
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
      const rest = api.apiType === 'REST';
      const failure = toFailure(error, {
        apiType: rest ? 'REST' : 'V2',
        operation: rest ? 'GetStages' : 'GetStagesV2',
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
