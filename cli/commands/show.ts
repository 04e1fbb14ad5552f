import { canonicalJson } from '../../shared/model';
import { fingerprintValue } from '../../shared/diff';
import { loadOrCreateFingerprintKey } from '../../shared/store';
import type { CliIo } from '../io';
import { EXIT, UsageError } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { findStage, parseWhen } from './query-support';

export interface ShowOptions extends StoreOptions {
  readonly at?: string;
  readonly region?: string;
  readonly account?: string;
  readonly showSecrets?: boolean;
}

const SECRET_MAPS = ['variables', 'stageVariables'];

/** `stage-drift show <apiId> <stageName> [--at ISO]`: the stage as it was, as canonical JSON. */
export const runShowCommand = async (
  apiId: string,
  stageName: string,
  options: ShowOptions,
  io: CliIo,
  now: Date,
) => {
  const at = options.at === undefined ? now.toISOString() : parseWhen(options.at, '--at', now);
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const { key } = await findStage(opened.store, apiId, stageName, options, opened.describe);
    const version = await opened.store.getVersionAt(key, at);
    if (!version)
      throw new UsageError(
        `API ${apiId} stage ${stageName} did not exist yet at ${at}: see \`stage-drift history\``,
      );
    if (version.deleted || !version.snapshot) {
      io.stdout(`${JSON.stringify({ key, capturedAt: version.capturedAt, deleted: true }, null, 2)}\n`);
      return EXIT.ok;
    }
    let config = version.snapshot.config as unknown as Record<string, unknown>;
    if (!options.showSecrets) {
      const fpKey = await loadOrCreateFingerprintKey(opened.client, opened.tableName);
      config = { ...config };
      for (const name of SECRET_MAPS) {
        const map = config[name] as Record<string, string> | undefined;
        if (map) {
          config[name] = Object.fromEntries(
            Object.entries(map).map(([k, v]) => [
              k,
              { redacted: true, fingerprint: fingerprintValue(v, fpKey) },
            ]),
          );
        }
      }
    }
    const document = { ...version.snapshot, config, capturedAt: version.capturedAt };
    io.stdout(`${JSON.stringify(JSON.parse(canonicalJson(document)), null, 2)}\n`);
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
