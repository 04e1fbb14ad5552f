/**
 * Opaque page tokens (`position` in v1, `nextToken` in v2). A token names the last key
 * returned and the collection it belongs to, so a page after a deletion neither repeats nor
 * skips an item, and a token from another collection is refused.
 */

const PREFIX = 'sim1:';

export const encodePageToken = (scope: string, lastKey: string): string =>
  Buffer.from(`${PREFIX}${JSON.stringify([scope, lastKey])}`, 'utf8').toString('base64url');

/** The last key the token names, or undefined when the token is not one of ours for `scope`. */
export const decodePageToken = (scope: string, token: string): string | undefined => {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  try {
    const parsed: unknown = JSON.parse(text.slice(PREFIX.length));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed[0] === scope &&
      typeof parsed[1] === 'string'
    ) {
      return parsed[1];
    }
  } catch {
    return undefined;
  }
  return undefined;
};

export interface Page<T> {
  items: T[];
  /** Present when more items follow. */
  nextToken?: string;
}

/**
 * One page of `items` ordered by `keyOf`, starting after the key named by `afterKey`.
 * Keys must be unique within the collection.
 */
export const pageByKey = <T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  scope: string,
  size: number,
  afterKey: string | undefined,
): Page<T> => {
  const remaining = items
    .filter((item) => afterKey === undefined || keyOf(item) > afterKey)
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const page = remaining.slice(0, size);
  const last = page[page.length - 1];
  if (remaining.length > size && last !== undefined) {
    return { items: page, nextToken: encodePageToken(scope, keyOf(last)) };
  }
  return { items: page };
};
