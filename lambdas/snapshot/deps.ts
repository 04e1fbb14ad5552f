import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SQSClient } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CollectDeps } from '../../shared/collect';
import { COLLECTOR_CLIENT_CONFIG, systemClock } from '../../shared/collect';
import type { EnvConfig, FanOutConfig } from '../../shared/config';
import { validateDiffOptions } from '../../shared/diff';
import type { ScanDeps, ScanScope, ScanTask } from '../../shared/scan';
import { cloudTrailAttribution } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey } from '../../shared/store';
import type { ConsumeDeps, PlanDeps } from './fan-out';
import { MemberCredentials } from './member-credentials';
import { listActiveAccounts } from './organization-accounts';
import { SqsTaskQueue } from './task-queue';

export interface SnapshotDeps {
  readonly deps: ScanDeps;
  readonly account: string;
  /** Set in fan-out mode (`STAGE_DRIFT_TASK_QUEUE_URL`). */
  readonly fanOut?: { readonly config: FanOutConfig; readonly plan: PlanDeps; readonly consume: ConsumeDeps };
}

/**
 * Clients for a task: the function's own for its own account, else clients signed with the
 * member account's reader role. The role is assumed first, so a refusal fails the task before
 * any budget is spent (`ScopeAccessError`); the clients then renew the credentials themselves.
 */
const taskClients = (
  credentials: MemberCredentials,
  own: (scope: ScanScope) => CollectDeps,
): ((task: ScanTask) => Promise<CollectDeps>) => {
  const clients = new Map<string, CollectDeps>();
  return async (task) => {
    const { roleArn, externalId, region } = task;
    if (roleArn === undefined) return own(task);
    await credentials.credentialsFor(roleArn, externalId);
    const key = `${roleArn}#${region}`;
    let pair = clients.get(key);
    if (!pair) {
      const config = {
        region,
        credentials: () => credentials.credentialsFor(roleArn, externalId),
        ...COLLECTOR_CLIENT_CONFIG,
      };
      pair = { restClient: new APIGatewayClient(config), v2Client: new ApiGatewayV2Client(config) };
      clients.set(key, pair);
    }
    return pair;
  };
};

/** Everything the snapshot handler needs, built once per container. */
export const createScanDeps = async (config: EnvConfig): Promise<SnapshotDeps> => {
  const dynamo = new DynamoDBClient({});
  const sts = new STSClient({});
  const clients = new Map<string, CollectDeps>();
  const clientsFor = ({ region }: ScanScope): CollectDeps => {
    let pair = clients.get(region);
    if (!pair) {
      pair = {
        restClient: new APIGatewayClient({ region, ...COLLECTOR_CLIENT_CONFIG }),
        v2Client: new ApiGatewayV2Client({ region, ...COLLECTOR_CLIENT_CONFIG }),
      };
      clients.set(region, pair);
    }
    return pair;
  };
  const [identity, fingerprintKey] = await Promise.all([
    sts.send(new GetCallerIdentityCommand({})),
    loadOrCreateFingerprintKey(dynamo, config.tableName),
  ]);
  const diff = {
    fingerprintKey,
    revealVariables: config.revealVariables,
    severityOverrides: config.severityOverrides,
    ignore: config.ignore,
  };
  validateDiffOptions(diff); // resolveConfig checked the patterns already; this checks the key
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
    collect: {
      ratePerSecond: config.requestsPerSecond,
      burst: config.burst,
      concurrency: config.concurrency,
      throttleDeadlineMs: config.throttleDeadlineSeconds * 1000,
    },
    diff,
    attribution: cloudTrailAttribution(
      identity.Account,
      (region) => new CloudTrailClient({ region, ...COLLECTOR_CLIENT_CONFIG }),
    ),
    outOfBand: config.outOfBand,
  };
  if (!config.fanOut) return { account: identity.Account, deps };

  const queue = new SqsTaskQueue(new SQSClient({}), config.fanOut.taskQueueUrl);
  // Organizations is a global service with one endpoint, in us-east-1 (aws-cn and GovCloud: their own).
  let organizations: OrganizationsClient | undefined;
  const partition = identity.Arn?.split(':')[1] ?? 'aws';
  return {
    account: identity.Account,
    deps,
    fanOut: {
      config: config.fanOut,
      plan: {
        queue,
        ownAccount: identity.Account,
        partition,
        listOrganizationAccounts: (ouId) => {
          organizations ??= new OrganizationsClient({});
          return listActiveAccounts(organizations, ouId);
        },
      },
      consume: {
        ...deps,
        queue,
        clientsForTask: taskClients(new MemberCredentials({ sts }), clientsFor),
      },
    },
  };
};
