import type { GetStageCommandOutput } from '@aws-sdk/client-api-gateway';
import { APIGatewayClient, GetStageCommand, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { rmSync } from 'node:fs';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';
import type { BinRun } from './bin-process';
import { MOTO_ACCOUNT, runBin, tempDir, TEST_REGION } from './bin-process';

// `stage-drift revert` as a user runs it, against moto (REST): the real bin in a child process,
// whose stdin is not a terminal, so a revert without --yes is the "off a terminal" refusal.
// One stage, one story, in order: baseline, an out-of-band change of its logging level, a
// variable, tracing and description, the plan, the refusal, the revert, its record, `ack`.

const region = TEST_REGION;
const SECRET = 'correct-horse-battery';
const DRIFTED_SECRET = 'tr0ub4dor-and-3';
const BACKEND_URL = 'https://orders.internal.example';
/** Who moto says the test credentials are (sts:GetCallerIdentity). */
const MOTO_CALLER = `arn:aws:sts::${MOTO_ACCOUNT}:user/moto`;
const LABELS = [
  'Stage variable dbPassword',
  'Description',
  'Execution logging level (*/*)',
  'X-Ray tracing',
] as const;

interface JsonEvent {
  id: string;
  change: string;
  status: string;
  api: { id: string };
  stageName: string;
  changes: { label: string }[];
  revert?: { by: string; fromVersion: string; toVersion: string; revertedEventIds: string[] };
  reverted?: { by: string; revertEventId: string };
  acks?: { by: string; at: string; note?: string }[];
}

let moto: MotoServer;
let rest: APIGatewayClient;
let restApiId: string;
let store: string;
let env: Record<string, string>;
/** GetStage of the stage as set up (the baseline), without the response metadata. */
let original: Omit<GetStageCommandOutput, '$metadata'>;

const liveStage = async (): Promise<Omit<GetStageCommandOutput, '$metadata'>> => {
  const stage: Partial<GetStageCommandOutput> = await rest.send(
    new GetStageCommand({ restApiId, stageName: 'prod' }),
  );
  delete stage.$metadata;
  return stage;
};

const bin = (...args: string[]): Promise<BinRun> => runBin([...args, '--store', store], env);

const revert = (...args: string[]): Promise<BinRun> => bin('revert', restApiId, 'prod', ...args);

const listEvents = async (): Promise<JsonEvent[]> => {
  const run = await bin('events', '--format', 'json');
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).not.toContain(SECRET);
  expect(run.stdout).not.toContain(DRIFTED_SECRET);
  return (JSON.parse(run.stdout) as { events: JsonEvent[] }).events;
};

const expectNoValues = (run: BinRun) => {
  for (const text of [run.stdout, run.stderr]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(DRIFTED_SECRET);
    expect(text).not.toContain(BACKEND_URL);
  }
};

const expectOneLineExit2 = (run: BinRun, pattern: RegExp) => {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(pattern);
};

const expectDrifted = async () => {
  const stage = await liveStage();
  expect(stage.methodSettings?.['*/*']?.loggingLevel).toBe('OFF');
  expect(stage.tracingEnabled).toBe(false);
  expect(stage.description).toBe('temporary: debugging');
  expect(stage.variables).toEqual({ dbPassword: DRIFTED_SECRET, backendUrl: BACKEND_URL });
};

