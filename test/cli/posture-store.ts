import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { openEmbeddedStore } from '../../cli/embedded-store';
import type { CollectDeps } from '../../shared/collect';
import { COLLECTOR_CLIENT_CONFIG, systemClock } from '../../shared/collect';
import type { ScanScope, ScanSummary } from '../../shared/scan';
import { runScan } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey } from '../../shared/store';
import type { ControlPlaneSimulator, Fleet } from '../support/simulator';
import { startSimulator } from '../support/simulator';

// A store for the `posture` and `report` tests, filled by four scans of the control-plane
// simulator over a week (fixed times): one REST stage with execution logging off that loses its
// X-Ray tracing, a compliant REST stage whose logging goes off and comes back, an HTTP stage
// without access logs whose API is named like an XSS probe, a compliant WebSocket stage named
// `<script>`, and a second account with a compliant HTTP stage and a canary created mid-week.

export const ACCOUNT_A = '111122223333';
export const REGION_A = 'eu-west-1';
export const ACCOUNT_B = '444455556666';
export const REGION_B = 'us-east-1';

export const SHOP_API = 'r1shop0001';
export const BILLING_API = 'r2bill0002';
export const PROBE_API = 'h3probe003';
export const CHAT_API = 'w4chat0004';
export const SEARCH_API = 'h5srch0005';

export const PROBE_NAME = '<img src=x onerror=alert(1)>';
export const SCRIPT_NAME = '<script>alert("chat")</script>';
/** A stage variable value that must never reach a report. */
export const SECRET = 'sk-live-do-not-print-4242';

export const SCAN_TIMES = [
  '2026-11-01T08:00:00.000Z', // baseline
  '2026-11-03T10:00:00.000Z', // shop prod loses tracing; billing prod's secret changes
  '2026-11-05T09:00:00.000Z', // billing prod logging off; a canary created in account B
  '2026-11-06T15:00:00.000Z', // billing prod logging back on
].map((t) => new Date(t));
/** The CLI's "now": the day after the last scan. */
export const NOW = new Date('2026-11-07T12:00:00.000Z');

const created = new Date('2025-06-01T00:00:00Z');
const arn = (account: string, region: string, what: string) =>
  `arn:aws:logs:${region}:${account}:log-group:${what}`;
const accessLogs = (account: string, region: string, name: string) => ({
  destinationArn: arn(account, region, name),
  format: '$context.requestId',
});

const fleetA = (): Fleet => ({
  restApis: [
    {
      id: SHOP_API,
      name: 'shop-api',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'dep111',
          cacheClusterEnabled: false,
          tracingEnabled: true,
          clientCertificateId: 'cert01',
          webAclArn: `arn:aws:wafv2:${REGION_A}:${ACCOUNT_A}:regional/webacl/shop/1`,
          accessLogSettings: accessLogs(ACCOUNT_A, REGION_A, 'shop'),
          createdDate: created.getTime() / 1000,
        },
      ],
    },
    {
      id: BILLING_API,
      name: 'billing-api',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'dep222',
          cacheClusterEnabled: false,
          tracingEnabled: true,
          clientCertificateId: 'cert02',
          webAclArn: `arn:aws:wafv2:${REGION_A}:${ACCOUNT_A}:regional/webacl/billing/2`,
          accessLogSettings: accessLogs(ACCOUNT_A, REGION_A, 'billing'),
          methodSettings: { '*/*': { loggingLevel: 'INFO', metricsEnabled: true } },
          variables: { apiKey: SECRET },
          createdDate: created.getTime() / 1000,
        },
      ],
    },
  ],
  v2Apis: [
    {
      apiId: PROBE_API,
      name: PROBE_NAME,
      protocolType: 'HTTP',
      createdDate: created,
      stages: [{ stageName: 'prod', deploymentId: 'dep333', autoDeploy: false, createdDate: created }],
    },
    {
      apiId: CHAT_API,
      name: SCRIPT_NAME,
      protocolType: 'WEBSOCKET',
      createdDate: created,
      stages: [
        {
          stageName: 'live',
          deploymentId: 'dep444',
          defaultRouteSettings: { loggingLevel: 'ERROR', dataTraceEnabled: false },
          accessLogSettings: accessLogs(ACCOUNT_A, REGION_A, 'chat'),
          createdDate: created,
        },
      ],
    },
  ],
});

