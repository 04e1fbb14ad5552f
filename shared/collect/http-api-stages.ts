import type { Api, ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import type { V2ApiRef } from './api-stages';
import { readStagesOfEach, readV2ApiStages } from './api-stages';
import { readAllPages, runInSlot, sendCounted, toFailure } from './calls';
import { assertCollectorClient } from './client-config';
import type { CollectSession } from './collect-options';
import { createCollectSession } from './collect-options';
import type { CollectFailure, FamilyCollectResult } from './collect-result';
import { emptyCallCounts, sortFamilyResult } from './collect-result';

/**
 * HTTP and WebSocket APIs (API Gateway v2): GetApis paged with `NextToken`, then GetStages
 * per API, paged with `NextToken`. An API counts as read only when all its stage pages were.
 *
 * A failed listing page fails the whole listing: no stages are read for the APIs of earlier
 * pages, and none of them is reported, so a half-listing can never pass for a complete one.
 * An API whose `ProtocolType` is neither HTTP nor WEBSOCKET is left out and reported as a
 * failure of that API. Pass the `session` of `collectRestApiStages` to share one budget (and
 * its `onApiStages`, which then gets each API's stages instead of the result).
 */
export const collectHttpApiStages = async (
  client: ApiGatewayV2Client,
  session: CollectSession = createCollectSession(),
): Promise<FamilyCollectResult> => {
  await assertCollectorClient(client, 'v2Client');
  const calls = emptyCallCounts();
  const { v2PageSize, apiIds } = session.options;
  const MaxResults = String(v2PageSize);

  let listed: Api[];
  try {
    listed = await readAllPages('GetApis', async (NextToken) => {
      const page = await runInSlot(session, () =>
        sendCounted(session, calls, 'GetApis', () =>
          client.send(new GetApisCommand({ MaxResults, NextToken })),
        ),
      );
      return { items: page.Items, next: page.NextToken };
    });
  } catch (error) {
    const failure = toFailure(error, { apiType: 'V2', operation: 'GetApis' });
    if (!failure) {
      session.abort(error);
      throw error;
    }
    return {
      family: 'V2',
      listing: 'failed',
      apis: [],
      readApiIds: [],
      stages: [],
      failures: [failure],
      calls,
    };
  }
  const unnamed = listed.find((item) => !item.ApiId);
  if (unnamed) {
    const failure: CollectFailure = {
      apiType: 'V2',
      operation: 'GetApis',
      errorName: 'MalformedResponseError',
      message: `GetApis returned an API without an ApiId (name ${JSON.stringify(unnamed.Name)}).`,
    };
    return {
      family: 'V2',
      listing: 'failed',
      apis: [],
      readApiIds: [],
      stages: [],
      failures: [failure],
      calls,
    };
  }

  const listingFailures: CollectFailure[] = [];
  const apis = toApiRefs(listed, listingFailures);
  const targets = apiIds ? apis.filter((api) => apiIds.has(api.apiId)) : apis;
  const { stages, readApiIds, failures } = await readStagesOfEach(session, targets, (api) =>
    readV2ApiStages(client, session, calls, api),
  );

  return sortFamilyResult({
    family: 'V2',
    listing: 'complete',
    apis,
    readApiIds,
    stages,
    failures: [...listingFailures, ...failures],
    calls,
  });
};

/** One ref per id; an unknown protocol type becomes a failure of that API. */
const toApiRefs = (listed: readonly Api[], failures: CollectFailure[]): V2ApiRef[] => {
  const byId = new Map<string, V2ApiRef>();
  for (const item of listed) {
    const apiId = item.ApiId ?? '';
    if (byId.has(apiId)) continue;
    const apiType = item.ProtocolType;
    if (apiType !== 'HTTP' && apiType !== 'WEBSOCKET') {
      failures.push({
        apiType: 'V2',
        apiId,
        ...(item.Name === undefined ? {} : { apiName: item.Name }),
        operation: 'GetApis',
        errorName: 'UnsupportedProtocolTypeError',
        message: `API ${apiId} has ProtocolType ${JSON.stringify(apiType)}; only HTTP and WEBSOCKET are collected.`,
      });
      continue;
    }
    byId.set(apiId, {
      apiId,
      apiType,
      name: item.Name ?? '',
      ...(item.Tags === undefined ? {} : { tags: { ...item.Tags } }),
    });
  }
  return [...byId.values()];
};
