import { SIM_REGION, type Fleet } from './fleet';
import { optionalStringMap } from './request-body';
import { badRequest, notFound } from './service-error';
import { parseApiGatewayArn } from './stage-arn';
import { findRestApi, findV2Api, v1Timestamp, v2Timestamp, type WriteContext } from './stage-store';
import { emptyResponse, jsonResponse, type ApiFamily, type SimResponse } from './wire-response';

/** Something that carries tags: an API, or a wire Stage object. */
interface Taggable {
  tags?: unknown;
  lastUpdatedDate?: unknown;
}

interface TagTarget {
  readonly holder: Taggable;
  /** True when the ARN names a stage (its `lastUpdatedDate` is stamped on a change). */
  readonly isStage: boolean;
}

/**
 * The API or stage an ARN names, in this family and the simulator's region: 400
 * BadRequestException for an ARN that is not one, 404 NotFoundException for one that names
 * nothing in the fleet.
 */
const targetOf = (fleet: Fleet, family: ApiFamily, resourceArn: string): TagTarget => {
  const resource = parseApiGatewayArn(resourceArn);
  if (!resource || resource.family !== family || resource.region !== SIM_REGION) {
    throw badRequest(`Invalid resource ARN specified: ${resourceArn}`);
  }
  const api = family === 'v1' ? findRestApi(fleet, resource.apiId) : findV2Api(fleet, resource.apiId);
  if (resource.stageName === undefined) return { holder: api, isStage: false };
  const stage = api.stages.find((candidate) => candidate.stageName === resource.stageName);
  if (!stage) throw notFound('Invalid stage identifier specified');
  return { holder: stage, isStage: true };
};

const tagsOf = (holder: Taggable): Record<string, string> =>
  typeof holder.tags === 'object' && holder.tags !== null
    ? { ...(holder.tags as Record<string, string>) }
    : {};

const store = (
  context: WriteContext,
  family: ApiFamily,
  target: TagTarget,
  tags: Record<string, string>,
): void => {
  if (Object.keys(tags).length === 0) delete target.holder.tags;
  else target.holder.tags = tags;
  if (target.isStage) {
    const now = context.now();
    target.holder.lastUpdatedDate = family === 'v1' ? v1Timestamp(now) : v2Timestamp(now);
  }
};

const tagKeysOf = (query: URLSearchParams): string[] => {
  const keys = query.getAll('tagKeys');
  if (keys.length === 0) throw badRequest('tagKeys is required');
  return keys;
};

/** TagResource: `{ tags }` merged into the resource's tags (a key given again is overwritten). */
export const tagResource = (
  context: WriteContext,
  family: ApiFamily,
  resourceArn: string,
  body: Record<string, unknown>,
): SimResponse => {
  const target = targetOf(context.fleet, family, resourceArn);
  const tags = optionalStringMap(body, 'tags');
  if (tags === undefined) throw badRequest('tags is required');
  store(context, family, target, { ...tagsOf(target.holder), ...tags });
  // v1 answers 204 without a body; v2 answers 201 with an empty object.
  return family === 'v1' ? emptyResponse(204) : jsonResponse('v2', {}, 201);
};

/** UntagResource: removes each `tagKeys` key (keys the resource lacks are ignored); 204. */
export const untagResource = (
  context: WriteContext,
  family: ApiFamily,
  resourceArn: string,
  query: URLSearchParams,
): SimResponse => {
  const target = targetOf(context.fleet, family, resourceArn);
  const remove = new Set(tagKeysOf(query));
  const kept = Object.fromEntries(Object.entries(tagsOf(target.holder)).filter(([key]) => !remove.has(key)));
  store(context, family, target, kept);
  return emptyResponse(204);
};

/** GetTags: `{ tags }`, `{}` when the resource has none. */
export const getTags = (fleet: Fleet, family: ApiFamily, resourceArn: string): SimResponse => {
  const target = targetOf(fleet, family, resourceArn);
  return jsonResponse(family, { tags: tagsOf(target.holder) });
};
