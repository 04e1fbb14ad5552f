import type { JsonValue, StageKey, StageSnapshot } from '../model';
import type { RawChange } from './config-changes';
import { DiffConfigError } from './errors';
import { compileGlob } from './glob';
import type { PathPattern } from './path-pattern';
import { matchesPathOrAbove, parsePathPattern } from './path-pattern';

/** Ignores whole stages; every field set must match (globs with `*` and `?`), at least one must be set. */
export interface StageIgnoreRule {
  readonly apiId?: string;
  readonly stageName?: string;
  readonly account?: string;
  readonly region?: string;
}

/** A tag that, on a stage or its API, ignores the stage. */
export interface IgnoreTag {
  readonly key: string;
  /** Compared exactly. @default any value */
  readonly value?: string;
}

export interface IgnoreRules {
  /** Dot path patterns; a change whose path matches one is dropped, e.g. `tags.**`. @default none */
  readonly paths?: readonly string[];
  /** Stage globs; a matching stage has no drift. @default none */
  readonly stages?: readonly StageIgnoreRule[];
  /**
   * Matched on the stage's `tags` and on the API's tags (`apiTags`) of the *previous* snapshot:
   * a tag added in the same window as other changes hides none of them (and is itself reported).
   * @default { key: 'stage-drift:ignore', value: 'true' }
   */
  readonly tag?: IgnoreTag;
}

export const DEFAULT_IGNORE_TAG: IgnoreTag = { key: 'stage-drift:ignore', value: 'true' };

const STAGE_FIELDS = ['account', 'region', 'apiId', 'stageName'] as const;
type StageField = (typeof STAGE_FIELDS)[number];

export interface CompiledIgnoreRules {
  readonly paths: readonly PathPattern[];
  readonly stages: readonly Readonly<Partial<Record<StageField, RegExp>>>[];
  readonly tag: IgnoreTag;
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

const compileStageRule = (rule: unknown, field: string): Partial<Record<StageField, RegExp>> => {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    throw new DiffConfigError(field, "must be an object such as { apiId: 'a1b2c3', stageName: 'dev-*' }");
  }
  const record = rule as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((k) => !(STAGE_FIELDS as readonly string[]).includes(k));
  if (unknownKeys.length > 0) {
    throw new DiffConfigError(
      field,
      `unknown field ${unknownKeys.join(', ')}; use only ${STAGE_FIELDS.join(', ')}`,
    );
  }
  const compiled: Partial<Record<StageField, RegExp>> = {};
  for (const name of STAGE_FIELDS) {
    const glob = record[name];
    if (glob === undefined) continue;
    if (!isNonEmptyString(glob)) {
      throw new DiffConfigError(
        `${field}.${name}`,
        "must be a non-empty glob string, e.g. 'dev-*' ('*' any, '?' one)",
      );
    }
    compiled[name] = compileGlob(glob);
  }
  if (Object.keys(compiled).length === 0) {
    throw new DiffConfigError(
      field,
      `set at least one of ${STAGE_FIELDS.join(', ')}; an empty rule would ignore every stage (use apiId: '*' if you mean it)`,
    );
  }
  return compiled;
};

const compileTag = (tag: unknown, field: string): IgnoreTag => {
  if (tag === undefined) return DEFAULT_IGNORE_TAG;
  if (typeof tag !== 'object' || tag === null || !isNonEmptyString((tag as { key?: unknown }).key)) {
    throw new DiffConfigError(
      field,
      "must be an object with a non-empty key, e.g. { key: 'stage-drift:ignore', value: 'true' }",
    );
  }
  const { key, value } = tag as { key: string; value?: unknown };
  if (value !== undefined && typeof value !== 'string') {
    throw new DiffConfigError(
      `${field}.value`,
      'must be a string, or left out to match any value of the tag',
    );
  }
  return value === undefined ? { key } : { key, value };
};

