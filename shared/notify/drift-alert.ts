import type { DriftAttribution } from '../attribution';
import type { ApiType, Change, Severity, StageChangeKind } from '../model';
import { severityRank } from '../model';
import type { ControlTransitionRecord, DriftEventRecord, DriftRevert } from '../store';
import { stageConsoleUrl } from './console-url';
import { escapeControlChars, hasControlChars } from './values';

/** The version of the alert JSON (`Message` of the SNS notification). Bumped on a breaking change. */
export const ALERT_SCHEMA_VERSION = 1;
/** `$id` of `drift-event.schema.json`. */
export const ALERT_SCHEMA_ID = 'urn:stage-drift:schema:drift-event:1';

/**
 * The alert as subscribers receive it: the drift event, versioned. Documented in
 * `drift-event.schema.json` and `docs/alerts.md`. Additive changes keep `schemaVersion: 1`;
 * anything else bumps it.
 */
export interface DriftAlert {
  readonly schemaVersion: typeof ALERT_SCHEMA_VERSION;
  readonly source: 'stage-drift';
  /** The deterministic event id: the same change always has the same id. */
  readonly eventId: string;
  /** ISO-8601: when the scan that first saw the change captured the stage. */
  readonly detectedAt: string;
  readonly account: string;
  readonly region: string;
  readonly api: { readonly id: string; readonly name: string; readonly type: ApiType };
  readonly stageName: string;
  readonly change: StageChangeKind;
  readonly severity: Severity;
  readonly rule: string;
  /** How many field changes the event has, including any left out of `changes`. */
  readonly changeCount: number;
  /** Most severe first. Stage variable values are `{ redacted: true, fingerprint }`. */
  readonly changes: readonly Change[];
  /** Set when `changes` is cut (to fit SNS's 256 KB, or the 400 KB table item): how many are missing. */
  readonly changesOmitted?: number;
  /** Set with `changesOmitted`: how to see the full change list. */
  readonly note?: string;
  readonly beforeHash?: string;
  readonly afterHash?: string;
  /** The stage's API in the API Gateway console. */
  readonly consoleUrl: string;
  /**
   * Who made the change and through what (`status: 'attributed'`, from CloudTrail), or why that
   * is not known (`status: 'unattributed'`, `reason`). Absent when attribution is not configured.
   */
  readonly attribution?: DriftAttribution;
  /** Set when out-of-band mode lowered `severity` to INFO (an infrastructure-as-code change): the diff's severity. */
  readonly originalSeverity?: Severity;
  /** The posture controls the change moved (`{ id: 'APIGateway.1', from: 'FAILED', to: 'PASSED' }`). */
  readonly controls?: readonly ControlTransitionRecord[];
  /** Set on a `REVERTED` event: who ran `stage-drift revert`, from and to which version, what it undid. */
  readonly revert?: DriftRevert;
  /**
   * Ready-to-paste CLI lines: `ack` acknowledges this event; `revert` (absent for a created or a
   * reverted stage, which have nothing to go back to) prints the plan that puts the stage back.
   */
  readonly commands: AlertCommands;
}

/** The CLI lines an alert carries. */
export interface AlertCommands {
  readonly ack: string;
  readonly revert?: string;
}

export interface AlertOptions {
  /** Replaces the console origin in links, e.g. a sign-in proxy. @default by region partition */
  readonly consoleBaseUrl?: string;
  /** The deployed table: the alert's CLI lines name it with `--table`. @default none (the CLI's own store) */
  readonly tableName?: string;
}

const SAFE_SHELL_WORD = /^[A-Za-z0-9_.:/@%+=,-]+$/;
/**
 * `word` as one shell word: bare when safe, else in single quotes. A word with a control
 * character goes in bash's `$'...'` quoting with the escapes of {@link escapeControlChars}
 * (`\n`, `\x1b`, `\\`), which bash reads back exactly: the command stays on one line.
 */
const shellWord = (word: string): string => {
  if (SAFE_SHELL_WORD.test(word)) return word;
  if (hasControlChars(word)) return `$'${escapeControlChars(word).replace(/'/g, "\\'")}'`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
};

type StageRef = Pick<DriftEventRecord, 'api' | 'stageName' | 'region'>;

