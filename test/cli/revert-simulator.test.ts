import {
  APIGatewayClient,
  DeleteStageCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  DeleteAccessLogSettingsCommand,
  DeleteRouteSettingsCommand,
  GetStageCommand as GetStageV2Command,
  UntagResourceCommand,
  UpdateStageCommand as UpdateStageV2Command,
} from '@aws-sdk/client-apigatewayv2';
import { DisassociateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../cli/embedded-store';
import { COLLECTOR_CLIENT_CONFIG, systemClock } from '../../shared/collect';
import type { ApiType, StageSnapshot } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage } from '../../shared/normalize';
import { runScan } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey } from '../../shared/store';
import { startRefusingSts } from '../support/refusing-sts';
import type { ControlPlaneSimulator, Fleet } from '../support/simulator';
import { SIM_ACCOUNT_ID, SIM_REGION, startSimulator, stageArnOf } from '../support/simulator';
import type { CliRun } from './cli-harness';
import { runCli } from './cli-harness';

// `stage-drift revert` end to end against the control-plane simulator, which now writes: a REST
// stage (canary, a per-method setting on a path with `/` in it, a WAF web ACL), a deleted REST
// stage, an HTTP and a WebSocket stage are drifted through the real SDK calls an operator would
// make, scanned into an embedded store, then put back and verified by re-reading them.

const REST_API = 'r1a2b3c4d5';
const HTTP_API = 'h1a2b3c4d5';
const WS_API = 'w1a2b3c4d5';
const SECRET = 'correct-horse-battery-staple';
const CANARY_SECRET = 'canary-only-s3cret';
const WEB_ACL = `arn:aws:wafv2:${SIM_REGION}:${SIM_ACCOUNT_ID}:regional/webacl/orders-acl/1f2e3d4c-0000-4b5a-8c9d-abcdef012345`;
const created = new Date('2025-03-02T09:14:00Z');
const epoch = created.getTime() / 1000;
const logGroup = (name: string) => `arn:aws:logs:${SIM_REGION}:${SIM_ACCOUNT_ID}:log-group:${name}`;

const fleet = (): Fleet => ({
  restApis: [
    {
      id: REST_API,
      name: 'orders-api',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          deploymentId: 'dep111',
          description: 'Production',
          cacheClusterEnabled: false,
          methodSettings: {
            '*/*': { loggingLevel: 'INFO', metricsEnabled: true },
            '~1pets~1{id}/GET': { loggingLevel: 'ERROR', throttlingBurstLimit: 20, throttlingRateLimit: 50 },
          },
          variables: { backendUrl: 'https://orders.internal.example.com', dbPassword: SECRET },
          accessLogSettings: { destinationArn: logGroup('orders-access'), format: '$context.requestId' },
          canarySettings: {
            percentTraffic: 10,
            deploymentId: 'dep222',
            useStageCache: false,
            stageVariableOverrides: { dbPassword: CANARY_SECRET },
          },
          tracingEnabled: true,
          webAclArn: WEB_ACL,
          tags: { env: 'prod' },
          createdDate: epoch,
          lastUpdatedDate: epoch,
        },
        {
          stageName: 'beta',
          deploymentId: 'dep111',
          description: 'Beta',
          cacheClusterEnabled: false,
          methodSettings: { '*/*': { loggingLevel: 'ERROR', dataTraceEnabled: true } },
          variables: { backendUrl: 'https://orders-beta.internal.example.com' },
          accessLogSettings: { destinationArn: logGroup('orders-beta-access'), format: '$context.requestId' },
          tracingEnabled: false,
          tags: { env: 'beta' },
          createdDate: epoch,
          lastUpdatedDate: epoch,
        },
      ],
    },
  ],
  v2Apis: [
    {
      apiId: HTTP_API,
      name: 'pets-http',
      protocolType: 'HTTP',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          accessLogSettings: { destinationArn: logGroup('pets-http-access'), format: '$context.requestId' },
          apiGatewayManaged: false,
          autoDeploy: false,
          defaultRouteSettings: {
            detailedMetricsEnabled: true,
            throttlingBurstLimit: 200,
            throttlingRateLimit: 100,
          },
          deploymentId: 'd7x1k2',
          description: 'Public pets API',
          routeSettings: {
            'GET /pets': { detailedMetricsEnabled: true, throttlingBurstLimit: 100, throttlingRateLimit: 50 },
          },
          stageVariables: { petsTable: 'pets-prod' },
          tags: { team: 'pets', 'aws:cloudformation:stack-name': 'PetsStack' },
          createdDate: created,
          lastUpdatedDate: created,
        },
      ],
    },
    {
      apiId: WS_API,
      name: 'chat-ws',
      protocolType: 'WEBSOCKET',
      createdDate: created,
      stages: [
        {
          stageName: 'prod',
          accessLogSettings: { destinationArn: logGroup('chat-access'), format: '$context.connectionId' },
          apiGatewayManaged: false,
          autoDeploy: false,
          defaultRouteSettings: {
            dataTraceEnabled: true,
            loggingLevel: 'INFO',
            throttlingBurstLimit: 500,
            throttlingRateLimit: 1000,
          },
          deploymentId: 'ws1dep',
          routeSettings: { $connect: { loggingLevel: 'ERROR', detailedMetricsEnabled: true } },
          stageVariables: { connectionsTable: 'chat-connections' },
          createdDate: created,
          lastUpdatedDate: created,
        },
      ],
    },
  ],
});

