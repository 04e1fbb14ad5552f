import type { ChangeKind, JsonObject, JsonValue } from '../model';
import { canonicalJson, isJsonObject } from '../model';

/** A change before severity, label and redaction: what the walk of two configs finds. */
export interface RawChange {
  readonly path: readonly string[];
  readonly kind: ChangeKind;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

/**
 * Maps whose entries are compared one by one, where an absent map equals `{}`: a wholly added or
 * removed entry is one change at the entry's path.
 */
const CONTAINER_PATHS: readonly (readonly string[])[] = [
  ['methodSettings'],
  ['routeSettings'],
  ['variables'],
  ['stageVariables'],
  ['tags'],
  ['canarySettings', 'stageVariableOverrides'],
];

/**
 * Containers whose entries are settings objects: a wholly added or removed entry is reported field
 * by field (`methodSettings.<key>.<field>`), so each field meets its own severity rule.
 */
const SETTINGS_CONTAINERS: readonly (readonly string[])[] = [['methodSettings'], ['routeSettings']];

const samePath = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((segment, i) => segment === b[i]);

export const isContainerPath = (path: readonly string[]): boolean =>
  CONTAINER_PATHS.some((container) => samePath(container, path));

const member = (object: JsonObject, key: string): JsonValue | undefined =>
  Object.hasOwn(object, key) ? object[key] : undefined;

const unionKeys = (a: JsonObject, b: JsonObject): string[] =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();

const change = (
  path: readonly string[],
  before: JsonValue | undefined,
  after: JsonValue | undefined,
): RawChange => {
  if (before === undefined) return { path, kind: 'added', after: after };
  if (after === undefined) return { path, kind: 'removed', before };
  return { path, kind: 'changed', before, after };
};

const walkObject = (
  path: readonly string[],
  before: JsonObject,
  after: JsonObject,
  out: RawChange[],
): void => {
  for (const key of unionKeys(before, after)) {
    walkValue([...path, key], member(before, key), member(after, key), out);
  }
};

const walkContainer = (
  path: readonly string[],
  before: JsonObject,
  after: JsonObject,
  out: RawChange[],
): void => {
  for (const key of unionKeys(before, after)) {
    const b = member(before, key);
    const a = member(after, key);
    const entryPath = [...path, key];
    if (b === undefined || a === undefined) {
      const entry = b ?? a;
      if (
        SETTINGS_CONTAINERS.some((c) => samePath(c, path)) &&
        isJsonObject(entry) &&
        Object.keys(entry).length > 0
      ) {
        walkObject(entryPath, isJsonObject(b) ? b : {}, isJsonObject(a) ? a : {}, out);
      } else if (entry !== undefined) out.push(change(entryPath, b, a));
    } else {
      walkValue(entryPath, b, a, out);
    }
  }
};

const walkValue = (
  path: readonly string[],
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  out: RawChange[],
): void => {
  if (before === undefined && after === undefined) return;
  const beforeIsObject = before === undefined || isJsonObject(before);
  const afterIsObject = after === undefined || isJsonObject(after);
  if (isContainerPath(path) && beforeIsObject && afterIsObject) {
    walkContainer(path, before ?? {}, after ?? {}, out);
  } else if (before === undefined || after === undefined) {
    out.push(change(path, before, after));
  } else if (isJsonObject(before) && isJsonObject(after)) {
    walkObject(path, before, after, out);
  } else if (canonicalJson(before) !== canonicalJson(after)) {
    out.push(change(path, before, after));
  }
};

/**
 * Every difference between two canonical configs, in path order: changed scalars at their leaf
 * path, wholly added or removed objects and map entries as one change at their own path.
 */
export const collectRawChanges = (before: JsonObject, after: JsonObject): RawChange[] => {
  const out: RawChange[] = [];
  walkObject([], before, after, out);
  return out;
};

/**
 * The leaves of a change: an added or removed object expands into one leaf per scalar inside it
 * (same kind), in path order. A scalar change, or an object without leaves, is its own only leaf.
 */
export const projectLeaves = (raw: RawChange): RawChange[] => {
  const leaves: RawChange[] = [];
  const visit = (
    path: readonly string[],
    before: JsonValue | undefined,
    after: JsonValue | undefined,
  ): void => {
    if (before === undefined && after === undefined) return;
    if (before !== undefined && after !== undefined && canonicalJson(before) === canonicalJson(after)) return;
    const objects = [before, after].filter((v) => v !== undefined);
    if (objects.every(isJsonObject)) {
      const b = (before ?? {}) as JsonObject;
      const a = (after ?? {}) as JsonObject;
      for (const key of unionKeys(b, a)) visit([...path, key], member(b, key), member(a, key));
    } else {
      leaves.push(change(path, before, after));
    }
  };
  visit(raw.path, raw.before, raw.after);
  return leaves.length > 0 ? leaves : [raw];
};

/** A copy with object keys sorted at every depth, so output bytes do not depend on insertion order. */
export const sortKeysDeep = (value: JsonValue): JsonValue => {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (isJsonObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeysDeep(value[key] as JsonValue)]),
    );
  }
  return value;
};
