import { partitionOf } from '../config/regions';
import type { DiffOptions } from '../diff';
import { diffConfigs } from '../diff';
import type { RestStageConfig, StageKey, StageSnapshot, V2StageConfig } from '../model';
import { configAsJson, isRestSnapshot, maxSeverity } from '../model';
import { compareText } from '../runtime';
import { RevertPlanError } from './errors';
import { restCreateStage, restManualSteps, restPatchOperations } from './rest-plan';
import type { ManualStep, RevertPlan, RevertStep } from './types';
import { v2CreateStage, v2ManualSteps, v2UpdateSteps } from './v2-plan';

/**
 * The ARN tag and WAF calls name a stage by: `arn:<partition>:apigateway:<region>::/restapis/<id>/stages/<name>`
 * (REST) or `.../apis/<id>/stages/<name>` (HTTP, WebSocket).
 */
export const stageResourceArn = (key: StageKey): string =>
  `arn:${partitionOf(key.region)}:apigateway:${key.region}::/${key.apiType === 'REST' ? 'restapis' : 'apis'}/${key.apiId}/stages/${key.stageName}`;

/** Tags API Gateway reserves: `aws:`-prefixed ones are set by AWS (CloudFormation) and cannot be written. */
const isReservedTag = (key: string): boolean => key.startsWith('aws:');

/**
 * The value a map holds under `key`, its own members only: a stage variable, tag or route key
 * may be named `valueOf` or `constructor`, which a plain `map[key]` finds on Object.prototype.
 */
const own = <T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;

const tagSteps = (
  arn: string,
  current: Readonly<Record<string, string>> | undefined,
  target: Readonly<Record<string, string>> | undefined,
): { steps: RevertStep[]; manual: ManualStep[] } => {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  const manual: ManualStep[] = [];
  const keys = [...new Set([...Object.keys(current ?? {}), ...Object.keys(target ?? {})])].sort(compareText);
  for (const key of keys) {
    const want = own(target, key);
    if (want === own(current, key)) continue;
    if (isReservedTag(key)) {
      manual.push({
        field: `tags.${key}`,
        reason: 'tags with the aws: prefix are set by AWS and cannot be written',
      });
    } else if (want === undefined) unset.push(key);
    else set[key] = want;
  }
  const steps: RevertStep[] = [];
  if (unset.length > 0) steps.push({ kind: 'untag-resource', resourceArn: arn, tagKeys: unset });
  if (Object.keys(set).length > 0) steps.push({ kind: 'tag-resource', resourceArn: arn, tags: set });
  return { steps, manual };
};

const webAclSteps = (arn: string, current: string | undefined, target: string | undefined): RevertStep[] => {
  if (current === target) return [];
  if (target === undefined) return [{ kind: 'disassociate-web-acl', resourceArn: arn }];
  return [{ kind: 'associate-web-acl', resourceArn: arn, webAclArn: target }];
};

const restSteps = (key: StageKey, current: RestStageConfig | undefined, target: RestStageConfig) => {
  const steps: RevertStep[] = [];
  let base = current;
  if (base === undefined) {
    const create = restCreateStage(key.stageName, target);
    if (create === undefined)
      throw new RevertPlanError(
        `the target version of ${key.apiId} ${key.stageName} names no deployment; CreateStage needs one`,
      );
    steps.push({ kind: 'rest-create-stage', input: create.input });
    base = create.created;
  }
  const patchOperations = restPatchOperations(base, target);
  if (patchOperations.length > 0) steps.push({ kind: 'rest-update-stage', patchOperations });
  const arn = stageResourceArn(key);
  const tags = tagSteps(arn, base.tags, target.tags);
  steps.push(...tags.steps, ...webAclSteps(arn, base.webAclArn, target.webAclArn));
  return { steps, manual: [...restManualSteps(base, target), ...tags.manual] };
};

const v2Steps = (key: StageKey, current: V2StageConfig | undefined, target: V2StageConfig) => {
  const steps: RevertStep[] = [];
  let base = current;
  if (base === undefined) {
    const create = v2CreateStage(target);
    steps.push({ kind: 'v2-create-stage', input: create.input });
    base = create.created;
    // A new WebSocket stage's default route settings get LoggingLevel OFF when none is given.
    if (key.apiType === 'WEBSOCKET' && base.defaultRouteSettings?.loggingLevel === undefined)
      base = { ...base, defaultRouteSettings: { ...base.defaultRouteSettings, loggingLevel: 'OFF' } };
  }
  steps.push(...v2UpdateSteps(base, target));
  const tags = tagSteps(stageResourceArn(key), base.tags, target.tags);
  steps.push(...tags.steps);
  return { steps, manual: [...v2ManualSteps(base, target), ...tags.manual] };
};

/**
 * The plan that brings a stage from `current` (as read now; `undefined` when it was deleted) back
 * to `target` (a stored version): the field changes it makes, judged by the same rules as drift
 * events (`diffOptions`), and the calls in the order they run. Pure: nothing is read or written.
 *
 * @throws RevertPlanError when the two are not the same stage, or a deleted REST stage's target
 *   names no deployment.
 */
export const planRevert = (
  current: StageSnapshot | undefined,
  target: StageSnapshot,
  diffOptions: DiffOptions,
): RevertPlan => {
  if (current !== undefined && current.key.apiType !== target.key.apiType)
    throw new RevertPlanError(
      `the stage is now a ${current.key.apiType} stage and the target version a ${target.key.apiType} one; a revert cannot change the API type`,
    );
  const { steps, manual } = isRestSnapshot(target)
    ? restSteps(target.key, current?.config as RestStageConfig | undefined, target.config)
    : v2Steps(target.key, current?.config as V2StageConfig | undefined, target.config);
  const changes = diffConfigs(
    current === undefined ? undefined : configAsJson(current),
    configAsJson(target),
    target.key.apiType,
    diffOptions,
  );
  const drift =
    current !== undefined && current.hash === target.hash
      ? undefined
      : {
          key: target.key,
          apiName: target.apiName,
          change: current === undefined ? ('CREATED' as const) : ('MODIFIED' as const),
          severity: maxSeverity(changes.map((c) => c.severity)),
          rule: current === undefined ? 'stage-created' : 'stage-modified',
          changes,
          ...(current === undefined ? {} : { beforeHash: current.hash }),
          afterHash: target.hash,
        };
  return {
    key: target.key,
    ...(current === undefined ? {} : { current }),
    target,
    ...(drift ? { drift } : {}),
    steps,
    manual,
  };
};
