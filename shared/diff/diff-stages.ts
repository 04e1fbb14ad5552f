import type {
  ApiType,
  Change,
  JsonObject,
  StageChangeKind,
  StageDrift,
  StageKey,
  StageSnapshot,
} from '../model';
import { configAsJson, formatStageKey, maxSeverity, sameCreatedDate, severityRank } from '../model';
import type { RawChange } from './config-changes';
import { collectRawChanges, sortKeysDeep } from './config-changes';
import { DiffInputError } from './errors';
import {
  apiIgnoreTagChanges,
  carriesIgnoreTag,
  ignoreTagTransition,
  isPathIgnored,
  isStageIgnoredByRule,
} from './ignore-rules';
import { labelForPath } from './labels';
import type { CompiledDiffOptions, DiffOptions } from './options';
import { compileDiffOptions } from './options';
import { comparePaths } from './path-pattern';
import { redactChangeValue } from './redaction';
import type { RuleContext, SeverityRule } from './severity-rules';
import { decideChangeSeverity, stageRule } from './severity-rules';

const compareChanges = (a: Change, b: Change): number =>
  severityRank(b.severity) - severityRank(a.severity) || comparePaths(a.path, b.path);

const toChange = (raw: RawChange, context: RuleContext, options: CompiledDiffOptions): Change => {
  const decision = decideChangeSeverity(raw, context, options.overrides);
  return {
    path: [...raw.path],
    label: labelForPath(raw.path),
    kind: raw.kind,
    ...(raw.before !== undefined
      ? { before: redactChangeValue(raw.path, sortKeysDeep(raw.before), options) }
      : {}),
    ...(raw.after !== undefined
      ? { after: redactChangeValue(raw.path, sortKeysDeep(raw.after), options) }
      : {}),
    severity: decision.severity,
    rule: decision.rule,
    ...(decision.control !== undefined ? { control: decision.control } : {}),
  };
};

/** Severity, label and redaction for raw changes; ignore paths drop any but the ignore tag's own. */
const judgeChanges = (
  raws: readonly RawChange[],
  context: RuleContext,
  options: CompiledDiffOptions,
): Change[] =>
  raws
    .filter(
      (raw) =>
        !isPathIgnored(options.ignore, raw.path) ||
        ignoreTagTransition(options.ignore.tag, raw) !== undefined,
    )
    .map((raw) => toChange(raw, context, options))
    .sort(compareChanges);

const ruleContext = (
  apiType: ApiType,
  before: JsonObject,
  after: JsonObject,
  options: CompiledDiffOptions,
): RuleContext => ({ apiType, before, after, ignoreTag: options.ignore.tag });

const diffCompiledConfigs = (
  before: JsonObject,
  after: JsonObject,
  apiType: ApiType,
  options: CompiledDiffOptions,
): Change[] =>
  judgeChanges(collectRawChanges(before, after), ruleContext(apiType, before, after, options), options);

/**
 * Field-level changes between two canonical configs of one stage, most severe first, then by path.
 * An absent config counts as `{}`. Ignore path patterns apply; stage ignore rules do not (no stage here).
 */
export const diffConfigs = (
  before: JsonObject | undefined,
  after: JsonObject | undefined,
  apiType: ApiType,
  options: DiffOptions,
): Change[] => diffCompiledConfigs(before ?? {}, after ?? {}, apiType, compileDiffOptions(options));

const copyKey = (key: StageKey): StageKey => ({
  account: key.account,
  region: key.region,
  apiType: key.apiType,
  apiId: key.apiId,
  stageName: key.stageName,
});

const RULE_BY_KIND: Readonly<Record<StageChangeKind, SeverityRule>> = {
  CREATED: stageRule('stage-created'),
  DELETED: stageRule('stage-deleted'),
  MODIFIED: stageRule('stage-modified'),
  RECREATED: stageRule('stage-recreated'),
  REVERTED: stageRule('stage-reverted'),
};

const stageDrift = (
  change: StageChangeKind,
  before: StageSnapshot | undefined,
  after: StageSnapshot | undefined,
  changes: readonly Change[],
): StageDrift => {
  const rule = RULE_BY_KIND[change];
  const subject = (after ?? before) as StageSnapshot;
  return {
    key: copyKey(subject.key),
    apiName: subject.apiName,
    change,
    severity: maxSeverity([rule.severity, ...changes.map((c) => c.severity)]),
    rule: rule.id,
    changes,
    ...(before !== undefined ? { beforeHash: before.hash } : {}),
    ...(after !== undefined ? { afterHash: after.hash } : {}),
  };
};

