import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { MemberCredentials } from '../credentials';
import type { ScopeRole } from './scope-client-cache';
import type { ScopeClientOptions } from './scope-clients';
import { scopeClientConfig } from './scope-clients';

/**
 * The CloudTrail clients of attribution (`cloudTrailAttribution`'s `clientFor`), one per region,
 * with the scope clients' settings. A file of its own: a bundle that attributes nothing (the
 * event-driven rescans) then carries no CloudTrail client.
 */
export interface AttributionClients {
  readonly clientFor: (region: string) => CloudTrailClient;
  readonly destroy: () => void;
}

export const createAttributionClients = (
  options: Omit<ScopeClientOptions, 'region'> = {},
): AttributionClients => {
  const clients = new Map<string, CloudTrailClient>();
  return {
    clientFor: (region) => {
      let client = clients.get(region);
      if (!client) {
        client = new CloudTrailClient(scopeClientConfig({ ...options, region }));
        clients.set(region, client);
      }
      return client;
    },
    destroy: () => {
      for (const client of clients.values()) client.destroy();
    },
  };
};

export interface MemberAttributionClients {
  readonly clientFor: (account: string, region: string) => CloudTrailClient | undefined;
  readonly destroy: () => void;
}

/**
 * A member account's CloudTrail clients, one per account and region, signed with its reader role
 * (`roleFor`; the role's credentials renew themselves): `cloudTrailAttribution`'s `members`.
 * `roleFor` answers undefined for an account the monitor has no reader role for.
 */
export const createMemberAttributionClients = (
  members: Pick<MemberCredentials, 'credentialsFor'>,
  roleFor: (account: string) => ScopeRole | undefined,
  options: Omit<ScopeClientOptions, 'region' | 'credentials'> = {},
): MemberAttributionClients => {
  const clients = new Map<string, CloudTrailClient>();
  return {
    clientFor: (account, region) => {
      const role = roleFor(account);
      if (!role) return undefined;
      const key = `${role.roleArn}\n${role.externalId ?? ''}\n${region}`;
      let client = clients.get(key);
      if (!client) {
        client = new CloudTrailClient(
          scopeClientConfig({
            ...options,
            region,
            credentials: () => members.credentialsFor(role.roleArn, role.externalId),
          }),
        );
        clients.set(key, client);
      }
      return client;
    },
    destroy: () => {
      for (const client of clients.values()) client.destroy();
    },
  };
};
