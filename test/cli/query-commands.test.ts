import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../cli/embedded-store';
import type { CollectDeps } from '../../shared/collect';
import { COLLECTOR_CLIENT_CONFIG, systemClock } from '../../shared/collect';
import type { ScanScope, ScanSummary } from '../../shared/scan';
import { runScan } from '../../shared/scan';
import { DynamoSnapshotStore, loadOrCreateFingerprintKey } from '../../shared/store';
import type { DynaliteServer } from '../support/dynalite';
import { startDynalite } from '../support/dynalite';
import type { ControlPlaneSimulator } from '../support/simulator';
import { startSimulator } from '../support/simulator';
import type { CliRun, CliRunOptions } from './cli-harness';
import { runCli } from './cli-harness';
import { expectGolden } from './golden-files';
import {
  ACCOUNT_EU,
  ACCOUNT_US,
  breakThings,
  changeVariable,
  CHAT_API,
  euFleet,
  ORDERS_API,
  PAYMENTS_API,
  PETS_API,
  REGION_EU,
  REGION_US,
  SEARCH_API,
  SECRET_VALUE,
  usFleet,
} from './query-fleet';

// The query commands against a store filled by real scans of the control-plane simulator:
// a baseline, a variable change a week later, then logging off, a WAF detached, a stage
// deleted and one created. Every time is fixed (scans, fingerprint key, the CLI's clock), so the
// outputs are byte-for-byte repeatable and kept as golden files in test/cli/golden/query/.

const BASELINE_AT = new Date('2026-10-20T08:00:00.000Z');
const VARIABLE_AT = new Date('2026-10-28T10:00:00.000Z');
const BREAK_AT = new Date('2026-11-02T09:30:00.000Z');
/** The CLI's "now": 2.5 hours after the last scan. */
const NOW = new Date('2026-11-02T12:00:00.000Z');

const scratch = mkdtempSync(join(tmpdir(), 'stage-drift-query-'));
const storeDir = join(scratch, 'store');
const emptyStoreDir = join(scratch, 'empty-store');
let sims: Record<string, ControlPlaneSimulator>;
const apiClients: { destroy(): void }[] = [];
const scans: ScanSummary[] = [];

const clientsFor = (sim: ControlPlaneSimulator, region: string): CollectDeps => {
  const config = {
    endpoint: sim.endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...COLLECTOR_CLIENT_CONFIG,
  };
  const pair = { restClient: new APIGatewayClient(config), v2Client: new ApiGatewayV2Client(config) };
  apiClients.push(pair.restClient, pair.v2Client);
  return pair;
};

beforeAll(async () => {
  sims = {
    [REGION_EU]: await startSimulator({ fleet: euFleet() }),
    [REGION_US]: await startSimulator({ fleet: usFleet() }),
  };
  const clients: Record<string, CollectDeps> = {
    [REGION_EU]: clientsFor(sims[REGION_EU]!, REGION_EU),
    [REGION_US]: clientsFor(sims[REGION_US]!, REGION_US),
  };
  const scopes: ScanScope[] = [
    { account: ACCOUNT_EU, region: REGION_EU },
    { account: ACCOUNT_US, region: REGION_US },
  ];
  const embedded = await openEmbeddedStore(storeDir);
  try {
    const fingerprintKey = await loadOrCreateFingerprintKey(
      embedded.client,
      embedded.tableName,
      () => 'fixed-test-key',
    );
    const scanAt = async (at: Date) => {
      const store = new DynamoSnapshotStore(embedded.client, {
        tableName: embedded.tableName,
        clock: { now: () => at.getTime() }, // expiry times follow the scan, not the wall clock
      });
      scans.push(
        await runScan(
          {
            clientsFor: (scope) => clients[scope.region]!,
            store,
            clock: systemClock,
            collect: { ratePerSecond: 1000, burst: 1000 },
            diff: { fingerprintKey },
          },
          { scopes, now: at },
        ),
      );
    };
    await scanAt(BASELINE_AT);
    changeVariable(sims[REGION_EU]!.fleet);
    await scanAt(VARIABLE_AT);
    breakThings(sims[REGION_EU]!.fleet, sims[REGION_US]!.fleet);
    await scanAt(BREAK_AT);
  } finally {
    await embedded.close();
  }
  await (await openEmbeddedStore(emptyStoreDir)).close();
});

