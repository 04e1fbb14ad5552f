import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
} from '@aws-sdk/client-organizations';

type Organizations = Pick<OrganizationsClient, 'send'>;

export interface ListAccountsOptions {
  /** `MaxResults` of each list call. @default - the service's (20) */
  readonly pageSize?: number;
}

/**
 * Reads every page of a list call (Organizations may return an empty page with a NextToken) and
 * returns the items of all of them; a token seen twice is an error, not an endless loop.
 */
const readAllPages = async <T>(
  operation: string,
  page: (nextToken: string | undefined) => Promise<{ items?: T[]; NextToken?: string }>,
): Promise<T[]> => {
  const items: T[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const out = await page(nextToken);
    items.push(...(out.items ?? []));
    nextToken = out.NextToken || undefined;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) throw new Error(`${operation} repeated the token ${nextToken}.`);
      seen.add(nextToken);
    }
  } while (nextToken !== undefined);
  return items;
};

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
      return { items: out.Accounts, NextToken: out.NextToken };
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
      return { items: out.OrganizationalUnits, NextToken: out.NextToken };
    });
    for (const child of children) if (child.Id) pending.push(child.Id);
  }
  return [...accounts].sort();
};
