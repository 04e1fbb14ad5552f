import { loadOrCreateFingerprintKey } from '../../shared/store';
import { renderStageDocument } from '../format/stage-document';
import type { CliIo } from '../io';
import { UsageError } from '../errors';
import { EXIT } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { findStage, parseWhen } from './query-support';

export interface ShowOptions extends StoreOptions {
  readonly at?: string;
  readonly region?: string;
  readonly account?: string;
  readonly showSecrets?: boolean;
}

/** `stage-drift show <apiId> <stageName> [--at ISO]`: the stage as it was, as canonical JSON. */
export const runShowCommand = async (
  apiId: string,
  stageName: string,
  options: ShowOptions,
  io: CliIo,
  now: Date,
): Promise<number> => {
  const at = options.at === undefined ? now.toISOString() : parseWhen(options.at, '--at', now);
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const { key } = await findStage(opened.store, apiId, stageName, options, opened.describe);
    const version = await opened.store.getVersionAt(key, at);
    if (!version)
      throw new UsageError(
        `API ${apiId} stage ${stageName} did not exist yet at ${at}: see \`stage-drift history\``,
      );
    // Values stay fingerprinted unless asked for; a tombstone has none to hide.
    const fingerprintKey =
      options.showSecrets || version.deleted
        ? undefined
        : await loadOrCreateFingerprintKey(opened.client, opened.tableName);
    io.stdout(renderStageDocument(key, version, fingerprintKey));
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