const fleetB = (): Fleet => ({
  restApis: [],
  v2Apis: [
    {
      apiId: SEARCH_API,
      name: 'search-http',
      protocolType: 'HTTP',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'dep555',
          accessLogSettings: accessLogs(ACCOUNT_B, REGION_B, 'search'),
          createdDate: created,
        },
      ],
    },
  ],
});

const restStage = (fleet: Fleet, api: string) => fleet.restApis.find((a) => a.id === api)!.stages[0]!;

/** What changes before each scan after the baseline. */
const CHANGES: ((a: Fleet, b: Fleet) => void)[] = [
  (a) => {
    restStage(a, SHOP_API).tracingEnabled = false;
    restStage(a, BILLING_API).variables = { apiKey: `${SECRET}-rotated` };
  },
  (a, b) => {
    restStage(a, BILLING_API).methodSettings = { '*/*': { loggingLevel: 'OFF', metricsEnabled: true } };
    b.v2Apis[0]!.stages.push({
      stageName: 'canary',
      deploymentId: 'dep556',
      accessLogSettings: accessLogs(ACCOUNT_B, REGION_B, 'search-canary'),
      createdDate: SCAN_TIMES[2]!,
    });
  },
  (a) => {
    restStage(a, BILLING_API).methodSettings = { '*/*': { loggingLevel: 'INFO', metricsEnabled: true } };
  },
];

/** Fills an embedded store at `dir` with the four scans; returns their summaries. */
export const seedPostureStore = async (dir: string): Promise<ScanSummary[]> => {
  const sims: Record<string, ControlPlaneSimulator> = {
    [REGION_A]: await startSimulator({ fleet: fleetA() }),
    [REGION_B]: await startSimulator({ fleet: fleetB() }),
  };
  const clients: { destroy(): void }[] = [];
  const clientsFor = (region: string): CollectDeps => {
    const config = {
      endpoint: sims[region]!.endpoint,
      region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      ...COLLECTOR_CLIENT_CONFIG,
    };
    const pair = { restClient: new APIGatewayClient(config), v2Client: new ApiGatewayV2Client(config) };
    clients.push(pair.restClient, pair.v2Client);
    return pair;
  };
  const deps: Record<string, CollectDeps> = {
    [REGION_A]: clientsFor(REGION_A),
    [REGION_B]: clientsFor(REGION_B),
  };
  const scopes: ScanScope[] = [
    { account: ACCOUNT_A, region: REGION_A },
    { account: ACCOUNT_B, region: REGION_B },
  ];
  const embedded = await openEmbeddedStore(dir);
  const summaries: ScanSummary[] = [];
  try {
    const fingerprintKey = await loadOrCreateFingerprintKey(
      embedded.client,
      embedded.tableName,
      () => 'posture-key',
    );
    for (const [i, at] of SCAN_TIMES.entries()) {
      if (i > 0) CHANGES[i - 1]!(sims[REGION_A]!.fleet, sims[REGION_B]!.fleet);
      const store = new DynamoSnapshotStore(embedded.client, {
        tableName: embedded.tableName,
        clock: { now: () => at.getTime() },
      });
      summaries.push(
        await runScan(
          {
            clientsFor: (scope) => deps[scope.region]!,
            store,
            clock: systemClock,
            collect: { ratePerSecond: 1000, burst: 1000 },
            diff: { fingerprintKey },
          },
          { scopes, now: at },
        ),
      );
    }
  } finally {
    await embedded.close();
    for (const client of clients) client.destroy();
    await Promise.all(Object.values(sims).map((sim) => sim.close()));
  }
  return summaries;
};
