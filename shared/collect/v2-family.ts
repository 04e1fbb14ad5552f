import type { Api, ApiGatewayV2Client, Stage } from '@aws-sdk/client-apigatewayv2';
import { GetApiCommand, GetApisCommand, GetStagesCommand } from '@aws-sdk/client-apigatewayv2';
import type { ApiRef } from '../model';
import { normalizeV2Stage } from '../normalize';
import type { ApiFamilyAdapter } from './api-family';
import { readAllPages, runInSlot, sendCounted } from './calls';
import type { CollectFailure } from './collect-result';
import { FAMILY_OPERATIONS } from './collect-result';

export type V2ApiRef = ApiRef & { readonly apiType: 'HTTP' | 'WEBSOCKET' };

const OPERATIONS = FAMILY_OPERATIONS.V2;

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
        operation: OPERATIONS.listApis,
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

/**
 * HTTP and WebSocket APIs (API Gateway v2, `@aws-sdk/client-apigatewayv2`): GetApis paged with
 * `NextToken`, GetApi for one API by id, then GetStages per API, paged with `NextToken` (both
 * `v2PageSize` a page). An API whose `ProtocolType` is neither HTTP nor WEBSOCKET is left out and
 * reported as a failure of that API.
 */
export const v2Family: ApiFamilyAdapter<ApiGatewayV2Client, V2ApiRef, Stage> = {
  family: 'V2',
  clientName: 'v2Client',
  operations: OPERATIONS,
  readPaths: {
    scan: ['/apis', '/apis/*/stages'],
    rescan: ['/apis/{apiId}', '/apis/{apiId}/stages'],
  },
  clientOf: (deps) => deps.v2Client,

  async listApis(client, session, calls) {
    const MaxResults = String(session.options.v2PageSize);
    const listed = await readAllPages(OPERATIONS.listApis, async (NextToken) => {
      const page = await runInSlot(session, () =>
        sendCounted(session, calls, OPERATIONS.listApis, () =>
          client.send(new GetApisCommand({ MaxResults, NextToken })),
        ),
      );
      return { items: page.Items, next: page.NextToken };
    });
    const unnamed = listed.find((item) => !item.ApiId);
    if (unnamed) {
      return {
        listing: 'failed',
        failure: {
          apiType: 'V2',
          operation: OPERATIONS.listApis,
          errorName: 'MalformedResponseError',
          message: `GetApis returned an API without an ApiId (name ${JSON.stringify(unnamed.Name)}).`,
        },
      };
    }
    const failures: CollectFailure[] = [];
    const apis = toApiRefs(listed, failures);
    return { listing: 'complete', apis, failures };
  },

  async readApi(client, session, calls, apiId) {
    const out = await sendCounted(session, calls, OPERATIONS.readApi, () =>
      client.send(new GetApiCommand({ ApiId: apiId })),
    );
    const protocol = out.ProtocolType;
    if (out.ApiId !== apiId || (protocol !== 'HTTP' && protocol !== 'WEBSOCKET')) {
      return {
        failure: {
          apiType: 'V2',
          apiId,
          ...(out.Name === undefined ? {} : { apiName: out.Name }),
          operation: OPERATIONS.readApi,
          errorName: out.ApiId !== apiId ? 'MalformedResponseError' : 'UnsupportedProtocolTypeError',
          message:
            out.ApiId !== apiId
              ? `GetApi ${apiId} answered with ApiId ${JSON.stringify(out.ApiId)}.`
              : `API ${apiId} has ProtocolType ${JSON.stringify(protocol)}; only HTTP and WEBSOCKET are collected.`,
        },
      };
    }
    const api: V2ApiRef = {
      apiId,
      apiType: protocol,
      name: out.Name ?? '',
      ...(out.Tags === undefined ? {} : { tags: { ...out.Tags } }),
    };
    return { api };
  },

  async readStages(client, session, calls, api) {
    const MaxResults = String(session.options.v2PageSize);
    const items = await readAllPages(OPERATIONS.readStages, async (NextToken) => {
      const page = await sendCounted(session, calls, OPERATIONS.readStages, () =>
        client.send(new GetStagesCommand({ ApiId: api.apiId, MaxResults, NextToken })),
      );
      return { items: page.Items, next: page.NextToken };
    });
    return items.map((stage) => ({ api, apiType: api.apiType, stage }));
  },

  stageNameOf: (stage) => stage.StageName,
  normalize: (stage, context) => normalizeV2Stage(stage, context),
};
