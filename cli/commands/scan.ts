import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CollectDeps } from '../../shared/collect';
import { COLLECTOR_CLIENT_CONFIG, systemClock } from '../../shared/collect';
import {
  ConfigError,
  DEFAULT_READER_ROLE_NAME,
  readerRoleArn,
  resolveConfig,
  validateAccountIds,
  validateExternalId,
  validateRoleName,
} from '../../shared/config';
import { MemberCredentials, ScopeAccessError } from '../../shared/credentials';
import type { ScanScope, ScanSummary } from '../../shared/scan';
import { cloudTrailAttribution, runScan, scanSettingsFrom } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey } from '../../shared/store';
import { toAwsUsageError } from '../aws-errors';
import type { PublishOptions } from './publish-options';
import { createCliPublishDeps, deliverAndReport } from './publish-options';
import { openEmbeddedStore } from '../embedded-store';
import { DEFAULT_STORE_DIR } from '../defaults';
import { renderScanJson, renderScanText } from '../format/scan-report';
import type { CliIo } from '../io';
import { UsageError } from '../errors';
import { EXIT, nowOf } from '../io';
import { startScanProgress, watchScanCalls } from '../progress';

export interface ScanCommandOptions extends PublishOptions {
  readonly region: readonly string[];
  readonly store?: string;
  readonly table?: string;
  readonly format: 'text' | 'json';
  readonly requestsPerSecond?: number;
  readonly concurrency?: number;
  /** Attribute drift from CloudTrail and suppress or downgrade infrastructure-as-code changes. */
  readonly outOfBand?: 'suppress' | 'downgrade';
  /** Accounts to scan (default: the caller's); others than the caller's through their reader role. */
  readonly account?: readonly string[];
  readonly roleName?: string;
  readonly externalId?: string;
  /** No progress line on the terminal. */
  readonly quiet?: boolean;
}

interface AccountTargets {
  readonly accounts: readonly string[];
  readonly roleName: string;
  readonly externalId?: string;
}

