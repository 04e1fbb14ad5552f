import { SIM_ACCOUNT_ID, type Fleet, type SimRestApi } from './fleet';
import { pageByKey } from './page-token';
import { parsePageSize, type PageSizeRule } from './query-params';
import { readPageToken } from './read-page-token';
import { notFound } from './service-error';
import { jsonResponse, type SimResponse } from './wire-response';

/** GetRestApis: `limit` defaults to 25 and may not exceed 500, as the service documents. */
export const REST_APIS_PAGE: PageSizeRule = { name: 'limit', defaultSize: 25, max: 500 };

const toRestApiItem = (api: SimRestApi): Record<string, unknown> => ({
  id: api.id,
  name: api.name,
  ...(api.description === undefined ? {} : { description: api.description }),
  createdDate: api.createdDate,
  apiKeySource: 'HEADER',
  endpointConfiguration: { types: api.endpointTypes ?? ['REGIONAL'] },
  disableExecuteApiEndpoint: false,
  ...(api.tags === undefined ? {} : { tags: api.tags }),
});

/** `GET /restapis?limit=&position=`: `{ item, position? }`. */
export const getRestApis = (fleet: Fleet, query: URLSearchParams): SimResponse => {
  const size = parsePageSize(query, REST_APIS_PAGE);
  const after = readPageToken(query, 'position', 'restapis');
  const page = pageByKey(fleet.restApis, (api) => api.id, 'restapis', size, after);
  return jsonResponse('v1', {
    item: page.items.map(toRestApiItem),
    ...(page.nextToken === undefined ? {} : { position: page.nextToken }),
  });
};

/**
 * `GET /restapis/{id}`: the RestApi object itself (no wrapper), as the service answers
 * GetRestApi; 404 NotFoundException for an unknown API.
 */
export const getRestApi = (fleet: Fleet, restApiId: string): SimResponse => {
  const api = fleet.restApis.find((candidate) => candidate.id === restApiId);
  if (!api) throw notFound(`Invalid API identifier specified ${SIM_ACCOUNT_ID}:${restApiId}`);
  return jsonResponse('v1', toRestApiItem(api));
};

/** `GET /restapis/{id}/stages[?deploymentId=]`: `{ item }` with every stage, never paged. */
export const getRestApiStages = (fleet: Fleet, restApiId: string, query: URLSearchParams): SimResponse => {
  const api = fleet.restApis.find((candidate) => candidate.id === restApiId);
  if (!api) throw notFound(`Invalid API identifier specified ${SIM_ACCOUNT_ID}:${restApiId}`);
  const deploymentId = query.get('deploymentId');
  const stages = deploymentId
    ? api.stages.filter((stage) => stage.deploymentId === deploymentId)
    : api.stages;
  return jsonResponse('v1', { item: stages });
};

/**
 * `GET /restapis/{id}/stages/{name}`: the Stage object itself (no wrapper), as the service
 * answers GetStage; 404 NotFoundException for an unknown API or stage.
 */
export const getRestApiStage = (fleet: Fleet, restApiId: string, stageName: string): SimResponse => {
  const api = fleet.restApis.find((candidate) => candidate.id === restApiId);
  if (!api) throw notFound(`Invalid API identifier specified ${SIM_ACCOUNT_ID}:${restApiId}`);
  const stage = api.stages.find((candidate) => candidate.stageName === stageName);
  if (!stage) throw notFound('Invalid stage identifier specified');
  return jsonResponse('v1', stage);
};