beforeAll(async () => {
  moto = await startMoto();
  rest = new APIGatewayClient({ endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS });
  restApiId = await createRestApiWithStage(
    rest,
    { name: 'orders-api' },
    {
      stageName: 'prod',
      description: 'orders production',
      tracingEnabled: true,
      variables: { dbPassword: SECRET, backendUrl: BACKEND_URL },
    },
  );
  await rest.send(
    new UpdateStageCommand({
      restApiId,
      stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }],
    }),
  );
  original = await liveStage();
  expect(original.methodSettings?.['*/*']?.loggingLevel).toBe('INFO');
  store = tempDir();
  env = { AWS_ENDPOINT_URL: moto.endpoint };

  const baseline = await bin('scan');
  expect(baseline.stderr).toBe('');
  expect(baseline.code).toBe(0);
  expect(baseline.stdout).toMatch(/baseline stored: 1 stages/);

  // The out-of-band change, through the SDK as a console or CLI user would make it.
  await rest.send(
    new UpdateStageCommand({
      restApiId,
      stageName: 'prod',
      patchOperations: [
        { op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' },
        { op: 'replace', path: '/variables/dbPassword', value: DRIFTED_SECRET },
        { op: 'replace', path: '/tracingEnabled', value: 'false' },
        { op: 'replace', path: '/description', value: 'temporary: debugging' },
      ],
    }),
  );
  const drift = await bin('scan');
  expect(drift.code).toBe(1);
  expect(drift.stdout).toMatch(/1 changed/);
  expectNoValues(drift);
});

afterAll(async () => {
  rest?.destroy();
  await moto?.stop();
  if (store) rmSync(store, { recursive: true, force: true });
});

