import { badRequest } from './service-error';

/** One JSON-Patch-like operation of v1 UpdateStage, as the request body carries it. */
export interface PatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: string;
  readonly from?: string;
}

/** The patch ops API Gateway accepts at all (`move` and `test` are in the model but never accepted). */
export const PATCH_OPS = ['add', 'remove', 'replace', 'copy'] as const;

/** The operation's `value`, or a 400 naming the path when it is missing. */
export const requireValue = (operation: PatchOperation): string => {
  if (operation.value === undefined) {
    throw badRequest(
      `Invalid null value for patch path '${operation.path}' specified for op '${operation.op}'`,
    );
  }
  return operation.value;
};

const invalidValue = (operation: PatchOperation, expected: string): Error =>
  badRequest(
    `Invalid value '${operation.value ?? ''}' specified for patch path '${operation.path}'. Must be ${expected}`,
  );

/** `"true"` / `"false"` (any case, as the service's boolean parsing takes them). */
export const booleanValue = (operation: PatchOperation): boolean => {
  const raw = requireValue(operation).toLowerCase();
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidValue(operation, "'true' or 'false'");
};

/** A whole number, optionally bounded. */
export const integerValue = (
  operation: PatchOperation,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number => {
  const raw = requireValue(operation).trim();
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidValue(operation, `an integer from ${min} to ${max}`);
  }
  return value;
};

/** A finite number, optionally bounded. */
export const numberValue = (
  operation: PatchOperation,
  min = -Number.MAX_VALUE,
  max = Number.MAX_VALUE,
): number => {
  const raw = requireValue(operation).trim();
  const value = raw === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw invalidValue(operation, `a number from ${min} to ${max}`);
  }
  return value;
};

/** One of a fixed set of strings. */
export const enumValue = (operation: PatchOperation, allowed: readonly string[]): string => {
  const raw = requireValue(operation);
  if (!allowed.includes(raw)) throw invalidValue(operation, `one of: [${allowed.join(', ')}]`);
  return raw;
};

/** A non-empty string. */
export const nonEmptyValue = (operation: PatchOperation): string => {
  const raw = requireValue(operation);
  if (raw === '') throw invalidValue(operation, 'a non-empty string');
  return raw;
};

/** A JSON Pointer segment, unescaped: `~1` is `/`, `~0` is `~`. */
export const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** The request's `patchOperations`, checked for shape; a 400 naming the bad entry otherwise. */
export const readPatchOperations = (body: Record<string, unknown>): PatchOperation[] => {
  const raw = body.patchOperations;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest('Invalid patchOperations: expected a list of patch operations');
  return raw.map((entry: unknown, index): PatchOperation => {
    const candidate = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const { op, path, value, from } = candidate;
    if (typeof op !== 'string' || typeof path !== 'string') {
      throw badRequest(`Invalid patch operation at index ${index}: op and path are required strings`);
    }
    if (
      (value !== undefined && value !== null && typeof value !== 'string') ||
      (from !== undefined && from !== null && typeof from !== 'string')
    ) {
      throw badRequest(`Invalid patch operation at index ${index}: value and from must be strings`);
    }
    return {
      op,
      path,
      ...(typeof value === 'string' ? { value } : {}),
      ...(typeof from === 'string' ? { from } : {}),
    };
  });
};