/** Validates and compiles ignore rules; throws a {@link DiffConfigError} naming the bad field. */
export const compileIgnoreRules = (rules: IgnoreRules | undefined, field = 'ignore'): CompiledIgnoreRules => {
  if (rules === undefined) return { paths: [], stages: [], tag: DEFAULT_IGNORE_TAG };
  if (typeof rules !== 'object' || rules === null) {
    throw new DiffConfigError(field, 'must be an object with optional paths, stages and tag');
  }
  const paths: unknown = rules.paths ?? [];
  const stages: unknown = rules.stages ?? [];
  if (!Array.isArray(paths))
    throw new DiffConfigError(`${field}.paths`, "must be an array of dot patterns, e.g. ['tags.**']");
  if (!Array.isArray(stages)) throw new DiffConfigError(`${field}.stages`, 'must be an array of stage rules');
  return {
    paths: paths.map((p: unknown, i) => parsePathPattern(p as string, `${field}.paths[${i}]`)),
    stages: stages.map((s: unknown, i) => compileStageRule(s, `${field}.stages[${i}]`)),
    tag: compileTag(rules.tag, `${field}.tag`),
  };
};

const hasTag = (tags: Readonly<Record<string, string>> | undefined, tag: IgnoreTag): boolean =>
  tags !== undefined &&
  Object.hasOwn(tags, tag.key) &&
  (tag.value === undefined || tags[tag.key] === tag.value);

/** Whether a stage is ignored by a stage glob (a configured rule: it holds whatever the stage carries). */
export const isStageIgnoredByRule = (rules: CompiledIgnoreRules, key: StageKey): boolean =>
  rules.stages.some((rule) =>
    STAGE_FIELDS.every((name) => {
      const glob = rule[name];
      return glob === undefined || glob.test(key[name]);
    }),
  );

/** Whether a snapshot carries the ignore tag, on the stage or on its API. */
export const carriesIgnoreTag = (tag: IgnoreTag, snapshot: StageSnapshot): boolean =>
  hasTag(snapshot.config.tags, tag) || hasTag(snapshot.apiTags, tag);

/** Whether a tag value (absent: `undefined`) is the ignore tag's. */
const isIgnoreValue = (tag: IgnoreTag, value: JsonValue | undefined): boolean =>
  typeof value === 'string' && (tag.value === undefined || value === tag.value);

/**
 * Whether a change is the ignore tag coming or going (on the stage: `tags.<key>`, on the API:
 * `apiTags.<key>`): a monitoring opt-out or its end, reported whatever else is ignored.
 */
export const ignoreTagTransition = (
  tag: IgnoreTag,
  change: Pick<RawChange, 'path' | 'before' | 'after'>,
): 'opt-out' | 'resumed' | undefined => {
  const [root, key] = change.path;
  if (change.path.length !== 2 || (root !== 'tags' && root !== 'apiTags') || key !== tag.key)
    return undefined;
  const before = isIgnoreValue(tag, change.before);
  const after = isIgnoreValue(tag, change.after);
  return before === after ? undefined : after ? 'opt-out' : 'resumed';
};

/**
 * The ignore tag's change on the API (API tags are context, never diffed otherwise), as a change
 * at `apiTags.<key>`; none when its state is the same on both sides.
 */
export const apiIgnoreTagChanges = (
  tag: IgnoreTag,
  before: StageSnapshot,
  after: StageSnapshot,
): RawChange[] => {
  const valueOf = (snapshot: StageSnapshot): string | undefined =>
    snapshot.apiTags !== undefined && Object.hasOwn(snapshot.apiTags, tag.key)
      ? snapshot.apiTags[tag.key]
      : undefined;
  const b = valueOf(before);
  const a = valueOf(after);
  const path = ['apiTags', tag.key];
  if (ignoreTagTransition(tag, { path, before: b, after: a }) === undefined) return [];
  if (b === undefined) return [{ path, kind: 'added', after: a }];
  if (a === undefined) return [{ path, kind: 'removed', before: b }];
  return [{ path, kind: 'changed', before: b, after: a }];
};

/** Whether a change at `path` is dropped by an ignore path pattern (matching it or a path above it). */
export const isPathIgnored = (rules: CompiledIgnoreRules, path: readonly string[]): boolean =>
  rules.paths.some((pattern) => matchesPathOrAbove(pattern, path));
