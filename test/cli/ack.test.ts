import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../cli/embedded-store';
import type { CollectDeps } from '../../shared/collect';
import { COLLECTOR_CLIENT_CONFIG, systemClock } from '../../shared/collect';
import { runScan } from '../../shared/scan';
import type { PostureSummaryRecord } from '../../shared/store';
import { DynamoSnapshotStore, isPostureSummary, loadOrCreateFingerprintKey } from '../../shared/store';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import type { ControlPlaneSimulator } from '../support/simulator';
import { startSimulator } from '../support/simulator';
import { runBin, TEST_REGION } from './bin-process';
import type { CliRun } from './cli-harness';
import { runCli } from './cli-harness';
import {
  ACCOUNT_EU,
  breakThings,
  changeVariable,
  euFleet,
  ORDERS_API,
  PETS_API,
  REGION_EU,
  usFleet,
} from './query-fleet';

// `stage-drift ack` against an embedded store filled by scans of the control-plane simulator:
// a baseline, a variable change on pets-http prod, then orders-api prod and payments-api staging
// broken. Times are relative to the wall clock so the STS case, run as the real bin (which has
// no fixed clock), finds the events within the retention period too.

const MINUTE = 60_000;
const NOW = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const BASELINE_AT = new Date(NOW.getTime() - 3 * 86_400_000);
const VARIABLE_AT = new Date(NOW.getTime() - 2 * 86_400_000);
const BREAK_AT = new Date(NOW.getTime() - 60 * MINUTE);

const scratch = mkdtempSync(join(tmpdir(), 'stage-drift-ack-'));
const storeDir = join(scratch, 'store');
let sim: ControlPlaneSimulator;
let moto: MotoServer;
let posture: PostureSummaryRecord;
const apiClients: { destroy(): void }[] = [];

interface JsonEvent {
  id: string;
  api: { id: string };
  stageName: string;
  status: string;
  acks?: { by: string; at: string; note?: string }[];
}

beforeAll(async () => {
  [sim, moto] = await Promise.all([startSimulator({ fleet: euFleet() }), startMoto()]);
  const config = {
    endpoint: sim.endpoint,
    region: REGION_EU,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...COLLECTOR_CLIENT_CONFIG,
  };
  const clients: CollectDeps = {
    restClient: new APIGatewayClient(config),
    v2Client: new ApiGatewayV2Client(config),
  };
  apiClients.push(clients.restClient, clients.v2Client);
  const embedded = await openEmbeddedStore(storeDir);
  try {
    const fingerprintKey = await loadOrCreateFingerprintKey(embedded.client, embedded.tableName, () => 'k');
    const storeAt = (at: Date) =>
      new DynamoSnapshotStore(embedded.client, {
        tableName: embedded.tableName,
        clock: { now: () => at.getTime() },
      });
    const scanAt = (at: Date) =>
      runScan(
        {
          clientsFor: () => clients,
          store: storeAt(at),
          clock: systemClock,
          collect: { ratePerSecond: 1000, burst: 1000 },
          diff: { fingerprintKey },
        },
        { scopes: [{ account: ACCOUNT_EU, region: REGION_EU }], now: at },
      );
    await scanAt(BASELINE_AT);
    changeVariable(sim.fleet);
    await scanAt(VARIABLE_AT);
    breakThings(sim.fleet, usFleet());
    await scanAt(BREAK_AT);
    const page = await storeAt(NOW).listEventsOldestFirst({
      since: BASELINE_AT.toISOString(),
      until: NOW.toISOString(),
      limit: 100,
    });
    posture = page.events.find(isPostureSummary)!;
  } finally {
    await embedded.close();
  }
});

