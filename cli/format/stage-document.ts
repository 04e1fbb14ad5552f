import { redactChangeValue } from '../../shared/diff';
import type { StageKey } from '../../shared/model';
import { canonicalJson, configAsJson } from '../../shared/model';
import type { VersionAt } from '../../shared/store';
import { renderJsonDocument } from './values';

const NO_REVEAL: ReadonlySet<string> = new Set();

const pretty = (value: unknown): string => renderJsonDocument(JSON.parse(canonicalJson(value)));

/**
 * `stage-drift show`: one stored version as canonical JSON (sorted keys, byte-for-byte
 * repeatable). With a `fingerprintKey`, every stage variable value (`variables`,
 * `stageVariables`, `canarySettings.stageVariableOverrides`) becomes the keyed fingerprint the
 * drift events carry, by the diff's own redaction; without one (`--show-secrets`) they are
 * printed as stored.
 */
export const renderStageDocument = (key: StageKey, version: VersionAt, fingerprintKey?: string): string => {
  if (version.deleted || !version.snapshot)
    return pretty({ key, capturedAt: version.capturedAt, deleted: true });
  const config =
    fingerprintKey === undefined
      ? version.snapshot.config
      : redactChangeValue([], configAsJson(version.snapshot), { fingerprintKey, reveal: NO_REVEAL });
  return pretty({ ...version.snapshot, config, capturedAt: version.capturedAt });
};
