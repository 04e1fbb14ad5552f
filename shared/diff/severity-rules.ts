import type { ApiType, ChangeKind, JsonObject, JsonValue, Severity } from '../model';
import { severityRank } from '../model';
import type { RawChange } from './config-changes';
import { projectLeaves } from './config-changes';
import type { IgnoreTag } from './ignore-rules';
import { DEFAULT_IGNORE_TAG, ignoreTagTransition } from './ignore-rules';
import type { PathPattern } from './path-pattern';
import { matchesPathOrAbove, matchesPathPattern, parsePathPattern } from './path-pattern';

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

const settingPaths = (field: string): string[] => [
  `methodSettings.*.${field}`,
  `defaultRouteSettings.${field}`,
  `routeSettings.*.${field}`,
];

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const valueAt = (root: JsonObject, path: readonly string[]): JsonValue | undefined => {
  let current: JsonValue | undefined = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = Object.hasOwn(current, segment) ? current[segment] : undefined;
  }
  return current;
};

/**
 * The value in force for a method or route settings field: the entry's own value, else the
 * stage-wide one (`methodSettings["*\/*"]` for REST, `defaultRouteSettings` for v2).
 */
const effectiveSetting = (config: JsonObject, path: readonly string[]): JsonValue | undefined => {
  const own = valueAt(config, path);
  if (own !== undefined || path.length !== 3) return own;
  const [root, key, field] = path as [string, string, string];
  if (root === 'methodSettings' && key !== '*/*') return valueAt(config, ['methodSettings', '*/*', field]);
  if (root === 'routeSettings') return valueAt(config, ['defaultRouteSettings', field]);
  return undefined;
};

const loggingLevel = (value: JsonValue | undefined): string =>
  typeof value === 'string' ? value.toUpperCase() : 'OFF';
const loggingOn = (value: JsonValue | undefined): boolean => ['INFO', 'ERROR'].includes(loggingLevel(value));

const turnedOn = (leaf: LeafChange, context: RuleContext): boolean =>
  effectiveSetting(context.before, leaf.path) !== true && effectiveSetting(context.after, leaf.path) === true;
const kindIs =
  (...kinds: ChangeKind[]) =>
  (leaf: LeafChange): boolean =>
    kinds.includes(leaf.kind);

const optOut =
  (direction: 'opt-out' | 'resumed') =>
  (leaf: LeafChange, context: RuleContext): boolean =>
    ignoreTagTransition(context.ignoreTag ?? DEFAULT_IGNORE_TAG, leaf) === direction;

const METHOD_SETTINGS = 'methodSettings';
const STAGE_WIDE = '*/*';

/**
 * The method-settings entries that cache responses without encrypting them, as Security Hub's
 * APIGateway.5 judges a REST stage: `cachingEnabled` in force (the entry's own, else `*\/*`'s) and
 * `cacheDataEncrypted` in force not true. The stage fails the control when any entry does.
 */
const unencryptedCachingEntries = (config: JsonObject): Set<string> => {
  const settings = config[METHOD_SETTINGS];
  const entries = isObject(settings) ? Object.keys(settings) : [];
  return new Set(
    entries.filter(
      (key) =>
        effectiveSetting(config, [METHOD_SETTINGS, key, 'cachingEnabled']) === true &&
        effectiveSetting(config, [METHOD_SETTINGS, key, 'cacheDataEncrypted']) !== true,
    ),
  );
};

/**
 * A caching leaf that makes the stage cache unencrypted where it did not: the cache cluster turned
 * on while an entry caches unencrypted, or an entry (its own, or one inheriting the changed
 * `*\/*` field) newly caching unencrypted. Turning caching off is never this rule.
 */
const startsUnencryptedCaching = (leaf: LeafChange, context: RuleContext): boolean => {
  const after = unencryptedCachingEntries(context.after);
  if (leaf.path.length === 1) {
    return leaf.path[0] === 'cacheClusterEnabled' && leaf.after === true && after.size > 0;
  }
  const before = unencryptedCachingEntries(context.before);
  const [, key, field] = leaf.path as [string, string, string];
  return [...after].some(
    (entry) =>
      !before.has(entry) &&
      (entry === key ||
        (key === STAGE_WIDE && valueAt(context.after, [METHOD_SETTINGS, entry, field]) === undefined)),
  );
};

