import { booleanValue, enumValue, integerValue, numberValue, type PatchOperation } from './patch-values';

/** The HTTP methods a method-settings path may name (`*` stands for every method). */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY', '*'] as const;

/** The service's logging levels for REST method settings. */
export const LOGGING_LEVELS = ['OFF', 'ERROR', 'INFO'] as const;

/** The unauthorized cache-control header strategies. */
export const CACHE_CONTROL_STRATEGIES = [
  'FAIL_WITH_403',
  'SUCCEED_WITH_RESPONSE_HEADER',
  'SUCCEED_WITHOUT_RESPONSE_HEADER',
] as const;

interface SettingRule {
  /** The MethodSetting member the path sets. */
  readonly field: string;
  readonly parse: (operation: PatchOperation) => string | number | boolean;
}

/** Patch-path names of the method settings, as the service documents them, and their members. */
export const METHOD_SETTING_PATHS: Readonly<Record<string, SettingRule>> = {
  'metrics/enabled': { field: 'metricsEnabled', parse: booleanValue },
  'logging/loglevel': { field: 'loggingLevel', parse: (op) => enumValue(op, LOGGING_LEVELS) },
  'logging/dataTrace': { field: 'dataTraceEnabled', parse: booleanValue },
  'throttling/burstLimit': { field: 'throttlingBurstLimit', parse: (op) => integerValue(op) },
  'throttling/rateLimit': { field: 'throttlingRateLimit', parse: (op) => numberValue(op) },
  'caching/enabled': { field: 'cachingEnabled', parse: booleanValue },
  'caching/ttlInSeconds': { field: 'cacheTtlInSeconds', parse: (op) => integerValue(op, 0, 3600) },
  'caching/dataEncrypted': { field: 'cacheDataEncrypted', parse: booleanValue },
  'caching/requireAuthorizationForCacheControl': {
    field: 'requireAuthorizationForCacheControl',
    parse: booleanValue,
  },
  'caching/unauthorizedCacheControlHeaderStrategy': {
    field: 'unauthorizedCacheControlHeaderStrategy',
    parse: (op) => enumValue(op, CACHE_CONTROL_STRATEGIES),
  },
};

/**
 * The methodSettings key a patch path's first two segments name, or undefined when they do not
 * name a method: `/*\/*` is `*\/*`; `/~1pets~1{id}/GET` is `~1pets~1{id}/GET`. The key keeps the
 * path's `~1` escapes, as the service writes the keys (its own examples show `~1resourceName/GET`).
 */
export const methodSettingsKey = (
  resource: string | undefined,
  method: string | undefined,
): string | undefined => {
  if (resource === undefined || method === undefined || resource === '') return undefined;
  if (!(HTTP_METHODS as readonly string[]).includes(method)) return undefined;
  if ((resource === '*') !== (method === '*')) return undefined;
  return `${resource}/${method}`;
};

const methodSettingsOf = (stage: Record<string, unknown>): Record<string, Record<string, unknown>> => {
  const current = stage.methodSettings;
  const settings = (typeof current === 'object' && current !== null ? current : {}) as Record<
    string,
    Record<string, unknown>
  >;
  stage.methodSettings = settings;
  return settings;
};

/**
 * `replace /{resource}/{method}/{group}/{name}`: sets one member of that method's entry. An
 * entry that does not exist yet is created holding just that member (the service fills the
 * other members with its defaults; the simulator does not, see the test file's notes).
 * Returns false when `setting` is not a method-setting path.
 */
export const replaceMethodSetting = (
  stage: Record<string, unknown>,
  key: string,
  setting: string,
  operation: PatchOperation,
): boolean => {
  const rule = METHOD_SETTING_PATHS[setting];
  if (!rule) return false;
  const value = rule.parse(operation);
  const settings = methodSettingsOf(stage);
  settings[key] = { ...(settings[key] ?? {}), [rule.field]: value };
  return true;
};

/** `remove /{resource}/{method}`: drops that method's whole entry (a no-op when there is none). */
export const removeMethodSettings = (stage: Record<string, unknown>, key: string): void => {
  const settings = methodSettingsOf(stage);
  delete settings[key];
};