const scratch = mkdtempSync(join(tmpdir(), 'stage-drift-revert-'));
const storeDir = join(scratch, 'store');
const BASELINE_AT = new Date('2026-11-20T08:00:00.000Z');
const DRIFT_AT = new Date('2026-11-21T09:45:00.000Z');
const NOW = new Date('2026-11-21T10:30:00.000Z');
let sim: ControlPlaneSimulator;
let rest: APIGatewayClient;
let v2: ApiGatewayV2Client;
let waf: WAFV2Client;
const savedEnv = { ...process.env };

const apiTypeOf: Record<string, ApiType> = { [REST_API]: 'REST', [HTTP_API]: 'HTTP', [WS_API]: 'WEBSOCKET' };
const names: Record<string, string> = {
  [REST_API]: 'orders-api',
  [HTTP_API]: 'pets-http',
  [WS_API]: 'chat-ws',
};

/** The stage as the simulator holds it now, canonical (what a revert must put back). */
const liveSnapshot = async (apiId: string, stageName: string): Promise<StageSnapshot> => {
  const context = {
    account: SIM_ACCOUNT_ID,
    region: SIM_REGION,
    api: { apiId, apiType: apiTypeOf[apiId]!, name: names[apiId]! },
  };
  return apiId === REST_API
    ? normalizeRestStage(await rest.send(new GetStageCommand({ restApiId: apiId, stageName })), context)
    : normalizeV2Stage(await v2.send(new GetStageV2Command({ ApiId: apiId, StageName: stageName })), context);
};

const scanAt = async (at: Date): Promise<void> => {
  const embedded = await openEmbeddedStore(storeDir);
  try {
    const fingerprintKey = await loadOrCreateFingerprintKey(embedded.client, embedded.tableName, () => 'k');
    await runScan(
      {
        clientsFor: () => ({ restClient: rest, v2Client: v2 }),
        store: new DynamoSnapshotStore(embedded.client, {
          tableName: embedded.tableName,
          clock: { now: () => at.getTime() },
        }),
        clock: systemClock,
        collect: { ratePerSecond: 1000, burst: 1000 },
        diff: { fingerprintKey },
      },
      { scopes: [{ account: SIM_ACCOUNT_ID, region: SIM_REGION }], now: at },
    );
  } finally {
    await embedded.close();
  }
};

const cli = (argv: readonly string[], confirm?: (question: string) => Promise<boolean>): Promise<CliRun> =>
  runCli([...argv, '--store', storeDir], { now: NOW, ...(confirm ? { confirm } : {}) });

const baseline: Record<string, StageSnapshot> = {};

