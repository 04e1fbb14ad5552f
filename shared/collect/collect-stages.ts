import { API_FAMILIES } from '../model';
import { API_FAMILY_ADAPTERS, assertCollectorClients } from './api-families';
import type { CollectDeps } from './api-family';
import type { CollectOptions } from './collect-options';
import { createCollectSession } from './collect-options';
import type { ApiStagesSink, CollectResult } from './collect-result';
import { collectFamilyStages, mergeFamilyResults } from './family-stages';

/**
 * Reads every REST, HTTP and WebSocket stage of one account and region with the minimum of
 * control-plane calls, every family's half sharing ONE request budget and ONE pool of in-flight
 * calls. A failed listing or API is recorded in `failures` and the rest goes on; anything
 * else (a bug) stops every half and is rethrown.
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
  // Refuse a mis-built client before any half spends any of the budget.
  await assertCollectorClients(deps);
  const halves = await Promise.allSettled(
    API_FAMILIES.map((family) => {
      const adapter = API_FAMILY_ADAPTERS[family];
      return collectFamilyStages(adapter, adapter.clientOf(deps), session);
    }),
  );
  return mergeFamilyResults(
    halves.map((half) => {
      if (half.status === 'rejected') throw half.reason;
      return half.value;
    }),
  );
};
