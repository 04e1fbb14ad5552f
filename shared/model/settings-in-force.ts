import type { JsonObject, JsonValue } from './json';

/** The value at `path` in a JSON object, `undefined` where any segment is missing. */
export const valueAt = (root: JsonObject, path: readonly string[]): JsonValue | undefined => {
  let current: JsonValue | undefined = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, segment) ? current[segment] : undefined;
  }
  return current;
};

/**
 * The value in force for a method or route settings field: the entry's own value, else the
 * stage-wide one (`methodSettings["*\/*"]` for REST, `defaultRouteSettings` for v2).
 */
export const settingInForce = (config: JsonObject, path: readonly string[]): JsonValue | undefined => {
  const own = valueAt(config, path);
  if (own !== undefined || path.length !== 3) return own;
  const [root, key, field] = path as [string, string, string];
  if (root === 'methodSettings' && key !== '*/*') return valueAt(config, ['methodSettings', '*/*', field]);
  if (root === 'routeSettings') return valueAt(config, ['defaultRouteSettings', field]);
  return undefined;
};

/** An execution logging level as API Gateway applies it: absent is `OFF`. */
export const loggingLevelOf = (value: JsonValue | undefined): string =>
  typeof value === 'string' ? value.toUpperCase() : 'OFF';

/** Execution logging writes entries at `ERROR` and `INFO` (Security Hub's APIGateway.1 passes both). */
export const isLoggingOn = (value: JsonValue | undefined): boolean =>
  ['INFO', 'ERROR'].includes(loggingLevelOf(value));
