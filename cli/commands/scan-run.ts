import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { ScopeRole } from '../../shared/clients';
import { readerRoleArn } from '../../shared/config';
import { ScopeAccessError } from '../../shared/credentials';
import { systemClock } from '../../shared/runtime';
import type { ScanSummary } from '../../shared/scan';
import { cloudTrailAttribution, runScan, scanSettingsFrom } from '../../shared/scan';
import { loadOrCreateFingerprintKey } from '../../shared/store';
import type { CliIo } from '../io';
import { nowOf } from '../io';
import { deliverAndReport } from './publish-options';
import type { ScanCommandDeps } from './scan-deps';
import type { ScanRequest } from './scan-request';

/** What a scan did: its summary, and the accounts that refused their reader role. */
export interface ScanOutcome {
  readonly summary: ScanSummary;
  /** `account 111111111111: <why>`, one per account not scanned. */
  readonly refused: readonly string[];
  /** The caller's account and partition (STS), where `--security-hub` imports findings. */
  readonly caller?: { readonly account: string; readonly partition: string };
}

/** The partition of an ARN (`arn:aws-cn:...` -> `aws-cn`). */
const partitionOf = (arn: string | undefined): string => arn?.split(':')[1] || 'aws';

interface Admitted {
  readonly accounts: readonly string[];
  readonly refused: readonly string[];
  /** The role each member account is read through (none for the caller's own account). */
  readonly roleOf: ReadonlyMap<string, ScopeRole>;
}

/**
 * Each member role is assumed before the scan, so a refusal is reported for its account alone
 * (and costs none of the scan's budget); the accounts that let us in are scanned.
 */
const admitAccounts = async (
  deps: ScanCommandDeps,
  request: ScanRequest,
  identity: GetCallerIdentityCommandOutput,
): Promise<Admitted> => {
  const { targets } = request;
  const ownAccount = identity.Account ?? 'unknown';
  const refused: string[] = [];
  const accounts: string[] = [];
  const roleOf = new Map<string, ScopeRole>();
  for (const account of targets?.accounts ?? [ownAccount]) {
    if (account === ownAccount) {
      accounts.push(account);
      continue;
    }
    const roleArn = readerRoleArn(partitionOf(identity.Arn), account, targets!.roleName);
    try {
      await deps.members.credentialsFor(roleArn, targets?.externalId);
      roleOf.set(account, {
        roleArn,
        ...(targets?.externalId === undefined ? {} : { externalId: targets.externalId }),
      });
      accounts.push(account);
    } catch (error) {
      if (!(error instanceof ScopeAccessError)) deps.fail(`assuming ${roleArn}`)(error);
      refused.push(`account ${account}: ${(error as Error).message}`);
    }
  }
  return { accounts, refused, roleOf };
};

/** The scan use case: who am I, the fingerprint key, which accounts let us in, then `runScan`. */
export const scanAccounts = async (
  deps: ScanCommandDeps,
  request: ScanRequest,
  io: CliIo,
): Promise<ScanOutcome> => {
  const { config } = request;
  const identity = await deps.sts
    .send(new GetCallerIdentityCommand({}))
    .catch(deps.fail('asking STS who you are'));
  const fingerprintKey = await loadOrCreateFingerprintKey(deps.dynamo, deps.tableName).catch(
    deps.fail(`opening table ${deps.tableName}`),
  );
  const settings = scanSettingsFrom(config, fingerprintKey);
  const { accounts, refused, roleOf } = await admitAccounts(deps, request, identity);
  const summary = await runScan(
    {
      clientsFor: ({ account, region }) => deps.scopes.clientsFor(region, roleOf.get(account)),
      store: deps.store,
      clock: systemClock,
      collect: settings.collect,
      diff: settings.diff,
      postureControls: settings.postureControls,
      // Attribution (CloudTrail LookupEvents) only with --out-of-band: it needs the permission.
      ...(config.outOfBand === 'off' || identity.Account === undefined
        ? {}
        : {
            outOfBand: config.outOfBand,
            attribution: cloudTrailAttribution(identity.Account, deps.attribution.clientFor),
          }),
    },
    {
      scopes: accounts.flatMap((account) => config.regions.map((region) => ({ account, region }))),
      now: nowOf(io),
    },
  ).catch(deps.fail('scanning'));
  const caller = identity.Account
    ? { account: identity.Account, partition: partitionOf(identity.Arn) }
    : undefined;
  return { summary, refused, ...(caller ? { caller } : {}) };
};

/**
 * The outbox: this scan's events and any an earlier (failed or killed) run left pending. True
 * when every event was delivered (or no channel is configured).
 */
export const deliverScanEvents = async (
  deps: ScanCommandDeps,
  outcome: ScanOutcome,
  io: CliIo,
): Promise<boolean> =>
  deps.publisher
    ? await deliverAndReport(deps.publisher, deps.store, io, {
        now: nowOf(io),
        fresh: [...outcome.summary.events, ...outcome.summary.postureSummaries],
        summaryTo: 'stderr',
      }).catch(deps.fail('publishing alerts'))
    : true;
