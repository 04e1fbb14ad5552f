/**
 * The user's own expectations, as controls of the same shape as the AWS ones: which stages
 * (globs, as ignore rules select stages), which API types, and checks on config paths (dot
 * patterns, as severity overrides name paths). Configured with the `postureRules` setting.
 */
import type { ApiType, JsonObject, JsonValue, StageSnapshot } from '../model';
import { API_TYPES, configAsJson, isJsonObject } from '../model';
import type { PathPattern, StageIgnoreRule } from '../diff';
import { DiffConfigError, parsePathPattern } from '../diff';
import { matchesPathOrAbove } from '../diff/path-pattern';
import { compileGlob } from '../diff/glob';
import { PostureConfigError } from './errors';
import type { ControlResult, ControlSeverity, PostureControl } from './types';

/** One check on the fields whose paths match any of `paths`. Exactly one of the tests is set. */
export interface PostureCheck {
  /**
   * Dot patterns (as severity overrides write them; a pattern names its subtree), e.g.
   * `variables.*`, `defaultRouteSettings.throttlingRateLimit`; the stage-wide method settings
   * entry is `methodSettings.` + `\*` + `/` + `\*` (escaped stars; unescaped, they glob every
   * method's entry).
   */
  readonly paths: readonly string[];
  /** `true`: at least one field is set; `false`: none is. */
  readonly present?: boolean;
  /** At least one field is set, and every one equals this. */
  readonly equals?: string | number | boolean;
  /** At least one field is set, and every one is a string matching this glob (`*`, `?`). */
  readonly matching?: string;
  /** No field is a string matching this glob, e.g. `*-dev.*` for stage variables. */
  readonly notMatching?: string;
}

export interface PostureRule {
  /** Letters, digits, `.`, `_`, `-`; not `APIGateway.*` or `StageDrift.*` (ours). */
  readonly id: string;
  /** What the rule expects, one line. */
  readonly title: string;
  /** @default MEDIUM */
  readonly severity?: ControlSeverity;
  /** Only these stages (every field given must match). @default every stage */
  readonly stages?: StageIgnoreRule;
  /** @default all */
  readonly apiTypes?: readonly ApiType[];
  /** Every check must hold. */
  readonly expect: readonly PostureCheck[];
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const RESERVED = /^(APIGateway|StageDrift)\./i;
const SEVERITIES: readonly ControlSeverity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const STAGE_FIELDS = ['account', 'region', 'apiId', 'stageName'] as const;
const TESTS = ['present', 'equals', 'matching', 'notMatching'] as const;
type Test = (typeof TESTS)[number];

interface CompiledCheck {
  readonly patterns: readonly PathPattern[];
  readonly source: string;
  readonly test: Test;
  readonly value: JsonValue;
  readonly glob?: RegExp;
}

const record = (value: unknown, field: string, example: string): Record<string, unknown> => {
  if (!isJsonObject(value)) throw new PostureConfigError(field, `must be an object such as ${example}`);
  return value;
};

const onlyKeys = (value: Record<string, unknown>, field: string, allowed: readonly string[]): void => {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new PostureConfigError(
      field,
      `unknown field ${unknown.join(', ')}; use only ${allowed.join(', ')}`,
    );
  }
};

/** A dot pattern, its error under the rule's own field (a PostureConfigError, as every other). */
const pathPattern = (pattern: string, field: string): PathPattern => {
  try {
    return parsePathPattern(pattern, field);
  } catch (error) {
    if (!(error instanceof DiffConfigError)) throw error;
    throw new PostureConfigError(field, error.message.slice(`${field}: `.length), { cause: error });
  }
};

