import type { JsonValue, StageKey } from '../../../shared/model';
import type { ControlResult } from '../../../shared/posture';
import type { DriftEventRecord, VersionEntry } from '../../../shared/store';
import type { ControlInfo } from '../posture-report';

/** One stage of the report: its posture now and its history. */
export interface ReportStage {
  readonly key: StageKey;
  readonly apiName: string;
  /** When the latest snapshot's content was first captured. */
  readonly capturedAt: string;
  readonly hash: string;
  /** In control order. */
  readonly results: readonly ControlResult[];
  /** Every version (and tombstone) of the stage, newest first. */
  readonly versions: readonly VersionEntry[];
  /** The stage's drift events in the window, newest first (values as stored: fingerprinted). */
  readonly events: readonly DriftEventRecord[];
  /** The current configuration, every stage variable value replaced by its fingerprint. */
  readonly redactedConfig?: JsonValue;
}

/** Everything the HTML report shows; the renderer does no I/O. */
export interface HtmlReportData {
  /** ISO-8601. */
  readonly generatedAt: string;
  /** `store .stage-drift` or `table StageDrift-SnapshotTable`. */
  readonly source: string;
  /** The scopes read (account/region), sorted. */
  readonly scopes: readonly { readonly account: string; readonly region: string }[];
  /** The filters given on the command line, as `--api a1b2c3`, for the header. */
  readonly filters: readonly string[];
  /** The timeline window, ISO-8601. */
  readonly since: string;
  readonly until: string;
  readonly controls: readonly ControlInfo[];
  /** Sorted by account, region, API name, API id, stage. */
  readonly stages: readonly ReportStage[];
  /** Every drift event of the selected scopes and API in the window, deleted stages' too. */
  readonly events: readonly DriftEventRecord[];
}
