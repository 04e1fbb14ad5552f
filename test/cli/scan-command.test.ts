import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MotoServer } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { MOTO_ACCOUNT, runBin, tempDir, TEST_REGION } from './bin-process';
import { snsInbox } from './sns-inbox';
import { startRefusingSts } from '../support/refusing-sts';
import type { ControlPlaneSimulator } from '../support/simulator';
import { generateFleet, startSimulator } from '../support/simulator';

// `stage-drift scan` as a user runs it (see bin-process.ts).

const region = TEST_REGION;
let moto: MotoServer;
let sim: ControlPlaneSimulator;

const newStore = () => tempDir();

beforeAll(async () => {
  moto = await startMoto();
  sim = await startSimulator({
    fleet: generateFleet({ restApis: 3, httpApis: 2, stagesPerApi: 2, seed: 7 }),
  });
});

afterAll(async () => {
  await moto?.stop();
  await sim?.close();
});

describe('stage-drift scan', () => {
  it('stores a baseline, then reports the out-of-band change with exit 1, redacted, as JSON', async () => {
    await moto.reset();
    const rest = new APIGatewayClient({ endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS });
    const restApiId = await createRestApiWithStage(
      rest,
      { name: 'orders-api' },
      { stageName: 'prod', variables: { token: 'old-s3cret' } },
    );
    const env = { AWS_ENDPOINT_URL: moto.endpoint };
    const store = newStore();

    const baseline = await runBin(['scan', '--store', store], env);
    expect(baseline.stderr).toBe('');
    expect(baseline.code).toBe(0);
    expect(baseline.stdout).toMatch(/baseline stored: 1 stages/);

    await rest.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [
          { op: 'replace', path: '/tracingEnabled', value: 'true' },
          { op: 'replace', path: '/variables/token', value: 'new-s3cret' },
        ],
      }),
    );
    const second = await runBin(['scan', '--store', store, '--format', 'json'], env);
    expect(second.code).toBe(1);
    const report = JSON.parse(second.stdout) as {
      baseline: boolean;
      scopes: { stagesChanged: number }[];
      events: {
        id: string;
        api: { id: string; name: string; type: string };
        stageName: string;
        change: string;
        severity: string;
        changes: { path: string[] }[];
      }[];
    };
    expect(report.baseline).toBe(false);
    expect(report.scopes[0]!.stagesChanged).toBe(1);
    expect(report.events).toHaveLength(1);
    expect(report.events[0]).toMatchObject({
      api: { id: restApiId, name: 'orders-api', type: 'REST' },
      stageName: 'prod',
      change: 'MODIFIED',
      severity: 'MEDIUM',
    });
    expect(report.events[0]!.changes.map((c) => c.path.join('.')).sort()).toEqual([
      'tracingEnabled',
      'variables.token',
    ]);
    expect(second.stdout).not.toMatch(/s3cret/);

    const third = await runBin(['scan', '--store', store], env);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/0 changed/);
    rest.destroy();
  });

  it('exits 3 and keeps the failed API out of deletions when one API cannot be read', async () => {
    const env = {
      AWS_ENDPOINT_URL_API_GATEWAY: sim.endpoint,
      AWS_ENDPOINT_URL_APIGATEWAYV2: sim.endpoint,
      AWS_ENDPOINT_URL_STS: moto.endpoint,
    };
    const store = newStore();
    expect((await runBin(['scan', '--store', store], env)).code).toBe(0);
    const victim = sim.fleet.restApis[0]!.id;
    sim.failOn({ operation: 'GetStages', apiId: victim, status: 403, errorType: 'AccessDeniedException' });
    const run = await runBin(['scan', '--store', store], env);
    sim.clearFailures();
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`REST API ${victim}`);
    expect(run.stdout).toContain('AccessDeniedException');
    expect(run.stdout).not.toMatch(/DELETED/);
  });

  it('scans other accounts through their reader role, each stage under its own account', async () => {
    await moto.reset();
    // moto keeps one state per account: calls signed with an assumed role's credentials see the
    // role's account, so the member's API exists only there.
    const base = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
    const member = '111111111111';
    const sts = new STSClient(base);
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${member}:role/StageDriftReader`,
        RoleSessionName: 'fixture',
      }),
    );
    const memberRest = new APIGatewayClient({
      ...base,
      credentials: {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: c!.SessionToken!,
      },
    });
    const ownRest = new APIGatewayClient(base);
    const memberApi = await createRestApiWithStage(memberRest, { name: 'member-api' }, { stageName: 'prod' });
    const ownApi = await createRestApiWithStage(ownRest, { name: 'own-api' }, { stageName: 'dev' });

    const store = newStore();
    const args = [
      'scan',
      '--store',
      store,
      '--format',
      'json',
      '--account',
      MOTO_ACCOUNT,
      '--account',
      member,
    ];
    const run = await runBin([...args, '--external-id', 'drift-2026'], { AWS_ENDPOINT_URL: moto.endpoint });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { scopes: { account: string; stagesRead: number }[] };
    expect(report.scopes.map((s) => [s.account, s.stagesRead]).sort()).toEqual([
      [member, 1],
      [MOTO_ACCOUNT, 1],
    ]);
    const stages = await runBin(['stages', '--store', store, '--format', 'json'], {});
    const listed = (JSON.parse(stages.stdout) as { stages: { account: string; apiId: string }[] }).stages
      .map((s) => [s.account, s.apiId])
      .sort();
    expect(listed).toEqual(
      [
        [member, memberApi],
        [MOTO_ACCOUNT, ownApi],
      ].sort(),
    );
    sts.destroy();
    memberRest.destroy();
    ownRest.destroy();
  });

  it('reports an account whose role refuses us and scans the others (exit 3)', async () => {
    await moto.reset();
    const sts = await startRefusingSts(MOTO_ACCOUNT);
    try {
      const ownRest = new APIGatewayClient({
        endpoint: moto.endpoint,
        region,
        credentials: AWS_TEST_CREDENTIALS,
      });
      await createRestApiWithStage(ownRest, { name: 'own-api' }, { stageName: 'dev' });
      ownRest.destroy();
      const store = newStore();
      const run = await runBin(
        ['scan', '--store', store, '--account', MOTO_ACCOUNT, '--account', '222222222222'],
        { AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_STS: sts.endpoint },
      );
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(new RegExp(`${MOTO_ACCOUNT} ${region}: 1 APIs, 1 stages read`));
      expect(run.stderr).toMatch(
        /not scanned: account 222222222222: AssumeRole arn:aws:iam::222222222222:role\/StageDriftReader was refused \(AccessDenied/,
      );
      expect(run.stderr).toContain('StageDriftReaderRole');
      expect(sts.assumeRoleCalls()).toBe(1);
    } finally {
      await sts.close();
    }
  });

  it.each([
    [
      'an unreachable endpoint',
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
      [],
      /cannot reach http:\/\/127\.0\.0\.1:1 .*ECONNREFUSED/,
    ],
    ['an unknown table', {}, ['--table', 'no-such-table'], /table "no-such-table" was not found/],
    ['an unknown region', {}, ['--region', 'mars-1'], /--region: unknown region "mars-1"/],
    ['--store with --table', {}, ['--table', 't', '--store', 'x'], /exclusive/],
    ['a bad --account', {}, ['--account', '12345'], /--account\[0\]: "12345" is not an AWS account id/],
    [
      '--role-name without --account',
      {},
      ['--role-name', 'Reader'],
      /--role-name and --external-id go with --account/,
    ],
    [
      'a bad --role-name',
      {},
      ['--account', '111111111111', '--role-name', 'a b'],
      /--role-name: "a b" is not an IAM role name/,
    ],
  ])(
    'exits 2 with one line for %s',
    async (_name, env: Record<string, string>, args: string[], message: RegExp) => {
      const run = await runBin(['scan', ...args], { AWS_ENDPOINT_URL: moto.endpoint, ...env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('publishes the drift to SNS and Slack, once, without printing the webhook URL', async () => {
    await moto.reset();
    const clientConfig = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
    const inbox = snsInbox(moto.endpoint, region, MOTO_ACCOUNT, 'stage-drift');
    await inbox.create();
    const slackBodies: string[] = [];
    const slack = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        slackBodies.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
    const webhook = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/very-secret-token`;

    const rest = new APIGatewayClient(clientConfig);
    const restApiId = await createRestApiWithStage(
      rest,
      { name: 'billing-api' },
      { stageName: 'prod', tracingEnabled: true },
    );
    const env = { AWS_ENDPOINT_URL: moto.endpoint, STAGE_DRIFT_SLACK_WEBHOOK_URL: webhook };
    const args = ['scan', '--store', newStore(), '--sns-topic-arn', inbox.topicArn];
    try {
      // The baseline publishes one posture summary (issue 16): no drift, no alert per stage.
      expect((await runBin(args, env)).code).toBe(0);
      const summaries = await inbox.take();
      expect(summaries).toHaveLength(1);
      expect(summaries[0]!.attributes.change).toBe('POSTURE_SUMMARY');
      expect(slackBodies).toHaveLength(1);
      await rest.send(
        new UpdateStageCommand({
          restApiId,
          stageName: 'prod',
          patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'false' }],
        }),
      );
      const drift = await runBin(args, env);
      expect(drift.code).toBe(1);
      expect(drift.stderr).toMatch(/Alerts: 1 published/);
      expect(drift.stdout + drift.stderr).not.toContain('very-secret-token');

      // Tracing off makes APIGateway.3 fail: a regression, so at least HIGH (MEDIUM by its rule alone).
      const alerts = await inbox.take();
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        schemaVersion: 1,
        stageName: 'prod',
        severity: 'HIGH',
        controls: [{ id: 'APIGateway.3', from: 'PASSED', to: 'FAILED' }],
      });
      expect(alerts[0]!.attributes.severity).toBe('HIGH');
      expect(slackBodies).toHaveLength(2);
      expect(slackBodies[1]).toContain('prod');
      expect(slackBodies[1]).toContain('APIGateway.3 now fails on prod');

      const quiet = await runBin(args, env);
      expect(quiet.code).toBe(0);
      expect(slackBodies).toHaveLength(2);
      expect(await inbox.take()).toEqual([]);
    } finally {
      rest.destroy();
      inbox.destroy();
      await new Promise((resolve) => slack.close(resolve));
    }
  });
});
