import {
  booleanValue,
  enumValue,
  nonEmptyValue,
  numberValue,
  PATCH_OPS,
  requireValue,
  unescapePointer,
  type PatchOperation,
} from './patch-values';
import { methodSettingsKey, removeMethodSettings, replaceMethodSetting } from './rest-method-settings';
import { badRequest } from './service-error';

type Stage = Record<string, unknown>;

/** Cache cluster sizes (GB) the service offers. */
export const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'] as const;

/** The paths each op accepts on a Stage, as the error message lists them. */
const VALID_PATHS: Readonly<Record<string, readonly string[]>> = {
  replace: [
    '/description',
    '/cacheClusterEnabled',
    '/cacheClusterSize',
    '/clientCertificateId',
    '/deploymentId',
    '/documentationVersion',
    '/tracingEnabled',
    '/variables/{name}',
    '/accessLogSettings/format',
    '/accessLogSettings/destinationArn',
    '/canarySettings/percentTraffic',
    '/canarySettings/deploymentId',
    '/canarySettings/useStageCache',
    '/canarySettings/stageVariableOverrides/{name}',
    '/{resourcePath}/{httpMethod}/{setting}',
  ],
  add: ['/variables/{name}', '/canarySettings/stageVariableOverrides/{name}'],
  remove: [
    '/description',
    '/clientCertificateId',
    '/documentationVersion',
    '/variables/{name}',
    '/accessLogSettings',
    '/canarySettings',
    '/canarySettings/stageVariableOverrides/{name}',
    '/{resourcePath}/{httpMethod}',
  ],
  copy: [
    '/deploymentId (from /canarySettings/deploymentId)',
    '/variables (from /canarySettings/stageVariableOverrides)',
  ],
};

const invalidPath = (operation: PatchOperation): Error =>
  badRequest(
    `Invalid patch path '${operation.path}' specified for op '${operation.op}'. ` +
      `Must be one of: [${(VALID_PATHS[operation.op] ?? []).join(', ')}]`,
  );

const objectMember = (stage: Stage, name: string): Record<string, unknown> => {
  const current = stage[name];
  const member = (typeof current === 'object' && current !== null ? { ...current } : {}) as Record<
    string,
    unknown
  >;
  stage[name] = member;
  return member;
};

/** Sets or deletes one entry of a string map member (`variables`, `stageVariableOverrides`). */
const patchStringMap = (
  holder: Record<string, unknown>,
  member: string,
  name: string,
  operation: PatchOperation,
): void => {
  if (name === '') throw invalidPath(operation);
  const map = objectMember(holder, member) as Record<string, string>;
  if (operation.op === 'remove') delete map[name];
  else map[name] = requireValue(operation);
};

/** replace of a string member; an empty value (or remove, where allowed) drops the member. */
const patchOptionalString = (stage: Stage, field: string, operation: PatchOperation): void => {
  const value = operation.op === 'remove' ? '' : requireValue(operation);
  if (value === '') delete stage[field];
  else stage[field] = value;
};

const setCacheClusterEnabled = (stage: Stage, operation: PatchOperation): void => {
  const enabled = booleanValue(operation);
  stage.cacheClusterEnabled = enabled;
  stage.cacheClusterStatus = enabled ? 'AVAILABLE' : 'NOT_AVAILABLE';
  if (enabled && stage.cacheClusterSize === undefined) stage.cacheClusterSize = '0.5';
  if (!enabled) delete stage.cacheClusterSize;
};

type Applier = (stage: Stage, operation: PatchOperation) => void;

/** Top-level members by name, with the ops each accepts. */
const TOP_LEVEL: Readonly<Record<string, Partial<Record<string, Applier>>>> = {
  description: {
    replace: (stage, op) => patchOptionalString(stage, 'description', op),
    remove: (stage, op) => patchOptionalString(stage, 'description', op),
  },
  clientCertificateId: {
    replace: (stage, op) => patchOptionalString(stage, 'clientCertificateId', op),
    remove: (stage, op) => patchOptionalString(stage, 'clientCertificateId', op),
  },
  documentationVersion: {
    replace: (stage, op) => patchOptionalString(stage, 'documentationVersion', op),
    remove: (stage, op) => patchOptionalString(stage, 'documentationVersion', op),
  },
  deploymentId: { replace: (stage, op) => void (stage.deploymentId = nonEmptyValue(op)) },
  cacheClusterSize: {
    replace: (stage, op) => void (stage.cacheClusterSize = enumValue(op, CACHE_CLUSTER_SIZES)),
  },
  cacheClusterEnabled: { replace: setCacheClusterEnabled },
  tracingEnabled: { replace: (stage, op) => void (stage.tracingEnabled = booleanValue(op)) },
  accessLogSettings: { remove: (stage) => void delete stage.accessLogSettings },
  canarySettings: { remove: (stage) => void delete stage.canarySettings },
};

