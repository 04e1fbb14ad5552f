import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
} from '@aws-sdk/client-organizations';

/** An organization in moto, built through the real SDK: OUs and accounts placed below its root. */
export interface MotoOrganization {
  readonly rootId: string;
  /** A new OU under `parentId`; returns its id. */
  ou(parentId: string, name: string): Promise<string>;
  /** A new (ACTIVE) account, moved from the root under `parentId`; returns its id. */
  account(parentId: string, name: string): Promise<string>;
}

/** Creates the organization of moto's account (all features) and returns a builder for its tree. */
export const createMotoOrganization = async (client: OrganizationsClient): Promise<MotoOrganization> => {
  await client.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const rootId = (await client.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  return {
    rootId,
    ou: async (parentId, name) =>
      (await client.send(new CreateOrganizationalUnitCommand({ ParentId: parentId, Name: name })))
        .OrganizationalUnit!.Id!,
    account: async (parentId, name) => {
      const created = await client.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      const accountId = created.CreateAccountStatus!.AccountId!;
      await client.send(
        new MoveAccountCommand({
          AccountId: accountId,
          SourceParentId: rootId,
          DestinationParentId: parentId,
        }),
      );
      return accountId;
    },
  };
};
