import { SecurityHubClient } from '@aws-sdk/client-securityhub';

/**
 * The caller's Security Hub clients, one per region (findings go to their stage's region), with
 * the SDK's defaults (its retries included). Built on first use; `destroy` closes them all.
 */
export interface SecurityHubClients {
  readonly clientFor: (region: string) => SecurityHubClient;
  readonly destroy: () => void;
}

export const createSecurityHubClients = (
  options: { readonly endpoint?: string } = {},
): SecurityHubClients => {
  const clients = new Map<string, SecurityHubClient>();
  return {
    clientFor: (region) => {
      let client = clients.get(region);
      if (!client) {
        client = new SecurityHubClient({
          region,
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        });
        clients.set(region, client);
      }
      return client;
    },
    destroy: () => {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
};
