import type { STSClient } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createDynamoClient, createScopeClientCache, createStsClient } from '../../shared/clients';
import type { CollectDeps } from '../../shared/collect';
import { systemClock } from '../../shared/runtime';
import type { EnvConfig } from '../../shared/config';
import type { ScanDeps, ScanScope } from '../../shared/scan';
import { scanSettingsFrom } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey } from '../../shared/store';

/** Scan deps signed with the function's own role, for its own account. */
export interface OwnAccountDeps {
  /** No `attribution`: a targeted rescan attributes from its triggering records, a scan adds the lookup. */
  readonly deps: ScanDeps;
  readonly account: string;
  /** The partition of that account (`aws`, `aws-cn`, `aws-us-gov`), from the caller's ARN. */
  readonly partition: string;
  readonly sts: STSClient;
  /** The function's own API Gateway clients, one pair per region. */
  readonly clientsFor: (scope: ScanScope) => CollectDeps;
}

/**
 * What both scanning functions need (the scheduled scan and the event-driven rescans): the
 * account, the store, the fingerprint key and API Gateway clients. No CloudTrail, SQS or
 * Organizations client, so the rescan bundle carries none of them.
 */
export const createOwnAccountDeps = async (config: EnvConfig): Promise<OwnAccountDeps> => {
  // The Lambda's region, credentials and endpoint: the SDK's, from the function's environment.
  const dynamo = createDynamoClient();
  const sts = createStsClient();
  const scopes = createScopeClientCache();
  const clientsFor = ({ region }: ScanScope): CollectDeps => scopes.clientsFor(region);
  const [identity, fingerprintKey] = await Promise.all([
    sts.send(new GetCallerIdentityCommand({})),
    loadOrCreateFingerprintKey(dynamo, config.tableName),
  ]);
  if (!identity.Account) {
    // Never file a scan under a made-up account: its stages would all look new.
    throw new Error('STS GetCallerIdentity returned no account id; check the credentials of the function.');
  }
  const deps: ScanDeps = {
    clientsFor,
    store: new DynamoSnapshotStore(dynamo, {
      tableName: config.tableName,
      retentionDays: config.retentionDays,
    }),
    clock: systemClock,
    ...scanSettingsFrom(config, fingerprintKey),
  };
  return {
    deps,
    account: identity.Account,
    partition: /^arn:(aws[a-z-]*):/.exec(identity.Arn ?? '')?.[1] ?? 'aws',
    sts,
    clientsFor,
  };
};

/**
 * `create`, run on first use and reused by the container; a failure (STS, the table) is not
 * kept, so the next invocation tries again.
 */
export const cacheUntilFailure = <T>(create: () => Promise<T>): (() => Promise<T>) => {
  let ready: Promise<T> | undefined;
  return () => {
    ready ??= create().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
};
