import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../../cli/embedded-store';
import { controlInfo, postureSummaryLine, renderPosture } from '../../cli/format/posture-report';
import { DEFAULT_CONTROLS } from '../../shared/posture';
import type { CliRun, CliRunOptions } from './cli-harness';
import { runCli } from './cli-harness';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  NOW,
  PROBE_API,
  PROBE_NAME,
  REGION_A,
  REGION_B,
  SCRIPT_NAME,
  SHOP_API,
  seedPostureStore,
} from './posture-store';

// `stage-drift posture` (issue 16 item 4) against a store filled by four scans of the simulator
// (test/cli/posture-store.ts): six stages, of which shop-api prod fails APIGateway.1 and .3 and
// the HTTP stage of the API named like an XSS probe fails APIGateway.9.

jest.setTimeout(60_000);

const scratch = mkdtempSync(join(tmpdir(), 'stage-drift-posture-'));
const storeDir = join(scratch, 'store');
const emptyStoreDir = join(scratch, 'empty');

beforeAll(async () => {
  await seedPostureStore(storeDir);
  await (await openEmbeddedStore(emptyStoreDir)).close();
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const posture = (argv: readonly string[], options: CliRunOptions = {}): Promise<CliRun> =>
  runCli(['posture', ...argv, '--store', storeDir], { now: NOW, ...options });

const ALL_LINE = '6 stages, 2 failing: APIGateway.1 ×1, APIGateway.3 ×1, APIGateway.9 ×1';
const ANSI = /\x1b\[[0-9;]*m/;

interface PostureJson {
  controls: { id: string; title: string; severity: string; source: string }[];
  stages: {
    account: string;
    region: string;
    apiId: string;
    apiName: string;
    stageName: string;
    controls: { id: string; status: string; reason: string; fields: string[][] }[];
  }[];
  summary: {
    stages: number;
    failing: number;
    failingControls: { id: string; stages: number }[];
    line: string;
  };
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('text', () => {
  it('prints one row per stage and one column per control, exits 1 and sums up in one line', async () => {
    const run = await posture([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^ACCOUNT\s+REGION\s+API\s+STAGE\s+AG\.1\s+AG\.2\s+AG\.3\s+AG\.4\s+AG\.5\s+AG\.9\s+SD\.RAL$/,
    );
    const rows = lines.slice(1, lines.indexOf(''));
    expect(rows).toHaveLength(6);
    const shop = rows.find((r) => r.includes(`shop-api (${SHOP_API})`))!;
    expect(shop.match(/✗ FAIL/g)).toHaveLength(2);
    expect(shop).toMatch(
      /^111122223333\s+eu-west-1\s+shop-api \(r1shop0001\)\s+prod\s+✗ FAIL\s+✓\s+✗ FAIL\s+✓\s+–/,
    );
    expect(rows.join('\n').match(/✗ FAIL/g)).toHaveLength(3);
    // A legend says what the short headers are.
    expect(run.stdout).toContain('AG.1    APIGateway.1: Execution logging is ERROR or INFO');
    expect(run.stdout).toContain('SD.RAL  StageDrift.RestAccessLogging:');
    expect(lastLine(run.stdout)).toBe(ALL_LINE);
    expect(run.stdout).not.toMatch(ANSI);
  });

  it('colours the cells on a terminal, never with NO_COLOR or when piped', async () => {
    const tty = await posture([], { isTty: true });
    expect(tty.stdout).toContain('\x1b[31;1m✗ FAIL\x1b[0m');
    expect(tty.stdout).toContain('\x1b[32m✓\x1b[0m');
    expect((await posture([], { isTty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await posture([])).stdout).not.toMatch(ANSI);
  });

  it('escapes control and bidi characters of stage data (renderer)', () => {
    const row = {
      account: ACCOUNT_A,
      region: REGION_A,
      apiType: 'HTTP',
      apiId: 'x1',
      apiName: 'evil\x1b[2J\u202ename',
      stageName: 'prod\nfake line',
      capturedAt: NOW.toISOString(),
      controls: [{ id: 'APIGateway.9', status: 'FAILED' as const, reason: 'no access log', fields: [] }],
    };
    const controls = controlInfo(DEFAULT_CONTROLS.filter((c) => c.id === 'APIGateway.9'));
    for (const format of ['text', 'markdown'] as const) {
      const out = renderPosture([row], controls, format, { colour: false, columns: Infinity });
      // Markdown doubles the backslash of the escape, so the rendered cell reads like the text.
      const bs = format === 'markdown' ? '\\\\' : '\\';
      expect(out).toContain(`evil${bs}x1b[2J${bs}u202ename`);
      expect(out).toContain(`prod${bs}nfake line`);
      expect(out).not.toMatch(/[\x1b\u202e]/);
    }
    expect(postureSummaryLine([row], controls)).toBe('1 stage, 1 failing: APIGateway.9 ×1');
    expect(postureSummaryLine([], controls)).toBe('0 stages, none failing');
  });
});

describe('json', () => {
  it('lists every stage with every control: id, status, reason, fields', async () => {
    const run = await posture(['--format', 'json']);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as PostureJson;
    expect(doc.controls.map((c) => c.id)).toEqual(DEFAULT_CONTROLS.map((c) => c.id));
    expect(doc.stages).toHaveLength(6);
    for (const stage of doc.stages) {
      expect(stage.controls.map((c) => c.id)).toEqual(DEFAULT_CONTROLS.map((c) => c.id));
      for (const c of stage.controls) {
        expect(['PASSED', 'FAILED', 'NOT_APPLICABLE']).toContain(c.status);
        expect(typeof c.reason).toBe('string');
        expect(Array.isArray(c.fields)).toBe(true);
      }
    }
    const shop = doc.stages.find((s) => s.apiId === SHOP_API)!;
    expect(shop.controls.filter((c) => c.status === 'FAILED').map((c) => c.id)).toEqual([
      'APIGateway.1',
      'APIGateway.3',
    ]);
    expect(shop.controls.find((c) => c.id === 'APIGateway.3')!.fields).toEqual([['tracingEnabled']]);
    const probe = doc.stages.find((s) => s.apiId === PROBE_API)!;
    expect(probe.apiName).toBe(PROBE_NAME);
    expect(probe.controls.find((c) => c.id === 'APIGateway.9')!.status).toBe('FAILED');
    expect(doc.summary).toEqual({
      stages: 6,
      failing: 2,
      failingControls: [
        { id: 'APIGateway.1', stages: 1 },
        { id: 'APIGateway.3', stages: 1 },
        { id: 'APIGateway.9', stages: 1 },
      ],
      line: ALL_LINE,
    });
  });
});

describe('markdown', () => {
  it('is a GitHub table with the control ids as headers, stage data escaped, and the summary after it', async () => {
    const run = await posture(['--format', 'markdown']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      `| Account | Region | API | Stage | ${DEFAULT_CONTROLS.map((c) => c.id).join(' | ')} |`,
    );
    expect(lines[1]).toBe(
      `|${DEFAULT_CONTROLS.concat(DEFAULT_CONTROLS.slice(0, 4))
        .map(() => '---')
        .join('|')}|`,
    );
    expect(lines.filter((l) => l.startsWith('| 1') || l.startsWith('| 4'))).toHaveLength(6);
    expect(run.stdout).toContain('\\<img src=x onerror=alert(1)> (h3probe003)');
    expect(run.stdout).toContain('\\<script>alert("chat")\\</script>');
    expect(run.stdout).not.toContain(SCRIPT_NAME);
    expect(run.stdout.match(/✗ FAIL/g)).toHaveLength(3);
    expect(lastLine(run.stdout)).toBe(ALL_LINE);
  });
});

describe('filters and the exit code', () => {
  it.each<[string, string[], number, string, number]>([
    ['--region', ['--region', REGION_B], 2, '2 stages, none failing', 0],
    ['--account', ['--account', ACCOUNT_B], 2, '2 stages, none failing', 0],
    [
      '--account and --region',
      ['--account', ACCOUNT_A, '--region', REGION_A],
      4,
      '4 stages, 2 failing: APIGateway.1 ×1, APIGateway.3 ×1, APIGateway.9 ×1',
      1,
    ],
    ['--api', ['--api', SHOP_API], 1, '1 stage, 1 failing: APIGateway.1 ×1, APIGateway.3 ×1', 1],
    [
      '--failing',
      ['--failing'],
      2,
      '2 stages, 2 failing: APIGateway.1 ×1, APIGateway.3 ×1, APIGateway.9 ×1',
      1,
    ],
    ['--failing with nothing failing', ['--failing', '--region', REGION_B], 0, '0 stages, none failing', 0],
  ])('%s', async (_name, argv, stages, line, code) => {
    const run = await posture([...argv, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    const doc = JSON.parse(run.stdout) as PostureJson;
    expect(doc.stages).toHaveLength(stages);
    expect(doc.summary.line).toBe(line);
    const text = await posture(argv);
    expect(text.code).toBe(code);
    expect(lastLine(text.stdout)).toBe(line);
    if (stages === 0) expect(text.stdout).toMatch(/^No stages match\.\n/);
  });

  it('says what to do when the store is empty or the scope was never scanned (exit 2)', async () => {
    const empty = await runCli(['posture', '--store', emptyStoreDir], { now: NOW });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/is empty: run `stage-drift scan` first/);
    const unscanned = await posture(['--region', 'ap-south-1']);
    expect(unscanned.code).toBe(2);
    expect(unscanned.stderr).toMatch(/no scans of any account in ap-south-1/);
  });
});

describe('--posture-rules', () => {
  it('adds the file’s rules as columns after the Security Hub controls', async () => {
    const file = join(scratch, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          id: 'prod-access-logs',
          title: 'prod stages write access logs',
          stages: { stageName: 'prod' },
          expect: [{ paths: ['accessLogSettings.destinationArn'], present: true }],
        },
      ]),
    );
    const run = await posture(['--posture-rules', file, '--format', 'json']);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout) as PostureJson;
    expect(doc.controls.map((c) => c.id)).toEqual([...DEFAULT_CONTROLS.map((c) => c.id), 'prod-access-logs']);
    const statusOf = (apiId: string, stage: string) =>
      doc.stages.find((s) => s.apiId === apiId && s.stageName === stage)!.controls.at(-1)!.status;
    expect(statusOf(PROBE_API, 'prod')).toBe('FAILED');
    expect(statusOf(SHOP_API, 'prod')).toBe('PASSED');
    expect(doc.summary.line).toBe(
      '6 stages, 2 failing: APIGateway.1 ×1, APIGateway.3 ×1, APIGateway.9 ×1, prod-access-logs ×1',
    );
    const text = await posture(['--posture-rules', file]);
    expect(text.stdout.split('\n')[0]).toMatch(/SD\.RAL\s+prod-access…$/);
  });

  it('refuses a bad rules file with exit 2', async () => {
    const file = join(scratch, 'bad-rules.json');
    writeFileSync(file, '[{"id": "APIGateway.99", "title": "x", "expect": []}]');
    const run = await posture(['--posture-rules', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(file);
  });
});
