/**
 * Jest snapshot serializer: replaces asset hashes (64 hex characters, in S3 keys, asset paths
 * and metadata) with a placeholder, so a snapshot changes when the template does, not when a
 * handler's code does.
 */
const ASSET_HASH = /[0-9a-f]{64}/g;
const PLACEHOLDER = '[ASSET_HASH]';

export const assetHashSerializer: jest.SnapshotSerializerPlugin = {
  test: (value: unknown) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  serialize: (value: string, config, indentation, depth, refs, printer) =>
    printer(value.replace(ASSET_HASH, PLACEHOLDER), config, indentation, depth, refs),
};
