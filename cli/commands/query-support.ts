import type { StageKey } from '../../shared/model';
import { API_TYPES } from '../../shared/model';
import type { DynamoSnapshotStore, ScopeRef, VersionEntry } from '../../shared/store';
import { UsageError } from '../io';

const RELATIVE = /^(\d+)\s*(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `24h`, `7d`, `30m`, `2w` (before `now`) or an ISO-8601 date. */
export const parseWhen = (value: string, option: string, now: Date): string => {
  const relative = RELATIVE.exec(value.trim());
  if (relative) {
    return new Date(
      now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS],
    ).toISOString();
  }
  const time = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(time)) return new Date(time).toISOString();
  throw new UsageError(
    `${option} "${value}" is not a time: use e.g. 24h, 7d, 30m, 2w or 2026-11-01T00:00:00Z`,
  );
};

export const parsePositiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--limit "${value}": expected a whole number >= 1`);
  return n;
};

export interface ScopeFilter {
  readonly region?: string;
  readonly account?: string;
}

/** The scanned scopes matching the filter; an empty store is a usage error that says what to do. */
export const scopesOf = async (
  store: DynamoSnapshotStore,
  filter: ScopeFilter,
  where: string,
): Promise<ScopeRef[]> => {
  const all = await store.listScopes();
  if (all.length === 0) throw new UsageError(`${where} is empty: run \`stage-drift scan\` first`);
  const matching = all.filter(
    (s) =>
      (!filter.region || s.region === filter.region) && (!filter.account || s.account === filter.account),
  );
  if (matching.length === 0) {
    const known = all.map((s) => `${s.account}/${s.region}`).join(', ');
    throw new UsageError(
      `no scans of ${filter.account ?? 'any account'} in ${filter.region ?? 'any region'}: ${where} has ${known}`,
    );
  }
  return matching;
};

/** Finds a stage (current or deleted) by API id and stage name across the matching scopes. */
export const findStage = async (
  store: DynamoSnapshotStore,
  apiId: string,
  stageName: string,
  filter: ScopeFilter,
  where: string,
): Promise<{ key: StageKey; versions: VersionEntry[] }> => {
  const scopes = await scopesOf(store, filter, where);
  const found: { key: StageKey; versions: VersionEntry[] }[] = [];
  for (const scope of scopes) {
    for (const apiType of API_TYPES) {
      const key: StageKey = { account: scope.account, region: scope.region, apiType, apiId, stageName };
      const versions = await store.listVersions(key);
      if (versions.length > 0) found.push({ key, versions });
    }
  }
  if (found.length === 0) {
    throw new UsageError(
      `no stage "${stageName}" of API ${apiId} in ${where}: check the ids with \`stage-drift stages\``,
    );
  }
  if (found.length > 1) {
    const where2 = found.map((f) => `${f.key.account}/${f.key.region}`).join(', ');
    throw new UsageError(
      `API ${apiId} stage ${stageName} exists in ${where2}: pass --region (and --account)`,
    );
  }
  return found[0]!;
};
