import type { CanarySettings, RestMethodSettings, RestStageConfig } from '../model';
import { compareText } from '../runtime';
import type { ManualStep, PatchOperation, RestCreateStageInput } from './types';

/** The `UpdateStage` path segment of each method setting (`/{resource}/{method}/<segment>`). */
const METHOD_SETTING_PATHS: Readonly<Record<keyof RestMethodSettings, string>> = {
  cacheDataEncrypted: 'caching/dataEncrypted',
  cacheTtlInSeconds: 'caching/ttlInSeconds',
  cachingEnabled: 'caching/enabled',
  dataTraceEnabled: 'logging/dataTrace',
  loggingLevel: 'logging/loglevel',
  metricsEnabled: 'metrics/enabled',
  requireAuthorizationForCacheControl: 'caching/requireAuthorizationForCacheControl',
  throttlingBurstLimit: 'throttling/burstLimit',
  throttlingRateLimit: 'throttling/rateLimit',
  unauthorizedCacheControlHeaderStrategy: 'caching/unauthorizedCacheControlHeaderStrategy',
};

const STAGE_WIDE = '*/*';

/**
 * The value a map holds under `key`, its own members only: a stage variable, tag or route key
 * may be named `valueOf` or `constructor`, which a plain `map[key]` finds on Object.prototype.
 */
const own = <T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;

/**
 * The stage-wide (`*\/*`) members whose absence in the canonical form means `false`: there,
 * setting `false` puts back an absent member. Anywhere else an absent member means "as `*\/*`",
 * which no `replace` can say, so the method's entry is removed and written again.
 */
const STAGE_WIDE_FALSE_DEFAULTS: ReadonlySet<string> = new Set([
  'cacheDataEncrypted',
  'cachingEnabled',
  'dataTraceEnabled',
  'metricsEnabled',
]);

/** JSON-pointer escaping of one path segment: `~` → `~0`, `/` → `~1`. */
export const escapePointerSegment = (segment: string): string =>
  segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The patch path prefix of a `methodSettings` key. GetStage keys a method's settings by its
 * resource path already escaped (`~1pets~1{id}/GET`, as AWS documents and moto answers), so the
 * path is the key after a `/`: `/~1pets~1{id}/GET`; `*\/*` → `/*\/*`. A key in the unescaped
 * form (`/pets/{id}/GET`) has its resource path escaped.
 */
export const methodSettingsPath = (key: string): string => {
  if (key === STAGE_WIDE || !key.startsWith('/')) return `/${key}`;
  const cut = key.lastIndexOf('/');
  if (cut <= 0) return `/${escapePointerSegment(key)}`;
  return `/${escapePointerSegment(key.slice(0, cut))}/${key.slice(cut + 1)}`;
};

const wire = (value: string | number | boolean): string => String(value);

const sortedKeys = (...maps: ReadonlyArray<Readonly<Record<string, unknown>> | undefined>): string[] =>
  [...new Set(maps.flatMap((m) => Object.keys(m ?? {})))].sort(compareText);

const setMembers = (prefix: string, settings: RestMethodSettings): PatchOperation[] =>
  (Object.keys(METHOD_SETTING_PATHS) as (keyof RestMethodSettings)[])
    .filter((member) => settings[member] !== undefined)
    .map((member) => ({
      op: 'replace',
      path: `${prefix}/${METHOD_SETTING_PATHS[member]}`,
      value: wire(settings[member] as string | number | boolean),
    }));

const methodSettingOps = (
  key: string,
  current: RestMethodSettings | undefined,
  target: RestMethodSettings | undefined,
): PatchOperation[] => {
  const prefix = methodSettingsPath(key);
  if (target === undefined) return current === undefined ? [] : [{ op: 'remove', path: prefix }];
  if (current === undefined) return setMembers(prefix, target);
  const members = Object.keys(METHOD_SETTING_PATHS) as (keyof RestMethodSettings)[];
  const lost = members.filter((m) => current[m] !== undefined && target[m] === undefined);
  const cannotDefault = lost.some((m) => key !== STAGE_WIDE || !STAGE_WIDE_FALSE_DEFAULTS.has(m));
  if (cannotDefault) return [{ op: 'remove', path: prefix }, ...setMembers(prefix, target)];
  const ops: PatchOperation[] = [];
  for (const member of members) {
    const want = target[member] ?? (lost.includes(member) ? false : undefined);
    if (want === undefined || want === current[member]) continue;
    ops.push({ op: 'replace', path: `${prefix}/${METHOD_SETTING_PATHS[member]}`, value: wire(want) });
  }
  return ops;
};

