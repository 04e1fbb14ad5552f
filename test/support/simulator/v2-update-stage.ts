import type { SimV2Api } from './fleet';
import {
  isJsonObject,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStringMap,
} from './request-body';
import { notFound } from './service-error';
import { findV2Stage, replaceContents, v2Timestamp, type WriteContext } from './stage-store';
import { mergeSettings, readRouteSettings, readRouteSettingsMap } from './v2-route-settings';
import { emptyResponse, jsonResponse, type SimResponse } from './wire-response';

type Stage = Record<string, unknown>;

/** Sets a string member, or drops it when the value is the empty string. */
const setOrDrop = (stage: Stage, field: string, value: string | undefined): void => {
  if (value === undefined) return;
  if (value === '') delete stage[field];
  else stage[field] = value;
};

const accessLogSettingsOf = (body: Record<string, unknown>): Record<string, unknown> | undefined => {
  const given = optionalObject(body, 'accessLogSettings');
  if (given === undefined) return undefined;
  const destinationArn = optionalString(given, 'destinationArn');
  const format = optionalString(given, 'format');
  return {
    ...(destinationArn === undefined ? {} : { destinationArn }),
    ...(format === undefined ? {} : { format }),
  };
};

/** Stage variables merged per key; an empty-string value removes the variable. */
const mergeVariables = (
  current: unknown,
  update: Record<string, string>,
): Record<string, string> | undefined => {
  const merged: Record<string, string> = {
    ...(isJsonObject(current) ? (current as Record<string, string>) : {}),
  };
  for (const [name, value] of Object.entries(update)) {
    if (value === '') delete merged[name];
    else merged[name] = value;
  }
  return merged;
};

/** The stage with the members of an UpdateStage body applied, as the simulator merges them. */
export const updatedV2Stage = (stage: Stage, api: SimV2Api, body: Record<string, unknown>): Stage => {
  const next = structuredClone(stage);
  const accessLogSettings = accessLogSettingsOf(body);
  if (accessLogSettings) next.accessLogSettings = mergeSettings(next.accessLogSettings, accessLogSettings);
  const autoDeploy = optionalBoolean(body, 'autoDeploy');
  if (autoDeploy !== undefined) next.autoDeploy = autoDeploy;
  setOrDrop(next, 'clientCertificateId', optionalString(body, 'clientCertificateId'));
  setOrDrop(next, 'deploymentId', optionalString(body, 'deploymentId'));
  setOrDrop(next, 'description', optionalString(body, 'description'));
  if (body.defaultRouteSettings !== undefined && body.defaultRouteSettings !== null) {
    const update = readRouteSettings(body.defaultRouteSettings, 'defaultRouteSettings', api);
    next.defaultRouteSettings = mergeSettings(next.defaultRouteSettings, update);
  }
  if (body.routeSettings !== undefined && body.routeSettings !== null) {
    const current = isJsonObject(next.routeSettings) ? next.routeSettings : {};
    const merged = { ...current };
    for (const [key, update] of Object.entries(readRouteSettingsMap(body.routeSettings, api))) {
      merged[key] = mergeSettings(current[key], update);
    }
    next.routeSettings = merged;
  }
  const variables = optionalStringMap(body, 'stageVariables');
  if (variables !== undefined) next.stageVariables = mergeVariables(next.stageVariables, variables);
  return next;
};

/**
 * `PATCH /v2/apis/{id}/stages/{name}`: members present are applied (accessLogSettings and
 * defaultRouteSettings merged member by member, routeSettings per route key and then member by
 * member, stageVariables per key with `""` removing a variable, `""` clearing description,
 * clientCertificateId or deploymentId); `lastUpdatedDate` is stamped; the Stage is answered.
 */
export const updateV2Stage = (
  context: WriteContext,
  apiId: string,
  stageName: string,
  body: Record<string, unknown>,
): SimResponse => {
  const { api, stage } = findV2Stage(context.fleet, apiId, stageName);
  const next = updatedV2Stage(stage, api, body);
  next.lastUpdatedDate = v2Timestamp(context.now());
  replaceContents(stage, next);
  return jsonResponse('v2', stage);
};

/**
 * `DELETE /v2/apis/{id}/stages/{name}/routesettings/{routeKey}`: 204; 404 NotFoundException
 * when the stage holds no settings for that route key.
 */
export const deleteRouteSettings = (
  context: WriteContext,
  apiId: string,
  stageName: string,
  routeKey: string,
): SimResponse => {
  const { stage } = findV2Stage(context.fleet, apiId, stageName);
  const current = isJsonObject(stage.routeSettings) ? stage.routeSettings : {};
  if (!(routeKey in current)) throw notFound(`Unable to find route settings for route key '${routeKey}'`);
  stage.routeSettings = Object.fromEntries(Object.entries(current).filter(([key]) => key !== routeKey));
  stage.lastUpdatedDate = v2Timestamp(context.now());
  return emptyResponse(204);
};

/** `DELETE /v2/apis/{id}/stages/{name}/accesslogsettings`: 204, also when there were none. */
export const deleteAccessLogSettings = (
  context: WriteContext,
  apiId: string,
  stageName: string,
): SimResponse => {
  const { stage } = findV2Stage(context.fleet, apiId, stageName);
  delete stage.accessLogSettings;
  stage.lastUpdatedDate = v2Timestamp(context.now());
  return emptyResponse(204);
};
