import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { emptyLookupCalls, LOOKUP_EVENTS_RATE, lookupStageEvents } from '../attribution';
import type { RequestBudget } from '../collect';
import { TokenBucket } from '../collect';
import type { Clock } from '../runtime';
import { systemClock } from '../runtime';
import type { ScanAttribution } from './scan-types';

/**
 * CloudTrail LookupEvents for attribution, in the caller's own account: one client per region (built
 * with `COLLECTOR_CLIENT_CONFIG` by `clientFor`)
 * and one 2-requests/s budget per account and region (LookupEvents' own limit), kept for the
 * life of the deps. Member accounts' reader roles may not call LookupEvents, so their drift goes out
 * unattributed, saying so.
 */
export const cloudTrailAttribution = (
  ownAccount: string,
  clientFor: (region: string) => CloudTrailClient,
  clock: Clock = systemClock,
): ScanAttribution => {
  const clients = new Map<string, CloudTrailClient>();
  const budgets = new Map<string, RequestBudget>();
  return {
    lookup: async (scope, window) => {
      if (scope.account !== ownAccount) {
        return {
          records: [],
          complete: false,
          incompleteReason: `attribution covers the monitor's own account only, not ${scope.account}`,
          failures: [],
          problems: [],
          scanned: 0,
          calls: emptyLookupCalls(),
        };
      }
      let client = clients.get(scope.region);
      if (!client) {
        client = clientFor(scope.region);
        clients.set(scope.region, client);
      }
      let budget = budgets.get(scope.region);
      if (!budget) {
        budget = new TokenBucket({ ...LOOKUP_EVENTS_RATE, clock });
        budgets.set(scope.region, budget);
      }
      return lookupStageEvents(client, { start: window.start, end: window.end, budget, clock });
    },
  };
};
