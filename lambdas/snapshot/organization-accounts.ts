import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListAccountsForParentCommand } from '@aws-sdk/client-organizations';

/**
 * The ACTIVE accounts directly under an OU (not those of its child OUs), every page read
 * (Organizations may return an empty page with a NextToken). Sorted. Needs the management
 * account or a delegated administrator.
 */
export const listActiveAccounts = async (
  client: Pick<OrganizationsClient, 'send'>,
  parentId: string,
): Promise<string[]> => {
  const accounts = new Set<string>();
  const seen = new Set<string>();
  let NextToken: string | undefined;
  do {
    const page = await client.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken }));
    for (const account of page.Accounts ?? []) {
      // `Status` is being retired in favour of `State`; either says ACTIVE for a live account.
      const state = account.State ?? account.Status;
      if (account.Id && state === 'ACTIVE') accounts.add(account.Id);
    }
    NextToken = page.NextToken || undefined;
    if (NextToken !== undefined) {
      if (seen.has(NextToken)) throw new Error(`ListAccountsForParent repeated the token ${NextToken}.`);
      seen.add(NextToken);
    }
  } while (NextToken !== undefined);
  return [...accounts].sort();
};
