import type { APIGatewayClient, RestApi, Stage } from '@aws-sdk/client-api-gateway';
import { GetRestApiCommand, GetRestApisCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import type { ApiRef } from '../model';
import { normalizeRestStage } from '../normalize';
import type { ApiFamilyAdapter } from './api-family';
import { readAllPages, runInSlot, sendCounted } from './calls';
import { FAMILY_OPERATIONS } from './collect-result';

export type RestApiRef = ApiRef & { readonly apiType: 'REST' };

const OPERATIONS = FAMILY_OPERATIONS.REST;

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

/**
 * REST APIs (API Gateway v1, `@aws-sdk/client-api-gateway`): GetRestApis paged with
 * `limit`/`position` (`restPageSize`) until exhausted, GetRestApi for one API by id, GetStages
 * once per API (it returns every stage of the API, unpaged).
 */
export const restFamily: ApiFamilyAdapter<APIGatewayClient, RestApiRef, Stage> = {
  family: 'REST',
  clientName: 'restClient',
  operations: OPERATIONS,
  readPaths: {
    scan: ['/restapis', '/restapis/*/stages'],
    rescan: ['/restapis/{apiId}', '/restapis/{apiId}/stages'],
  },
  clientOf: (deps) => deps.restClient,

  async listApis(client, session, calls) {
    const listed = await readAllPages(OPERATIONS.listApis, async (position) => {
      const page = await runInSlot(session, () =>
        sendCounted(session, calls, OPERATIONS.listApis, () =>
          client.send(new GetRestApisCommand({ limit: session.options.restPageSize, position })),
        ),
      );
      return { items: page.items, next: page.position };
    });
    const unnamed = listed.find((item) => !item.id);
    if (unnamed) {
      return {
        listing: 'failed',
        failure: {
          apiType: 'REST',
          operation: OPERATIONS.listApis,
          errorName: 'MalformedResponseError',
          message: `GetRestApis returned an API without an id (name ${JSON.stringify(unnamed.name)}).`,
        },
      };
    }
    return { listing: 'complete', apis: toApiRefs(listed), failures: [] };
  },

  async readApi(client, session, calls, apiId) {
    const out = await sendCounted(session, calls, OPERATIONS.readApi, () =>
      client.send(new GetRestApiCommand({ restApiId: apiId })),
    );
    if (out.id !== apiId) {
      return {
        failure: {
          apiType: 'REST',
          apiId,
          operation: OPERATIONS.readApi,
          errorName: 'MalformedResponseError',
          message: `GetRestApi ${apiId} answered with id ${JSON.stringify(out.id)}.`,
        },
      };
    }
    const api: RestApiRef = {
      apiId,
      apiType: 'REST',
      name: out.name ?? '',
      ...(out.tags === undefined ? {} : { tags: { ...out.tags } }),
    };
    return { api };
  },

  async readStages(client, session, calls, api) {
    const out = await sendCounted(session, calls, OPERATIONS.readStages, () =>
      client.send(new GetStagesCommand({ restApiId: api.apiId })),
    );
    return (out.item ?? []).map((stage) => ({ api, apiType: 'REST', stage }));
  },

  stageNameOf: (stage) => stage.stageName,
  normalize: (stage, context) => normalizeRestStage(stage, context),
};
