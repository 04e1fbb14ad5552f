import { fingerprintValue } from '../../shared/diff';
import type { StageKey } from '../../shared/model';
import { canonicalJson } from '../../shared/model';
import type { VersionAt } from '../../shared/store';

/** The config maps whose values may be secrets: REST `variables`, HTTP/WebSocket `stageVariables`. */
const SECRET_MAPS = ['variables', 'stageVariables'];

const pretty = (value: unknown): string => `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;

/**
 * `stage-drift show`: one stored version as canonical JSON (sorted keys, byte-for-byte
 * repeatable). With a `fingerprintKey`, stage variable values become the keyed fingerprints the
 * drift events carry; without one they are printed as stored.
 */
export const renderStageDocument = (key: StageKey, version: VersionAt, fingerprintKey?: string): string => {
  if (version.deleted || !version.snapshot)
    return pretty({ key, capturedAt: version.capturedAt, deleted: true });
  const config: Record<string, unknown> = {
    ...(version.snapshot.config as unknown as Record<string, unknown>),
  };
  if (fingerprintKey !== undefined) {
    for (const name of SECRET_MAPS) {
      const map = config[name] as Record<string, string> | undefined;
      if (map) {
        config[name] = Object.fromEntries(
          Object.entries(map).map(([k, v]) => [
            k,
            { redacted: true, fingerprint: fingerprintValue(v, fingerprintKey) },
          ]),
        );
      }
    }
  }
  return pretty({ ...version.snapshot, config, capturedAt: version.capturedAt });
};
