import { badRequest } from './service-error';

export interface PageSizeRule {
  /** The query parameter, as it appears on the wire (`limit`, `maxResults`). */
  readonly name: string;
  readonly defaultSize: number;
  readonly max: number;
}

/** The page size a request asked for, or the default; a 400 when it is not 1..max. */
export const parsePageSize = (query: URLSearchParams, rule: PageSizeRule): number => {
  const raw = query.get(rule.name);
  if (raw === null || raw === '') return rule.defaultSize;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < 1 || value > rule.max) {
    throw badRequest(
      `1 validation error detected: Value '${raw}' at '${rule.name}' failed to satisfy constraint: ` +
        `Member must have value between 1 and ${rule.max}`,
    );
  }
  return value;
};
