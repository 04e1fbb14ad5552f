// The one module of shared/ that calls `new XClient()` (STYLE.md section 3): the adapters build a
// scope's AWS clients here, from explicit parameters only; they read the environment, not this.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import type { CollectDeps } from '../collect';
import { COLLECTOR_CLIENT_CONFIG } from '../collect/client-config';

/** How the clients of one scope (an account in a region) are built. */
export interface ScopeClientOptions {
  readonly region: string;
  /**
   * A member account's reader role (see `ScopeClientCache`), or fixed keys.
   * @default the SDK's default chain: the caller's own account
   */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /**
   * @default the SDK's own resolution (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`, else AWS),
   * so a per-service override still wins over the common one
   */
  readonly endpoint?: string;
  /** @default 1 (COLLECTOR_CLIENT_CONFIG): the collector retries, within its budget */
  readonly maxAttempts?: number;
}

/** The SDK configuration of every client of a scope: only the settings given, besides maxAttempts. */
export const scopeClientConfig = (options: ScopeClientOptions) => ({
  region: options.region,
  maxAttempts: options.maxAttempts ?? COLLECTOR_CLIENT_CONFIG.maxAttempts,
  ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
});

/** A scope's API Gateway clients (REST: v1; HTTP and WebSocket: v2), as `collectStages` takes them. */
export interface ScopeClients extends CollectDeps {
  /** Closes both clients' sockets (a CLI run ends; a Lambda container keeps them). */
  readonly destroy: () => void;
}

export const createScopeClients = (options: ScopeClientOptions): ScopeClients => {
  const config = scopeClientConfig(options);
  const restClient = new APIGatewayClient(config);
  const v2Client = new ApiGatewayV2Client(config);
  return {
    restClient,
    v2Client,
    destroy: () => {
      restClient.destroy();
      v2Client.destroy();
    },
  };
};
