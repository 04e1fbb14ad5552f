import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { emptyLookupCalls, LOOKUP_EVENTS_RATE, lookupStageEvents } from '../attribution';
import type { RequestBudget } from '../collect';
import { TokenBucket } from '../collect';
import { ScopeAccessError } from '../credentials';
import type { Clock } from '../runtime';
import { systemClock } from '../runtime';
import type { ScanAttribution } from './scan-types';

/**
 * A member account's CloudTrail client for `region`, signed with its reader role (which allows
 * `cloudtrail:LookupEvents` with `attribution: true`), or undefined for an account the monitor
 * has no reader role for.
 */
export type MemberTrailClients = (account: string, region: string) => CloudTrailClient | undefined;

const unattributed = (incompleteReason: string) => ({
  records: [],
  complete: false,
  incompleteReason,
  failures: [],
  problems: [],
  scanned: 0,
  calls: emptyLookupCalls(),
});

/**
 * CloudTrail LookupEvents for attribution, in the caller's own account (`clientFor`: one client
 * per region, built with `COLLECTOR_CLIENT_CONFIG`) and, with `members`, in a member account
 * through its reader role; one 2-requests/s budget per account and region (LookupEvents' own
 * limit), kept for the life of the deps. A member whose reader role may not call LookupEvents
 * (deployed without `attribution: true`) gets its drift unattributed, saying so, and no lookup
 * failure is counted: that is the member's choice, not a fault.
 */
export const cloudTrailAttribution = (
  ownAccount: string,
  clientFor: (region: string) => CloudTrailClient,
  clock: Clock = systemClock,
  members?: MemberTrailClients,
): ScanAttribution => {
  const clients = new Map<string, CloudTrailClient>();
  const budgets = new Map<string, RequestBudget>();
  const budgetOf = (key: string): RequestBudget => {
    let budget = budgets.get(key);
    if (!budget) {
      budget = new TokenBucket({ ...LOOKUP_EVENTS_RATE, clock });
      budgets.set(key, budget);
    }
    return budget;
  };
  return {
    lookup: async (scope, window) => {
      const key = `${scope.account}/${scope.region}`;
      const lookup = { start: window.start, end: window.end, budget: budgetOf(key), clock };
      if (scope.account !== ownAccount) {
        const client = members?.(scope.account, scope.region);
        if (!client) {
          return unattributed(`attribution covers the monitor's own account only, not ${scope.account}`);
        }
        let result;
        try {
          result = await lookupStageEvents(client, lookup);
        } catch (error) {
          if (!(error instanceof ScopeAccessError)) throw error;
          return unattributed(`the reader role of ${scope.account} could not be assumed for the lookup`);
        }
        if (result.failures.length > 0 && result.failures.every((f) => f.kind === 'access-denied')) {
          return unattributed(
            `the reader role of ${scope.account} may not call cloudtrail:LookupEvents ` +
              '(StageDriftReaderRole attribution: true grants it)',
          );
        }
        return result;
      }
      let client = clients.get(scope.region);
      if (!client) {
        client = clientFor(scope.region);
        clients.set(scope.region, client);
      }
      return lookupStageEvents(client, lookup);
    },
  };
};
