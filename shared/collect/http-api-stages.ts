import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { CollectSession } from './collect-options';
import { createCollectSession } from './collect-options';
import type { FamilyCollectResult } from './collect-result';
import { collectFamilyStages } from './family-stages';
import { v2Family } from './v2-family';

/**
 * HTTP and WebSocket APIs (API Gateway v2): GetApis paged with `NextToken`, then GetStages
 * per API, paged with `NextToken`. An API counts as read only when all its stage pages were.
 *
 * A failed listing page fails the whole listing: no stages are read for the APIs of earlier
 * pages, and none of them is reported, so a half-listing can never pass for a complete one.
 * An API whose `ProtocolType` is neither HTTP nor WEBSOCKET is left out and reported as a
 * failure of that API. Pass the `session` of `collectRestApiStages` to share one budget (and
 * its `onApiStages`, which then gets each API's stages instead of the result).
 */
export const collectHttpApiStages = (
  client: ApiGatewayV2Client,
  session: CollectSession = createCollectSession(),
): Promise<FamilyCollectResult> => collectFamilyStages(v2Family, client, session);
