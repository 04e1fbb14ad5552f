import type { ApiType, StageKey, StageSnapshot } from '../model';

/** As Security Hub reports a control on a resource (ASFF `Compliance.Status`, without WARNING). */
export type ControlStatus = 'PASSED' | 'FAILED' | 'NOT_APPLICABLE';
export const CONTROL_STATUSES: readonly ControlStatus[] = ['FAILED', 'PASSED', 'NOT_APPLICABLE'];

/** Security Hub's severity labels, as a control is rated. */
export type ControlSeverity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

/** What one control found on one stage. */
export interface ControlResult {
  /** `APIGateway.1`, `StageDrift.RestAccessLogging` or a user rule's id. */
  readonly id: string;
  readonly status: ControlStatus;
  /** One line for people; names fields, never stage variable values. */
  readonly reason: string;
  /** The config paths that decide the status (segments, as `Change.path`). */
  readonly fields: readonly (readonly string[])[];
}

/** One control: a row of the posture table (control-table.ts) or a user rule (posture-rules.ts). */
export interface PostureControl {
  readonly id: string;
  /** One line, e.g. "Execution logging is on for every method and route". */
  readonly title: string;
  /** `aws`: a Security Hub control, as AWS documents it; `stage-drift`: ours; `user`: configured. */
  readonly source: 'aws' | 'stage-drift' | 'user';
  readonly severity: ControlSeverity;
  /** API types the control applies to; NOT_APPLICABLE elsewhere. */
  readonly apiTypes: readonly ApiType[];
  /** AWS's definition of the control. */
  readonly url?: string;
  /** Status, reason and fields for a stage of one of `apiTypes`. */
  readonly evaluate: (snapshot: StageSnapshot) => Omit<ControlResult, 'id'>;
}

/** The controls of one stage, in table order. */
export interface StagePosture {
  readonly key: StageKey;
  readonly apiName: string;
  readonly results: readonly ControlResult[];
}

/** A control that changed status between two snapshots of a stage. */
export interface ControlTransition {
  readonly id: string;
  readonly from: ControlStatus;
  readonly to: ControlStatus;
}

/**
 * The posture of one stage that a scan moved: before its change and after it (absent for a stage
 * created or deleted). The Security Hub export and the drift events are fed from these.
 */
export interface PostureChange {
  readonly key: StageKey;
  readonly apiName: string;
  readonly before?: StagePosture;
  readonly after?: StagePosture;
}
