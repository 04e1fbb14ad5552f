import { createHmac } from 'node:crypto';
import type { JsonValue, RedactedValue } from '../model';
import { canonicalJson, isJsonObject } from '../model';

const FINGERPRINT_PREFIX = 'hmac-sha256:';
/** 16 hex characters = 64 bits: enough to tell values apart, too short to be a useful oracle. */
const FINGERPRINT_HEX_CHARS = 16;

/**
 * A keyed fingerprint of a secret value: `hmac-sha256:` + the first 16 hex characters of
 * HMAC-SHA256(key, value). Equal values under one key give equal fingerprints, so a change stays
 * visible; without the key, short values cannot be recovered by hashing a dictionary.
 */
export const fingerprintValue = (value: string, key: string): string =>
  FINGERPRINT_PREFIX +
  createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX_CHARS);

/** The name of the stage variable whose value sits at `path`, if it is one. */
export const stageVariableNameAt = (path: readonly string[]): string | undefined => {
  const [first, second, third] = path;
  if (path.length === 2 && (first === 'variables' || first === 'stageVariables')) return second;
  if (path.length === 3 && first === 'canarySettings' && second === 'stageVariableOverrides') return third;
  return undefined;
};

export interface RedactionOptions {
  readonly fingerprintKey: string;
  /** Variable names whose values may be shown. */
  readonly reveal: ReadonlySet<string>;
}

const redact = (value: JsonValue, key: string): RedactedValue => ({
  redacted: true,
  fingerprint: fingerprintValue(typeof value === 'string' ? value : canonicalJson(value), key),
});

const redactInside = (path: readonly string[], value: JsonValue, options: RedactionOptions): JsonValue => {
  const name = stageVariableNameAt(path);
  if (name !== undefined && !options.reveal.has(name)) {
    return redact(value, options.fingerprintKey) as unknown as JsonValue;
  }
  if (isJsonObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, redactInside([...path, k], value[k] as JsonValue, options)]),
    );
  }
  return value;
};

/**
 * The value of a change at `path` as it may be shown: every stage variable value at or below
 * `path` (`variables.X`, `stageVariables.X`, `canarySettings.stageVariableOverrides.X`, also inside
 * a wholly added or removed object) replaced by a {@link RedactedValue}, unless its name is in
 * `reveal`. Object keys come out sorted.
 */
export const redactChangeValue = (
  path: readonly string[],
  value: JsonValue,
  options: RedactionOptions,
): JsonValue | RedactedValue => redactInside(path, value, options);
