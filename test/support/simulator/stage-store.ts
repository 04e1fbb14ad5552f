import { SIM_ACCOUNT_ID, type Fleet, type SimRestApi, type SimV2Api } from './fleet';
import { notFound } from './service-error';

/** What a write needs besides the fleet: the clock that stamps `lastUpdatedDate`. */
export interface WriteContext {
  readonly fleet: Fleet;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

/** A stage found in the fleet, with the API that holds it. */
export interface FoundStage<Api> {
  readonly api: Api;
  readonly stage: Record<string, unknown>;
}

const nameOf = (stage: Record<string, unknown>): string =>
  typeof stage.stageName === 'string' ? stage.stageName : '';

/** The REST API, or 404 NotFoundException worded as GetStages words it. */
export const findRestApi = (fleet: Fleet, restApiId: string): SimRestApi => {
  const api = fleet.restApis.find((candidate) => candidate.id === restApiId);
  if (!api) throw notFound(`Invalid API identifier specified ${SIM_ACCOUNT_ID}:${restApiId}`);
  return api;
};

/** The REST stage, or 404 NotFoundException "Invalid stage identifier specified". */
export const findRestStage = (fleet: Fleet, restApiId: string, stageName: string): FoundStage<SimRestApi> => {
  const api = findRestApi(fleet, restApiId);
  const stage = api.stages.find((candidate) => nameOf(candidate) === stageName);
  if (!stage) throw notFound('Invalid stage identifier specified');
  return { api, stage };
};

/** The HTTP or WebSocket API, or 404 NotFoundException worded as v2 GetStages words it. */
export const findV2Api = (fleet: Fleet, apiId: string): SimV2Api => {
  const api = fleet.v2Apis.find((candidate) => candidate.apiId === apiId);
  if (!api) throw notFound(`Invalid API identifier specified ${apiId}`);
  return api;
};

/** The v2 stage, or 404 NotFoundException worded as v2 GetStage words it. */
export const findV2Stage = (fleet: Fleet, apiId: string, stageName: string): FoundStage<SimV2Api> => {
  const api = findV2Api(fleet, apiId);
  const stage = api.stages.find((candidate) => nameOf(candidate) === stageName);
  if (!stage) throw notFound(`Invalid stage identifier specified ${stageName}`);
  return { api, stage };
};

/** True when the API holds a stage of that name. */
export const hasStage = (stages: readonly Record<string, unknown>[], stageName: string): boolean =>
  stages.some((candidate) => nameOf(candidate) === stageName);

/** Removes the named stage from `stages` (in place); false when there was none. */
export const removeStage = (stages: Record<string, unknown>[], stageName: string): boolean => {
  const index = stages.findIndex((candidate) => nameOf(candidate) === stageName);
  if (index < 0) return false;
  stages.splice(index, 1);
  return true;
};

/**
 * Makes `target` hold exactly the members of `source`, keeping the object's identity, so a
 * test holding a stage from `simulator.fleet` sees the write.
 */
export const replaceContents = (target: Record<string, unknown>, source: Record<string, unknown>): void => {
  for (const key of Object.keys(target)) if (!(key in source)) delete target[key];
  Object.assign(target, source);
};

/** v1 wire date: epoch seconds (whole seconds, as the service answers). */
export const v1Timestamp = (ms: number): number => Math.floor(ms / 1000);

/** v2 wire date: ISO-8601 without milliseconds, as the service answers. */
export const v2Timestamp = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
