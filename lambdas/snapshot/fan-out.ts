import type { FanOutConfig } from '../../shared/config';
import { readerRoleArn } from '../../shared/config';
import type { ScanTarget, ScanTaskDeps, ScanTaskResult } from '../../shared/scan';
import { planScanTasks, runScanTask } from '../../shared/scan';
import type { TaskQueue } from './task-queue';
import { continuationMessage, parseTask, tickMessage } from './task-queue';

export interface PlanDeps {
  readonly queue: TaskQueue;
  /** The ACTIVE accounts of an OU (Organizations). */
  readonly listOrganizationAccounts: (ouId: string) => Promise<string[]>;
  /** The function's own account: scanned with its own credentials, no role assumed. */
  readonly ownAccount: string;
  readonly partition: string;
}

export interface PlanResult {
  readonly accounts: number;
  readonly tasks: number;
}

/**
 * The scheduled run in fan-out mode: resolves the targets (the listed accounts and the OU's
 * ACTIVE accounts; none configured = this account) and enqueues one task per account + region.
 * `tick` names the schedule tick, so a retried tick enqueues nothing twice.
 */
export const planRun = async (
  deps: PlanDeps,
  fanOut: FanOutConfig,
  regions: readonly string[],
  tick: string,
): Promise<PlanResult> => {
  const fromOu = fanOut.targetOrganizationalUnit
    ? await deps.listOrganizationAccounts(fanOut.targetOrganizationalUnit)
    : [];
  const configured = fanOut.targetAccounts.length > 0 || fanOut.targetOrganizationalUnit !== undefined;
  const accounts = configured ? [...new Set([...fanOut.targetAccounts, ...fromOu])] : [deps.ownAccount];
  const targets = accounts.map((account): ScanTarget =>
    account === deps.ownAccount
      ? { account }
      : { account, roleArn: readerRoleArn(deps.partition, account, fanOut.readerRoleName) },
  );
  const tasks = planScanTasks(targets, regions);
  await deps.queue.send(tasks.map((task) => tickMessage(task, tick)));
  return { accounts: targets.length, tasks: tasks.length };
};

export interface ConsumeDeps extends ScanTaskDeps {
  readonly queue: TaskQueue;
}

/**
 * One task message: scans its scope until the deadline and enqueues the continuation, if any,
 * before returning (so a lost continuation fails the message, which SQS then delivers again).
 * Throws `TaskMessageError` for a body that does not parse.
 */
export const consumeTask = async (
  deps: ConsumeDeps,
  body: string,
  fanOut: Pick<FanOutConfig, 'externalId'>,
  options: { now: Date; deadlineMs: number },
): Promise<ScanTaskResult> => {
  const task = parseTask(body, fanOut.externalId);
  const result = await runScanTask(deps, task, options);
  if (result.next) await deps.queue.send([continuationMessage(result.next)]);
  return result;
};