describe('stage-drift revert against moto (REST)', () => {
  it('--dry-run prints the plan (the 4 changes, labelled; fingerprints, never values) and exits 0', async () => {
    const run = await revert('--dry-run');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectNoValues(run);
    expect(run.stdout).toContain(
      `Revert REST API ${restApiId} (orders-api) stage prod in ${MOTO_ACCOUNT} ${region}`,
    );
    expect(run.stdout).toContain('Changes (4):');
    for (const label of LABELS) expect(run.stdout).toContain(`${label}: `);
    expect(run.stdout).toMatch(
      /Stage variable dbPassword: \[hidden hmac-sha256:[0-9a-f]{16}\] -> \[hidden hmac-sha256:[0-9a-f]{16}\]/,
    );
    expect(run.stdout).toContain('Description: temporary: debugging -> orders production');
    expect(run.stdout).toContain('Execution logging level (*/*): OFF -> INFO');
    expect(run.stdout).toContain('X-Ray tracing: false -> true');
    expect(run.stdout).toContain('Calls (1):');
    const command = run.stdout.split('\n').find((l) => l.trim().startsWith('aws '));
    expect(command?.trim()).toMatch(
      new RegExp(
        `^aws apigateway update-stage --region ${region} --rest-api-id ${restApiId} --stage-name prod --patch-operations '`,
      ),
    );
    expect(command).toContain('"path":"/*/*/logging/loglevel","value":"INFO"');
    expect(command).toContain('"path":"/tracingEnabled","value":"true"');
    expect(command).toContain('"path":"/description","value":"orders production"');
    expect(command).toMatch(/"path":"\/variables\/dbPassword","value":"\[hidden hmac-sha256:[0-9a-f]{16}\]"/);
    expect(run.stdout).toContain('--show-secrets prints them');
    await expectDrifted();
  });

  it('--dry-run --format json is the same plan, values fingerprinted', async () => {
    const run = await revert('--dry-run', '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectNoValues(run);
    const plan = JSON.parse(run.stdout) as {
      stageDeleted: boolean;
      changes: { label: string }[];
      calls: { operation: string; command: string }[];
      manual: unknown[];
    };
    expect(plan.stageDeleted).toBe(false);
    expect(plan.changes.map((c) => c.label).sort()).toEqual([...LABELS].sort());
    expect(plan.calls.map((c) => c.operation)).toEqual(['UpdateStage']);
    expect(plan.calls[0]!.command).toContain('/*/*/logging/loglevel');
    expect(plan.manual).toEqual([]);
  });

  it('refuses without --yes off a terminal (exit 2, one line) and changes nothing', async () => {
    const run = await revert();
    expect(run.code).toBe(2);
    expectNoValues(run);
    expect(run.stdout).toContain('Changes (4):');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'stage-drift: refusing to change the stage without consent: pass --yes (or run on a terminal to confirm), or --dry-run for the plan only',
    ]);
    await expectDrifted();
    expect((await listEvents()).map((e) => e.change)).toEqual(['MODIFIED']);
  });

  it('applies with --yes, verifies it converged and records who reverted (the STS caller)', async () => {
    const run = await revert('--yes');
    expect(run.code).toBe(0);
    expectNoValues(run);
    expect(run.stderr).toBe('  1/1 UpdateStage: done\n');
    expect(run.stdout).toMatch(
      new RegExp(`^converged: ${restApiId} prod is at the version of \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`, 'm'),
    );
    expect(run.stdout).toMatch(
      new RegExp(
        `^recorded: event [0-9a-f]{32} \\(REVERTED by ${MOTO_CALLER.replace(/[/:]/g, '\\$&')}\\); 1 drift event marked reverted$`,
        'm',
      ),
    );
    const stage = await liveStage();
    expect(stage).toEqual(original);
    expect(stage.methodSettings?.['*/*']?.loggingLevel).toBe('INFO');
    expect(stage.tracingEnabled).toBe(true);
    expect(stage.description).toBe('orders production');
    expect(stage.variables).toEqual({ dbPassword: SECRET, backendUrl: BACKEND_URL });
  });

  it('events shows the REVERTED event and the drift event reverted; ack adds the note', async () => {
    const [reverted, drift, ...others] = await listEvents();
    expect(others).toEqual([]);
    expect(reverted).toMatchObject({ change: 'REVERTED', api: { id: restApiId }, stageName: 'prod' });
    expect(reverted!.revert).toMatchObject({ by: MOTO_CALLER, revertedEventIds: [drift!.id] });
    expect(reverted!.revert!.toVersion < reverted!.revert!.fromVersion).toBe(true);
    expect(reverted!.changes.map((c) => c.label).sort()).toEqual([...LABELS].sort());
    expect(drift).toMatchObject({
      change: 'MODIFIED',
      status: 'reverted',
      reverted: { by: MOTO_CALLER, revertEventId: reverted!.id },
    });
    expect(drift!.acks).toBeUndefined();

    const ack = await bin('ack', drift!.id, '--note', 'reverted after incident 42', '--by', 'alice');
    expect(ack.stderr).toBe('');
    expect(ack.code).toBe(0);
    expect(ack.stdout).toBe(`acknowledged ${drift!.id} (${restApiId} prod, MODIFIED HIGH) by alice\n`);
    const acked = (await listEvents()).find((e) => e.id === drift!.id)!;
    expect(acked.acks).toEqual([
      { by: 'alice', at: expect.any(String) as string, note: 'reverted after incident 42' },
    ]);
    // A reverted event stays reverted once acknowledged.
    expect(acked.status).toBe('reverted');
  });

  it('history shows the revert; the next scan finds no drift; a second revert has nothing to do', async () => {
    const history = await bin('history', restApiId, 'prod');
    expect(history.stderr).toBe('');
    expect(history.code).toBe(0);
    expectNoValues(history);
    expect(history.stdout).toContain('3 versions');
    expect(history.stdout).toMatch(/REVERTED {2}hash [0-9a-f]{12}/);
    expect(history.stdout).toContain(`revert by ${MOTO_CALLER}: from `);
    expect(history.stdout).toContain('reverted after incident 42');

    const scan = await bin('scan');
    expect(scan.stderr).toBe('');
    expect(scan.code).toBe(0);
    expect(scan.stdout).toMatch(/0 changed/);
    expect(scan.stdout).toContain('No drift.');

    const again = await revert('--yes');
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('The stage is already at that version: nothing to do.');
  });

  it('--to before the first version, or an unknown API, exits 2 with one line', async () => {
    expectOneLineExit2(
      await revert('--to', '2000-01-01T00:00:00Z'),
      new RegExp(
        `^stage-drift: API ${restApiId} stage prod has no version at 2000-01-01T00:00:00.000Z: its first was captured at .+; see \`stage-drift history ${restApiId} prod\`$`,
      ),
    );
    expectOneLineExit2(
      await bin('revert', 'nosuch', 'prod'),
      /^stage-drift: no API nosuch in store .+: check the id with `stage-drift stages`$/,
    );
    expect(await liveStage()).toEqual(original);
  });
});
