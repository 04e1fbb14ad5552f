import { StageNormalizeError } from './errors';

/** A JSON-ish object read from input: own enumerable string keys only. */
export type InputObject = Readonly<Record<string, unknown>>;

/**
 * A member of the input that the model does not know. It is not compared, and it is reported so
 * that it is never dropped silently (a field AWS added, a document in another spelling).
 */
export interface NormalizeWarning {
  /** Path of the member as spelled in the input: `MethodSettings`, `methodSettings["*\/*"].newSetting`. */
  readonly path: string;
  /** One line for people: `unknown member MethodSettings (a PascalCase REST document? ...)`. */
  readonly message: string;
}

/** Where a reader reports the unknown members it meets. */
export type WarningSink = (warning: NormalizeWarning) => void;

/** Says why a member is unknown, when a reader can tell (e.g. a PascalCase REST member). */
export type UnknownMemberHint = (name: string) => string | undefined;

/** A value found under one of a field's spellings, with its path for messages. */
export interface FoundField {
  readonly path: string;
  readonly value: unknown;
}

export const isInputObject = (value: unknown): value is InputObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** `accessLogSettings` + `format` -> `accessLogSettings.format`; the root is the empty path. */
export const fieldPath = (parent: string, name: string): string =>
  parent === '' ? name : `${parent}.${name}`;

/** `methodSettings` + `*\/*` -> `methodSettings["*\/*"]`. */
export const entryPath = (parent: string, key: string): string => `${parent}[${JSON.stringify(key)}]`;

const MAX_SHOWN = 60;

/**
 * A short description of a value for an error message. With `secret`, only the type is named,
 * so a stage variable value never reaches a message.
 */
export const describeValue = (value: unknown, secret = false): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  switch (typeof value) {
    case 'string': {
      if (secret) return 'a string';
      const shown = JSON.stringify(value);
      return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 2)}..."` : shown;
    }
    case 'number':
    case 'boolean':
      return secret ? `a ${typeof value}` : String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
};

export const typeError = (found: FoundField, expected: string, secret = false): StageNormalizeError =>
  new StageNormalizeError(`${found.path}: expected ${expected}, got ${describeValue(found.value, secret)}`, {
    field: found.path,
  });

/**
 * The value of a field under any of its spellings (`StageName` / `stageName`), treating `null`
 * and `undefined` as absent. Two spellings both present is an error: the input mixes styles.
 */
export const findField = (
  input: InputObject,
  parentPath: string,
  names: readonly string[],
): FoundField | undefined => {
  let found: FoundField | undefined;
  for (const name of names) {
    if (!Object.hasOwn(input, name)) continue;
    const value = input[name];
    if (value === undefined || value === null) continue;
    const path = fieldPath(parentPath, name);
    if (found !== undefined) {
      throw new StageNormalizeError(`${found.path} and ${path} are both given: use one spelling`, {
        field: path,
      });
    }
    found = { path, value };
  }
  return found;
};

const NOT_COMPARED = 'not compared: the stage model does not know it';

/**
 * Reports each member of `input` that is not in `known` to `warn`. `null` and `undefined`
 * members say nothing and are not reported. No sink, no work.
 */
export const reportUnknownMembers = (
  input: InputObject,
  parentPath: string,
  known: ReadonlySet<string>,
  warn: WarningSink | undefined,
  hint: UnknownMemberHint = () => undefined,
): void => {
  if (warn === undefined) return;
  for (const name of Object.keys(input)) {
    const value = input[name];
    if (known.has(name) || value === undefined || value === null) continue;
    const path = fieldPath(parentPath, name);
    warn({ path, message: `unknown member ${path} (${hint(name) ?? NOT_COMPARED})` });
  }
};

/** `MethodSettings` -> `methodSettings`; `undefined` when the name does not start with a capital. */
export const camelCaseOf = (name: string): string | undefined => {
  const first = name.charAt(0);
  return first !== '' && first !== first.toLowerCase() ? `${first.toLowerCase()}${name.slice(1)}` : undefined;
};

/** A string; the empty string counts as absent. */
export const expectOptionalString = (found: FoundField | undefined): string | undefined => {
  if (found === undefined) return undefined;
  if (typeof found.value !== 'string') throw typeError(found, 'a string');
  return found.value === '' ? undefined : found.value;
};

export const expectBoolean = (found: FoundField | undefined): boolean | undefined => {
  if (found === undefined) return undefined;
  if (typeof found.value !== 'boolean') throw typeError(found, 'a boolean (true or false)');
  return found.value;
};

