import { readPatchOperations } from './patch-values';
import { optionalBoolean, optionalObject, optionalString, optionalStringMap } from './request-body';
import { CACHE_CLUSTER_SIZES, patchedStage } from './rest-update-stage';
import { badRequest, conflict } from './service-error';
import {
  findRestApi,
  findRestStage,
  hasStage,
  removeStage,
  replaceContents,
  v1Timestamp,
  type WriteContext,
} from './stage-store';
import { emptyResponse, jsonResponse, type SimResponse } from './wire-response';

/** Stage names the service accepts: letters, digits, `-` and `_`, up to 128 characters. */
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * `PATCH /restapis/{id}/stages/{name}` with `{ patchOperations }`: applies them in order (all or
 * none), stamps `lastUpdatedDate`, and answers the updated Stage. 404 for an unknown API or
 * stage, 400 naming the path for an invalid operation.
 */
export const updateRestStage = (
  context: WriteContext,
  restApiId: string,
  stageName: string,
  body: Record<string, unknown>,
): SimResponse => {
  const { stage } = findRestStage(context.fleet, restApiId, stageName);
  const operations = readPatchOperations(body);
  const next = patchedStage(stage, operations);
  if (operations.length > 0) next.lastUpdatedDate = v1Timestamp(context.now());
  replaceContents(stage, next);
  return jsonResponse('v1', stage);
};

const canaryOf = (body: Record<string, unknown>): Record<string, unknown> | undefined => {
  const canary = optionalObject(body, 'canarySettings');
  if (canary === undefined) return undefined;
  const percent = canary.percentTraffic;
  if (percent !== undefined && (typeof percent !== 'number' || percent < 0 || percent > 100)) {
    throw badRequest('Invalid value for canarySettings.percentTraffic: expected a number from 0 to 100');
  }
  const overrides = optionalStringMap(canary, 'stageVariableOverrides');
  const deploymentId = optionalString(canary, 'deploymentId');
  const useStageCache = optionalBoolean(canary, 'useStageCache');
  return {
    ...(percent === undefined ? {} : { percentTraffic: percent }),
    ...(deploymentId === undefined ? {} : { deploymentId }),
    ...(overrides === undefined ? {} : { stageVariableOverrides: overrides }),
    ...(useStageCache === undefined ? {} : { useStageCache }),
  };
};

/** The Stage a CreateStage body describes, in the v1 wire form GetStage answers. */
const newRestStage = (body: Record<string, unknown>, nowMs: number): Record<string, unknown> => {
  const stageName = optionalString(body, 'stageName');
  const deploymentId = optionalString(body, 'deploymentId');
  if (stageName === undefined || stageName === '')
    throw badRequest('Invalid stage name specified: stageName is required');
  if (!STAGE_NAME.test(stageName)) {
    throw badRequest(`Stage name only allows a-zA-Z0-9_- and at most 128 characters: '${stageName}'`);
  }
  if (deploymentId === undefined || deploymentId === '')
    throw badRequest('Invalid deployment identifier specified');
  const cacheClusterEnabled = optionalBoolean(body, 'cacheClusterEnabled') ?? false;
  const size = optionalString(body, 'cacheClusterSize');
  if (size !== undefined && !(CACHE_CLUSTER_SIZES as readonly string[]).includes(size)) {
    throw badRequest(
      `Invalid cache cluster size specified: '${size}'. Must be one of: [${CACHE_CLUSTER_SIZES.join(', ')}]`,
    );
  }
  const optional: Record<string, unknown> = {
    description: optionalString(body, 'description'),
    cacheClusterSize: cacheClusterEnabled ? (size ?? '0.5') : undefined,
    variables: optionalStringMap(body, 'variables'),
    documentationVersion: optionalString(body, 'documentationVersion'),
    canarySettings: canaryOf(body),
    tags: optionalStringMap(body, 'tags'),
  };
  const created = v1Timestamp(nowMs);
  return {
    deploymentId,
    stageName,
    cacheClusterEnabled,
    cacheClusterStatus: cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
    methodSettings: {},
    tracingEnabled: optionalBoolean(body, 'tracingEnabled') ?? false,
    ...Object.fromEntries(
      Object.entries(optional).filter(([, value]) => value !== undefined && value !== ''),
    ),
    createdDate: created,
    lastUpdatedDate: created,
  };
};

/**
 * `POST /restapis/{id}/stages`: 201 with the new Stage; 409 ConflictException "Stage already
 * exists" when the API has a stage of that name. The deployment is not checked (the simulator
 * holds no deployments).
 */
export const createRestStage = (
  context: WriteContext,
  restApiId: string,
  body: Record<string, unknown>,
): SimResponse => {
  const api = findRestApi(context.fleet, restApiId);
  const stage = newRestStage(body, context.now());
  if (hasStage(api.stages, stage.stageName as string)) throw conflict('Stage already exists');
  api.stages.push(stage);
  return jsonResponse('v1', stage, 201);
};

/** `DELETE /restapis/{id}/stages/{name}`: 202 without a body; 404 for an unknown API or stage. */
export const deleteRestStage = (context: WriteContext, restApiId: string, stageName: string): SimResponse => {
  const { api } = findRestStage(context.fleet, restApiId, stageName);
  removeStage(api.stages, stageName);
  return emptyResponse(202);
};
