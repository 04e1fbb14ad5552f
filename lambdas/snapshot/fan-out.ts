import { readerRoleArn } from '../../shared/config';
import type { ScanTask, ScanTaskDeps, ScanTaskResult } from '../../shared/scan';
import { runScanTask } from '../../shared/scan';
import { TaskRefusedError } from './errors';
import type { TaskScopePolicy } from './scope-policy';
import { isTargetAccount, regionRefusal } from './scope-policy';
import type { TaskQueue } from './task-queue';
import { continuationMessage, parseTask } from './task-queue';

export type { TaskScopePolicy } from './scope-policy';

export interface ConsumeDeps extends ScanTaskDeps {
  readonly queue: TaskQueue;
}

/**
 * Pure: why `task` may not be scanned under `policy`, or undefined when it may. Its region must be
 * configured; a task without a role must name the function's own account (else its own stages
 * would be filed under another account); a task with a role must name a target account and
 * exactly its reader role. With an OU configured its accounts are known only to the planner: an
 * account outside `targetAccounts` is then accepted, and IAM's `aws:ResourceOrgPaths` condition on
 * the AssumeRole grant refuses one outside the OU (the task fails as AssumeRoleFailures).
 */
export const taskRefusal = (task: ScanTask, policy: TaskScopePolicy): string | undefined => {
  const { fanOut } = policy;
  const region = regionRefusal(task.region, policy);
  if (region !== undefined) return region;
  const isTarget = isTargetAccount(task.account, policy);
  if (task.roleArn === undefined && task.account !== policy.ownAccount) {
    return (
      `the task for account ${task.account} names no role: only the function's own account is scanned ` +
      'without a role'
    );
  }
  if (!isTarget) return `account ${task.account} is not a target (STAGE_DRIFT_TARGET_ACCOUNTS)`;
  const expected = readerRoleArn(policy.partition, task.account, fanOut.readerRoleName);
  if (task.roleArn !== undefined && task.roleArn !== expected) {
    return `roleArn ${task.roleArn} is not the reader role of account ${task.account} (${expected})`;
  }
  return undefined;
};

/**
 * One task message: checked against the configuration (`TaskRefusedError`), then scanned until the
 * deadline; the continuation, if any, is enqueued before returning (so a lost continuation fails
 * the message, which SQS then delivers again). Throws `TaskMessageError` for a body that does not parse.
 */
export const consumeTask = async (
  deps: ConsumeDeps,
  body: string,
  policy: TaskScopePolicy,
  options: { now: Date; deadlineMs: number },
): Promise<ScanTaskResult> => {
  const task = parseTask(body, policy.fanOut.externalId);
  const refusal = taskRefusal(task, policy);
  if (refusal !== undefined) throw new TaskRefusedError(`task refused: ${refusal}`);
  const result = await runScanTask(deps, task, options);
  if (result.next) await deps.queue.send([continuationMessage(result.next)]);
  return result;
};
