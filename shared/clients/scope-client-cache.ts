import type { MemberCredentials } from '../credentials';
import type { ScopeClientOptions, ScopeClients } from './scope-clients';
import { createScopeClients } from './scope-clients';

/** A member account's reader role, as a fan-out task or the CLI's `--account` names it. */
export interface ScopeRole {
  readonly roleArn: string;
  readonly externalId?: string;
}

export interface ScopeClientCacheOptions extends Pick<ScopeClientOptions, 'endpoint' | 'maxAttempts'> {
  /** Signs the clients of a scope read through a role; needed before a role is asked for. */
  readonly members?: Pick<MemberCredentials, 'credentialsFor'>;
  /** Sees each new set of clients (the CLI's progress line counts their calls). */
  readonly onCreate?: (clients: ScopeClients) => void;
}

export interface ScopeClientCache {
  /**
   * The clients of `region` in the caller's own account, or in a member account through `role`
   * (they renew the role's credentials themselves); built once per role and region.
   */
  readonly clientsFor: (region: string, role?: ScopeRole) => ScopeClients;
  /** Closes every client built so far. */
  readonly destroy: () => void;
}

export const createScopeClientCache = (options: ScopeClientCacheOptions = {}): ScopeClientCache => {
  const { members, onCreate, ...settings } = options;
  const clients = new Map<string, ScopeClients>();
  return {
    clientsFor: (region, role) => {
      const key = role ? `${role.roleArn}\n${role.externalId ?? ''}\n${region}` : `\n\n${region}`;
      let scope = clients.get(key);
      if (!scope) {
        if (role && !members) throw new Error(`no member credentials to assume ${role.roleArn} with`);
        scope = createScopeClients({
          ...settings,
          region,
          ...(role && members
            ? { credentials: () => members.credentialsFor(role.roleArn, role.externalId) }
            : {}),
        });
        onCreate?.(scope);
        clients.set(key, scope);
      }
      return scope;
    },
    destroy: () => {
      for (const scope of clients.values()) scope.destroy();
    },
  };
};
