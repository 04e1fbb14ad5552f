/**
 * A small JSON Schema (draft 2020-12) validator for the keywords `drift-event.schema.json` uses.
 * `SUPPORTED_KEYWORDS` lists them; a test fails if the schema uses any other, so nothing is
 * silently ignored.
 */
type Schema = boolean | { readonly [keyword: string]: unknown };

export const SUPPORTED_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$defs',
  '$ref',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'pattern',
  'minLength',
  'minimum',
  'minItems',
  'anyOf',
  'format',
]);

/** Every keyword used anywhere in `schema` (property names under `properties`/`$defs` excluded). */
export const keywordsOf = (schema: Schema): Set<string> => {
  const found = new Set<string>();
  const walk = (s: unknown) => {
    if (typeof s !== 'object' || s === null) return;
    for (const [key, value] of Object.entries(s)) {
      found.add(key);
      if (key === 'properties' || key === '$defs')
        for (const sub of Object.values(value as object)) walk(sub);
      else if (key === 'items' || key === 'additionalProperties') walk(value);
      else if (key === 'anyOf') for (const sub of value as unknown[]) walk(sub);
    }
  };
  walk(schema);
  return found;
};

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

const matchesType = (value: unknown, type: string): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Errors as `<json pointer>: <problem>`; empty when `value` is valid. */
export const validate = (root: Schema, value: unknown): string[] => {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new Error(`only local $ref supported: ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    return node as Schema;
  };
  const check = (schema: Schema, v: unknown, at: string): void => {
    if (schema === true) return;
    if (schema === false) {
      errors.push(`${at}: not allowed`);
      return;
    }
    const s = schema as Record<string, unknown>;
    if (typeof s.$ref === 'string') check(resolve(s.$ref), v, at);
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => matchesType(v, t))) {
        errors.push(`${at}: expected ${types.join(' or ')}, got ${typeOf(v)}`);
        return;
      }
    }
    if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v)) {
      errors.push(`${at}: expected ${JSON.stringify(s.const)}`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      errors.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    }
    if (typeof v === 'string') {
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) {
        errors.push(`${at}: ${JSON.stringify(v)} does not match ${s.pattern}`);
      }
      if (typeof s.minLength === 'number' && [...v].length < s.minLength) errors.push(`${at}: too short`);
      if (s.format === 'date-time' && (!ISO_DATE_TIME.test(v) || Number.isNaN(Date.parse(v)))) {
        errors.push(`${at}: not a date-time`);
      }
    }
    if (typeof v === 'number' && typeof s.minimum === 'number' && v < s.minimum) {
      errors.push(`${at}: below ${s.minimum}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems)
        errors.push(`${at}: fewer than ${s.minItems} items`);
      if (s.items !== undefined) v.forEach((item, i) => check(s.items as Schema, item, `${at}/${i}`));
    }
    if (typeOf(v) === 'object') {
      const object = v as Record<string, unknown>;
      for (const name of (s.required as string[] | undefined) ?? []) {
        if (!(name in object)) errors.push(`${at}: missing ${name}`);
      }
      const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
      for (const [name, child] of Object.entries(object)) {
        if (name in properties) check(properties[name]!, child, `${at}/${name}`);
        else if (s.additionalProperties !== undefined)
          check(s.additionalProperties as Schema, child, `${at}/${name}`);
      }
    }
    if (Array.isArray(s.anyOf)) {
      const before = errors.length;
      const passes = (s.anyOf as Schema[]).some((sub) => {
        const mark = errors.length;
        check(sub, v, at);
        const ok = errors.length === mark;
        errors.length = mark;
        return ok;
      });
      errors.length = before;
      if (!passes) errors.push(`${at}: matches none of anyOf`);
    }
  };
  check(root, value, '');
  return errors;
};