const applyAccessLogSettings = (stage: Stage, member: string, operation: PatchOperation): boolean => {
  if (operation.op !== 'replace' || (member !== 'format' && member !== 'destinationArn')) return false;
  objectMember(stage, 'accessLogSettings')[member] = requireValue(operation);
  return true;
};

/** `/canarySettings/...` members; replacing one creates the canary when there is none. */
const applyCanarySettings = (stage: Stage, rest: readonly string[], operation: PatchOperation): boolean => {
  const [member, name, ...extra] = rest;
  if (member === 'stageVariableOverrides' && name !== undefined && extra.length === 0) {
    if (operation.op === 'copy') return false;
    patchStringMap(
      objectMember(stage, 'canarySettings'),
      'stageVariableOverrides',
      unescapePointer(name),
      operation,
    );
    return true;
  }
  if (operation.op !== 'replace' || name !== undefined) return false;
  if (member === 'percentTraffic')
    objectMember(stage, 'canarySettings').percentTraffic = numberValue(operation, 0, 100);
  else if (member === 'deploymentId')
    objectMember(stage, 'canarySettings').deploymentId = nonEmptyValue(operation);
  else if (member === 'useStageCache')
    objectMember(stage, 'canarySettings').useStageCache = booleanValue(operation);
  else return false;
  return true;
};

/** `copy`: promoting a canary, the only copies the service documents. */
const applyCopy = (stage: Stage, operation: PatchOperation): void => {
  const canary = (stage.canarySettings ?? {}) as Record<string, unknown>;
  if (operation.path === '/deploymentId' && operation.from === '/canarySettings/deploymentId') {
    if (typeof canary.deploymentId !== 'string')
      throw badRequest(`Invalid from path '${operation.from}': the stage has no canary deployment`);
    stage.deploymentId = canary.deploymentId;
    return;
  }
  if (operation.path === '/variables' && operation.from === '/canarySettings/stageVariableOverrides') {
    const overrides = (canary.stageVariableOverrides ?? {}) as Record<string, string>;
    stage.variables = { ...((stage.variables ?? {}) as Record<string, string>), ...overrides };
    return;
  }
  throw invalidPath(operation);
};

const applyMethodSettings = (
  stage: Stage,
  segments: readonly string[],
  operation: PatchOperation,
): boolean => {
  const [resource, method, ...setting] = segments;
  const key = methodSettingsKey(resource, method);
  if (key === undefined) return false;
  if (operation.op === 'remove' && setting.length === 0) {
    removeMethodSettings(stage, key);
    return true;
  }
  if (operation.op !== 'replace' || setting.length !== 2) return false;
  return replaceMethodSetting(stage, key, setting.join('/'), operation);
};

const applyVariable = (stage: Stage, rest: readonly string[], operation: PatchOperation): boolean => {
  if (rest.length !== 1) return false;
  patchStringMap(stage, 'variables', unescapePointer(rest[0] ?? ''), operation);
  return true;
};

/** The paths below a top-level member, and method settings; false when the path is not valid. */
const applyNested = (stage: Stage, segments: readonly string[], operation: PatchOperation): boolean => {
  const [head = '', ...rest] = segments;
  switch (head) {
    case 'variables':
      return applyVariable(stage, rest, operation);
    case 'accessLogSettings':
      return rest.length === 1 && applyAccessLogSettings(stage, rest[0] ?? '', operation);
    case 'canarySettings':
      return rest.length > 0 && applyCanarySettings(stage, rest, operation);
    default:
      return !(head in TOP_LEVEL) && applyMethodSettings(stage, segments, operation);
  }
};

/** Applies one patch operation to `stage` (in place); a 400 naming the path when it is not valid. */
export const applyPatchOperation = (stage: Stage, operation: PatchOperation): void => {
  if (!(PATCH_OPS as readonly string[]).includes(operation.op)) {
    throw badRequest(
      `Invalid patch operation '${operation.op}' specified for path '${operation.path}'. Must be one of: [${PATCH_OPS.join(', ')}]`,
    );
  }
  if (operation.op === 'copy') return applyCopy(stage, operation);
  if (!operation.path.startsWith('/')) throw invalidPath(operation);
  const segments = operation.path.slice(1).split('/');
  const [head = '', ...rest] = segments;
  const topLevel = TOP_LEVEL[head]?.[operation.op];
  if (topLevel && rest.length === 0) return topLevel(stage, operation);
  const applied = applyNested(stage, segments, operation);
  if (!applied) throw invalidPath(operation);
};

/** Applies every operation in order to a copy of `stage`: all apply, or (on a 400) none do. */
export const patchedStage = (stage: Stage, operations: readonly PatchOperation[]): Stage => {
  const copy = structuredClone(stage);
  for (const operation of operations) applyPatchOperation(copy, operation);
  return copy;
};
