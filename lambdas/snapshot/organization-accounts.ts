import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
} from '@aws-sdk/client-organizations';

import { readAllPages } from '../../shared/collect';

type Organizations = Pick<OrganizationsClient, 'send'>;

export interface ListAccountsOptions {
  /** `MaxResults` of each list call. @default - the service's (20) */
  readonly pageSize?: number;
}

/**
 * The ACTIVE accounts of an OU and of every OU below it (Organizations nests OUs up to five
 * levels), each list read to its last page. Sorted, each account once. One call at a time, so a
 * large tree stays within Organizations' request rate. Needs the management account or a
 * delegated administrator (`ListAccountsForParent`, `ListOrganizationalUnitsForParent`).
 */
export const listActiveAccounts = async (
  client: Organizations,
  parentId: string,
  options: ListAccountsOptions = {},
): Promise<string[]> => {
  const { pageSize: MaxResults } = options;
  const accounts = new Set<string>();
  const visited = new Set<string>();
  const pending = [parentId];
  for (let ou = pending.shift(); ou !== undefined; ou = pending.shift()) {
    if (visited.has(ou)) continue;
    visited.add(ou);
    const ParentId = ou;
    const members = await readAllPages('ListAccountsForParent', async (NextToken) => {
      const out = await client.send(new ListAccountsForParentCommand({ ParentId, NextToken, MaxResults }));
      return { items: out.Accounts, next: out.NextToken };
    });
    for (const account of members) {
      // `Status` is being retired in favour of `State`; either says ACTIVE for a live account.
      const state = account.State ?? account.Status;
      if (account.Id && state === 'ACTIVE') accounts.add(account.Id);
    }
    const children = await readAllPages('ListOrganizationalUnitsForParent', async (NextToken) => {
      const out = await client.send(
        new ListOrganizationalUnitsForParentCommand({ ParentId, NextToken, MaxResults }),
      );
      return { items: out.OrganizationalUnits, next: out.NextToken };
    });
    for (const child of children) if (child.Id) pending.push(child.Id);
  }
  return [...accounts].sort();
};
