import type { ApiType } from '../model';
import { severityRank } from '../model';
import type { RawChange } from './config-changes';
import { projectLeaves } from './config-changes';
import type { PathPattern } from './path-pattern';
import { matchesPathOrAbove, matchesPathPattern, parsePathPattern } from './path-pattern';

import { DEFAULT_SEVERITY_RULES } from './severity-rule-table';
import type {
  CompiledSeverityOverride,
  LeafChange,
  RuleContext,
  SeverityDecision,
  SeverityRule,
} from './severity-rule-types';

export type {
  CompiledSeverityOverride,
  LeafChange,
  RuleContext,
  SeverityDecision,
  SeverityOverride,
  SeverityRule,
} from './severity-rule-types';
export { DEFAULT_SEVERITY_RULES } from './severity-rule-table';

interface CompiledRule {
  readonly rule: SeverityRule;
  readonly patterns: readonly PathPattern[];
}

const FIELD_RULES: readonly CompiledRule[] = DEFAULT_SEVERITY_RULES.filter(
  (rule) => rule.scope === 'field',
).map((rule) => ({ rule, patterns: rule.paths.map((path) => parsePathPattern(path, `rule ${rule.id}`)) }));

const ruleById = (id: string): SeverityRule => {
  const rule = DEFAULT_SEVERITY_RULES.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no default severity rule ${id}`);
  return rule;
};

/** The stage-level rule with this id. */
export const stageRule = (
  id: 'stage-deleted' | 'stage-recreated' | 'stage-created' | 'stage-modified' | 'stage-reverted',
): SeverityRule => ruleById(id);

/** Matches every path: the last field rule. */
const OTHER_RULE = ruleById('other');

const controlOf = (rule: SeverityRule, apiType: ApiType): string | undefined =>
  rule.control !== undefined && (rule.controlApiTypes === undefined || rule.controlApiTypes.includes(apiType))
    ? rule.control
    : undefined;

/** The first default field rule that matches the leaf (`other` matches every path). */
const defaultRuleFor = (leaf: LeafChange, context: RuleContext): SeverityRule => {
  const match = FIELD_RULES.find(
    ({ rule, patterns }) =>
      patterns.some((pattern) => matchesPathPattern(pattern, leaf.path)) &&
      (rule.when?.(leaf, context) ?? true),
  );
  // `other` matches every path, so there is always a match; the fallback only satisfies the type.
  return match?.rule ?? OTHER_RULE;
};

const decisionOf = (rule: SeverityRule, apiType: ApiType): SeverityDecision => {
  const control = controlOf(rule, apiType);
  return { severity: rule.severity, rule: rule.id, ...(control !== undefined ? { control } : {}) };
};

/** The rule id reported for a change decided by a user override. */
export const overrideRuleId = (override: CompiledSeverityOverride): string =>
  `override:${override.pattern.source}`;

const decideLeaf = (
  leaf: LeafChange,
  context: RuleContext,
  overrides: readonly CompiledSeverityOverride[],
): SeverityDecision => {
  const rule = defaultRuleFor(leaf, context);
  const byDefault = decisionOf(rule, context.apiType);
  const override = overrides.find(
    (o) => (o.kind === undefined || o.kind === leaf.kind) && matchesPathOrAbove(o.pattern, leaf.path),
  );
  if (override === undefined) return byDefault;
  if (rule.floor === true && severityRank(override.severity) < severityRank(rule.severity)) return byDefault;
  // The control is a fact about the field, so it survives an override of the severity.
  return {
    severity: override.severity,
    rule: overrideRuleId(override),
    ...(byDefault.control !== undefined ? { control: byDefault.control } : {}),
  };
};

/** More severe; on a tie, one that maps to a Security Hub control beats one that does not. */
const outranks = (candidate: SeverityDecision, current: SeverityDecision): boolean => {
  const bySeverity = severityRank(candidate.severity) - severityRank(current.severity);
  return (
    bySeverity > 0 || (bySeverity === 0 && candidate.control !== undefined && current.control === undefined)
  );
};

/**
 * The severity of one change: each leaf is decided by the first matching override (on the leaf's
 * path or a path above it), else by the first matching default rule; the change takes the
 * most severe leaf, and that leaf's rule and control (on a tie, the first leaf in path order whose
 * rule maps to a control, else the first leaf in path order).
 */
export const decideChangeSeverity = (
  change: RawChange,
  context: RuleContext,
  overrides: readonly CompiledSeverityOverride[],
): SeverityDecision => {
  let worst: SeverityDecision | undefined;
  for (const leaf of projectLeaves(change)) {
    const decision = decideLeaf(leaf, context, overrides);
    if (worst === undefined || outranks(decision, worst)) worst = decision;
  }
  return worst as SeverityDecision;
};