const diffCompiledStages = (
  before: StageSnapshot | undefined,
  after: StageSnapshot | undefined,
  options: CompiledDiffOptions,
): StageDrift | undefined => {
  if (before === undefined && after === undefined) return undefined;
  if (
    before !== undefined &&
    after !== undefined &&
    formatStageKey(before.key) !== formatStageKey(after.key)
  ) {
    throw new DiffInputError(
      `cannot diff two different stages: ${formatStageKey(before.key)} and ${formatStageKey(after.key)}; pair snapshots by stage key (diffStageSets does)`,
    );
  }
  const subject = (after ?? before) as StageSnapshot;
  if (isStageIgnoredByRule(options.ignore, subject.key)) return undefined;
  // The ignore tag is honoured only when the previous snapshot carries it: a tag added in the
  // same window as other changes hides none of them.
  const wasIgnored = before !== undefined && carriesIgnoreTag(options.ignore.tag, before);
  if (after === undefined) return wasIgnored ? undefined : stageDrift('DELETED', before, undefined, []);
  if (before === undefined) return stageDrift('CREATED', undefined, after, []);
  if (wasIgnored && carriesIgnoreTag(options.ignore.tag, after)) return undefined;

  const { createdDate: bornBefore } = before.volatile;
  const { createdDate: bornAfter } = after.volatile;
  const recreated =
    bornBefore !== undefined && bornAfter !== undefined && !sameCreatedDate(bornBefore, bornAfter);
  const apiTagChanges = apiIgnoreTagChanges(options.ignore.tag, before, after);
  if (!recreated && before.hash === after.hash && apiTagChanges.length === 0) return undefined;

  const beforeConfig = configAsJson(before);
  const afterConfig = configAsJson(after);
  const configChanges = before.hash === after.hash ? [] : collectRawChanges(beforeConfig, afterConfig);
  // Monitoring resumes: only the tag's removal is news; the stage as it is now is the reference.
  const raws = [...apiTagChanges, ...configChanges].filter(
    (raw) => !wasIgnored || ignoreTagTransition(options.ignore.tag, raw) !== undefined,
  );
  const changes = judgeChanges(
    raws,
    ruleContext(after.key.apiType, beforeConfig, afterConfig, options),
    options,
  );
  if (recreated) return stageDrift('RECREATED', before, after, changes);
  // Hashes differ but nothing is left (every change ignored, or a non-canonical `{}`): no drift.
  return changes.length > 0 ? stageDrift('MODIFIED', before, after, changes) : undefined;
};

/**
 * The drift of one stage between two snapshots, or `undefined` when there is none or the stage is
 * ignored. Before only: DELETED; after only: CREATED; a different `createdDate`: RECREATED (with
 * its field changes); different hashes: MODIFIED. Both snapshots must have the same key.
 */
export const diffStages = (
  before: StageSnapshot | undefined,
  after: StageSnapshot | undefined,
  options: DiffOptions,
): StageDrift | undefined => diffCompiledStages(before, after, compileDiffOptions(options));

const indexByKey = (snapshots: readonly StageSnapshot[], side: string): Map<string, StageSnapshot> => {
  const index = new Map<string, StageSnapshot>();
  for (const snapshot of snapshots) {
    const key = formatStageKey(snapshot.key);
    if (index.has(key)) {
      throw new DiffInputError(`stage ${key} appears twice in the ${side} snapshots; give each stage once`);
    }
    index.set(key, snapshot);
  }
  return index;
};

/**
 * The drifts between two sets of snapshots, paired by stage key: most severe first, then by key.
 * A set must not hold the same key twice.
 */
export const diffStageSets = (
  before: readonly StageSnapshot[],
  after: readonly StageSnapshot[],
  options: DiffOptions,
): StageDrift[] => {
  const compiled = compileDiffOptions(options);
  const beforeByKey = indexByKey(before, 'before');
  const afterByKey = indexByKey(after, 'after');
  const keys = [...new Set([...beforeByKey.keys(), ...afterByKey.keys()])].sort();
  const drifts: { readonly key: string; readonly drift: StageDrift }[] = [];
  for (const key of keys) {
    const drift = diffCompiledStages(beforeByKey.get(key), afterByKey.get(key), compiled);
    if (drift !== undefined) drifts.push({ key, drift });
  }
  return drifts
    .sort(
      (a, b) => severityRank(b.drift.severity) - severityRank(a.drift.severity) || (a.key < b.key ? -1 : 1),
    )
    .map(({ drift }) => drift);
};
