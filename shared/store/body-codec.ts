import { gunzipSync, gzipSync } from 'node:zlib';

/** JSON bodies up to this many UTF-8 bytes are stored as a plain string attribute. */
export const INLINE_MAX_BYTES = 32 * 1024;
/**
 * Largest binary chunk per item. With the keys and metadata (well under 1 KB) an item stays
 * below DynamoDB's 400 KB (409,600 bytes) limit.
 */
export const CHUNK_MAX_BYTES = 350 * 1024;

/** How a JSON body is stored. */
export type EncodedBody =
  | { readonly kind: 'inline'; readonly json: string }
  | { readonly kind: 'gzip'; readonly gz: Uint8Array }
  | { readonly kind: 'split'; readonly chunks: readonly Uint8Array[] };

/** Inline when small, gzip when large, gzip split into chunks when the gzip is still too large. */
export const encodeBody = (json: string): EncodedBody => {
  if (Buffer.byteLength(json, 'utf8') <= INLINE_MAX_BYTES) return { kind: 'inline', json };
  const gz = gzipSync(json);
  if (gz.byteLength <= CHUNK_MAX_BYTES) return { kind: 'gzip', gz };
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < gz.byteLength; offset += CHUNK_MAX_BYTES) {
    chunks.push(gz.subarray(offset, offset + CHUNK_MAX_BYTES));
  }
  return { kind: 'split', chunks };
};

/** gzip, or `undefined` when even the gzip is over {@link CHUNK_MAX_BYTES}. */
export const gzipIfFits = (json: string): Uint8Array | undefined => {
  const gz = gzipSync(json);
  return gz.byteLength <= CHUNK_MAX_BYTES ? gz : undefined;
};

export const gunzipText = (bytes: Uint8Array | readonly Uint8Array[]): string =>
  gunzipSync(bytes instanceof Uint8Array ? bytes : Buffer.concat(bytes)).toString('utf8');
