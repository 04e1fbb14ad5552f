import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
    const run = await runCli(['diff', hal, single]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Deployment: vakw79 -> zz9');
  });

  it.each([
    ['a missing file', () => join(scratch, 'nope.json'), /nope\.json: no such file/],
    ['a file that is not JSON', () => writeScratch('bad.json', '{"item": ['), /bad\.json: not JSON/],
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