/** `replace` to a value, or to `""` (which API Gateway reads as "none") when the target has none. */
const scalarOp = (path: string, current: string | undefined, target: string | undefined): PatchOperation[] =>
  current === target ? [] : [{ op: 'replace', path, value: target ?? '' }];

const booleanOp = (path: string, current: boolean, target: boolean): PatchOperation[] =>
  current === target ? [] : [{ op: 'replace', path, value: wire(target) }];

const variableOps = (
  prefix: string,
  current: Readonly<Record<string, string>> | undefined,
  target: Readonly<Record<string, string>> | undefined,
): PatchOperation[] =>
  sortedKeys(current, target).flatMap((name): PatchOperation[] => {
    const want = own(target, name);
    if (want === own(current, name)) return [];
    return want === undefined
      ? [{ op: 'remove', path: `${prefix}/${name}` }]
      : [{ op: 'replace', path: `${prefix}/${name}`, value: want }];
  });

const accessLogOps = (
  current: RestStageConfig['accessLogSettings'],
  target: RestStageConfig['accessLogSettings'],
): PatchOperation[] => {
  if (target === undefined)
    return current === undefined ? [] : [{ op: 'remove', path: '/accessLogSettings' }];
  const lost = (['format', 'destinationArn'] as const).some(
    (m) => current?.[m] !== undefined && target[m] === undefined,
  );
  const base = lost ? undefined : current;
  const ops: PatchOperation[] = lost ? [{ op: 'remove', path: '/accessLogSettings' }] : [];
  for (const member of ['destinationArn', 'format'] as const) {
    const want = target[member];
    if (want !== undefined && want !== base?.[member])
      ops.push({ op: 'replace', path: `/accessLogSettings/${member}`, value: want });
  }
  return ops;
};

const CANARY_SCALARS = ['deploymentId', 'percentTraffic', 'useStageCache'] as const;

const canaryOps = (
  current: CanarySettings | undefined,
  target: CanarySettings | undefined,
): PatchOperation[] => {
  if (target === undefined) return current === undefined ? [] : [{ op: 'remove', path: '/canarySettings' }];
  const lost = CANARY_SCALARS.some((m) => current?.[m] !== undefined && target[m] === undefined);
  const base = lost ? undefined : current;
  const ops: PatchOperation[] = lost ? [{ op: 'remove', path: '/canarySettings' }] : [];
  for (const member of CANARY_SCALARS) {
    const want = target[member];
    if (want !== undefined && want !== base?.[member])
      ops.push({ op: 'replace', path: `/canarySettings/${member}`, value: wire(want) });
  }
  ops.push(
    ...variableOps(
      '/canarySettings/stageVariableOverrides',
      base?.stageVariableOverrides,
      target.stageVariableOverrides,
    ),
  );
  return ops;
};

/**
 * `replace /cacheClusterSize`, only for a target whose cache is enabled (API Gateway sizes an
 * enabled cache; a size sent for a disabled one is not kept), and again whenever the cache is
 * turned on, so the size is the target's and not the one enabling picks.
 */
const cacheSizeOps = (current: RestStageConfig, target: RestStageConfig): PatchOperation[] =>
  target.cacheClusterEnabled &&
  target.cacheClusterSize !== undefined &&
  (target.cacheClusterSize !== current.cacheClusterSize || !current.cacheClusterEnabled)
    ? [{ op: 'replace', path: '/cacheClusterSize', value: target.cacheClusterSize }]
    : [];

/** The default size API Gateway gives a cache turned on without one. */
const DEFAULT_CACHE_SIZE = '0.5';

/**
 * The cache size the stage holds once {@link restPatchOperations} ran: the target's for an
 * enabled cache; none once the cache is turned off (turning it off drops the size); else the
 * size it had.
 */
const cacheSizeAfter = (current: RestStageConfig, target: RestStageConfig): string | undefined => {
  if (target.cacheClusterEnabled)
    return (
      target.cacheClusterSize ??
      (current.cacheClusterEnabled
        ? current.cacheClusterSize
        : (current.cacheClusterSize ?? DEFAULT_CACHE_SIZE))
    );
  return current.cacheClusterEnabled ? undefined : current.cacheClusterSize;
};

