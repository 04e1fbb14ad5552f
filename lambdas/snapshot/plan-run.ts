import type { FanOutConfig } from '../../shared/config';
import { readerRoleArn } from '../../shared/config';
import type { ScanTarget } from '../../shared/scan';
import { planScanTasks } from '../../shared/scan';
import type { TaskQueue } from './task-queue';
import { tickMessage } from './task-queue';

export interface PlanDeps {
  readonly queue: TaskQueue;
  /** The ACTIVE accounts of an OU and its child OUs (Organizations). */
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
