import { createHash } from 'node:crypto';

/**
 * Deterministic JSON: object keys sorted by code point, `undefined` members dropped, no
 * whitespace. Two equal values always give the same bytes, so the hash is stable.
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value));

const sortKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    // Object.fromEntries (not `out[k] = v`) so a key named `__proto__` (a legal variable name) survives.
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])] as const);
    return Object.fromEntries(entries);
  }
  return value;
};

/** SHA-256 hex of the canonical JSON of `value`. */
export const contentHash = (value: unknown): string =>
  createHash('sha256').update(canonicalJson(value)).digest('hex');
