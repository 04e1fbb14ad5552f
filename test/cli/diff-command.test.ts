import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-harness';
import { expectGolden } from './golden-files';

const root = join(__dirname, '..', '..');
const example = (type: string, which: 'before' | 'after') => join(root, 'examples', type, `${which}.json`);

const scratch = mkdtempSync(join(tmpdir(), 'stage-drift-cli-'));
const writeScratch = (name: string, content: string): string => {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
};

describe('stage-drift diff', () => {
  describe.each(['rest', 'http', 'websocket'])('on the %s example', (type) => {
    it.each(['text', 'json', 'markdown'])(
      'prints the %s report that matches its golden file and exits 1',
      async (format) => {
        const run = await runCli([
          'diff',
          example(type, 'before'),
          example(type, 'after'),
          '--format',
          format,
        ]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(1);
        expectGolden(
          `${type}.${format === 'markdown' ? 'md' : format === 'json' ? 'json' : 'txt'}`,
          run.stdout,
        );
      },
    );

    it('exits 0 with "No drift." when a document is diffed with itself', async () => {
      const run = await runCli(['diff', example(type, 'before'), example(type, 'before')]);
      expect(run).toEqual({ code: 0, stdout: 'No drift.\n', stderr: '' });
    });
  });

  it('prints the JSON shape scripts rely on', async () => {
    const run = await runCli([
      'diff',
      example('rest', 'before'),
      example('rest', 'after'),
      '--format',
      'json',
    ]);
    const report = JSON.parse(run.stdout) as { drifts: Record<string, unknown>[] };
    expect(Object.keys(report)).toEqual(['drifts']);
    expect(Object.keys(report.drifts[0]!)).toEqual(['stageName', 'apiType', 'change', 'severity', 'changes']);
    const change = (report.drifts[0]!.changes as Record<string, unknown>[])[0]!;
    expect(change).toEqual(
      expect.objectContaining({
        path: expect.any(Array),
        label: expect.any(String),
        kind: expect.any(String),
      }),
    );
  });

  it('never prints a stage variable value, only its fingerprint', async () => {
    const run = await runCli([
      'diff',
      example('rest', 'before'),
      example('rest', 'after'),
      '--format',
      'json',
    ]);
    expect(run.stdout).not.toContain('s3cr3t-hunter2');
    expect(run.stdout).not.toContain('correct-horse-battery');
    expect(run.stdout).toContain('hmac-sha256:');
  });

  it('shows the value of an allow-listed variable', async () => {
    const run = await runCli([
      'diff',
      example('http', 'before'),
      example('http', 'after'),
      '--reveal-variable',
      'petsTable',
    ]);
    expect(run.stdout).toContain('Stage variable petsTable: pets-prod -> pets-prod-v2');
  });

  it('drops changes under an ignored path', async () => {
    const run = await runCli([
      'diff',
      example('rest', 'before'),
      example('rest', 'after'),
      '--ignore-path',
      'deploymentId',
    ]);
    expect(run.stdout).not.toContain('beta of');
    expect(run.stdout).not.toContain('Deployment:');
    expect(run.code).toBe(1);
  });

  it('reads the HAL form of the REST API and a single get-stage object', async () => {
    const hal = writeScratch(
      'hal.json',
      JSON.stringify({
        _embedded: { item: [{ stageName: 'beta', deploymentId: 'vakw79', variables: { v: '1' } }] },
      }),
    );
    const single = writeScratch(
      'single.json',
      JSON.stringify({ stageName: 'beta', deploymentId: 'zz9', variables: { v: '1' } }),
    );
    // One stage against a list: only the stages both hold are compared, and only when asked.
    const run = await runCli(['diff', hal, single, '--allow-partial']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Deployment: vakw79 -> zz9');
  });

  it.each([
    ['a missing file', () => join(scratch, 'nope.json'), /nope\.json: no such file/],
    ['a file that is not JSON', () => writeScratch('bad.json', '{"item": ['), /bad\.json: not valid JSON/],
    [
      'a JSON file that is not a stages document',
      () => writeScratch('other.json', '{"foo": 1}'),
      /other\.json: not a stages document/,
    ],
    [
      'a stage without a name',
      () => writeScratch('noname.json', '{"item":[{"deploymentId":"x"}]}'),
      /noname\.json: stage #1 has no stageName/,
    ],
  ])('exits 2 with one clear line for %s', async (_case, makePath, message) => {
    const run = await runCli(['diff', makePath(), example('rest', 'after')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 when the two documents hold different API types', async () => {
    const run = await runCli(['diff', example('rest', 'before'), example('http', 'after')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/holds REST stages but .* holds HTTP stages/);
  });

  it('exits 2 on an unknown flag and on a bad --format', async () => {
    expect((await runCli(['diff', 'a', 'b', '--frobnicate'])).code).toBe(2);
    const bad = await runCli([
      'diff',
      example('rest', 'before'),
      example('rest', 'after'),
      '--format',
      'yaml',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/text, json, markdown/);
  });

  it('documents examples and exit codes in --help', async () => {
    const run = await runCli(['diff', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples:/);
    expect(run.stdout).toMatch(/2 {2}bad input/);
  });

  it('runs as `npx stage-drift` from the checkout', () => {
    const out = execFileSync(process.execPath, [join(root, 'cli/bin/stage-drift.js'), '--help'], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/Usage: stage-drift/);
    const run = spawnSync(
      process.execPath,
      [join(root, 'cli/bin/stage-drift.js'), 'diff', example('http', 'before'), example('http', 'after')],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('Access logging');
  });
});

// Issue 12, items 3-6: what an offline diff may and may not conclude from real recorded documents.
describe('stage-drift diff on documents that cannot tell the whole story', () => {
  const json = (name: string, document: unknown): string => writeScratch(name, JSON.stringify(document));

  /** `aws apigatewayv2 get-stages` output: HTTP API stages, PascalCase. */
  const httpStage = (stageName: string, deploymentId: string) => ({
    ApiGatewayManaged: false,
    AutoDeploy: false,
    CreatedDate: '2026-01-10T09:00:00+00:00',
    DefaultRouteSettings: { DetailedMetricsEnabled: false },
    DeploymentId: deploymentId,
    LastUpdatedDate: '2026-01-10T09:00:00+00:00',
    RouteSettings: {},
    StageName: stageName,
    StageVariables: {},
    Tags: {},
  });

  const PAGE_MESSAGE =
    'this document is one page of several (it carries a NextToken); fetch all pages (the AWS CLI does by default) or pass --allow-partial';

  it.each([
    ['NextToken (aws apigatewayv2 get-stages --max-items)', 'NextToken', 'Items'],
    ['nextToken (the raw REST form)', 'nextToken', 'items'],
  ])(
    'refuses a get-stages page that carries %s with exit 2 and one line',
    async (_case, token, container) => {
      const page = json(`page-${token}.json`, {
        [container]: [httpStage('prod', 'd1')],
        [token]: 'eyJFeGNsdXNpdmVTdGFydEtleSI6IG51bGx9',
      });
      const full = json('full.json', { Items: [httpStage('beta', 'd1'), httpStage('prod', 'd1')] });

      for (const args of [
        [full, page],
        [page, full],
      ]) {
        const run = await runCli(['diff', ...args]);

        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toBe(`stage-drift: ${page}: ${PAGE_MESSAGE}\n`);
      }
    },
  );

  it('with --allow-partial, reports no stage missing from a page as DELETED or CREATED', async () => {
    const page = json('page.json', { Items: [httpStage('prod', 'd2')], NextToken: 'next-page' });
    const full = json('full-3.json', {
      Items: [httpStage('beta', 'd1'), httpStage('dev', 'd1'), httpStage('prod', 'd1')],
    });

    const run = await runCli(['diff', full, page, '--allow-partial', '--format', 'json']);
    const back = await runCli(['diff', page, full, '--allow-partial', '--format', 'json']);

    for (const result of [run, back]) {
      expect(result.code).toBe(1);
      const { drifts } = JSON.parse(result.stdout) as { drifts: { stageName: string; change: string }[] };
      expect(drifts.map((d) => [d.stageName, d.change])).toEqual([['prod', 'MODIFIED']]);
    }
  });

  it('with --allow-partial, still reports a stage gone from a complete document as DELETED', async () => {
    const page = json('page-before.json', {
      Items: [httpStage('beta', 'd1'), httpStage('prod', 'd1')],
      NextToken: 'next-page',
    });
    const full = json('full-after.json', { Items: [httpStage('prod', 'd1')] });

    const run = await runCli(['diff', page, full, '--allow-partial', '--format', 'json']);

    const { drifts } = JSON.parse(run.stdout) as { drifts: { stageName: string; change: string }[] };
    expect(drifts.map((d) => [d.stageName, d.change])).toEqual([['beta', 'DELETED']]);
  });

  it('refuses a get-stage document diffed with a get-stages document', async () => {
    const list = json('list.json', {
      item: [
        { stageName: 'beta', deploymentId: 'vakw79' },
        { stageName: 'prod', deploymentId: 'vakw79' },
      ],
    });
    const one = json('one.json', { stageName: 'prod', deploymentId: 'p3q9zz' });

    const run = await runCli(['diff', list, one]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `stage-drift: ${one} is one stage (get-stage) but ${list} is a list of stages (get-stages): ` +
        'diff two documents of the same kind, or pass --allow-partial to compare only the stages both hold\n',
    );
  });

  it('with --allow-partial, compares only the stages a get-stage and a get-stages document both hold', async () => {
    const list = json('list-2.json', {
      item: [
        { stageName: 'beta', deploymentId: 'vakw79' },
        { stageName: 'prod', deploymentId: 'vakw79' },
      ],
    });
    const one = json('one-2.json', { stageName: 'prod', deploymentId: 'p3q9zz' });
    const other = json('other-2.json', { stageName: 'canary', deploymentId: 'p3q9zz' });

    const run = await runCli(['diff', list, one, '--allow-partial']);
    const none = await runCli(['diff', other, list, '--allow-partial']);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('MODIFIED  prod of REST API');
    expect(run.stdout).not.toContain('beta');
    expect(none).toEqual({ code: 0, stdout: 'No drift.\n', stderr: '' });
  });

  it('reports a WebSocket stage whose default route settings lose LoggingLevel as logging turned off, not DELETED + CREATED', async () => {
    const stage = (defaults: Record<string, unknown>) => ({
      Items: [
        {
          StageName: 'production',
          DeploymentId: 'ws0001',
          CreatedDate: '2025-09-01T08:00:00Z',
          DefaultRouteSettings: defaults,
          RouteSettings: { sendMessage: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50.0 } },
        },
      ],
    });
    const before = json('ws-before.json', stage({ DetailedMetricsEnabled: true, LoggingLevel: 'INFO' }));
    const after = json('ws-after.json', stage({ DetailedMetricsEnabled: true }));

    const run = await runCli(['diff', before, after, '--format', 'json']);

    expect(run.code).toBe(1);
    const { drifts } = JSON.parse(run.stdout) as {
      drifts: {
        stageName: string;
        apiType: string;
        change: string;
        severity: string;
        changes: { rule: string }[];
      }[];
    };
    expect(drifts).toHaveLength(1);
    expect(drifts[0]).toMatchObject({
      stageName: 'production',
      apiType: 'WEBSOCKET',
      change: 'MODIFIED',
      severity: 'HIGH',
    });
    expect(drifts[0]!.changes.map((c) => c.rule)).toEqual(['execution-logging-off']);
  });

  it('exits 2 when --api-type HTTP is given for a document with WebSocket-only members', async () => {
    const run = await runCli([
      'diff',
      example('websocket', 'before'),
      example('websocket', 'after'),
      '--api-type',
      'HTTP',
    ]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /websocket\/before\.json: apiType HTTP was given, but this document has a member only WebSocket APIs have \(stage "production": ClientCertificateId\)/,
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 when an HTTP document is diffed with a WebSocket document', async () => {
    const http = json('http-default.json', {
      Items: [{ ...httpStage('$default', 'd1'), ApiGatewayManaged: true }],
    });
    const ws = json('ws-default.json', {
      Items: [{ StageName: '$default', DefaultRouteSettings: { DataTraceEnabled: true } }],
    });

    const run = await runCli(['diff', http, ws]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /holds HTTP stages .* but .* holds WebSocket stages .*: diff two documents of the same API/,
    );
  });

  it.each([
    [
      'DefaultRouteSettings {DetailedMetricsEnabled: false} vs none',
      { Items: [httpStage('prod', 'd1')] },
      { Items: [{ ...httpStage('prod', 'd1'), DefaultRouteSettings: undefined }] },
    ],
    [
      'methodSettings["*/*"] with every default-false boolean vs none',
      {
        item: [
          {
            stageName: 'prod',
            methodSettings: {
              '*/*': {
                metricsEnabled: false,
                dataTraceEnabled: false,
                cachingEnabled: false,
                cacheDataEncrypted: false,
              },
            },
          },
        ],
      },
      { item: [{ stageName: 'prod', methodSettings: {} }] },
    ],
    [
      'a createdDate with milliseconds vs the same second without',
      { item: [{ stageName: 'prod', createdDate: 1768035600.25 }] },
      { item: [{ stageName: 'prod', createdDate: '2026-01-10T09:00:00Z' }] },
    ],
  ])('finds no drift for %s', async (_case, a, b) => {
    const run = await runCli(['diff', json('defaults-a.json', a), json('defaults-b.json', b)]);

    expect(run).toEqual({ code: 0, stdout: 'No drift.\n', stderr: '' });
  });

  it('warns on stderr, one line each, of members it does not know, and still diffs', async () => {
    const before = json('pascal-before.json', {
      item: [
        { stageName: 'prod', deploymentId: 'vakw79', MethodSettings: { '*/*': { LoggingLevel: 'INFO' } } },
      ],
    });
    const after = json('pascal-after.json', {
      item: [{ stageName: 'prod', deploymentId: 'p3q9zz', ipAddressType: 'dualstack' }],
    });

    const run = await runCli(['diff', before, after]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Deployment: vakw79 -> p3q9zz');
    expect(run.stderr).toBe(
      `warning: ${before}: stage "prod": unknown member MethodSettings (a PascalCase REST document? ` +
        "use the AWS CLI's JSON output: aws apigateway get-stages --output json)\n" +
        `warning: ${after}: stage "prod": unknown member ipAddressType (not compared: the stage model does not know it)\n`,
    );
  });
});

describe('stage-drift diff and the ignore tag', () => {
  const readExample = (which: 'before' | 'after') =>
    JSON.parse(readFileSync(example('rest', which), 'utf8')) as {
      item: Record<string, unknown>[];
    };

  it('reports a window that detaches the WAF and adds the ignore tag: exit 1, HIGH and the opt-out', async () => {
    const before = readExample('before');
    const after = structuredClone(before);
    const prod = after.item.find((s) => s.stageName === 'prod')!;
    delete prod.webAclArn;
    prod.tags = { ...(prod.tags as Record<string, string>), 'stage-drift:ignore': 'true' };

    const run = await runCli([
      'diff',
      writeScratch('ignore-before.json', JSON.stringify(before)),
      writeScratch('ignore-after.json', JSON.stringify(after)),
    ]);

    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('No drift.');
    expect(run.stdout).toMatch(/^HIGH +MODIFIED +prod/m);
    expect(run.stdout).toContain('[waf-detached-or-changed, APIGateway.4]');
    expect(run.stdout).toMatch(/MEDIUM +Tag stage-drift:ignore: \(none\) -> true +\[monitoring-opt-out\]/);
  });
});

describe('stage-drift diff with bad options', () => {
  it.each<[string[], RegExp]>([
    [
      ['--ignore-path', ''],
      /^stage-drift: --ignore-path "": a path pattern must be a non-empty string; .*'tags\.\*\*'/,
    ],
    [
      ['--ignore-path', 'a..b'],
      /^stage-drift: --ignore-path "a\.\.b": bad path pattern "a\.\.b": segment 2 is empty/,
    ],
    [['--reveal-variable', ''], /^stage-drift: --reveal-variable "": must be .*stage variable names/],
  ])('exits 2 with one line for %j, before reading any file', async (args, message) => {
    const run = await runCli(['diff', 'no-such-before.json', 'no-such-after.json', ...args]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