beforeAll(async () => {
  sim = await startSimulator({ fleet: fleet() });
  // The revert's own clients resolve the endpoint as the SDK does, from the environment.
  process.env.AWS_ENDPOINT_URL = sim.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const config = {
    endpoint: sim.endpoint,
    region: SIM_REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  rest = new APIGatewayClient({ ...config, ...COLLECTOR_CLIENT_CONFIG });
  v2 = new ApiGatewayV2Client({ ...config, ...COLLECTOR_CLIENT_CONFIG });
  waf = new WAFV2Client(config);
  await scanAt(BASELINE_AT);
  for (const [apiId, stage] of [
    [REST_API, 'prod'],
    [REST_API, 'beta'],
    [HTTP_API, 'prod'],
    [WS_API, 'prod'],
  ] as const)
    baseline[`${apiId}/${stage}`] = await liveSnapshot(apiId, stage);

  // The drift, made the way an operator would make it.
  await rest.send(
    new UpdateStageCommand({
      restApiId: REST_API,
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/canarySettings/percentTraffic', value: '50' },
        { op: 'replace', path: '/~1pets~1{id}/GET/logging/loglevel', value: 'OFF' },
        { op: 'replace', path: '/variables/dbPassword', value: 'rotated-by-hand' },
      ],
    }),
  );
  await waf.send(new DisassociateWebACLCommand({ ResourceArn: stageArnOf('v1', REST_API, 'prod') }));
  await rest.send(new DeleteStageCommand({ restApiId: REST_API, stageName: 'beta' }));
  await v2.send(new DeleteAccessLogSettingsCommand({ ApiId: HTTP_API, StageName: 'prod' }));
  // A tag AWS reserves goes too: no call may write it back, so the plan must say so.
  await v2.send(
    new UntagResourceCommand({
      ResourceArn: stageArnOf('v2', HTTP_API, 'prod'),
      TagKeys: ['aws:cloudformation:stack-name'],
    }),
  );
  await v2.send(
    new UpdateStageV2Command({
      ApiId: HTTP_API,
      StageName: 'prod',
      DefaultRouteSettings: { ThrottlingBurstLimit: 5000, ThrottlingRateLimit: 10000 },
      RouteSettings: { 'GET /pets': { ThrottlingRateLimit: 5000 } },
      StageVariables: { petsTable: 'pets-restored' },
    }),
  );
  await v2.send(new DeleteRouteSettingsCommand({ ApiId: WS_API, StageName: 'prod', RouteKey: '$connect' }));
  await v2.send(
    new UpdateStageV2Command({
      ApiId: WS_API,
      StageName: 'prod',
      DefaultRouteSettings: { LoggingLevel: 'OFF', DataTraceEnabled: false },
      Description: 'hotfix',
    }),
  );
  await scanAt(DRIFT_AT);
});

