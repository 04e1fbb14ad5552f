import type { ApiType, StageKey } from '../model';
import { API_TYPES } from '../model';

/**
 * Key layout of the single table (see README.md). Key parts are joined with `#`; account ids,
 * region names, API ids and API types never contain `#`, and a stage name is always the last
 * part, so parsing stays unambiguous even if a stage name did.
 */

/** `CONFIG`, `SCOPE` and `DELIVERY` items are small bookkeeping items outside the stage history. */
export const ITEM_TYPES = ['LATEST', 'VERSION', 'DRIFT', 'RUN', 'CONFIG', 'SCOPE', 'DELIVERY'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** Partition of the latest items of one account + region: one Query lists the scope. */
export const scopePk = (account: string, region: string): string => `SCOPE#${account}#${region}`;

/** Sort key of a latest item inside its scope partition. */
export const latestSk = (key: StageKey): string => `STAGE#${key.apiType}#${key.apiId}#${key.stageName}`;

/** Partition of one stage's history: its versions and its drift events. */
export const stagePk = (key: StageKey): string =>
  `STAGE#${key.account}#${key.region}#${key.apiType}#${key.apiId}#${key.stageName}`;

export const VERSION_PREFIX = 'V#';
export const DRIFT_PREFIX = 'DRIFT#';
const PART_MARKER = '#PART#';

/** Sort key of the version captured (first detected) at `capturedAt`. */
export const versionSk = (capturedAt: string): string => `${VERSION_PREFIX}${capturedAt}`;

/** Sort key of chunk `index` (0-based, zero-padded so parts sort in order) of a split version. */
export const partSk = (versionSortKey: string, index: number): string =>
  `${versionSortKey}${PART_MARKER}${String(index).padStart(4, '0')}`;

export const isPartSk = (sk: string): boolean => sk.includes(PART_MARKER);

/** `V#2024-05-01T10:00:00.000Z` -> `2024-05-01T10:00:00.000Z`. */
export const capturedAtOfVersionSk = (sk: string): string => sk.slice(VERSION_PREFIX.length);

export const driftSk = (eventId: string): string => `${DRIFT_PREFIX}${eventId}`;

/** GSI1 partition of the drift events detected in one UTC month: `DRIFT#2024-05`. */
export const driftMonthPk = (detectedAt: string): string => `${DRIFT_PREFIX}${detectedAt.slice(0, 7)}`;

export const driftGsiSk = (detectedAt: string, eventId: string): string => `${detectedAt}#${eventId}`;

export const runPk = (account: string, region: string): string => `RUN#${account}#${region}`;

const isApiType = (value: string): value is ApiType => (API_TYPES as readonly string[]).includes(value);

/**
 * The stage key of a latest item from its scope and sort key, or `undefined` when the sort key
 * is not `STAGE#<apiType>#<apiId>#<stageName>`.
 */
export const parseLatestSk = (account: string, region: string, sk: string): StageKey | undefined => {
  const parts = sk.split('#');
  if (parts.length < 4 || parts[0] !== 'STAGE') return undefined;
  const [, apiType, apiId] = parts;
  const stageName = parts.slice(3).join('#');
  if (apiType === undefined || !isApiType(apiType) || !apiId || !stageName) return undefined;
  return { account, region, apiType, apiId, stageName };
};