/**
 * The `UpdateStage` patch operations that turn a REST stage's `current` config into `target`,
 * for every field UpdateStage can set (tags and the web ACL have calls of their own), in a
 * stable order. `replace` is used to set (also a new variable or member: API Gateway and moto
 * both take it), `remove` to delete a variable, a method's entry, the access log or canary
 * settings. An entry that loses a member is removed and written again: an absent member there
 * means "inherited", which no `replace` can say.
 */
export const restPatchOperations = (current: RestStageConfig, target: RestStageConfig): PatchOperation[] => [
  ...scalarOp('/deploymentId', current.deploymentId, target.deploymentId ?? current.deploymentId),
  ...scalarOp('/description', current.description, target.description),
  ...booleanOp('/tracingEnabled', current.tracingEnabled, target.tracingEnabled),
  ...booleanOp('/cacheClusterEnabled', current.cacheClusterEnabled, target.cacheClusterEnabled),
  ...cacheSizeOps(current, target),
  ...scalarOp('/clientCertificateId', current.clientCertificateId, target.clientCertificateId),
  ...scalarOp('/documentationVersion', current.documentationVersion, target.documentationVersion),
  ...variableOps('/variables', current.variables, target.variables),
  ...sortedKeys(current.methodSettings, target.methodSettings).flatMap((key) =>
    methodSettingOps(key, own(current.methodSettings, key), own(target.methodSettings, key)),
  ),
  ...accessLogOps(current.accessLogSettings, target.accessLogSettings),
  ...canaryOps(current.canarySettings, target.canarySettings),
];

/** What UpdateStage cannot put back on a REST stage: listed for the operator. */
export const restManualSteps = (current: RestStageConfig, target: RestStageConfig): ManualStep[] => {
  const after = cacheSizeAfter(current, target);
  if (after === target.cacheClusterSize) return [];
  return [
    {
      field: 'cacheClusterSize',
      reason:
        target.cacheClusterSize === undefined
          ? `the target has no cache size and UpdateStage cannot clear one (${after} stays; it costs nothing while the cache is disabled)`
          : `the target's cache is disabled with size ${target.cacheClusterSize}, and API Gateway keeps no size set on a disabled cache (the stage will have ${after ?? 'no size'}; it costs nothing while the cache is disabled)`,
    },
  ];
};

/**
 * `CreateStage` for a deleted REST stage: what it takes, and the config the new stage will have
 * (so the rest is planned as an update of that). `undefined` when the target names no deployment.
 */
export const restCreateStage = (
  stageName: string,
  target: RestStageConfig,
): { input: RestCreateStageInput; created: RestStageConfig } | undefined => {
  if (target.deploymentId === undefined) return undefined;
  const input: RestCreateStageInput = {
    stageName,
    deploymentId: target.deploymentId,
    ...(target.description === undefined ? {} : { description: target.description }),
    ...(target.cacheClusterEnabled ? { cacheClusterEnabled: true } : {}),
    ...(target.cacheClusterSize === undefined ? {} : { cacheClusterSize: target.cacheClusterSize }),
    ...(target.variables === undefined ? {} : { variables: target.variables }),
    ...(target.documentationVersion === undefined
      ? {}
      : { documentationVersion: target.documentationVersion }),
    ...(target.canarySettings === undefined ? {} : { canarySettings: target.canarySettings }),
    ...(target.tracingEnabled ? { tracingEnabled: true } : {}),
  };
  const created: RestStageConfig = {
    deploymentId: target.deploymentId,
    cacheClusterEnabled: target.cacheClusterEnabled,
    tracingEnabled: target.tracingEnabled,
    ...(target.description === undefined ? {} : { description: target.description }),
    // CreateStage sizes only an enabled cache (0.5 GB unless told).
    ...(target.cacheClusterEnabled
      ? { cacheClusterSize: target.cacheClusterSize ?? DEFAULT_CACHE_SIZE }
      : {}),
    ...(target.variables === undefined ? {} : { variables: target.variables }),
    ...(target.documentationVersion === undefined
      ? {}
      : { documentationVersion: target.documentationVersion }),
    ...(target.canarySettings === undefined ? {} : { canarySettings: target.canarySettings }),
  };
  return { input, created };
};
