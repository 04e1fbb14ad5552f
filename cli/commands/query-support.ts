import type { StageKey } from '../../shared/model';
import { API_TYPES, severityRank } from '../../shared/model';
import type { DriftEventRecord, DynamoSnapshotStore, ScopeRef, VersionEntry } from '../../shared/store';
import { UsageError } from '../errors';

const RELATIVE = /^(\d+)\s*(m|h|d|w)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `24h`, `7d`, `30m`, `2w` (before `now`) or an ISO-8601 date; anything else is a UsageError. */
export const parseWhen = (value: string, option: string, now: Date): string => {
  const text = value.trim();
  const relative = RELATIVE.exec(text);
  if (relative) {
    return new Date(
      now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS],
    ).toISOString();
  }
  // Date.parse alone is lenient ("5" is May 2001): require an ISO-8601 date first.
  const time = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(time)) return new Date(time).toISOString();
  throw new UsageError(
    `${option} "${value}" is not a time: use e.g. 24h, 7d, 30m, 2w or 2026-11-01T00:00:00Z`,
  );
};

/** `--limit`: a whole number >= 1 ("", "1.5", "1e3" and "0x10" are refused). */
export const parsePositiveInt = (value: string): number => {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--limit "${value}": expected a whole number >= 1`);
  return n;
};

/** Newest first; events of one scan most severe first, then by account, region, API and stage. */
export const sortEventsNewestFirst = (events: readonly DriftEventRecord[]): DriftEventRecord[] => {
  const keyOf = (e: DriftEventRecord) => [e.account, e.region, e.api.id, e.stageName, e.id].join('\u0000');
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...events].sort(
    (a, b) =>
      compare(b.detectedAt, a.detectedAt) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      compare(keyOf(a), keyOf(b)),
  );
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
    const stagesOfApi = new Set<string>();
    for (const scope of scopes) {
      for (const entry of await store.listLatest(scope.account, scope.region)) {
        if (entry.key.apiId === apiId) stagesOfApi.add(entry.key.stageName);
      }
    }
    if (stagesOfApi.size === 0) {
      throw new UsageError(`no API ${apiId} in ${where}: check the id with \`stage-drift stages\``);
    }
    throw new UsageError(
      `API ${apiId} has no stage "${stageName}" in ${where}: its stages are ${[...stagesOfApi].sort().join(', ')}`,
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