/**
 * The default severity table (issue 2, "Drift engine"). Stage rules first, then field rules in
 * the order they are tried; `other` matches everything left.
 */
export const DEFAULT_SEVERITY_RULES: readonly SeverityRule[] = [
  { id: 'stage-deleted', scope: 'stage', paths: [], severity: 'HIGH', description: 'The stage was deleted.' },
  {
    id: 'stage-recreated',
    scope: 'stage',
    paths: [],
    severity: 'MEDIUM',
    description: 'The stage was deleted and created again between two scans (its createdDate changed).',
  },
  { id: 'stage-created', scope: 'stage', paths: [], severity: 'INFO', description: 'A new stage appeared.' },
  {
    id: 'stage-modified',
    scope: 'stage',
    paths: [],
    severity: 'INFO',
    description: 'The stage configuration changed; the stage takes the severity of its worst change.',
  },
  {
    id: 'execution-logging-off',
    scope: 'field',
    paths: settingPaths('loggingLevel'),
    severity: 'HIGH',
    control: 'APIGateway.1',
    description:
      'Execution logging turned off: a loggingLevel set to OFF or removed, where INFO or ERROR was in force before.',
    when: (leaf, context) =>
      loggingOn(effectiveSetting(context.before, leaf.path)) &&
      loggingLevel(effectiveSetting(context.after, leaf.path)) === 'OFF',
  },
  {
    id: 'data-trace-on',
    scope: 'field',
    paths: settingPaths('dataTraceEnabled'),
    severity: 'HIGH',
    description: 'Data trace logging (full request and response bodies in CloudWatch Logs) turned on.',
    when: turnedOn,
  },
  {
    id: 'access-logging-removed',
    scope: 'field',
    paths: ['accessLogSettings', 'accessLogSettings.destinationArn'],
    severity: 'HIGH',
    control: 'APIGateway.9',
    controlApiTypes: ['HTTP', 'WEBSOCKET'],
    description: 'Access logging removed (accessLogSettings or its destinationArn removed).',
    when: kindIs('removed'),
  },
  {
    id: 'access-log-settings-changed',
    scope: 'field',
    paths: ['accessLogSettings.**'],
    severity: 'MEDIUM',
    description: 'Access log destination or format added or changed.',
  },
  {
    id: 'waf-detached-or-changed',
    scope: 'field',
    paths: ['webAclArn'],
    severity: 'HIGH',
    control: 'APIGateway.4',
    description: 'The AWS WAF web ACL was detached from the stage or replaced by another.',
    when: kindIs('removed', 'changed'),
  },
  {
    id: 'waf-attached',
    scope: 'field',
    paths: ['webAclArn'],
    severity: 'LOW',
    description: 'An AWS WAF web ACL was attached to the stage.',
    when: kindIs('added'),
  },
  {
    id: 'client-certificate-removed',
    scope: 'field',
    paths: ['clientCertificateId'],
    severity: 'HIGH',
    control: 'APIGateway.2',
    controlApiTypes: ['REST'],
    description: 'The client certificate for backend authentication was removed.',
    when: kindIs('removed'),
  },
  {
    id: 'cache-unencrypted',
    scope: 'field',
    paths: ['cacheClusterEnabled', 'methodSettings.*.cachingEnabled', 'methodSettings.*.cacheDataEncrypted'],
    severity: 'HIGH',
    control: 'APIGateway.5',
    controlApiTypes: ['REST'],
    description:
      'Responses now cached without encryption: caching (per method, */* or the cache cluster) turned on where cacheDataEncrypted is not true in force, or encryption turned off where caching is on. Turning caching off is not this rule.',
    when: startsUnencryptedCaching,
  },
  {
    id: 'tracing-off',
    scope: 'field',
    paths: ['tracingEnabled'],
    severity: 'MEDIUM',
    control: 'APIGateway.3',
    description: 'AWS X-Ray tracing turned off.',
    when: (leaf) => leaf.before === true && leaf.after !== true,
  },
  {
    id: 'throttling-changed',
    scope: 'field',
    paths: [...settingPaths('throttlingBurstLimit'), ...settingPaths('throttlingRateLimit')],
    severity: 'MEDIUM',
    description: 'A throttling limit (burst or rate) changed, added or removed.',
  },
  {
    id: 'stage-variables-changed',
    scope: 'field',
    paths: ['variables.**', 'stageVariables.**', 'canarySettings.stageVariableOverrides.**'],
    severity: 'MEDIUM',
    description: 'A stage variable (or canary stage variable override) added, removed or changed.',
  },
  {
    id: 'canary-settings-changed',
    scope: 'field',
    paths: ['canarySettings.**'],
    severity: 'MEDIUM',
    description: 'Canary settings added, removed or changed (traffic share, deployment, stage cache use).',
  },
  {
    id: 'auto-deploy-changed',
    scope: 'field',
    paths: ['autoDeploy'],
    severity: 'MEDIUM',
    description: 'Automatic deployment turned on or off.',
  },
  {
    id: 'cache-settings-changed',
    scope: 'field',
    paths: [
      'cacheClusterEnabled',
      'cacheClusterSize',
      'methodSettings.*.cachingEnabled',
      'methodSettings.*.cacheTtlInSeconds',
      'methodSettings.*.cacheDataEncrypted',
      'methodSettings.*.requireAuthorizationForCacheControl',
      'methodSettings.*.unauthorizedCacheControlHeaderStrategy',
    ],
    severity: 'LOW',
    description: 'Cache cluster, cache size or per-method caching settings changed.',
  },
  {
    id: 'metrics-settings-changed',
    scope: 'field',
    paths: [
      'methodSettings.*.metricsEnabled',
      'defaultRouteSettings.detailedMetricsEnabled',
      'routeSettings.*.detailedMetricsEnabled',
    ],
    severity: 'LOW',
    description: 'Detailed CloudWatch metrics turned on or off.',
  },
  {
    id: 'description-changed',
    scope: 'field',
    paths: ['description'],
    severity: 'LOW',
    description: 'The stage description changed.',
  },
  {
    id: 'documentation-version-changed',
    scope: 'field',
    paths: ['documentationVersion'],
    severity: 'LOW',
    description: 'The documentation version changed.',
  },
  {
    id: 'monitoring-opt-out',
    scope: 'field',
    paths: ['tags.*', 'apiTags.*'],
    severity: 'MEDIUM',
    floor: true,
    description:
      'The ignore tag (stage-drift:ignore=true by default) was added to the stage or its API: a monitoring opt-out, honoured from the next scan on. Overrides and ignore paths cannot hide or lower it.',
    when: optOut('opt-out'),
  },
  {
    id: 'monitoring-resumed',
    scope: 'field',
    paths: ['tags.*', 'apiTags.*'],
    severity: 'LOW',
    floor: true,
    description:
      'The ignore tag was removed from a stage or its API that carried it: monitoring resumes, the stage as it is now is the new reference.',
    when: optOut('resumed'),
  },
  {
    id: 'tags-changed',
    scope: 'field',
    paths: ['tags.**'],
    severity: 'LOW',
    description: 'A stage tag added, removed or changed.',
  },
  {
    id: 'deployment-changed',
    scope: 'field',
    paths: ['deploymentId'],
    severity: 'INFO',
    description: 'The stage points to another deployment (a normal deploy).',
    when: kindIs('added', 'changed'),
  },
  {
    id: 'other',
    scope: 'field',
    paths: ['**'],
    severity: 'LOW',
    description: 'Any other change, e.g. logging or tracing turned on, a deployment id removed.',
  },
];

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
  id: 'stage-deleted' | 'stage-recreated' | 'stage-created' | 'stage-modified',
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
