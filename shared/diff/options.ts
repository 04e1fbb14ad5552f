import type { ChangeKind } from '../model';
import { isSeverity, SEVERITIES } from '../model';
import { DiffConfigError } from './errors';
import type { CompiledIgnoreRules, IgnoreRules } from './ignore-rules';
import { compileIgnoreRules } from './ignore-rules';
import { parsePathPattern } from './path-pattern';
import type { RedactionOptions } from './redaction';
import type { CompiledSeverityOverride, SeverityOverride } from './severity-rules';

export interface DiffOptions {
  /** HMAC key for stage variable fingerprints: a secret, stable across runs so fingerprints compare. */
  readonly fingerprintKey: string;
  /** Variable names whose values may be shown. @default none: every value is fingerprinted */
  readonly revealVariables?: readonly string[];
  /** Tried before the default rules, first match wins. @default none */
  readonly severityOverrides?: readonly SeverityOverride[];
  /** @default only the `stage-drift:ignore=true` tag */
  readonly ignore?: IgnoreRules;
}

/** Options validated and parsed once. */
export interface CompiledDiffOptions extends RedactionOptions {
  readonly overrides: readonly CompiledSeverityOverride[];
  readonly ignore: CompiledIgnoreRules;
}

const KINDS: readonly ChangeKind[] = ['added', 'removed', 'changed'];

const compileOverride = (override: unknown, field: string): CompiledSeverityOverride => {
  if (typeof override !== 'object' || override === null) {
    throw new DiffConfigError(field, "must be an object such as { path: 'tags.**', severity: 'INFO' }");
  }
  const { path, severity, kind } = override as { path?: unknown; severity?: unknown; kind?: unknown };
  const pattern = parsePathPattern(path as string, `${field}.path`);
  if (!isSeverity(severity)) {
    throw new DiffConfigError(
      `${field}.severity`,
      `${JSON.stringify(severity) ?? 'undefined'} is not a severity; use one of ${SEVERITIES.join(', ')}`,
    );
  }
  if (kind !== undefined && !KINDS.includes(kind as ChangeKind)) {
    throw new DiffConfigError(
      `${field}.kind`,
      `${JSON.stringify(kind)} is not a change kind; use one of ${KINDS.join(', ')}, or leave it out for any kind`,
    );
  }
  return kind === undefined ? { pattern, severity } : { pattern, severity, kind: kind as ChangeKind };
};

/** Validates and parses options; throws a {@link DiffConfigError} naming the bad field and the fix. */
export const compileDiffOptions = (options: DiffOptions): CompiledDiffOptions => {
  if (typeof options !== 'object' || options === null) {
    throw new DiffConfigError('options', 'must be an object with at least a fingerprintKey');
  }
  if (typeof options.fingerprintKey !== 'string' || options.fingerprintKey.length === 0) {
    throw new DiffConfigError(
      'fingerprintKey',
      'must be a non-empty secret string (e.g. 32 random bytes in hex), kept stable so fingerprints compare across runs',
    );
  }
  const reveal: unknown = options.revealVariables ?? [];
  if (!Array.isArray(reveal) || !reveal.every((name) => typeof name === 'string' && name.length > 0)) {
    throw new DiffConfigError(
      'revealVariables',
      "must be an array of stage variable names, e.g. ['logLevel']",
    );
  }
  const overrides: unknown = options.severityOverrides ?? [];
  if (!Array.isArray(overrides)) {
    throw new DiffConfigError(
      'severityOverrides',
      "must be an array such as [{ path: 'tags.**', severity: 'INFO' }]",
    );
  }
  return {
    fingerprintKey: options.fingerprintKey,
    reveal: new Set(reveal as string[]),
    overrides: overrides.map((o: unknown, i) => compileOverride(o, `severityOverrides[${i}]`)),
    ignore: compileIgnoreRules(options.ignore),
  };
};

/** Throws a {@link DiffConfigError} when options are invalid; call it at start-up to fail early. */
export const validateDiffOptions = (options: DiffOptions): void => {
  compileDiffOptions(options);
};
