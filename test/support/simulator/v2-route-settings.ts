import type { SimV2Api } from './fleet';
import { isJsonObject } from './request-body';
import { badRequest } from './service-error';

/** The RouteSettings members and what each must be. */
const FIELDS: Readonly<Record<string, 'boolean' | 'integer' | 'number' | 'level'>> = {
  dataTraceEnabled: 'boolean',
  detailedMetricsEnabled: 'boolean',
  loggingLevel: 'level',
  throttlingBurstLimit: 'integer',
  throttlingRateLimit: 'number',
};

const LEVELS = ['ERROR', 'INFO', 'OFF'];

const fits = (kind: string, value: unknown): boolean => {
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === 'string' && LEVELS.includes(value);
  }
};

/**
 * A RouteSettings object from a request body, checked member by member (400 naming the member
 * otherwise). HTTP APIs have no execution logs: a logging level other than OFF, or data trace
 * on, is refused as the service refuses it.
 */
export const readRouteSettings = (value: unknown, where: string, api: SimV2Api): Record<string, unknown> => {
  if (!isJsonObject(value)) throw badRequest(`Invalid value for ${where}: expected an object`);
  for (const [name, member] of Object.entries(value)) {
    const kind = FIELDS[name];
    if (kind === undefined) throw badRequest(`Invalid member ${where}.${name}`);
    if (member !== null && !fits(kind, member)) throw badRequest(`Invalid value for ${where}.${name}`);
  }
  const logging = (value.loggingLevel ?? 'OFF') !== 'OFF' || value.dataTraceEnabled === true;
  if (api.protocolType === 'HTTP' && logging) {
    throw badRequest('Execution logs are not supported on protocolType HTTP');
  }
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== null));
};

/** `{ routeKey: RouteSettings }` from a request body. */
export const readRouteSettingsMap = (
  value: unknown,
  api: SimV2Api,
): Record<string, Record<string, unknown>> => {
  if (!isJsonObject(value)) throw badRequest('Invalid value for routeSettings: expected a map of route keys');
  return Object.fromEntries(
    Object.entries(value).map(([key, settings]) => [
      key,
      readRouteSettings(settings, `routeSettings.${key}`, api),
    ]),
  );
};

/** The settings `current` holds, with the members `update` carries replaced. */
export const mergeSettings = (
  current: unknown,
  update: Record<string, unknown>,
): Record<string, unknown> => ({
  ...(isJsonObject(current) ? current : {}),
  ...update,
});

/** Default route settings of a new stage, as the service (and moto) fill them in. */
export const defaultRouteSettingsOf = (api: SimV2Api): Record<string, unknown> =>
  api.protocolType === 'WEBSOCKET'
    ? { dataTraceEnabled: false, detailedMetricsEnabled: false, loggingLevel: 'OFF' }
    : { detailedMetricsEnabled: false };
