import type { Change } from '../../shared/model';
import type { ShowValue } from '../../shared/revert/commands';
import { awsCommandOf, operationOf, shownStep } from '../../shared/revert/commands';
import type { RevertPlan, RevertStep } from '../../shared/revert/types';
import { colourSeverity } from './table';
import { escapeControlChars, formatValue } from './values';

export interface PlanRenderOptions {
  /** How a stage variable value prints: its fingerprint, unless `--show-secrets`. */
  readonly show: ShowValue;
  readonly secretsShown: boolean;
  readonly colour: boolean;
  /** The ISO capture time of the target version. */
  readonly targetVersion: string;
}

const changeLine = (c: Change, colour: boolean): string =>
  `  ${colourSeverity(c.severity.padEnd(8), colour)} ${escapeControlChars(c.label)}: ${formatValue(c.before)} -> ${formatValue(c.after)}`;

const stepSummary = (step: RevertStep): string => {
  switch (step.kind) {
    case 'rest-update-stage':
      return `UpdateStage, ${step.patchOperations.length} patch operation${step.patchOperations.length === 1 ? '' : 's'}: ${step.patchOperations.map((op) => `${op.op} ${op.path}`).join(', ')}`;
    case 'v2-update-stage':
      return `UpdateStage: ${Object.keys(step.input).join(', ')}`;
    case 'rest-create-stage':
    case 'v2-create-stage':
      return 'CreateStage (the stage was deleted)';
    case 'v2-delete-route-settings':
      return `DeleteRouteSettings ${step.routeKey}`;
    case 'v2-delete-access-log-settings':
      return 'DeleteAccessLogSettings';
    case 'tag-resource':
      return `TagResource ${Object.keys(step.tags).join(', ')}`;
    case 'untag-resource':
      return `UntagResource ${step.tagKeys.join(', ')}`;
    case 'associate-web-acl':
      return `AssociateWebACL ${step.webAclArn}`;
    case 'disassociate-web-acl':
      return 'DisassociateWebACL';
  }
};

const MARK = 'stage-drift:variable-value';
/** Whether a step sends a stage variable value (printed as a fingerprint unless --show-secrets). */
const carriesVariableValue = (step: RevertStep): boolean =>
  JSON.stringify(shownStep(step, () => MARK)).includes(MARK);

/** The plan as `stage-drift revert` prints it: what changes, the calls and their `aws` lines, what is left to do by hand. */
export const renderRevertPlan = (plan: RevertPlan, options: PlanRenderOptions): string => {
  const { key } = plan;
  const lines = [
    `Revert ${key.apiType} API ${key.apiId} (${escapeControlChars(plan.target.apiName)}) stage ${key.stageName} in ${key.account} ${key.region}`,
    `  to the version captured ${options.targetVersion}${plan.current === undefined ? ' (the stage is deleted now: it is created again)' : ''}`,
    '',
  ];
  const changes = plan.drift?.changes ?? [];
  if (changes.length === 0 && plan.steps.length === 0 && plan.manual.length === 0) {
    lines.push('The stage is already at that version: nothing to do.');
    return `${lines.join('\n')}\n`;
  }
  lines.push(`Changes (${changes.length}):`, ...changes.map((c) => changeLine(c, options.colour)), '');
  lines.push(`Calls (${plan.steps.length}):`);
  plan.steps.forEach((step, i) => {
    const shown = shownStep(step, options.show);
    lines.push(
      `  ${i + 1}. ${escapeControlChars(stepSummary(shown))}`,
      `     ${escapeControlChars(awsCommandOf(key, shown))}`,
    );
  });
  if (plan.manual.length > 0) {
    lines.push('', `Not reverted, do this yourself (${plan.manual.length}):`);
    for (const m of plan.manual) {
      lines.push(`  - ${escapeControlChars(m.field)}: ${escapeControlChars(m.reason)}`);
      if (m.command !== undefined) lines.push(`      ${escapeControlChars(m.command)}`);
    }
  }
  if (!options.secretsShown && plan.steps.some(carriesVariableValue))
    lines.push(
      '',
      'Stage variable values are shown as fingerprints; --show-secrets prints them (and runnable commands).',
    );
  return `${lines.join('\n')}\n`;
};

/** The plan as JSON (`--format json`): the same content, values shown as in text. */
export const revertPlanJson = (
  plan: RevertPlan,
  options: Pick<PlanRenderOptions, 'show' | 'targetVersion'>,
) => ({
  stage: plan.key,
  targetVersion: options.targetVersion,
  stageDeleted: plan.current === undefined,
  changes: plan.drift?.changes ?? [],
  calls: plan.steps.map((step) => ({
    operation: operationOf(step),
    call: shownStep(step, options.show),
    command: awsCommandOf(plan.key, shownStep(step, options.show)),
  })),
  manual: plan.manual,
});