afterAll(async () => {
  process.env = savedEnv;
  rest?.destroy();
  v2?.destroy();
  waf?.destroy();
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const expectConverged = async (apiId: string, stageName: string, run: CliRun): Promise<void> => {
  expect(run.stderr).not.toContain('failed');
  expect(run.stdout).toContain(`converged: ${apiId} ${stageName}`);
  expect(run.stdout).toContain('recorded: event ');
  expect(run.code).toBe(0);
  const now = await liveSnapshot(apiId, stageName);
  expect(now.config).toEqual(baseline[`${apiId}/${stageName}`]!.config);
};

describe('stage-drift revert against the simulator', () => {
  it('asks on a terminal, and a "no" changes nothing (exit 2)', async () => {
    // Arrange
    const questions: string[] = [];
    sim.resetCounts();

    // Act
    const run = await cli(['revert', REST_API, 'prod', '--by', 'oncall@example.com'], (question) => {
      questions.push(question);
      return Promise.resolve(false);
    });

    // Assert
    expect(questions).toEqual([
      expect.stringMatching(
        /^Make these \d+ calls to r1a2b3c4d5 prod in 123456789012 us-east-1\? \[y\/N\] $/,
      ),
    ]);
    expect(run.stderr).toContain('not reverted (not confirmed)');
    expect(run.code).toBe(2);
    expect(sim.counts.byOperation.UpdateStage ?? 0).toBe(0);
    expect(sim.counts.byOperation.AssociateWebACL ?? 0).toBe(0);
  });

  it('plans a REST stage: canary, a method path with / in it (~1-escaped), a variable (as a fingerprint), the WAF', async () => {
    // Act
    const run = await cli(['revert', REST_API, 'prod', '--dry-run']);

    // Assert
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"op":"replace","path":"/canarySettings/percentTraffic","value":"10"');
    expect(run.stdout).toContain('"path":"/~1pets~1{id}/GET/logging/loglevel","value":"ERROR"');
    expect(run.stdout).toContain(
      `aws wafv2 associate-web-acl --region ${SIM_REGION} --web-acl-arn ${WEB_ACL}`,
    );
    expect(run.stdout).toMatch(
      /"path":"\/variables\/dbPassword","value":"\[hidden hmac-sha256:[0-9a-f]{16}\]"/,
    );
    for (const secret of [SECRET, 'rotated-by-hand', CANARY_SECRET]) expect(run.stdout).not.toContain(secret);
    expect(run.stdout).toContain('--show-secrets prints them');
  });

  it('with --show-secrets the plan prints the values (and runnable commands)', async () => {
    const run = await cli(['revert', REST_API, 'prod', '--dry-run', '--show-secrets']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`"path":"/variables/dbPassword","value":"${SECRET}"`);
  });

  it('puts the REST stage back after a "yes" and verifies it: canary, method setting, variable, WAF re-associated', async () => {
    const run = await cli(['revert', REST_API, 'prod', '--by', 'oncall@example.com'], () =>
      Promise.resolve(true),
    );
    await expectConverged(REST_API, 'prod', run);
    expect(sim.counts.byOperation.AssociateWebACL).toBe(1);
  });

  it('re-creates a deleted REST stage (CreateStage, then UpdateStage for what CreateStage cannot set)', async () => {
    const run = await cli(['revert', REST_API, 'beta', '--yes', '--by', 'oncall@example.com']);
    expect(run.stdout).toContain('the stage is deleted now: it is created again');
    expect(run.stdout).toContain('aws apigateway create-stage');
    await expectConverged(REST_API, 'beta', run);
  });

  it('puts an HTTP stage back (access log, default and per-route settings, a variable) but for the aws: tag, which it lists to do by hand (exit 1)', async () => {
    // Act
    const run = await cli(['revert', HTTP_API, 'prod', '--yes', '--by', 'oncall@example.com']);

    // Assert
    expect(run.stdout).toContain('aws apigatewayv2 update-stage');
    expect(run.stdout).toContain('Not reverted, do this yourself (1):');
    expect(run.stdout).toContain(
      'tags.aws:cloudformation:stack-name: tags with the aws: prefix are set by AWS',
    );
    expect(run.stdout).toContain(
      `converged: ${HTTP_API} prod is at the version of ${BASELINE_AT.toISOString()}, but for 1 field listed to do by hand`,
    );
    expect(run.stdout).toContain('recorded: event ');
    expect(run.code).toBe(1);
    const now = await liveSnapshot(HTTP_API, 'prod');
    const { tags: wantTags, ...want } = baseline[`${HTTP_API}/prod`]!.config as unknown as Record<
      string,
      unknown
    >;
    const { tags: nowTags, ...got } = now.config as unknown as Record<string, unknown>;
    expect(got).toEqual(want);
    expect(nowTags).toEqual({ team: 'pets' });
    expect(wantTags).toEqual({ team: 'pets', 'aws:cloudformation:stack-name': 'PetsStack' });
  });

  it('puts a WebSocket stage back: a deleted route setting, the default route logging, the description', async () => {
    const run = await cli(['revert', WS_API, 'prod', '--yes', '--by', 'oncall@example.com']);
    await expectConverged(WS_API, 'prod', run);
  });

  it('records each revert as a REVERTED event and marks the drift it undid', async () => {
    // Act
    const run = await cli(['events', '--format', 'json', '--since', '2026-11-01T00:00:00Z']);

    // Assert
    const { events } = JSON.parse(run.stdout) as {
      events: {
        change: string;
        status: string;
        api: { id: string };
        stageName: string;
        revert?: { by: string; toVersion: string };
      }[];
    };
    const reverted = events.filter((e) => e.change === 'REVERTED');
    expect(reverted.map((e) => `${e.api.id}/${e.stageName}`).sort()).toEqual(
      [`${HTTP_API}/prod`, `${REST_API}/beta`, `${REST_API}/prod`, `${WS_API}/prod`].sort(),
    );
    expect(
      reverted.every(
        (e) => e.revert?.by === 'oncall@example.com' && e.revert.toVersion === BASELINE_AT.toISOString(),
      ),
    ).toBe(true);
    const drifts = events.filter((e) => e.change !== 'REVERTED' && e.change !== 'CREATED');
    expect(drifts.length).toBeGreaterThanOrEqual(4);
    expect(drifts.every((e) => e.status === 'reverted')).toBe(true);
  });

  it('leaves nothing for the next scan to report, and a second revert has nothing to do', async () => {
    // Act
    await scanAt(new Date(NOW.getTime() + 60_000));
    const events = JSON.parse(
      (await cli(['events', '--format', 'json', '--since', '2026-11-01T00:00:00Z'])).stdout,
    ) as { events: unknown[] };
    const again = await cli(['revert', REST_API, 'prod', '--yes', '--by', 'oncall@example.com']);

    // Assert
    expect(events.events).toHaveLength(8);
    expect(again.stdout).toContain('already at that version: nothing to do');
    expect(again.code).toBe(0);
  });

  it('refuses a time before the first version, and an unknown stage, in one line (exit 2)', async () => {
    const early = await cli(['revert', REST_API, 'prod', '--to', '2020-01-01T00:00:00Z']);
    const unknown = await cli(['revert', REST_API, 'nosuch']);
    expect(early.stderr).toMatch(
      /has no version at 2020-01-01T00:00:00.000Z: its first was captured at 2026-11-20T08:00:00.000Z/,
    );
    expect(early.code).toBe(2);
    expect(unknown.stderr).toContain('has no stage "nosuch"');
    expect(unknown.code).toBe(2);
    for (const run of [early, unknown]) expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it("with another account's credentials, says so before reading anything (exit 2)", async () => {
    // Arrange: STS answers as another account (the simulator holds 123456789012)
    const sts = await startRefusingSts('999988887777');
    process.env.AWS_ENDPOINT_URL_STS = sts.endpoint;
    sim.resetCounts();
    try {
      // Act
      const run = await cli(['revert', REST_API, 'prod', '--dry-run']);

      // Assert
      expect(run.stderr).toContain(
        'the stage is in account 123456789012, and your credentials are for 999988887777 (arn:aws:iam::999988887777:user/ci): use credentials of 123456789012 (AWS_PROFILE)',
      );
      expect(run.code).toBe(2);
      expect(sim.counts.byOperation.GetStage ?? 0).toBe(0);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await sts.close();
    }
  });

  it('records the caller from STS when no --by is given', async () => {
    // Arrange: drift the WebSocket stage again; STS answers as the stage's account
    const sts = await startRefusingSts(SIM_ACCOUNT_ID);
    process.env.AWS_ENDPOINT_URL_STS = sts.endpoint;
    await v2.send(new UpdateStageV2Command({ ApiId: WS_API, StageName: 'prod', Description: 'again' }));
    await scanAt(new Date(NOW.getTime() + 120_000));
    try {
      // Act
      const run = await cli(['revert', WS_API, 'prod', '--yes']);

      // Assert
      expect(run.stdout).toContain(`(REVERTED by arn:aws:iam::${SIM_ACCOUNT_ID}:user/ci)`);
      expect(run.code).toBe(0);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_STS;
      await sts.close();
    }
  });

  it('refuses a stage whose API is gone, in one line (exit 2)', async () => {
    // Arrange
    sim.fleet.v2Apis = sim.fleet.v2Apis.filter((api) => api.apiId !== HTTP_API);

    // Act
    const run = await cli(['revert', HTTP_API, 'prod', '--to', BASELINE_AT.toISOString(), '--dry-run']);

    // Assert
    expect(run.stderr).toBe(
      `stage-drift: API ${HTTP_API} (HTTP) is gone from ${SIM_ACCOUNT_ID} ${SIM_REGION}: a revert puts back a stage, not an API\n`,
    );
    expect(run.code).toBe(2);
  });
});
