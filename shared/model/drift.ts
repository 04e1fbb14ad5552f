import type { JsonValue } from './json';
import type { StageKey } from './stage';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFO';
/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];

/** Higher number = more severe. */
export const severityRank = (severity: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(severity);

export const maxSeverity = (severities: Iterable<Severity>, floor: Severity = 'INFO'): Severity => {
  let worst = floor;
  for (const s of severities) if (severityRank(s) > severityRank(worst)) worst = s;
  return worst;
};

export const isSeverity = (value: unknown): value is Severity =>
  typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);

/** What happened to one field, map entry or object. */
export type ChangeKind = 'added' | 'removed' | 'changed';

/** A secret-safe stand-in for a stage variable value: a keyed hash (HMAC-SHA256), truncated. */
export interface RedactedValue {
  readonly redacted: true;
  readonly fingerprint: string;
}

/** One field-level change inside a stage. */
export interface Change {
  /** Segments from the stage config root, e.g. `["methodSettings", "*\/*", "loggingLevel"]`. */
  readonly path: readonly string[];
  /** Readable, e.g. `Execution logging level (*\/*)`. */
  readonly label: string;
  readonly kind: ChangeKind;
  /** Absent when `kind` is `added`. Stage variable values are `RedactedValue`s unless allow-listed. */
  readonly before?: JsonValue | RedactedValue;
  /** Absent when `kind` is `removed`. */
  readonly after?: JsonValue | RedactedValue;
  readonly severity: Severity;
  /** Id of the severity rule that decided `severity`. */
  readonly rule: string;
  /** AWS Security Hub control, e.g. `APIGateway.1`, when the rule maps to one. */
  readonly control?: string;
}

/** Stage-level change kinds. RECREATED = same key, different `createdDate`. */
export type StageChangeKind = 'CREATED' | 'DELETED' | 'MODIFIED' | 'RECREATED' | 'REVERTED';

/** The drift of one stage between two snapshots. */
export interface StageDrift {
  readonly key: StageKey;
  readonly apiName: string;
  readonly change: StageChangeKind;
  /** The highest severity of `changes`, and of the stage-level rule (deleted/recreated/created). */
  readonly severity: Severity;
  /** The stage-level rule id (`stage-deleted`, `stage-recreated`, `stage-created`, `stage-modified`). */
  readonly rule: string;
  readonly changes: readonly Change[];
  readonly beforeHash?: string;
  readonly afterHash?: string;
}

/**
 * What happens to a drift made through infrastructure as code (CloudFormation, Terraform), as
 * CloudTrail attributes it: `off` reports it like any other, `suppress` stores the new version
 * without an event, `downgrade` reports it at INFO (keeping the diff's severity as `originalSeverity`).
 */
export type OutOfBandMode = 'off' | 'suppress' | 'downgrade';
export const OUT_OF_BAND_MODES: readonly OutOfBandMode[] = ['off', 'suppress', 'downgrade'];

export const isOutOfBandMode = (value: unknown): value is OutOfBandMode =>
  typeof value === 'string' && (OUT_OF_BAND_MODES as readonly string[]).includes(value);