export const expectNumber = (found: FoundField | undefined): number | undefined => {
  if (found === undefined) return undefined;
  if (typeof found.value !== 'number' || !Number.isFinite(found.value)) throw typeError(found, 'a number');
  return found.value;
};

export const expectObject = (found: FoundField): InputObject => {
  if (!isInputObject(found.value)) throw typeError(found, 'an object');
  return found.value;
};

/** Sorted by key (code unit order, as `canonicalJson` sorts); `__proto__` stays an own key. */
export const sortedRecord = <V>(entries: Iterable<readonly [string, V]>): Record<string, V> =>
  Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * A string-to-string map (stage variables, tags, canary overrides): key-sorted, `null` entries
 * dropped, empty-string values kept (`"url": ""` is meaningful), `undefined` when empty.
 * With `secret`, messages name the type of a bad value, never the value.
 */
export const readStringMap = (
  found: FoundField | undefined,
  secret: boolean,
): Record<string, string> | undefined => {
  if (found === undefined) return undefined;
  const input = expectObject(found);
  const entries: [string, string][] = [];
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string')
      throw typeError({ path: entryPath(found.path, key), value }, 'a string', secret);
    entries.push([key, value]);
  }
  return entries.length === 0 ? undefined : sortedRecord(entries);
};

/**
 * A map of settings objects (`methodSettings`, `routeSettings`), key-sorted; entries that are
 * `null` or normalize to an empty object are dropped, `undefined` when nothing is left.
 * Keys are kept verbatim (`*\/*`, `GET /pets`) and handed to `readEntry` with each entry.
 */
export const readObjectMap = <T>(
  found: FoundField | undefined,
  readEntry: (entry: FoundField, key: string) => T | undefined,
): Record<string, T> | undefined => {
  if (found === undefined) return undefined;
  const input = expectObject(found);
  const entries: [string, T][] = [];
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    const entry = readEntry({ path: entryPath(found.path, key), value }, key);
    if (entry !== undefined) entries.push([key, entry]);
  }
  return entries.length === 0 ? undefined : sortedRecord(entries);
};

type KindOf<V> =
  NonNullable<V> extends boolean ? 'boolean' : NonNullable<V> extends number ? 'number' : 'string';

/** The JSON type of each scalar field of a flat settings object; the compiler checks it against `T`. */
export type ScalarFieldKinds<T> = { readonly [K in keyof T]-?: KindOf<T[K]> };

/** The other spelling of each field (the v2 SDK's PascalCase), written out, never derived. */
export type FieldAliases<T> = { readonly [K in keyof T]-?: string };

/** How `readScalarObject` reads one settings object. */
export interface ScalarObjectOptions<T> {
  /** The other spelling of each field (the v2 SDK's PascalCase). @default camelCase only */
  readonly aliases?: FieldAliases<T>;
  /**
   * Values AWS documents as the default of this object: a member equal to its default is the
   * same as its absence and is dropped. @default none
   */
  readonly defaults?: Partial<T>;
  /** Where unknown members are reported. @default not reported */
  readonly warn?: WarningSink;
  /** Why a member is unknown, for the warning. @default none */
  readonly hint?: UnknownMemberHint;
}

/**
 * A flat object of scalar settings (`accessLogSettings`, one method or route setting) in
 * canonical form: keys in sorted order, absent/`null`/`""` members and members equal to their
 * default dropped, `undefined` when nothing is left. Each field is also read under its alias.
 */
export const readScalarObject = <T>(
  found: FoundField | undefined,
  kinds: ScalarFieldKinds<T>,
  options: ScalarObjectOptions<T> = {},
): T | undefined => {
  if (found === undefined) return undefined;
  const input = expectObject(found);
  const { aliases, defaults } = options;
  const out: Record<string, string | number | boolean> = {};
  const known = new Set<string>();
  for (const name of (Object.keys(kinds) as (keyof T & string)[]).sort()) {
    const names = aliases === undefined ? [name] : [aliases[name], name];
    for (const spelling of names) known.add(spelling);
    const member = findField(input, found.path, names);
    const kind: string = kinds[name];
    const value =
      kind === 'boolean'
        ? expectBoolean(member)
        : kind === 'number'
          ? expectNumber(member)
          : expectOptionalString(member);
    if (value !== undefined && value !== defaults?.[name]) out[name] = value;
  }
  reportUnknownMembers(input, found.path, known, options.warn, options.hint);
  return Object.keys(out).length === 0 ? undefined : (out as T);
};
