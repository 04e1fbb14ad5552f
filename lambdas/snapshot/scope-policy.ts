import type { MemberAccountsConfig } from '../../shared/config';

/** What a task message or a forwarded event may name: the monitor's own configuration, never the message's say-so. */
export interface TaskScopePolicy {
  /** The function's own account: the only one scanned with its own credentials (no role). */
  readonly ownAccount: string;
  /** The partition of the function's account (`aws`, `aws-cn`, ...), for the reader role's ARN. */
  readonly partition: string;
  /** `STAGE_DRIFT_REGIONS` (or the current region). */
  readonly regions: readonly string[];
  readonly fanOut: Pick<
    MemberAccountsConfig,
    'targetAccounts' | 'targetOrganizationalUnit' | 'readerRoleName' | 'externalId'
  >;
}

/** Pure: why `region` is not scanned under `policy`, or undefined when it is. */
export const regionRefusal = (
  region: string,
  policy: Pick<TaskScopePolicy, 'regions'>,
): string | undefined =>
  policy.regions.includes(region)
    ? undefined
    : `region ${region} is not configured (STAGE_DRIFT_REGIONS: ${policy.regions.join(',')})`;

/**
 * Pure: whether `account` is one the monitor scans: a target account, any account with an OU
 * configured (its accounts are known only to the planner; IAM's `aws:ResourceOrgPaths` condition
 * on the AssumeRole grant refuses one outside the OU), or, with no targets, its own account only.
 */
export const isTargetAccount = (
  account: string,
  policy: Pick<TaskScopePolicy, 'ownAccount' | 'fanOut'>,
): boolean => {
  const { fanOut } = policy;
  const targetsConfigured = fanOut.targetAccounts.length > 0 || fanOut.targetOrganizationalUnit !== undefined;
  return targetsConfigured
    ? fanOut.targetAccounts.includes(account) || fanOut.targetOrganizationalUnit !== undefined
    : account === policy.ownAccount;
};
