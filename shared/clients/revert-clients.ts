// Imported by path (not through the barrel): only `stage-drift revert` loads the WAF client.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { ScopeClientOptions } from './scope-clients';
import { scopeClientConfig } from './scope-clients';

/** The clients `stage-drift revert` reads and writes a stage with. */
export interface RevertClients {
  readonly restClient: APIGatewayClient;
  readonly v2Client: ApiGatewayV2Client;
  readonly wafClient: WAFV2Client;
  readonly destroy: () => void;
}

/**
 * A revert's clients for one scope. The SDK's standard retries (3 attempts) stay on: a revert
 * makes a handful of calls on the operator's behalf, not a scan's thousands under a budget.
 */
export const createRevertClients = (options: Omit<ScopeClientOptions, 'maxAttempts'>): RevertClients => {
  const config = scopeClientConfig({ ...options, maxAttempts: 3 });
  const restClient = new APIGatewayClient(config);
  const v2Client = new ApiGatewayV2Client(config);
  const wafClient = new WAFV2Client(config);
  return {
    restClient,
    v2Client,
    wafClient,
    destroy: () => {
      restClient.destroy();
      v2Client.destroy();
      wafClient.destroy();
    },
  };
};
