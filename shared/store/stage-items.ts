import type { Severity, StageChangeKind, StageKey, StageSnapshot } from '../model';
import { canonicalJson, formatStageKey, isJsonObject, isSeverity } from '../model';
import type { Item } from './attributes';
import { bin, bool, num, optionalStr, readBin, readBool, readNum, readStr, str } from './attributes';
import { encodeBody, gunzipText } from './body-codec';
import { capturedAtOfVersionSk, latestSk, parseLatestSk, partSk, scopePk, stagePk } from './keys';
import type { LatestEntry, VersionEntry } from './snapshot-store';
import type { ItemKey } from './errors';
import { StoreError, describeItemKey } from './errors';

const STAGE_CHANGE_KINDS: readonly StageChangeKind[] = [
  'CREATED',
  'DELETED',
  'MODIFIED',
  'RECREATED',
  'REVERTED',
];
const isStageChangeKind = (value: unknown): value is StageChangeKind =>
  typeof value === 'string' && (STAGE_CHANGE_KINDS as readonly string[]).includes(value);

export const latestItemKey = (key: StageKey): ItemKey => ({
  PK: scopePk(key.account, key.region),
  SK: latestSk(key),
});

/** Attributes of a latest item other than its key (all of them small). */
export const LATEST_ATTRIBUTES = [
  'SK',
  'hash',
  'capturedAt',
  'versionSk',
  'apiName',
  'createdDate',
  'apiTagsHash',
  'lastChange',
  'lastSeverity',
  'lastDriftAt',
  'versionParts',
] as const;

export const latestItem = (entry: LatestEntry): Item => {
  const { PK, SK } = latestItemKey(entry.key);
  return {
    PK: str(PK),
    SK: str(SK),
    itemType: str('LATEST'),
    hash: str(entry.hash),
    capturedAt: str(entry.capturedAt),
    versionSk: str(entry.versionSk),
    apiName: str(entry.apiName),
    ...optionalStr('createdDate', entry.createdDate),
    ...optionalStr('apiTagsHash', entry.apiTagsHash),
    ...optionalStr('lastChange', entry.lastChange),
    ...optionalStr('lastSeverity', entry.lastSeverity),
    ...optionalStr('lastDriftAt', entry.lastDriftAt),
    ...(entry.versionParts ? { versionParts: num(entry.versionParts) } : {}),
  };
};

/** A latest item of the scope partition; throws a StoreError naming the item if it is malformed. */
export const parseLatestItem = (account: string, region: string, item: Item): LatestEntry => {
  const itemKey = { PK: scopePk(account, region), SK: readStr(item, 'SK') ?? '?' };
  const fail = (what: string): never => {
    throw new StoreError(
      `The latest item ${describeItemKey(itemKey)} is malformed (${what}). Delete it; the next scan ` +
        `records the stage again as CREATED.`,
      { itemKey },
    );
  };
  const key =
    parseLatestSk(account, region, itemKey.SK) ?? fail('sort key is not STAGE#<apiType>#<apiId>#<stage>');
  const hash = readStr(item, 'hash') ?? fail('no hash');
  const versionSk = readStr(item, 'versionSk') ?? fail('no versionSk');
  const lastChange = readStr(item, 'lastChange');
  const lastSeverity: string | undefined = readStr(item, 'lastSeverity');
  if (lastChange !== undefined && !isStageChangeKind(lastChange)) fail(`unknown lastChange "${lastChange}"`);
  if (lastSeverity !== undefined && !isSeverity(lastSeverity)) fail(`unknown lastSeverity "${lastSeverity}"`);
  const createdDate = readStr(item, 'createdDate');
  const apiTagsHash = readStr(item, 'apiTagsHash');
  const lastDriftAt = readStr(item, 'lastDriftAt');
  const versionParts = readNum(item, 'versionParts');
  return {
    key,
    hash,
    capturedAt: readStr(item, 'capturedAt') ?? fail('no capturedAt'),
    versionSk,
    apiName: readStr(item, 'apiName') ?? '',
    ...(createdDate === undefined ? {} : { createdDate }),
    ...(apiTagsHash === undefined ? {} : { apiTagsHash }),
    ...(lastChange === undefined ? {} : { lastChange: lastChange as StageChangeKind }),
    ...(lastSeverity === undefined ? {} : { lastSeverity: lastSeverity as Severity }),
    ...(lastDriftAt === undefined ? {} : { lastDriftAt }),
    ...(versionParts ? { versionParts } : {}),
  };
};

