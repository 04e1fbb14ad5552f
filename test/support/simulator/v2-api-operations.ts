import { SIM_REGION, type Fleet, type SimV2Api } from './fleet';
import { pageByKey } from './page-token';
import { parsePageSize, type PageSizeRule } from './query-params';
import { readPageToken } from './read-page-token';
import { notFound } from './service-error';
import { jsonResponse, type SimResponse } from './wire-response';

/**
 * v2 page sizes. The service does not document its default or maximum `maxResults`; the
 * simulator assumes 25 by default and refuses more than 500 (as v1 does), so a collector that
 * relies on a bigger page is caught here rather than in production.
 */
export const V2_APIS_PAGE: PageSizeRule = { name: 'maxResults', defaultSize: 25, max: 500 };
export const V2_STAGES_PAGE: PageSizeRule = { name: 'maxResults', defaultSize: 25, max: 500 };

const toV2ApiItem = (api: SimV2Api): Record<string, unknown> => {
  const websocket = api.protocolType === 'WEBSOCKET';
  return {
    apiId: api.apiId,
    name: api.name,
    protocolType: api.protocolType,
    apiEndpoint: `${websocket ? 'wss' : 'https'}://${api.apiId}.execute-api.${SIM_REGION}.amazonaws.com`,
    apiKeySelectionExpression: '$request.header.x-api-key',
    createdDate: api.createdDate,
    ...(api.description === undefined ? {} : { description: api.description }),
    disableExecuteApiEndpoint: false,
    ipAddressType: 'ipv4',
    routeSelectionExpression: websocket ? '$request.body.action' : '$request.method $request.path',
    ...(api.tags === undefined ? {} : { tags: api.tags }),
  };
};

const stageKey = (stage: Record<string, unknown>): string =>
  typeof stage.stageName === 'string' ? stage.stageName : '';

/** `GET /v2/apis?maxResults=&nextToken=`: `{ items, nextToken? }`. */
export const getV2Apis = (fleet: Fleet, query: URLSearchParams): SimResponse => {
  const size = parsePageSize(query, V2_APIS_PAGE);
  const after = readPageToken(query, 'nextToken', 'v2apis');
  const page = pageByKey(fleet.v2Apis, (api) => api.apiId, 'v2apis', size, after);
  return jsonResponse('v2', {
    items: page.items.map(toV2ApiItem),
    ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
  });
};

/**
 * `GET /v2/apis/{id}`: the Api object itself (no wrapper), as the service answers GetApi; 404
 * NotFoundException for an unknown API.
 */
export const getV2Api = (fleet: Fleet, apiId: string): SimResponse => {
  const api = fleet.v2Apis.find((candidate) => candidate.apiId === apiId);
  if (!api) throw notFound(`Invalid API identifier specified ${apiId}`);
  return jsonResponse('v2', toV2ApiItem(api));
};

/** `GET /v2/apis/{id}/stages?maxResults=&nextToken=`: `{ items, nextToken? }`, paged by stage name. */
export const getV2ApiStages = (fleet: Fleet, apiId: string, query: URLSearchParams): SimResponse => {
  const api = fleet.v2Apis.find((candidate) => candidate.apiId === apiId);
  if (!api) throw notFound(`Invalid API identifier specified ${apiId}`);
  const size = parsePageSize(query, V2_STAGES_PAGE);
  const scope = `v2stages:${apiId}`;
  const after = readPageToken(query, 'nextToken', scope);
  const page = pageByKey(api.stages, stageKey, scope, size, after);
  return jsonResponse('v2', {
    items: page.items,
    ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
  });
};

/**
 * `GET /v2/apis/{id}/stages/{name}`: the Stage object itself (no wrapper), as the service
 * answers v2 GetStage; 404 NotFoundException for an unknown API or stage.
 */
export const getV2ApiStage = (fleet: Fleet, apiId: string, stageName: string): SimResponse => {
  const api = fleet.v2Apis.find((candidate) => candidate.apiId === apiId);
  if (!api) throw notFound(`Invalid API identifier specified ${apiId}`);
  const stage = api.stages.find((candidate) => stageKey(candidate) === stageName);
  if (!stage) throw notFound(`Invalid stage identifier specified ${stageName}`);
  return jsonResponse('v2', stage);
};