afterAll(async () => {
  for (const client of apiClients) client.destroy();
  await sim?.close();
  await moto?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const cli = (argv: readonly string[]): Promise<CliRun> =>
  runCli([...argv, '--store', storeDir], { now: NOW });

const listEvents = async (...argv: string[]): Promise<JsonEvent[]> => {
  const run = await cli(['events', '--format', 'json', ...argv]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { events: JsonEvent[] }).events;
};

const petsEvent = async (): Promise<JsonEvent> =>
  (await listEvents()).find((e) => e.api.id === PETS_API && e.stageName === 'prod')!;

const expectOneLineExit2 = (run: CliRun, pattern: RegExp) => {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
};

describe('stage-drift ack', () => {
  it('starts with every event open', async () => {
    const events = await listEvents();
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(new Set(events.map((e) => e.status))).toEqual(new Set(['open']));
    expect(posture).toBeDefined();
  });

  it('acknowledges an event by a prefix of its id, with --by and --note', async () => {
    const pets = await petsEvent();
    const run = await cli([
      'ack',
      pets.id.slice(0, 10),
      '--by',
      'alice',
      '--note',
      'expected: pets v2 backend',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`acknowledged ${pets.id} (${PETS_API} prod, MODIFIED MEDIUM) by alice\n`);

    const acked = await petsEvent();
    expect(acked.status).toBe('acknowledged');
    expect(acked.acks).toEqual([{ by: 'alice', at: NOW.toISOString(), note: 'expected: pets v2 backend' }]);
  });

  it('filters events by --status, repeatable or comma-separated', async () => {
    const pets = await petsEvent();
    const ids = async (...argv: string[]) => (await listEvents(...argv)).map((e) => e.id);
    expect(await ids('--status', 'open')).not.toContain(pets.id);
    expect((await ids('--status', 'open')).length).toBeGreaterThanOrEqual(2);
    expect(await ids('--status', 'acknowledged')).toEqual([pets.id]);
    expect(await ids('--status', 'open', '--status', 'acknowledged')).toEqual(await ids());
    expect(await ids('--status', 'reverted,acknowledged')).toEqual([pets.id]);
    expect(await ids('--status', 'reverted')).toEqual([]);

    const table = await cli(['events', '--status', 'acknowledged']);
    expect(table.stdout).toMatch(/^ID\s+DETECTED\s+SEVERITY\s+CHANGE\s+STATUS\s/);
    expect(table.stdout).toContain(`${pets.id.slice(0, 8)}  `);
    expect(table.stdout).toMatch(/MODIFIED\s+acknowledged\s+eu-west-1/);
  });

  it('refuses a --status it does not know, naming the valid ones', async () => {
    expectOneLineExit2(
      await cli(['events', '--status', 'open,closed']),
      /--status "closed": expected open, acknowledged, reverted/,
    );
  });

  it('shows the note under the event in history, and appends a second ack', async () => {
    const pets = await petsEvent();
    expect((await cli(['ack', pets.id, '--by', 'bob'])).code).toBe(0);
    const run = await cli(['history', PETS_API, 'prod']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `    acknowledged by alice at ${NOW.toISOString()}: expected: pets v2 backend\n` +
        `    acknowledged by bob at ${NOW.toISOString()}\n`,
    );
    const json = JSON.parse((await cli(['history', PETS_API, 'prod', '--format', 'json'])).stdout) as {
      versions: { eventId: string | null; status: string | null; acks?: unknown[] }[];
    };
    const version = json.versions.find((v) => v.eventId === pets.id)!;
    expect(version.status).toBe('acknowledged');
    expect(version.acks).toHaveLength(2);
    expect(json.versions.at(-1)).toMatchObject({ eventId: null, status: null });
  });

  it('prints a note with control characters escaped, on one line', async () => {
    const payments = (await listEvents()).find((e) => e.stageName === 'staging')!;
    const note = 'line one\nline two \x1b[31mred\x1b[0m';
    expect((await cli(['ack', payments.id, '--by', 'eve\u202e', '--note', note])).code).toBe(0);
    const run = await cli(['history', payments.api.id, 'staging']);
    expect(run.stdout).toContain(
      `    acknowledged by eve\\u202e at ${NOW.toISOString()}: line one\\nline two \\x1b[31mred\\x1b[0m\n`,
    );
    expect(run.stdout).not.toContain('\x1b');
  });

  it.each([
    [
      'an unknown id',
      ['ack', '00000000', '--by', 'a'],
      /^stage-drift: no drift event 00000000 in store .* within the retention period/,
    ],
    [
      'what is not an id',
      ['ack', 'orders', '--by', 'a'],
      /"orders" is not an event id: give its 32 hex digits, or at least the first 8/,
    ],
    ['a prefix too short', ['ack', 'abc123', '--by', 'a'], /at least the first 8/],
  ])('refuses %s with one line and exit 2', async (_what, argv, pattern) => {
    expectOneLineExit2(await cli(argv), pattern);
  });

  it('refuses to acknowledge a posture summary', async () => {
    expectOneLineExit2(
      await cli(['ack', posture.id, '--by', 'alice']),
      new RegExp(
        `${posture.id} is the posture summary of the baseline of ${ACCOUNT_EU}/${REGION_EU}, not a drift event`,
      ),
    );
  });

  it('refuses an empty --by on a real event', async () => {
    const orders = (await listEvents()).find((e) => e.api.id === ORDERS_API)!;
    expectOneLineExit2(await cli(['ack', orders.id, '--by', '  ']), /by must name who did it/);
    expect((await listEvents()).find((e) => e.id === orders.id)!.status).toBe('open');
  });
});

describe('stage-drift ack, who from STS (the real bin)', () => {
  it('records the caller ARN that sts:GetCallerIdentity returns', async () => {
    const sts = new STSClient({
      endpoint: moto.endpoint,
      region: TEST_REGION,
      credentials: AWS_TEST_CREDENTIALS,
    });
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect(Arn).toMatch(/^arn:aws:/);
    const orders = (await listEvents()).find((e) => e.api.id === ORDERS_API)!;

    const run = await runBin(['ack', orders.id.slice(0, 8), '--store', storeDir], {
      AWS_ENDPOINT_URL: moto.endpoint,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^acknowledged ${orders.id} \\(${ORDERS_API} prod, MODIFIED HIGH\\) by ${Arn}\\n$`),
    );
    const acked = (await listEvents()).find((e) => e.id === orders.id)!;
    expect(acked.acks).toEqual([{ by: Arn, at: expect.stringMatching(/^\d{4}-/) as unknown }]);
  });

  it('says who it could not tell, and how to say it, when STS cannot be reached', async () => {
    const orders = (await listEvents()).find((e) => e.api.id === ORDERS_API)!;
    const run = await runBin(['ack', orders.id, '--store', storeDir], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^stage-drift: could not tell who you are \(.+\); pass --by NAME\n$/);
  });
});
