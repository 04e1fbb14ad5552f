import { createMemberAttributionClients } from '../../shared/clients';
import type { MemberAccountsConfig } from '../../shared/config';
import { readerRoleArn } from '../../shared/config';
import type { MemberCredentials } from '../../shared/credentials';
import type { MemberTrailClients } from '../../shared/scan';

/**
 * The scheduled scan's CloudTrail clients for member accounts (`cloudTrailAttribution`'s
 * `members`): signed with each account's reader role, which allows `cloudtrail:LookupEvents` when
 * deployed with `attribution: true`. A task has named and assumed the role before its scope is
 * scanned (`taskRefusal`), so the lookup reuses its credentials.
 */
export const memberTrailClients = (
  members: MemberAccountsConfig,
  own: { readonly account: string; readonly partition: string },
  credentials: Pick<MemberCredentials, 'credentialsFor'>,
): MemberTrailClients =>
  createMemberAttributionClients(credentials, (account) =>
    account === own.account
      ? undefined
      : {
          roleArn: readerRoleArn(own.partition, account, members.readerRoleName),
          ...(members.externalId === undefined ? {} : { externalId: members.externalId }),
        },
  ).clientFor;
