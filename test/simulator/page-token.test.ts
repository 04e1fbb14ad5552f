import fc from 'fast-check';
import { decodePageToken, encodePageToken, pageByKey } from '../support/simulator/page-token';

const drain = (keys: string[], size: number, removeAfterFirstPage?: string): string[][] => {
  let items = [...keys];
  const pages: string[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = pageByKey(items, (key) => key, 'scope', size, after);
    pages.push(page.items);
    if (removeAfterFirstPage !== undefined) items = items.filter((key) => key !== removeAfterFirstPage);
    if (page.nextToken === undefined) return pages;
    after = decodePageToken('scope', page.nextToken);
  }
};

describe('pageByKey', () => {
  it('returns every key exactly once, in order, in ceil(n / size) pages', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string(), { maxLength: 80 }),
        fc.integer({ min: 1, max: 30 }),
        (keys, size) => {
          const pages = drain(keys, size);
          expect(pages.flat()).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
          expect(pages).toHaveLength(Math.max(1, Math.ceil(keys.length / size)));
        },
      ),
    );
  });

  it('neither repeats nor skips a key when another key is deleted between pages', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const pages = drain(keys, 3, 'k1');
    expect(pages.flat()).toEqual(keys);
  });

  it('refuses a token of another scope or not of its own making', () => {
    expect(decodePageToken('scope', encodePageToken('scope', 'k1'))).toBe('k1');
    expect(decodePageToken('other', encodePageToken('scope', 'k1'))).toBeUndefined();
    expect(decodePageToken('scope', 'garbage')).toBeUndefined();
  });
});
