import type { APIGatewayClient, RestApi } from '@aws-sdk/client-api-gateway';
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import type { RestApiRef } from './api-stages';
import { readRestApiStages, readStagesOfEach } from './api-stages';
import { readAllPages, runInSlot, sendCounted, toFailure } from './calls';
import { assertCollectorClient } from './client-config';
import type { CollectSession } from './collect-options';
import { createCollectSession } from './collect-options';
import type { CollectFailure, FamilyCollectResult } from './collect-result';
import { emptyCallCounts, sortFamilyResult } from './collect-result';

/**
 * REST APIs (API Gateway v1): GetRestApis paged with `limit`/`position` until exhausted, then
 * GetStages once per API (it returns every stage of the API, unpaged).
 *
 * A failed listing page fails the whole listing: no stages are read for the APIs of earlier
 * pages, and none of them is reported, so a half-listing can never pass for a complete one.
 * Pass the `session` of `collectHttpApiStages` to share one budget and one pool (and its
 * `onApiStages`, which then gets each API's stages instead of the result).
 */
export const collectRestApiStages = async (
  client: APIGatewayClient,
  session: CollectSession = createCollectSession(),
): Promise<FamilyCollectResult> => {
  await assertCollectorClient(client, 'restClient');
  const calls = emptyCallCounts();
  const { restPageSize, apiIds } = session.options;

  let apis: RestApiRef[];
  try {
    const listed = await readAllPages('GetRestApis', async (position) => {
      const page = await runInSlot(session, () =>
        sendCounted(session, calls, 'GetRestApis', () =>
          client.send(new GetRestApisCommand({ limit: restPageSize, position })),
        ),
      );
      return { items: page.items, next: page.position };
    });
    const unnamed = listed.find((item) => !item.id);
    if (unnamed) {
      return failedListing(calls, {
        apiType: 'REST',
        operation: 'GetRestApis',
        errorName: 'MalformedResponseError',
        message: `GetRestApis returned an API without an id (name ${JSON.stringify(unnamed.name)}).`,
      });
    }
    apis = toApiRefs(listed);
  } catch (error) {
    const failure = toFailure(error, { apiType: 'REST', operation: 'GetRestApis' });
    if (!failure) {
      session.abort(error);
      throw error;
    }
    return failedListing(calls, failure);
  }

  const targets = apiIds ? apis.filter((api) => apiIds.has(api.apiId)) : apis;
  const { stages, readApiIds, failures } = await readStagesOfEach(session, targets, (api) =>
    readRestApiStages(client, session, calls, api),
  );

  return sortFamilyResult({ family: 'REST', listing: 'complete', apis, readApiIds, stages, failures, calls });
};

const failedListing = (
  calls: FamilyCollectResult['calls'],
  failure: CollectFailure,
): FamilyCollectResult => ({
  family: 'REST',
  listing: 'failed',
  apis: [],
  readApiIds: [],
  stages: [],
  failures: [failure],
  calls,
});

/** One ref per id (a page boundary that shifts under a concurrent create may repeat an API). */
const toApiRefs = (listed: readonly RestApi[]): RestApiRef[] => {
  const byId = new Map<string, RestApiRef>();
  for (const item of listed) {
    const apiId = item.id ?? '';
    if (byId.has(apiId)) continue;
    byId.set(apiId, {
      apiId,
      apiType: 'REST',
      name: item.name ?? '',
      ...(item.tags === undefined ? {} : { tags: { ...item.tags } }),
    });
  }
  return [...byId.values()];
};
