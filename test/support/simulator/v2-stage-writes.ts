import { optionalBoolean, optionalObject, optionalString, optionalStringMap } from './request-body';
import { badRequest, conflict } from './service-error';
import { findV2Api, findV2Stage, hasStage, removeStage, v2Timestamp, type WriteContext } from './stage-store';
import {
  defaultRouteSettingsOf,
  mergeSettings,
  readRouteSettings,
  readRouteSettingsMap,
} from './v2-route-settings';
import { emptyResponse, jsonResponse, type SimResponse } from './wire-response';

/** v2 stage names: `$default`, or letters, digits, `-` and `_`, up to 128 characters. */
const STAGE_NAME = /^(\$default|[A-Za-z0-9_-]{1,128})$/;

const present = (members: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined && value !== ''));

/**
 * `POST /v2/apis/{id}/stages`: 201 with the new Stage (default route settings filled as the
 * service fills them for the protocol); 409 ConflictException "Stage already exists".
 */
export const createV2Stage = (
  context: WriteContext,
  apiId: string,
  body: Record<string, unknown>,
): SimResponse => {
  const api = findV2Api(context.fleet, apiId);
  const stageName = optionalString(body, 'stageName') ?? '';
  if (!STAGE_NAME.test(stageName)) throw badRequest(`Invalid stage name specified: '${stageName}'`);
  if (stageName === '$default' && api.protocolType === 'WEBSOCKET') {
    throw badRequest('$default stage is not supported for WebSocket APIs');
  }
  if (hasStage(api.stages, stageName)) throw conflict('Stage already exists');
  const given = body.defaultRouteSettings;
  const defaults = defaultRouteSettingsOf(api);
  const created = v2Timestamp(context.now());
  const accessLogSettings = optionalObject(body, 'accessLogSettings');
  const stage = {
    stageName,
    ...present({
      deploymentId: optionalString(body, 'deploymentId'),
      autoDeploy: optionalBoolean(body, 'autoDeploy'),
      description: optionalString(body, 'description'),
      clientCertificateId: optionalString(body, 'clientCertificateId'),
      accessLogSettings,
      stageVariables: optionalStringMap(body, 'stageVariables'),
      tags: optionalStringMap(body, 'tags'),
    }),
    defaultRouteSettings:
      given === undefined || given === null
        ? defaults
        : mergeSettings(defaults, readRouteSettings(given, 'defaultRouteSettings', api)),
    routeSettings:
      body.routeSettings === undefined || body.routeSettings === null
        ? {}
        : readRouteSettingsMap(body.routeSettings, api),
    createdDate: created,
    lastUpdatedDate: created,
  };
  api.stages.push(stage);
  return jsonResponse('v2', stage, 201);
};

/** `DELETE /v2/apis/{id}/stages/{name}`: 204; 404 for an unknown API or stage. */
export const deleteV2Stage = (context: WriteContext, apiId: string, stageName: string): SimResponse => {
  const { api } = findV2Stage(context.fleet, apiId, stageName);
  removeStage(api.stages, stageName);
  return emptyResponse(204);
};
