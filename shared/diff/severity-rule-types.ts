/** The shapes of the severity rules: a rule, a user override, the decision (severity-rules.ts decides). */
import type { ApiType, ChangeKind, JsonObject, Severity } from '../model';
import type { RawChange } from './config-changes';
import type { IgnoreTag } from './ignore-rules';
import type { PathPattern } from './path-pattern';

/** One leaf of a change (see `projectLeaves`), as the rules see it: values unredacted. */
export type LeafChange = RawChange;

/** What a rule may look at besides the leaf: the API type, both whole configs and the ignore tag. */
export interface RuleContext {
  readonly apiType: ApiType;
  readonly before: JsonObject;
  readonly after: JsonObject;
  /** The tag that opts a stage out of monitoring. @default DEFAULT_IGNORE_TAG */
  readonly ignoreTag?: IgnoreTag;
}

/** A default severity rule. Field rules are tried in table order on each leaf; the first match decides. */
export interface SeverityRule {
  /** Stable kebab-case id, reported as `Change.rule` / `StageDrift.rule`. */
  readonly id: string;
  /** One line, for people (README, `--help`). */
  readonly description: string;
  readonly severity: Severity;
  /** `stage`: decides a stage-level change kind; `field`: decides a field change. */
  readonly scope: 'stage' | 'field';
  /** Dot path patterns; a field rule applies to a leaf whose path matches one of them. Empty for stage rules. */
  readonly paths: readonly string[];
  /** AWS Security Hub control the rule maps to. */
  readonly control?: string;
  /** API types `control` applies to. @default all */
  readonly controlApiTypes?: readonly ApiType[];
  /** The direction the rule needs (e.g. turned off). @default any leaf on `paths` */
  readonly when?: (leaf: LeafChange, context: RuleContext) => boolean;
  /** A user override may raise this rule's severity, never lower it. @default false */
  readonly floor?: boolean;
}

/** A user rule, tried before the defaults: first match wins. */
export interface SeverityOverride {
  /** Dot pattern: `*` = one segment, `**` = any depth, e.g. `tags.**`, `methodSettings.*.loggingLevel`. */
  readonly path: string;
  readonly severity: Severity;
  /** Only changes of this kind. @default any kind */
  readonly kind?: ChangeKind;
}

/** An override whose pattern is parsed. */
export interface CompiledSeverityOverride {
  readonly pattern: PathPattern;
  readonly severity: Severity;
  readonly kind?: ChangeKind;
}

/** The severity of one change and what decided it. */
export interface SeverityDecision {
  readonly severity: Severity;
  readonly rule: string;
  readonly control?: string;
}