/** `--account`, `--role-name`, `--external-id` (or STAGE_DRIFT_EXTERNAL_ID), validated; none = the caller's account. */
const accountTargets = (options: ScanCommandOptions, io: CliIo): AccountTargets | undefined => {
  const externalId = options.externalId ?? io.env.STAGE_DRIFT_EXTERNAL_ID;
  const accounts = options.account ?? [];
  if (accounts.length === 0) {
    if (options.roleName !== undefined || options.externalId !== undefined)
      throw new UsageError('--role-name and --external-id go with --account: name the accounts to scan');
    return undefined;
  }
  try {
    return {
      accounts: [...new Set(validateAccountIds(accounts, '--account'))],
      roleName: validateRoleName(options.roleName ?? DEFAULT_READER_ROLE_NAME, '--role-name'),
      ...(externalId === undefined ? {} : { externalId: validateExternalId(externalId, '--external-id') }),
    };
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
};

/** The partition of an ARN (`arn:aws-cn:...` -> `aws-cn`). */
const partitionOf = (arn: string | undefined): string => arn?.split(':')[1] || 'aws';

const defaultRegion = async (io: CliIo): Promise<string | undefined> => {
  const fromEnv = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  try {
    return await new STSClient({}).config.region(); // from the profile, if any
  } catch {
    return undefined;
  }
};

/** `stage-drift scan`: the scan use case on a laptop, into the embedded store or a deployed table. */
export const runScanCommand = async (options: ScanCommandOptions, io: CliIo): Promise<number> => {
  if (options.store !== undefined && options.table !== undefined) {
    throw new UsageError(
      '--store and --table are exclusive: scan into a local store or into a deployed table',
    );
  }
  const targets = accountTargets(options, io);
  const fallback = options.region.length === 0 ? await defaultRegion(io) : undefined;
  const regions = options.region.length > 0 ? options.region : fallback ? [fallback] : [];
  if (regions.length === 0)
    throw new UsageError('no region: pass --region eu-west-1 (repeatable) or set AWS_REGION');
  let config;
  try {
    config = resolveConfig(
      {
        regions,
        ...(options.requestsPerSecond === undefined ? {} : { requestsPerSecond: options.requestsPerSecond }),
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.outOfBand === undefined ? {} : { outOfBand: options.outOfBand }),
      },
      {
        regions: '--region',
        requestsPerSecond: '--requests-per-second',
        concurrency: '--concurrency',
        outOfBand: '--out-of-band',
      },
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const endpoint = io.env.AWS_ENDPOINT_URL;
  const home = config.regions[0]!;
  const fail = (doing: string) => (error: unknown) => {
    throw toAwsUsageError(error, { doing, ...(endpoint ? { endpoint } : {}) }) ?? error;
  };

  const embedded =
    options.table === undefined ? await openEmbeddedStore(options.store ?? DEFAULT_STORE_DIR) : undefined;
  const progress = startScanProgress(io, options, config.requestsPerSecond);
  const dynamo = embedded?.client ?? new DynamoDBClient({ region: home });
  const tableName = embedded?.tableName ?? options.table!;
  const sts = new STSClient({ region: home });
  const members = new MemberCredentials({ sts, sessionName: 'stage-drift-cli' });
  /** The role each member account is read through (none for the caller's own account). */
  const roleOf = new Map<string, string>();
  const clients = new Map<string, CollectDeps & { destroy(): void }>();
  const clientsFor = ({ account, region }: ScanScope): CollectDeps => {
    const key = `${account}#${region}`;
    let pair = clients.get(key);
    if (!pair) {
      const roleArn = roleOf.get(account);
      const clientConfig = {
        region,
        ...COLLECTOR_CLIENT_CONFIG,
        ...(roleArn === undefined
          ? {}
          : { credentials: () => members.credentialsFor(roleArn, targets?.externalId) }),
      };
      const restClient = new APIGatewayClient(clientConfig);
      const v2Client = new ApiGatewayV2Client(clientConfig);
      if (progress) watchScanCalls({ restClient, v2Client }, progress.progress);
      pair = { restClient, v2Client, destroy: () => (restClient.destroy(), v2Client.destroy()) };
      clients.set(key, pair);
    }
    return pair;
  };
  const cloudTrailClients: CloudTrailClient[] = [];
  let publisher: ReturnType<typeof createCliPublishDeps>;
  let finished = false;
  try {
    publisher = createCliPublishDeps(options, io, { client: dynamo, tableName });
    const identity = await sts.send(new GetCallerIdentityCommand({})).catch(fail('asking STS who you are'));
    const fingerprintKey = await loadOrCreateFingerprintKey(dynamo, tableName).catch(
      fail(`opening table ${tableName}`),
    );
    const settings = scanSettingsFrom(config, fingerprintKey);
    const ownAccount = identity.Account ?? 'unknown';
    // Each member role is assumed before the scan, so a refusal is reported for its account alone
    // (and costs none of the scan's budget); the accounts that let us in are scanned.
    const refused: string[] = [];
    const accounts: string[] = [];
    for (const account of targets?.accounts ?? [ownAccount]) {
      if (account === ownAccount) {
        accounts.push(account);
        continue;
      }
      const roleArn = readerRoleArn(partitionOf(identity.Arn), account, targets!.roleName);
      try {
        await members.credentialsFor(roleArn, targets?.externalId);
        roleOf.set(account, roleArn);
        accounts.push(account);
      } catch (error) {
        if (!(error instanceof ScopeAccessError)) fail(`assuming ${roleArn}`)(error);
        refused.push(`account ${account}: ${(error as Error).message}`);
      }
    }
    const store = new DynamoSnapshotStore(dynamo, { tableName, retentionDays: config.retentionDays });
    const summary: ScanSummary = await runScan(
      {
        clientsFor,
        store,
        clock: systemClock,
        collect: settings.collect,
        diff: settings.diff,
        // Attribution (CloudTrail LookupEvents) only with --out-of-band: it needs the permission.
        ...(config.outOfBand === 'off' || identity.Account === undefined
          ? {}
          : {
              outOfBand: config.outOfBand,
              attribution: cloudTrailAttribution(identity.Account, (region) => {
                const client = new CloudTrailClient({ region, ...COLLECTOR_CLIENT_CONFIG });
                cloudTrailClients.push(client);
                return client;
              }),
            }),
      },
      {
        scopes: accounts.flatMap((account) => config.regions.map((region) => ({ account, region }))),
        now: nowOf(io),
      },
    ).catch(fail('scanning'));
    progress?.stop(); // before the report, so it starts on a clean line
    finished = true;
    io.stdout(options.format === 'json' ? renderScanJson(summary) : renderScanText(summary));
    for (const line of refused) io.stderr(`not scanned: ${line}\n`);
    // The outbox: this scan's events and any an earlier (failed or killed) run left pending.
    const delivered = publisher
      ? await deliverAndReport(publisher, store, io, {
          now: nowOf(io),
          fresh: summary.events,
          summaryTo: 'stderr',
        }).catch(fail('publishing alerts'))
      : true;
    if (!delivered) return EXIT.notDelivered;
    if (refused.length > 0 || summary.scopes.some((s) => s.failures.length > 0)) return EXIT.partial;
    return summary.events.length > 0 ? EXIT.drift : EXIT.ok;
  } finally {
    progress?.stop();
    sts.destroy();
    for (const client of cloudTrailClients) client.destroy();
    publisher?.destroy();
    for (const pair of clients.values()) pair.destroy();
    // A scan that failed before its summary leaves no new, empty store behind.
    if (embedded) await embedded.close({ discard: !finished });
    else dynamo.destroy();
  }
};
