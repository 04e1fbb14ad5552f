/**
 * `npm run demo`: the main job of stage-drift, end to end, in a sandbox. No AWS account, no
 * Python, no Docker: the API Gateway control plane is the project's simulator (the real REST
 * wire format, read by the real AWS SDK) and the store is the embedded one (dynalite on disk).
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { processIo } from '../../cli/io';
import { openEmbeddedStore } from '../../cli/embedded-store';
import { renderSlackPreview } from '../../cli/format/slack-preview';
import { COLLECTOR_CLIENT_CONFIG, systemClock } from '../../shared/collect';
import { renderSlackDigest, renderSlackMessage, renderSnsMessage } from '../../shared/notify';
import type { ScanSummary } from '../../shared/scan';
import { runScan } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey } from '../../shared/store';
import type { SimRestApi, SimV2Api } from '../../test/support/simulator';
import { startSimulator } from '../../test/support/simulator';
import { demoFleet } from './demo-fleet';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const say = (text = '') => process.stdout.write(`${text}\n`);
const rule = (title: string) => say(`\n━━ ${title} ${'━'.repeat(Math.max(0, 76 - title.length))}`);

const run = async () => {
  // The SDK's notice about its own future Node requirement is noise in a demo.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const storeDir = mkdtempSync(join(tmpdir(), 'stage-drift-demo-'));
  const sim = await startSimulator({ fleet: demoFleet() });
  const config = {
    endpoint: sim.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
    ...COLLECTOR_CLIENT_CONFIG,
  };
  const clients = { restClient: new APIGatewayClient(config), v2Client: new ApiGatewayV2Client(config) };
  const embedded = await openEmbeddedStore(storeDir);
  const scan = async (): Promise<ScanSummary> => {
    const fingerprintKey = await loadOrCreateFingerprintKey(embedded.client, embedded.tableName);
    return runScan(
      {
        clientsFor: () => clients,
        store: new DynamoSnapshotStore(embedded.client, { tableName: embedded.tableName }),
        clock: systemClock,
        collect: { ratePerSecond: 3, burst: 10 },
        diff: { fingerprintKey },
      },
      { scopes: [{ account: ACCOUNT, region: REGION }], now: new Date() },
    );
  };

  try {
    say('stage-drift demo — a SANDBOX: a simulated API Gateway account and a local store; nothing in AWS is');
    say('read or changed. At the end you will see how to run the same commands against a real account.');

    rule('1. Baseline scan of the simulated account');
    const fleet = sim.fleet;
    say(
      `Fleet: ${fleet.restApis.length} REST APIs, ${fleet.v2Apis.filter((a) => a.protocolType === 'HTTP').length} HTTP APIs, ` +
        `${fleet.v2Apis.filter((a) => a.protocolType === 'WEBSOCKET').length} WebSocket API; ` +
        `${[...fleet.restApis, ...fleet.v2Apis].reduce((n, a) => n + a.stages.length, 0)} stages.`,
    );
    const baseline = await scan();
    const b = baseline.scopes[0]!;
    say(
      `Scanned ${ACCOUNT}/${REGION}: ${b.stagesRead} stages stored as the baseline with ${sim.counts.total} control-plane calls (the minimum).`,
    );

    rule('2. Out-of-band changes, as someone in the console would make them');
    const orders = fleet.restApis.find((a) => a.name === 'orders-api') as SimRestApi;
    const prod = orders.stages.find((s) => s.stageName === 'prod')!;
    const methodSettings = prod.methodSettings as Record<string, Record<string, unknown>>;
    methodSettings['*/*'] = { ...methodSettings['*/*'], loggingLevel: 'OFF' };
    delete prod.webAclArn;
    say('• orders-api prod: execution logging turned OFF, WAF web ACL detached');
    const pets = fleet.v2Apis.find((a) => a.name === 'pets-http') as SimV2Api;
    const petsProd = pets.stages.find((s) => s.stageName === 'prod')!;
    petsProd.stageVariables = {
      ...(petsProd.stageVariables as Record<string, string>),
      backendUrl: 'https://pets-v2.internal.example.com',
    };
    say('• pets-http prod: stage variable backendUrl changed');
    const payments = fleet.restApis.find((a) => a.name === 'payments-api') as SimRestApi;
    payments.stages = payments.stages.filter((s) => s.stageName !== 'staging');
    say('• payments-api staging: stage deleted');

    rule('3. Second scan: the drift');
    const second = await scan();
    const s = second.scopes[0]!;
    say(
      `Scanned: ${s.stagesRead} stages read, ${s.stagesChanged} changed, ${second.events.length} drift events.`,
    );

    rule('4. The alerts, as Slack shows them');
    for (const event of second.events) {
      say(renderSlackPreview(renderSlackMessage(event)));
    }
    say('(A batch of more than 5 events is sent as one digest instead:)');
    say(renderSlackPreview(renderSlackDigest(second.events)));

    rule('5. The same alert on SNS (Subject, MessageAttributes for filter policies, Message JSON)');
    const sns = renderSnsMessage(second.events[0]!);
    say(JSON.stringify({ ...sns, Message: JSON.parse(sns.Message) as unknown }, null, 2));

    await embedded.close();
    rule(`6. stage-drift events --store ${storeDir}`);
    const io = processIo(); // a terminal's width on a terminal, whole cells when piped
    await main(['events', '--store', storeDir], io);
    rule(`7. stage-drift history ${orders.id} prod --store ${storeDir}`);
    await main(['history', orders.id, 'prod', '--store', storeDir], io);

    rule('Against a real account');
    say(
      'This was a sandbox. With AWS credentials (AWS_PROFILE or SSO), the same commands read your account:',
    );
    say('  npx stage-drift scan --region eu-west-1          # first run: the baseline');
    say('  npx stage-drift scan --region eu-west-1          # later runs: the drift');
    say('  npx stage-drift events --since 24h');
    say(
      'and `npx cdk deploy` installs the monitor to scan on a schedule and alert on SNS and Slack (see README).',
    );
  } finally {
    clients.restClient.destroy();
    clients.v2Client.destroy();
    await embedded.close().catch(() => undefined);
    await sim.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
};

void run();
