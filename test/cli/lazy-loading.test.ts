import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { OUTBOX_WINDOW_DAYS } from '../../cli/defaults';
import { OUTBOX_WINDOW_DAYS as NOTIFY_OUTBOX_WINDOW_DAYS } from '../../shared/notify';

// Issue 14: `stage-drift --help` and `diff` start fast because they load neither the AWS SDK nor
// the embedded store; each command's implementation is loaded when it runs (cli/main.ts).

const root = join(__dirname, '..', '..');

/** Loaded module paths that make a start slow; none may appear for `--help` or `diff`. */
const HEAVY = [
  'node_modules/@aws-sdk/',
  'node_modules/@smithy/',
  'node_modules/dynalite',
  '@aws-lambda-powertools',
];

interface Probe {
  /** What `main` returned; none when the probe only required a module. */
  readonly code?: number;
  readonly stdout: string;
  /** `Object.keys(require.cache)` at the end, with `/` separators. */
  readonly modules: readonly string[];
}

/**
 * In a fresh `node -r tsx/cjs` process (as cli/bin/stage-drift.js loads tsx): runs `main(argv)`,
 * or only requires `module`, then reports every module file it loaded.
 */
const probe = (what: { readonly argv: readonly string[] } | { readonly module: string }): Promise<Probe> => {
  const script = `
    const { readFile } = require('node:fs/promises');
    const what = ${JSON.stringify(what)};
    const report = (result) => process.stdout.write(JSON.stringify({
      ...result,
      modules: Object.keys(require.cache).map((path) => path.replace(/\\\\/g, '/')),
    }));
    (async () => {
      if (what.module) return report({ stdout: (require(what.module), '') });
      let stdout = '';
      const io = {
        stdout: (text) => { stdout += text; },
        stderr: () => {},
        readFile: (path) => readFile(path, 'utf8'),
        env: { STAGE_DRIFT_FINGERPRINT_KEY: 'lazy-loading-test' },
      };
      const code = await require(${JSON.stringify(join(root, 'cli', 'main.ts'))}).main(what.argv, io);
      report({ code, stdout });
    })().catch((error) => { console.error(error); process.exitCode = 70; });`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-r', 'tsx/cjs', '-e', script],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`probe ${JSON.stringify(what)} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Probe);
      },
    );
  });
};

const heavyIn = (modules: readonly string[]): string[] =>
  modules.filter((path) => HEAVY.some((heavy) => path.includes(heavy)));

describe('what the CLI loads at start (issue 14)', () => {
  let help: Probe;
  let diff: Probe;
  let scan: Probe;
  beforeAll(async () => {
    // Side by side: each probe is a node process with tsx, about a second.
    [help, diff, scan] = await Promise.all([
      probe({ argv: ['--help'] }),
      probe({ argv: ['diff', 'examples/rest/before.json', 'examples/rest/after.json'] }),
      probe({ module: join(root, 'cli', 'commands', 'scan.ts') }),
    ]);
  }, 30_000);

  it('`--help` loads no AWS SDK, dynalite or Powertools module', () => {
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: stage-drift/);
    expect(help.modules).toContainEqual(expect.stringMatching(/\/cli\/main\.ts$/));
    expect(heavyIn(help.modules)).toEqual([]);
    // No command implementation either: each is loaded by its action.
    expect(help.modules.filter((path) => /\/cli\/commands\/(diff|scan|publish)\.ts$/.test(path))).toEqual([]);
  });

  it('`diff` of the REST example finds drift (exit 1) and loads no AWS SDK, dynalite or Powertools module', () => {
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/MEDIUM/);
    expect(diff.modules).toContainEqual(expect.stringMatching(/\/cli\/commands\/diff\.ts$/));
    expect(heavyIn(diff.modules)).toEqual([]);
  });

  it('sees the SDK when a command that needs it is loaded (so the probe can fail)', () => {
    const heavy = heavyIn(scan.modules);
    expect(heavy).toContainEqual(expect.stringContaining('node_modules/@aws-sdk/client-api-gateway/'));
    expect(heavy).toContainEqual(expect.stringContaining('node_modules/@smithy/'));
  });
});

describe('the help text constants of cli/defaults.ts', () => {
  it('keeps the outbox window of shared/notify', () => {
    expect(OUTBOX_WINDOW_DAYS).toBe(NOTIFY_OUTBOX_WINDOW_DAYS);
  });
});
