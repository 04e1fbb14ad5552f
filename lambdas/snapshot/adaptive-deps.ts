import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { readTrailStatus } from '../../shared/attribution';
import { createAttributionClients } from '../../shared/clients';
import type { EnvConfig } from '../../shared/config';
import type { MemberCredentials } from '../../shared/credentials';
import type { AdaptiveScans, ScanScope } from '../../shared/scan';

export interface AdaptiveDepsOptions {
  readonly ownAccount: string;
  /** The function's own region: where the monitor's event rules receive CloudTrail events. */
  readonly monitorRegion: string | undefined;
  /** Signs the CloudTrail clients of a member account's scope (its reader role). */
  readonly members?: Pick<MemberCredentials, 'credentialsFor'>;
  /** `eventForwarders`: member accounts and other regions forward their events to the monitor. */
  readonly eventForwarders?: boolean;
}

/**
 * Whether the monitor's event rules receive a scope's events: its own account in its own region
 * (infra/monitor/event-rescans.ts), and every other scope when the operator says the
 * `StageDriftEventForwarder` is deployed there (`eventForwarders`): the monitor cannot see that
 * itself, and a scope whose events do not arrive is caught by the canary at its next full scan.
 */
export const eventsRoutedFor =
  ({
    ownAccount,
    monitorRegion,
    eventForwarders,
  }: Pick<AdaptiveDepsOptions, 'ownAccount' | 'monitorRegion' | 'eventForwarders'>) =>
  (scope: ScanScope): boolean =>
    eventForwarders === true || (scope.account === ownAccount && scope.region === monitorRegion);

/**
 * Adaptive full scans (`STAGE_DRIFT_FULL_SCAN_INTERVAL`), or undefined when off: the trail check
 * with the function's own credentials for its own account, the reader role's for a member
 * account (`cloudtrail:DescribeTrails`, `GetTrailStatus`, `GetEventSelectors`).
 */
export const createAdaptiveScans = (
  config: Pick<EnvConfig, 'fullScanIntervalMinutes'>,
  options: AdaptiveDepsOptions,
): AdaptiveScans | undefined => {
  if (config.fullScanIntervalMinutes === undefined) return undefined;
  const own = createAttributionClients();
  const members = new Map<string, (region: string) => CloudTrailClient>();
  const memberClients = (roleArn: string, externalId: string | undefined) => {
    const key = `${roleArn}\n${externalId ?? ''}`;
    let clientFor = members.get(key);
    if (!clientFor) {
      const credentials = options.members;
      if (!credentials) throw new Error(`no member credentials to assume ${roleArn} with`);
      clientFor = createAttributionClients({
        credentials: () => credentials.credentialsFor(roleArn, externalId),
      }).clientFor;
      members.set(key, clientFor);
    }
    return clientFor;
  };
  return {
    fullScanIntervalMs: config.fullScanIntervalMinutes * 60_000,
    eventsRouted: eventsRoutedFor(options),
    trailStatus: async (target) => {
      try {
        const clientFor =
          target.roleArn === undefined ? own.clientFor : memberClients(target.roleArn, target.externalId);
        return await readTrailStatus(clientFor, target.region);
      } catch (error) {
        return { logging: false, detail: `the trail check failed: ${(error as Error).message}` };
      }
    },
  };
};
