import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
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