const compileCheck = (raw: unknown, field: string): CompiledCheck => {
  const check = record(raw, field, '{ "paths": ["tracingEnabled"], "equals": true }');
  onlyKeys(check, field, ['paths', ...TESTS]);
  const paths = check.paths;
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p !== '')) {
    throw new PostureConfigError(
      `${field}.paths`,
      'must be a non-empty list of dot patterns, e.g. ["variables.*"]',
    );
  }
  const tests = TESTS.filter((test) => check[test] !== undefined);
  const test = tests[0];
  if (tests.length !== 1 || test === undefined) {
    throw new PostureConfigError(field, `set exactly one of ${TESTS.join(', ')} (found ${tests.length})`);
  }
  const value = check[test] as JsonValue;
  const expected = {
    present: 'boolean',
    equals: 'string, number or boolean',
    matching: 'string',
    notMatching: 'string',
  };
  const ok =
    test === 'present'
      ? typeof value === 'boolean'
      : test === 'equals'
        ? ['string', 'number', 'boolean'].includes(typeof value)
        : typeof value === 'string' && value !== '';
  if (!ok) throw new PostureConfigError(`${field}.${test}`, `must be a ${expected[test]}`);
  return {
    patterns: paths.map((p: string, i) => pathPattern(p, `${field}.paths[${i}]`)),
    source: paths.join(' | '),
    test,
    value,
    ...(typeof value === 'string' && test !== 'equals' ? { glob: compileGlob(value) } : {}),
  };
};

/** Every leaf of a config (objects walked; arrays and scalars are leaves), with its path. */
const leaves = (value: JsonValue, path: readonly string[] = []): [readonly string[], JsonValue][] =>
  isJsonObject(value)
    ? Object.keys(value)
        .sort()
        .flatMap((key) => leaves(value[key] as JsonValue, [...path, key]))
    : [[path, value]];

/** Stage variables (and canary overrides of them) often hold secrets: a reason never quotes one. */
const isVariablePath = (path: readonly string[]): boolean =>
  path[0] === 'variables' || path[0] === 'stageVariables' || path.includes('stageVariableOverrides');

/**
 * The value `equals` expects, unless a field is a stage variable: a value pinned there may be a
 * secret too. (Globs are quoted: they are the rule's text, e.g. `*-dev*`, never a stage's value.)
 */
const shown = (value: JsonValue, found: readonly [readonly string[], JsonValue][]): string =>
  found.some(([path]) => isVariablePath(path)) ? 'the expected value' : JSON.stringify(value);

const LISTED = 5;

/** Field names for a reason: the first five, then how many more. */
const listed = (names: readonly string[]): string =>
  names.length <= LISTED
    ? names.join(', ')
    : `${names.slice(0, LISTED).join(', ')} and ${names.length - LISTED} more`;

const runCheck = (config: JsonObject, check: CompiledCheck): Omit<ControlResult, 'id'> => {
  const found = leaves(config).filter(([path]) => check.patterns.some((p) => matchesPathOrAbove(p, path)));
  const fields = found.length > 0 ? found.map(([path]) => path) : [];
  const names = listed(fields.map((path) => path.join('.')));
  const fail = (reason: string) => ({ status: 'FAILED' as const, reason, fields });
  const pass = (reason: string) => ({ status: 'PASSED' as const, reason, fields });
  switch (check.test) {
    case 'present':
      if (check.value === true)
        return found.length > 0 ? pass(`${names} set`) : fail(`${check.source} not set`);
      return found.length === 0 ? pass(`${check.source} not set`) : fail(`${names} set`);
    case 'equals': {
      if (found.length === 0) return fail(`${check.source} not set`);
      const other = found.filter(([, v]) => v !== check.value).map(([path]) => path.join('.'));
      return other.length === 0
        ? pass(`${names} as expected`)
        : fail(`${listed(other)} not ${shown(check.value, found)}`);
    }
    case 'matching': {
      if (found.length === 0) return fail(`${check.source} not set`);
      const other = found
        .filter(([, v]) => typeof v !== 'string' || !check.glob?.test(v))
        .map(([p]) => p.join('.'));
      return other.length === 0
        ? pass(`${names} match`)
        : fail(`${listed(other)} do not match ${JSON.stringify(check.value)}`);
    }
    case 'notMatching': {
      const hits = found
        .filter(([, v]) => typeof v === 'string' && check.glob?.test(v))
        .map(([p]) => p.join('.'));
      return hits.length === 0
        ? pass(`no field matches ${JSON.stringify(check.value)}`)
        : fail(`${listed(hits)} match ${JSON.stringify(check.value)}`);
    }
  }
};