/** The items of one version: part items first (if split), the head item last. */
export const versionItems = (
  snapshot: StageSnapshot,
  sk: string,
  prevHash: string | undefined,
): { readonly items: Item[]; readonly parts: number } => {
  const pk = stagePk(snapshot.key);
  const head: Item = {
    PK: str(pk),
    SK: str(sk),
    itemType: str('VERSION'),
    hash: str(snapshot.hash),
    capturedAt: str(capturedAtOfVersionSk(sk)),
    ...optionalStr('prevHash', prevHash),
  };
  const body = encodeBody(canonicalJson(snapshot));
  switch (body.kind) {
    case 'inline':
      return { items: [{ ...head, snapshot: str(body.json) }], parts: 0 };
    case 'gzip':
      return { items: [{ ...head, snapshotGz: bin(body.gz) }], parts: 0 };
    case 'split': {
      const parts = body.chunks.map((chunk, index): Item => ({
        PK: str(pk),
        SK: str(partSk(sk, index)),
        itemType: str('VERSION'),
        partOf: str(sk),
        chunk: bin(chunk),
      }));
      return { items: [...parts, { ...head, parts: num(parts.length) }], parts: parts.length };
    }
  }
};

export const tombstoneItem = (
  key: StageKey,
  sk: string,
  prevHash: string | undefined,
  ttl: number,
): Item => ({
  PK: str(stagePk(key)),
  SK: str(sk),
  itemType: str('VERSION'),
  capturedAt: str(capturedAtOfVersionSk(sk)),
  deleted: bool(true),
  ...optionalStr('prevHash', prevHash),
  ttl: num(ttl),
});

export const versionEntryOf = (key: StageKey, item: Item): VersionEntry => {
  const versionSk = readStr(item, 'SK') ?? '';
  const hash = readStr(item, 'hash');
  const prevHash = readStr(item, 'prevHash');
  const ttl = readNum(item, 'ttl');
  return {
    key,
    versionSk,
    capturedAt: readStr(item, 'capturedAt') ?? capturedAtOfVersionSk(versionSk),
    ...(hash === undefined ? {} : { hash }),
    ...(prevHash === undefined ? {} : { prevHash }),
    deleted: readBool(item, 'deleted') === true,
    ...(ttl === undefined ? {} : { ttl }),
  };
};

const isStageSnapshot = (value: unknown): value is StageSnapshot =>
  isJsonObject(value) &&
  isJsonObject(value.key) &&
  typeof value.hash === 'string' &&
  typeof value.apiName === 'string' &&
  isJsonObject(value.config) &&
  isJsonObject(value.volatile);

/**
 * The snapshot of a version head item (and its parts, in order, when split). Throws a
 * StoreError naming the item when the body is missing, corrupt or not the expected stage.
 */
export const decodeSnapshot = (
  key: StageKey,
  head: Item,
  parts: readonly (Item | undefined)[],
  expectedHash?: string,
): StageSnapshot => {
  const itemKey = { PK: stagePk(key), SK: readStr(head, 'SK') ?? '?' };
  const fail = (what: string, cause?: unknown): never => {
    throw new StoreError(
      `The version item ${describeItemKey(itemKey)} cannot be read: ${what}. Restore it from a backup, or ` +
        `delete the stage's latest item (PK="${scopePk(key.account, key.region)}" SK="${latestSk(key)}") so ` +
        `the next scan records the stage again as CREATED.`,
      cause === undefined ? { itemKey } : { itemKey, cause },
    );
  };
  let json: string | undefined;
  try {
    const gz = readBin(head, 'snapshotGz');
    if (gz) json = gunzipText(gz);
    else if (readNum(head, 'parts')) {
      const chunks = parts.map((part, index) => {
        const chunk = part ? readBin(part, 'chunk') : undefined;
        return chunk ?? fail(`part ${index} is missing`);
      });
      json = gunzipText(chunks);
    } else json = readStr(head, 'snapshot');
  } catch (error) {
    if (error instanceof StoreError) throw error;
    fail('the compressed body is corrupt', error);
  }
  if (json === undefined) return fail('it has no snapshot body');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return fail('the snapshot is not valid JSON', error);
  }
  if (!isStageSnapshot(value)) return fail('the body is not a stage snapshot');
  if (formatStageKey(value.key) !== formatStageKey(key)) {
    return fail(`it holds stage ${formatStageKey(value.key)}`);
  }
  if (expectedHash !== undefined && value.hash !== expectedHash) {
    return fail(`its hash ${value.hash} is not the latest item's ${expectedHash}`);
  }
  return value;
};
