import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CollectSession } from './collect-options';
import { createCollectSession } from './collect-options';
import type { FamilyCollectResult } from './collect-result';
import { collectFamilyStages } from './family-stages';
import { restFamily } from './rest-family';

/**
 * REST APIs (API Gateway v1): GetRestApis paged with `limit`/`position` until exhausted, then
 * GetStages once per API (it returns every stage of the API, unpaged).
 *
 * A failed listing page fails the whole listing: no stages are read for the APIs of earlier
 * pages, and none of them is reported, so a half-listing can never pass for a complete one.
 * Pass the `session` of `collectHttpApiStages` to share one budget and one pool (and its
 * `onApiStages`, which then gets each API's stages instead of the result).
 */
export const collectRestApiStages = (
  client: APIGatewayClient,
  session: CollectSession = createCollectSession(),
): Promise<FamilyCollectResult> => collectFamilyStages(restFamily, client, session);
