import type { CollectDeps } from '../../shared/collect';
import { createScopeClientCache } from '../../shared/clients';
import type { EnvConfig, MemberAccountsConfig } from '../../shared/config';
import { readerRoleArn } from '../../shared/config';
import { MemberCredentials, ScopeAccessError } from '../../shared/credentials';
import type { ScanDeps, ScanScope } from '../../shared/scan';
import { createOwnAccountDeps } from './own-account-deps';
import type { TaskScopePolicy } from './scope-policy';
import { isTargetAccount, regionRefusal } from './scope-policy';

/** What the rescan handler needs, built once per container. */
export interface RescanDeps {
  /** Clients of the function's own account, or of a member account through its reader role. */
  readonly deps: ScanDeps;
  readonly account: string;
  /** `runTargetedScan`'s `admit`: refuses an account or region not configured, before any call. */
  readonly admit: (scope: ScanScope) => Promise<string | undefined>;
}

/**
 * Pure: why a forwarded event's scope may not be rescanned, or undefined when it may: its region
 * must be configured, and its account must be the function's own or a configured member account
 * (any account with an OU: IAM's `aws:ResourceOrgPaths` on the AssumeRole grant, and the bus
 * policy, refuse one outside it). Without member accounts, only the function's own account.
 */
export const rescanRefusal = (scope: ScanScope, policy: TaskScopePolicy): string | undefined => {
  const region = regionRefusal(scope.region, policy);
  if (region !== undefined) return region;
  if (scope.account === policy.ownAccount || isTargetAccount(scope.account, policy)) return undefined;
  return policy.fanOut.targetAccounts.length > 0
    ? `account ${scope.account} is not a target (STAGE_DRIFT_TARGET_ACCOUNTS)`
    : `account ${scope.account} is not this monitor's (${policy.ownAccount}) and no member accounts are configured`;
};

const NO_MEMBERS: MemberAccountsConfig = { targetAccounts: [], readerRoleName: '' };

/**
 * The rescan function's deps: its own account's clients, and, with member accounts
 * (`config.members`), a member's clients signed with its reader role. `admit` checks the
 * configuration first (a forged or stray event never assumes a role), then assumes the role once,
 * so a refused role refuses the target (`ScopeAccessError`) before any budget is spent.
 */
export const createRescanDeps = async (config: EnvConfig): Promise<RescanDeps> => {
  const own = await createOwnAccountDeps(config);
  const members = config.members;
  const policy: TaskScopePolicy = {
    ownAccount: own.account,
    partition: own.partition,
    regions: config.regions,
    fanOut: members ?? NO_MEMBERS,
  };
  if (!members) {
    return {
      deps: own.deps,
      account: own.account,
      admit: (scope) => Promise.resolve(rescanRefusal(scope, policy)),
    };
  }
  const credentials = new MemberCredentials({ sts: own.sts });
  const memberClients = createScopeClientCache({ members: credentials });
  const roleOf = (account: string) => ({
    roleArn: readerRoleArn(own.partition, account, members.readerRoleName),
    ...(members.externalId === undefined ? {} : { externalId: members.externalId }),
  });
  const clientsFor = (scope: ScanScope): CollectDeps =>
    scope.account === own.account
      ? own.clientsFor(scope)
      : memberClients.clientsFor(scope.region, roleOf(scope.account));
  const admit = async (scope: ScanScope): Promise<string | undefined> => {
    const refusal = rescanRefusal(scope, policy);
    if (refusal !== undefined || scope.account === own.account) return refusal;
    const { roleArn, externalId } = roleOf(scope.account);
    try {
      await credentials.credentialsFor(roleArn, externalId);
      return undefined;
    } catch (error) {
      if (error instanceof ScopeAccessError) return error.message;
      throw error;
    }
  };
  return { deps: { ...own.deps, clientsFor }, account: own.account, admit };
};
