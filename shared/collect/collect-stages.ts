import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { assertCollectorClient } from './client-config';
import type { CollectOptions } from './collect-options';
import { createCollectSession } from './collect-options';
import type { ApiStagesSink, CollectResult } from './collect-result';
import { mergeFamilyResults } from './collect-result';
import { collectHttpApiStages } from './http-api-stages';
import { collectRestApiStages } from './rest-api-stages';

/** Build both with `{ ...COLLECTOR_CLIENT_CONFIG }`. */
export interface CollectDeps {
  readonly restClient: APIGatewayClient;
  readonly v2Client: ApiGatewayV2Client;
}

/**
 * Reads every REST, HTTP and WebSocket stage of one account and region with the minimum of
 * control-plane calls, both halves sharing ONE request budget and ONE pool of in-flight
 * calls. A failed listing or API is recorded in `failures` and the rest goes on; anything
 * else (a bug) stops both halves and is rethrown.
 *
 * With `onApiStages`, each API's stages go to it as soon as they are read (so a caller can
 * persist them while the budget holds the next reads back, and drop them) and `stages` comes
 * back empty; the rest of the result (listing, read APIs, failures) is the same.
 */
export const collectStages = async (
  deps: CollectDeps,
  options: CollectOptions = {},
  onApiStages?: ApiStagesSink,
): Promise<CollectResult> => {
  const session = createCollectSession(options, onApiStages);
  // Refuse a mis-built client before either half spends any of the budget.
  await assertCollectorClient(deps.restClient, 'restClient');
  await assertCollectorClient(deps.v2Client, 'v2Client');
  const [rest, v2] = await Promise.allSettled([
    collectRestApiStages(deps.restClient, session),
    collectHttpApiStages(deps.v2Client, session),
  ]);
  if (rest.status === 'rejected') throw rest.reason;
  if (v2.status === 'rejected') throw v2.reason;
  return mergeFamilyResults(rest.value, v2.value);
};
