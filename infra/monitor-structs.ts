// The construct library's public API, kept jsii-compatible (it is compiled into a jsii assembly and
// a Python package, infra/package/jsii.ts): enums and structs declared here, never the runtime's
// types (shared/), no unions, tuples, mapped types or readonly arrays. monitor-settings.ts converts
// these to the shared config; the enums' values are the strings the runtime uses, so JavaScript
// callers passing plain strings ('INFO', 'suppress') keep working.

/**
 * How serious a drift is, most severe first. The values are the severities drift events carry
 * (the built-in rules: README.md, "What counts as drift").
 */
export enum Severity {
  /** The most severe. */
  CRITICAL = 'CRITICAL',
  /** Above MEDIUM. */
  HIGH = 'HIGH',
  /** Above LOW; the default threshold of Slack messages. */
  MEDIUM = 'MEDIUM',
  /** Above INFO. */
  LOW = 'LOW',
  /** The least severe: informational. */
  INFO = 'INFO',
}

/** What happens to drift that CloudTrail attributes to infrastructure as code (CloudFormation/CDK/SAM, Terraform). */
export enum OutOfBandMode {
  /** Reported like any other drift. */
  OFF = 'off',
  /** The new version is stored without an event: only out-of-band changes alert. */
  SUPPRESS = 'suppress',
  /** Reported at INFO, keeping the diff's severity as `originalSeverity`. */
  DOWNGRADE = 'downgrade',
}

/** What happened to a field, map entry or object of a stage. */
export enum ChangeKind {
  /** It was not there before. */
  ADDED = 'added',
  /** It is gone. */
  REMOVED = 'removed',
  /** Its value changed. */
  CHANGED = 'changed',
}

/**
 * A severity for the changes under a dot path pattern, tried before the built-in rules, e.g.
 * `{ path: 'tags.**', severity: Severity.INFO }`.
 */
export interface SeverityOverride {
  /** A dot path pattern of the changes it applies to, e.g. `tags.**` or `variables.*`; checked at synth. */
  readonly path: string;

  /** The severity those changes get. */
  readonly severity: Severity;

  /**
   * Only changes of this kind.
   * @default - changes of any kind
   */
  readonly kind?: ChangeKind;
}

/**
 * Stages never reported, by globs (`*`, `?`) on their API id, stage name, account and region.
 * Every field set must match, and at least one must be set.
 */
export interface IgnoredStage {
  /**
   * A glob on the API id, e.g. `a1b2c3d4e5`.
   * @default - any API
   */
  readonly apiId?: string;

  /**
   * A glob on the stage name, e.g. `dev-*`.
   * @default - any stage name
   */
  readonly stageName?: string;

  /**
   * A glob on the account id (fan-out).
   * @default - any account
   */
  readonly account?: string;

  /**
   * A glob on the region code, e.g. `eu-*`.
   * @default - any region
   */
  readonly region?: string;
}

/** A tag that, on a stage or on its API, makes the monitor ignore the stage. */
export interface IgnoreTag {
  /** The tag key, e.g. `stage-drift:ignore`. */
  readonly key: string;

  /**
   * The tag value, compared exactly.
   * @default - any value of the tag
   */
  readonly value?: string;
}

/** Changes and stages never reported: path patterns, stage globs, an ignore tag. */
export interface IgnoreRules {
  /**
   * Dot path patterns of changes to drop, e.g. `tags.**`; checked at synth.
   * @default - none
   */
  readonly paths?: string[];

  /**
   * Stages to ignore, by globs.
   * @default - none
   */
  readonly stages?: IgnoredStage[];

  /**
   * The ignore tag, matched on the stage's tags and its API's tags of the previous snapshot (a tag
   * added in the same window as other changes hides none of them).
   * @default - key `stage-drift:ignore`, value `true`
   */
  readonly tag?: IgnoreTag;
}

/**
 * One check of a {@link PostureRule} on the config fields whose paths match `paths`. Set exactly
 * one test: `present`, `equalsString` / `equalsNumber` / `equalsBoolean` (the value by its type:
 * jsii has no union types, and `equals` is a reserved member name; in JSON and
 * `-c postureRules` the test is `equals` with a string, number or boolean),
 * `matching` or `notMatching`.
 */
export interface PostureCheck {
  /**
   * Dot path patterns, as severity overrides write them (`*` one segment, `**` any depth, a
   * pattern names its subtree), e.g. `variables.*`, `defaultRouteSettings.throttlingRateLimit`;
   * the stage-wide method settings entry is `methodSettings.` + `\*` + `/` + `\*` (escaped
   * stars; unescaped, they glob every method's entry).
   */
  readonly paths: string[];

  /**
   * `true`: at least one of the fields is set; `false`: none is.
   * @default - not this test
   */
  readonly present?: boolean;

  /**
   * At least one field is set and every one is this string, e.g. `INFO`.
   * @default - not this test
   */
  readonly equalsString?: string;

  /**
   * At least one field is set and every one is this number, e.g. `500`.
   * @default - not this test
   */
  readonly equalsNumber?: number;

  /**
   * At least one field is set and every one is this boolean, e.g. `true` for `tracingEnabled`.
   * @default - not this test
   */
  readonly equalsBoolean?: boolean;

  /**
   * At least one field is set and every one is a string matching this glob (`*`, `?`).
   * @default - not this test
   */
  readonly matching?: string;

  /**
   * No field is a string matching this glob, e.g. `*-dev*` on `variables.*`.
   * @default - not this test
   */
  readonly notMatching?: string;
}

/**
 * Your own posture control, evaluated on every stage next to the Security Hub controls
 * (README.md, "Posture"), e.g. "stages named `prod*` are throttled".
 */
export interface PostureRule {
  /** Letters, digits, `.`, `_`, `-` (up to 64), unique, not starting `APIGateway.` or `StageDrift.`. */
  readonly id: string;

  /** What the rule expects, one line, e.g. `prod stages are throttled`. */
  readonly title: string;

  /**
   * CRITICAL, HIGH, MEDIUM or LOW (not INFO).
   * @default Severity.MEDIUM
   */
  readonly severity?: Severity;

  /**
   * Only the stages these globs select (every field set must match); others are NOT_APPLICABLE.
   * @default - every stage
   */
  readonly stages?: IgnoredStage;

  /**
   * Only stages of these API types: `REST`, `HTTP`, `WEBSOCKET`.
   * @default - every API type
   */
  readonly apiTypes?: string[];

  /** The checks; every one must hold for the rule to pass. */
  readonly expect: PostureCheck[];
}
