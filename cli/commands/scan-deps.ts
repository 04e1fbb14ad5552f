import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AttributionClients, ScopeClientCache } from '../../shared/clients';
import type { SecurityHubClients } from '../../shared/clients/security-hub-clients';
import { createSecurityHubClients } from '../../shared/clients/security-hub-clients';
import {
  createAttributionClients,
  createDynamoClient,
  createScopeClientCache,
  createStsClient,
} from '../../shared/clients';
import { MemberCredentials } from '../../shared/credentials';
import { DynamoSnapshotStore } from '../../shared/store';
import { toAwsUsageError } from '../aws-errors';
import { openEmbeddedStore } from '../embedded-store';
import type { CliIo } from '../io';
import { startScanProgress, watchScanCalls } from '../progress';
import type { CliPublisher } from './publish-options';
import { createCliPublishDeps } from './publish-options';
import type { ScanRequest } from './scan-request';

/** The adapters of one `stage-drift scan` run: built before it, closed after it. */
export interface ScanCommandDeps {
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly store: DynamoSnapshotStore;
  /** The caller's STS, in the first region: who am I, and AssumeRole of the member roles. */
  readonly sts: STSClient;
  readonly members: MemberCredentials;
  /** API Gateway clients per account and region (watched by the progress line, if any). */
  readonly scopes: ScopeClientCache;
  readonly attribution: AttributionClients;
  /** With `--security-hub`: the caller's Security Hub clients, per region. */
  readonly securityHub?: SecurityHubClients;
  readonly publisher?: CliPublisher;
  readonly progress?: { stop(): void };
  /** Rethrows what went wrong while `doing`, as a UsageError when it says what to fix. */
  readonly fail: (doing: string) => (error: unknown) => never;
  /** Closes everything; `discard`: the scan failed, so a store it created is not left behind. */
  readonly close: (options: { readonly discard: boolean }) => Promise<void>;
}

/**
 * Opens the store (embedded or the deployed table) and builds the clients, the alert channels and
 * the progress line; nothing is sent to AWS yet. Region, credentials and endpoint are the SDK's
 * from the environment (AWS_ENDPOINT_URL and its per-service forms), as in the Lambdas.
 */
export const createScanCommandDeps = async (request: ScanRequest, io: CliIo): Promise<ScanCommandDeps> => {
  const { config, destination, endpoint } = request;
  const home = config.regions[0]!;
  const embedded = destination.kind === 'store' ? await openEmbeddedStore(destination.dir) : undefined;
  const progress = startScanProgress(io, request, config.requestsPerSecond);
  const dynamo = embedded?.client ?? createDynamoClient({ region: home });
  const tableName = embedded?.tableName ?? (destination.kind === 'table' ? destination.tableName : '');
  const sts = createStsClient({ region: home });
  const members = new MemberCredentials({ sts, sessionName: 'stage-drift-cli' });
  const scopes = createScopeClientCache({
    members,
    ...(progress ? { onCreate: (clients) => watchScanCalls(clients, progress.progress) } : {}),
  });
  const attribution = createAttributionClients();
  const securityHub = request.securityHub ? createSecurityHubClients() : undefined;
  let publisher: CliPublisher | undefined;
  const close = async ({ discard }: { readonly discard: boolean }) => {
    progress?.stop();
    sts.destroy();
    attribution.destroy();
    securityHub?.destroy();
    publisher?.destroy();
    scopes.destroy();
    if (embedded) await embedded.close({ discard });
    else dynamo.destroy();
  };
  try {
    publisher = createCliPublishDeps(request.publish, io, { client: dynamo, tableName, deployed: !embedded });
    const store = new DynamoSnapshotStore(dynamo, { tableName, retentionDays: config.retentionDays });
    const fail = (doing: string) => (error: unknown) => {
      throw toAwsUsageError(error, { doing, ...(endpoint ? { endpoint } : {}) }) ?? error;
    };
    return {
      dynamo,
      tableName,
      store,
      sts,
      members,
      scopes,
      attribution,
      ...(securityHub ? { securityHub } : {}),
      ...(publisher ? { publisher } : {}),
      ...(progress ? { progress } : {}),
      fail,
      close,
    };
  } catch (error) {
    await close({ discard: true });
    throw error;
  }
};