const cliCommand = (command: string, event: StageRef): string =>
  `stage-drift ${command} ${shellWord(event.api.id)} ${shellWord(event.stageName)} --region ${shellWord(event.region)}`;

/** The CLI command that prints the stage as stored: `stage-drift show <apiId> <stageName> --region <r>`. */
export const showCommandFor = (event: StageRef): string => cliCommand('show', event);

/** The CLI command that lists every version of the stage with what changed in each. */
export const historyCommandFor = (event: StageRef): string => cliCommand('history', event);

const tableOption = (tableName: string | undefined): string =>
  tableName === undefined ? '' : ` --table ${shellWord(tableName)}`;

/** `stage-drift ack <eventId>` (with `--table` when the alert names its table). */
export const ackCommandFor = (event: Pick<DriftEventRecord, 'id'>, tableName?: string): string =>
  `stage-drift ack ${shellWord(event.id)}${tableOption(tableName)}`;

/**
 * `stage-drift revert <apiId> <stageName> --region <r> --account <a> --dry-run`: the plan that puts
 * the stage back to the version before this drift. `undefined` for a change with nothing before it
 * (CREATED) or a revert itself (REVERTED).
 */
export const revertCommandFor = (
  event: Pick<DriftEventRecord, 'api' | 'stageName' | 'region' | 'account' | 'change'>,
  tableName?: string,
): string | undefined =>
  event.change === 'CREATED' || event.change === 'REVERTED'
    ? undefined
    : `${cliCommand('revert', event)} --account ${shellWord(event.account)}${tableOption(tableName)} --dry-run`;

/** The CLI lines of an alert. */
export const alertCommandsFor = (event: DriftEventRecord, tableName?: string): AlertCommands => {
  const revert = revertCommandFor(event, tableName);
  return { ack: ackCommandFor(event, tableName), ...(revert === undefined ? {} : { revert }) };
};

/** Changes most severe first; equal severities keep the diff's order (by path). */
export const sortChangesBySeverity = (changes: readonly Change[]): Change[] =>
  changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => severityRank(b.change.severity) - severityRank(a.change.severity) || a.index - b.index)
    .map(({ change }) => change);

/** The note attached when changes were left out. */
export const omittedNote = (event: StageRef, omitted: number) =>
  `${omitted} less severe change${omitted === 1 ? ' was' : 's were'} left out to fit the message. ` +
  `See the stage with: ${showCommandFor(event)} (and every change with: ${historyCommandFor(event)})`;

/**
 * The alert for one event, keeping its first `keep` changes (most severe first). Changes the
 * store already left out (`changesOmitted` on the record) count as omitted too.
 */
export const toDriftAlert = (
  event: DriftEventRecord,
  options: AlertOptions = {},
  keep: number = event.changes.length,
): DriftAlert => {
  const sorted = sortChangesBySeverity(event.changes);
  const kept = sorted.slice(0, Math.max(0, keep));
  const omitted = (event.changesOmitted ?? 0) + (sorted.length - kept.length);
  return {
    schemaVersion: ALERT_SCHEMA_VERSION,
    source: 'stage-drift',
    eventId: event.id,
    detectedAt: event.detectedAt,
    account: event.account,
    region: event.region,
    api: { id: event.api.id, name: event.api.name, type: event.api.type },
    stageName: event.stageName,
    change: event.change,
    severity: event.severity,
    rule: event.rule,
    changeCount: sorted.length + (event.changesOmitted ?? 0),
    changes: kept,
    ...(omitted > 0 ? { changesOmitted: omitted, note: omittedNote(event, omitted) } : {}),
    ...(event.beforeHash === undefined ? {} : { beforeHash: event.beforeHash }),
    ...(event.afterHash === undefined ? {} : { afterHash: event.afterHash }),
    consoleUrl: stageConsoleUrl(
      { apiType: event.api.type, apiId: event.api.id, region: event.region },
      options.consoleBaseUrl,
    ),
    ...(event.attribution === undefined ? {} : { attribution: event.attribution }),
    ...(event.originalSeverity === undefined ? {} : { originalSeverity: event.originalSeverity }),
    ...(event.controls === undefined || event.controls.length === 0 ? {} : { controls: event.controls }),
    ...(event.revert === undefined ? {} : { revert: event.revert }),
    commands: alertCommandsFor(event, options.tableName),
  };
};