const selects = (stages: Partial<Record<(typeof STAGE_FIELDS)[number], RegExp>>, snapshot: StageSnapshot) =>
  STAGE_FIELDS.every((name) => stages[name]?.test(snapshot.key[name]) ?? true);

/** A user rule as a control. Throws {@link PostureConfigError} naming the field and the fix. */
export const compilePostureRule = (raw: unknown, field: string): PostureControl => {
  const rule = record(raw, field, '{ "id": "prod-tracing", "title": "...", "expect": [...] }');
  onlyKeys(rule, field, ['id', 'title', 'severity', 'stages', 'apiTypes', 'expect']);
  const { id, title, severity = 'MEDIUM', apiTypes = API_TYPES } = rule;
  if (typeof id !== 'string' || !ID.test(id) || RESERVED.test(id)) {
    throw new PostureConfigError(
      `${field}.id`,
      'must be 1–64 letters, digits, ".", "_" or "-", not starting APIGateway. or StageDrift.',
    );
  }
  if (typeof title !== 'string' || title.trim() === '')
    throw new PostureConfigError(
      `${field}.title`,
      'must say what the rule expects, e.g. "prod stages are throttled"',
    );
  if (!SEVERITIES.includes(severity as ControlSeverity))
    throw new PostureConfigError(`${field}.severity`, `must be one of ${SEVERITIES.join(', ')}`);
  if (
    !Array.isArray(apiTypes) ||
    apiTypes.length === 0 ||
    !apiTypes.every((t) => API_TYPES.includes(t as ApiType))
  ) {
    throw new PostureConfigError(`${field}.apiTypes`, `must be a non-empty list of ${API_TYPES.join(', ')}`);
  }
  const stagesRaw =
    rule.stages === undefined ? {} : record(rule.stages, `${field}.stages`, '{ "stageName": "prod*" }');
  onlyKeys(stagesRaw, `${field}.stages`, STAGE_FIELDS);
  const stages: Partial<Record<(typeof STAGE_FIELDS)[number], RegExp>> = {};
  for (const name of STAGE_FIELDS) {
    const glob = stagesRaw[name];
    if (glob === undefined) continue;
    if (typeof glob !== 'string' || glob === '')
      throw new PostureConfigError(`${field}.stages.${name}`, 'must be a non-empty glob, e.g. "prod*"');
    stages[name] = compileGlob(glob);
  }
  if (!Array.isArray(rule.expect) || rule.expect.length === 0) {
    throw new PostureConfigError(
      `${field}.expect`,
      'must be a non-empty list of checks, e.g. [{ "paths": ["tracingEnabled"], "equals": true }]',
    );
  }
  const checks = rule.expect.map((check, i) => compileCheck(check, `${field}.expect[${i}]`));
  return {
    id,
    title,
    source: 'user',
    severity: severity as ControlSeverity,
    apiTypes: apiTypes as ApiType[],
    evaluate: (snapshot) => {
      if (!selects(stages, snapshot))
        return { status: 'NOT_APPLICABLE', reason: 'the rule does not select this stage', fields: [] };
      const config = configAsJson(snapshot);
      const results = checks.map((check) => runCheck(config, check));
      const failedChecks = results.filter((r) => r.status === 'FAILED');
      const decisive = failedChecks.length > 0 ? failedChecks : results;
      return {
        status: failedChecks.length > 0 ? 'FAILED' : 'PASSED',
        reason: decisive.map((r) => r.reason).join('; '),
        fields: decisive.flatMap((r) => r.fields),
      };
    },
  };
};

/** The `postureRules` setting: a list of rules with unique ids. */
export const compilePostureRules = (raw: unknown, field = 'postureRules'): PostureControl[] => {
  if (raw === undefined) return [];
  if (!Array.isArray(raw))
    throw new PostureConfigError(field, 'must be a list of rules, e.g. [{ "id": "prod-tracing", ... }]');
  const rules = raw.map((rule, i) => compilePostureRule(rule, `${field}[${i}]`));
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    if (seen.has(rule.id))
      throw new PostureConfigError(
        `${field}[${i}].id`,
        `"${rule.id}" is used twice; give each rule its own id`,
      );
    seen.add(rule.id);
  });
  return rules;
};
