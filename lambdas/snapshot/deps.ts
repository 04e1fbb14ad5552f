import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CollectDeps } from '../../shared/collect';
import { COLLECTOR_CLIENT_CONFIG, systemClock } from '../../shared/collect';
import type { EnvConfig } from '../../shared/config';
import { validateDiffOptions } from '../../shared/diff';
import type { ScanDeps, ScanScope } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey } from '../../shared/store';

/** Everything the snapshot handler needs, built once per container. */
export const createScanDeps = async (config: EnvConfig): Promise<{ deps: ScanDeps; account: string }> => {
  const dynamo = new DynamoDBClient({});
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
    new STSClient({}).send(new GetCallerIdentityCommand({})),
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
  return {
    account: identity.Account,
    deps: {
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
    },
  };
};