afterAll(async () => {
  for (const client of apiClients) client.destroy();
  await Promise.all(Object.values(sims ?? {}).map((sim) => sim.close()));
  rmSync(scratch, { recursive: true, force: true });
});

/** One command against the scanned store, at the fixed "now", piped (no colour, no width). */
const query = (argv: readonly string[], options: CliRunOptions = {}): Promise<CliRun> =>
  runCli([...argv, '--store', storeDir], { now: NOW, ...options });

const expectSuccess = (run: CliRun): string => {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
};

const ANSI = /\x1b\[[0-9;]*m/;

it('fills the store from three scans of the simulator', () => {
  expect(scans.map((s) => s.baseline)).toEqual([true, false, false]);
  expect(scans.map((s) => s.scopes.flatMap((scope) => scope.failures))).toEqual([[], [], []]);
  expect(scans[1]!.events.map((e) => `${e.api.id}/${e.stageName} ${e.change}`)).toEqual([
    `${PETS_API}/prod MODIFIED`,
  ]);
  expect(scans[2]!.events.map((e) => `${e.api.id}/${e.stageName} ${e.change} ${e.severity}`)).toEqual(
    expect.arrayContaining([
      `${ORDERS_API}/prod MODIFIED HIGH`,
      `${PAYMENTS_API}/staging DELETED HIGH`,
      `${SEARCH_API}/canary CREATED ${scans[2]!.events.find((e) => e.change === 'CREATED')?.severity}`,
    ]),
  );
});

describe('golden outputs', () => {
  it.each<[string, string[]]>([
    ['events.txt', ['events']],
    ['events.json', ['events', '--format', 'json']],
    ['events.md', ['events', '--format', 'markdown']],
    ['events-since-24h.txt', ['events', '--since', '24h']],
    ['events-since-7d.json', ['events', '--since', '7d', '--format', 'json']],
    ['events-october.txt', ['events', '--since', '2026-10-01T00:00:00Z', '--until', '2026-10-31T23:59:59Z']],
    ['events-until-relative.txt', ['events', '--until', '5d']],
    ['events-severity-high.txt', ['events', '--severity', 'HIGH']],
    ['events-api-stage.json', ['events', '--api', PETS_API, '--stage', 'prod', '--format', 'json']],
    ['events-region.txt', ['events', '--region', REGION_US]],
    ['events-account-limit.txt', ['events', '--account', ACCOUNT_EU, '--limit', '2']],
    ['history-orders-prod.txt', ['history', ORDERS_API, 'prod']],
    ['history-orders-prod.json', ['history', ORDERS_API, 'prod', '--format', 'json']],
    ['history-deleted-stage.txt', ['history', PAYMENTS_API, 'staging']],
    ['history-deleted-stage.json', ['history', PAYMENTS_API, 'staging', '--format', 'json']],
    ['history-created-stage.txt', ['history', SEARCH_API, 'canary', '--region', REGION_US]],
    ['history-unchanged-stage.txt', ['history', CHAT_API, 'production']],
    ['show-orders-prod.json', ['show', ORDERS_API, 'prod']],
    ['show-orders-prod-at-baseline.json', ['show', ORDERS_API, 'prod', '--at', BASELINE_AT.toISOString()]],
    ['show-orders-prod-secrets.json', ['show', ORDERS_API, 'prod', '--show-secrets']],
    ['show-deleted-stage.json', ['show', PAYMENTS_API, 'staging']],
    [
      'show-deleted-stage-at-baseline.json',
      ['show', PAYMENTS_API, 'staging', '--at', '2026-10-25T00:00:00Z'],
    ],
    ['show-pets-prod-a-week-ago.json', ['show', PETS_API, 'prod', '--at', '7d']],
    ['stages.txt', ['stages']],
    ['stages.json', ['stages', '--format', 'json']],
    ['stages.md', ['stages', '--format', 'markdown']],
    ['stages-region.txt', ['stages', '--region', REGION_EU]],
    ['stages-api.json', ['stages', '--api', ORDERS_API, '--format', 'json']],
  ])('%s: stage-drift %j', async (name, argv) => {
    expectGolden(`query/${name}`, expectSuccess(await query(argv)));
  });
});

describe('what the commands print', () => {
  it('lists events newest first, the most severe first within one scan', async () => {
    const { events } = JSON.parse(expectSuccess(await query(['events', '--format', 'json']))) as {
      events: { detectedAt: string; severity: string; stageName: string }[];
    };
    const rank = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
    for (const [i, e] of events.entries()) {
      const next = events[i + 1];
      if (!next) break;
      expect(e.detectedAt >= next.detectedAt).toBe(true);
      if (e.detectedAt === next.detectedAt) {
        expect(rank.indexOf(e.severity)).toBeGreaterThanOrEqual(rank.indexOf(next.severity));
      }
    }
    expect(events[0]!.severity).toBe('HIGH');
    expect(events[events.length - 1]!.detectedAt).toBe(VARIABLE_AT.toISOString());
  });

  it('applies every events filter', async () => {
    const ids = async (argv: string[]) =>
      (
        JSON.parse(expectSuccess(await query(['events', ...argv, '--format', 'json']))) as {
          events: { api: { id: string }; stageName: string; detectedAt: string; region: string }[];
        }
      ).events.map((e) => `${e.api.id}/${e.stageName}`);
    const all = await ids([]);
    expect(all).toHaveLength(4);
    expect(await ids(['--since', '24h'])).toEqual(all.slice(0, 3));
    expect(await ids(['--since', '2026-10-28T10:00:00Z', '--until', '2026-10-28T10:00:00Z'])).toEqual([
      `${PETS_API}/prod`,
    ]);
    expect(await ids(['--until', '2026-11-01T00:00:00Z'])).toEqual([`${PETS_API}/prod`]);
    expect(await ids(['--since', '1m'])).toEqual([]);
    expect(await ids(['--severity', 'CRITICAL'])).toEqual([]);
    expect(await ids(['--api', ORDERS_API])).toEqual([`${ORDERS_API}/prod`]);
    expect(await ids(['--stage', 'staging'])).toEqual([`${PAYMENTS_API}/staging`]);
    expect(await ids(['--region', REGION_US])).toEqual([`${SEARCH_API}/canary`]);
    expect(await ids(['--account', ACCOUNT_US])).toEqual([`${SEARCH_API}/canary`]);
    expect(await ids(['--limit', '1'])).toEqual(all.slice(0, 1));
    expect(await ids(['--api', PETS_API, '--limit', '1'])).toEqual([`${PETS_API}/prod`]);
  });

  it('says so when no event matches', async () => {
    expect(expectSuccess(await query(['events', '--since', '1m']))).toBe('No drift events match.\n');
    expect(expectSuccess(await query(['stages', '--api', 'nosuchapi']))).toBe('No stages match.\n');
  });

  it('shows the configuration of the time asked for', async () => {
    type Shown = { capturedAt: string; config: Record<string, unknown> };
    const now = JSON.parse(expectSuccess(await query(['show', ORDERS_API, 'prod']))) as Shown;
    const before = JSON.parse(
      expectSuccess(await query(['show', ORDERS_API, 'prod', '--at', BASELINE_AT.toISOString()])),
    ) as Shown;
    expect(before.capturedAt).toBe(BASELINE_AT.toISOString());
    expect(now.capturedAt).toBe(BREAK_AT.toISOString());
    expect(before.config.webAclArn).toEqual(expect.stringContaining('orders-acl'));
    expect(now.config.webAclArn).toBeUndefined();
    expect(JSON.stringify(before.config.methodSettings)).toContain('"INFO"');
    expect(JSON.stringify(now.config.methodSettings)).toContain('"OFF"');
  });

  it('prints stage variables as fingerprints unless --show-secrets', async () => {
    const shown = expectSuccess(await query(['show', ORDERS_API, 'prod']));
    expect(shown).not.toContain(SECRET_VALUE);
    expect(shown).toMatch(/"fingerprint": "hmac-sha256:[0-9a-f]+"/);
    expect(expectSuccess(await query(['show', ORDERS_API, 'prod', '--show-secrets']))).toContain(
      SECRET_VALUE,
    );
    for (const argv of [
      ['events', '--format', 'json'],
      ['history', ORDERS_API, 'prod', '--format', 'json'],
      ['stages', '--format', 'json'],
    ]) {
      expect(expectSuccess(await query(argv))).not.toContain(SECRET_VALUE);
    }
  });

  it('keeps the fingerprints of one value equal across the event and the snapshot', async () => {
    const { events } = JSON.parse(
      expectSuccess(await query(['events', '--api', PETS_API, '--format', 'json'])),
    ) as { events: { changes: { after: string }[] }[] };
    const shown = JSON.parse(expectSuccess(await query(['show', PETS_API, 'prod']))) as {
      config: { stageVariables: { backendUrl: { fingerprint: string } } };
    };
    expect(events[0]!.changes[0]!.after).toEqual({
      fingerprint: shown.config.stageVariables.backendUrl.fingerprint,
      redacted: true,
    });
  });
});

describe('terminal behaviour', () => {
  const tables: string[][] = [['events'], ['stages']];

  it.each(tables)('colours %s only on a terminal, and never with NO_COLOR', async (command) => {
    expect(expectSuccess(await query([command], { isTty: true, columns: 200 }))).toMatch(ANSI);
    expect(expectSuccess(await query([command]))).not.toMatch(ANSI);
    expect(
      expectSuccess(await query([command], { isTty: true, columns: 200, env: { NO_COLOR: '1' } })),
    ).not.toMatch(ANSI);
    expect(
      expectSuccess(await query([command, '--format', 'markdown'], { isTty: true, columns: 200 })),
    ).not.toMatch(ANSI);
  });

  it.each(tables)('fits %s to the terminal width, and never cuts piped output', async (command) => {
    for (const columns of [40, 60, 80, 100]) {
      const lines = expectSuccess(await query([command], { isTty: true, columns }))
        .trimEnd()
        .split('\n');
      for (const line of lines)
        expect(line.replace(new RegExp(ANSI, 'g'), '').length).toBeLessThanOrEqual(columns);
    }
    const piped = expectSuccess(await query([command]))
      .trimEnd()
      .split('\n');
    expect(Math.max(...piped.map((l) => l.length))).toBeGreaterThan(100);
    expect(piped.join('\n')).not.toContain('…');
  });

  it.each<[string[]]>([
    [['events', '--format', 'json']],
    [['history', ORDERS_API, 'prod', '--format', 'json']],
    [['show', ORDERS_API, 'prod']],
    [['stages', '--format', 'json']],
  ])('prints the same parseable JSON for the same store: %j', async (argv) => {
    const first = expectSuccess(await query(argv));
    const second = expectSuccess(await query(argv, { isTty: true, columns: 40 }));
    expect(second).toBe(first);
    expect(() => JSON.parse(first) as unknown).not.toThrow();
    expect(first.endsWith('}\n')).toBe(true);
  });

  it.each([[[]], [['events']], [['history']], [['show']], [['stages']], [['scan']], [['diff']]])(
    'documents examples and exit codes in --help of %j',
    async (argv) => {
      const run = await runCli([...argv, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
      expect(run.stdout).toContain('Exit codes:');
      expect(run.stdout).toMatch(/ 2 {2}bad input/);
    },
  );

  it.each([['events'], ['history'], ['show'], ['stages']])(
    'offers in --help of %s a default format that is one of its choices',
    async (command) => {
      const run = await runCli([command, '--help']);
      const option = /--format <format> +output format \(choices: ([^)]*?), default: "(\w+)"\)/.exec(
        run.stdout.replace(/\s+/g, ' '),
      );
      expect(option).not.toBeNull();
      const choices = (option?.[1] ?? '').split(', ').map((c) => c.replace(/"/g, ''));
      expect(choices).toContain(option?.[2]);
    },
  );
});

describe('bad arguments: exit 2 and one line on stderr', () => {
  const expectUsageError = (run: CliRun, message: RegExp) => {
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.startsWith('stage-drift: ')).toBe(true);
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
  };

  it.each<[string, string[], RegExp]>([
    [
      'an unknown stage',
      ['history', ORDERS_API, 'nope'],
      /API a1b2c3d4e5 has no stage "nope" .*: its stages are prod, staging/,
    ],
    ['an unknown stage (show)', ['show', ORDERS_API, 'nope'], /has no stage "nope"/],
    ['an unknown API', ['history', 'zzzzzzzzzz', 'prod'], /no API zzzzzzzzzz in store .*stage-drift stages/],
    ['an unknown API (show)', ['show', 'zzzzzzzzzz', 'prod'], /no API zzzzzzzzzz/],
    [
      'a stage that did not exist yet',
      ['show', SEARCH_API, 'canary', '--at', BASELINE_AT.toISOString()],
      /did not exist yet at 2026-10-20T08:00:00.000Z/,
    ],
    [
      'a bad --since',
      ['events', '--since', 'yesterday'],
      /--since "yesterday" is not a time: use e\.g\. 24h/,
    ],
    ['a lenient date', ['events', '--since', '5'], /--since "5" is not a time/],
    ['a bad --until', ['events', '--until', '2026-13-45'], /--until "2026-13-45" is not a time/],
    ['a bad --at', ['show', ORDERS_API, 'prod', '--at', 'nope'], /--at "nope" is not a time/],
    [
      '--since after --until',
      ['events', '--since', '1h', '--until', '2d'],
      /--since .* is after --until .*: swap them/,
    ],
    [
      'an unknown flag',
      ['events', '--frobnicate'],
      /unknown option '--frobnicate' \(run with --help for usage\)/,
    ],
    ['a misspelt flag', ['events', '--sinse', '1h'], /unknown option '--sinse' \(Did you mean --since\?\)/],
    ['an unknown command', ['evnets'], /unknown command 'evnets'/],
    ['a missing argument', ['history', ORDERS_API], /missing required argument 'stageName'/],
    [
      'a bad --severity',
      ['events', '--severity', 'SEVERE'],
      /'SEVERE' is invalid\. Allowed choices are CRITICAL, HIGH, MEDIUM, LOW, INFO/,
    ],
    ['a --limit of 0', ['events', '--limit', '0'], /--limit "0": expected a whole number >= 1/],
    ['a --limit that is not a number', ['events', '--limit', 'ten'], /--limit "ten"/],
    ['a fractional --limit', ['events', '--limit', '1.5'], /--limit "1.5"/],
    ['a bad --format', ['stages', '--format', 'yaml'], /Allowed choices are text, json, markdown/],
    [
      'a --format a command does not offer',
      ['history', ORDERS_API, 'prod', '--format', 'markdown'],
      /Allowed choices are text, json/,
    ],
    [
      'a region never scanned',
      ['events', '--region', 'ap-south-1'],
      /no scans of any account in ap-south-1: store .* has 111122223333\/eu-west-1, 444455556666\/us-east-1/,
    ],
    [
      'an account never scanned',
      ['stages', '--account', '999999999999'],
      /no scans of 999999999999 in any region/,
    ],
  ])('%s', async (_case, argv, message) => {
    expectUsageError(await query(argv), message);
  });

  it.each([['events'], ['stages'], ['history', ORDERS_API, 'prod'], ['show', ORDERS_API, 'prod']])(
    'says an empty store has to be scanned first: %s',
    async (...argv) => {
      expectUsageError(
        await runCli([...argv, '--store', emptyStoreDir], { now: NOW }),
        /store .*empty-store is empty: run `stage-drift scan` first/,
      );
    },
  );

  it('names a missing store directory and how to fill it', async () => {
    expectUsageError(
      await runCli(['events', '--store', join(scratch, 'missing')], { now: NOW }),
      /no store at .*missing: run `stage-drift scan` first, or pass --store DIR or --table NAME/,
    );
  });

  it('does not turn a directory that is not a store into one', async () => {
    const notAStore = join(scratch, 'documents');
    mkdirSync(notAStore);
    expectUsageError(await runCli(['stages', '--store', notAStore], { now: NOW }), /no store at .*documents/);
    expect(readdirSync(notAStore)).toEqual([]);
  });

  it('refuses --store with --table', async () => {
    expectUsageError(
      await runCli(['events', '--store', storeDir, '--table', 'StageDrift'], { now: NOW }),
      /--store and --table are exclusive/,
    );
  });

  describe('with a deployed table', () => {
    let dynalite: DynaliteServer;
    const saved: Record<string, string | undefined> = {};
    const env = {
      AWS_ENDPOINT_URL_DYNAMODB: '',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
    };

    beforeAll(async () => {
      dynalite = await startDynalite();
      env.AWS_ENDPOINT_URL_DYNAMODB = dynalite.endpoint;
      // The SDK reads its endpoint and credentials from the process environment.
      for (const [name, value] of Object.entries(env)) {
        saved[name] = process.env[name];
        process.env[name] = value;
      }
    });

    afterAll(async () => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await dynalite?.stop();
    });

    it('names a table that does not exist', async () => {
      expectUsageError(
        await runCli(['events', '--table', 'NoSuchTable', '--region', 'us-east-1'], { now: NOW }),
        /DynamoDB table "NoSuchTable" was not found while .*Check the table name and the region/,
      );
    });
  });
});
