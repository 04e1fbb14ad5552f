import { GetStagesCommand as GetRestStagesCommand } from '@aws-sdk/client-api-gateway';
import { GetStagesCommand as GetV2StagesCommand } from '@aws-sdk/client-apigatewayv2';
import type { ApiRef } from '../model';
import { readAllPages, sendCounted } from './calls';
import type { CollectSession } from './collect-options';
import type { CallCounts, RawStage } from './collect-result';
import type { CollectDeps } from './collect-stages';

/**
 * Every stage of one known API: REST, one GetStages (not paged); HTTP/WebSocket, GetStages paged
 * by `v2PageSize`. Each send goes through the session's budget and retry; errors propagate, the
 * caller decides whether they fail the API or the collect.
 */
export const readApiStages = async (
  deps: CollectDeps,
  session: CollectSession,
  calls: CallCounts,
  api: ApiRef,
): Promise<RawStage[]> => {
  if (api.apiType === 'REST') {
    const out = await sendCounted(session, calls, 'GetStages', () =>
      deps.restClient.send(new GetRestStagesCommand({ restApiId: api.apiId })),
    );
    return (out.item ?? []).map((stage) => ({ api, apiType: 'REST', stage }));
  }
  const apiType = api.apiType;
  const MaxResults = String(session.options.v2PageSize);
  const items = await readAllPages('GetStagesV2', async (NextToken) => {
    const page = await sendCounted(session, calls, 'GetStagesV2', () =>
      deps.v2Client.send(new GetV2StagesCommand({ ApiId: api.apiId, MaxResults, NextToken })),
    );
    return { items: page.Items, next: page.NextToken };
  });
  return items.map((stage) => ({ api, apiType, stage }));
};
