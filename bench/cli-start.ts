/**
 * Start-up time of the CLI (issue 14): the wall time of a whole `node <bin> ...` process for
 * `--help` and for an offline `diff` of the REST example, with `node -e 0` as the floor.
 * Each is run once to warm the disk cache, then 10 times; median, min and max are printed.
 *
 *   npx tsx bench/cli-start.ts                       the dev launcher, cli/bin/stage-drift.js (tsx)
 *   npx tsx bench/cli-start.ts --bin dist/cli/bin/run.js   another entry, e.g. the compiled one
 *   npx tsx bench/cli-start.ts --installed           as users run it: `npm pack` (its prepack builds the
 *                                                    package), installed from the tarball into a
 *                                                    temporary directory, its compiled bin timed
 *   npx tsx bench/cli-start.ts --json                the figures as JSON
 *   npx tsx bench/cli-start.ts --runs 20             more runs
 *
 * The dev launcher transpiles with tsx on the fly, which dominates its figures; the targets
 * (`--help` <= 150 ms, `diff` <= 300 ms) are for the compiled CLI. A benchmark, not a test:
 * nothing fails on a missed target.
 */
import { execFileSync, spawn, type ExecFileSyncOptionsWithStringEncoding } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { QUIET_SDK_ENV } from './child-process';
import { renderTable } from './report';

const ROOT = path.join(__dirname, '..');
const DEFAULT_BIN = path.join(ROOT, 'cli', 'bin', 'stage-drift.js');
const DIFF_ARGS = ['diff', 'examples/rest/before.json', 'examples/rest/after.json'] as const;

interface Args {
  readonly bin: string;
  readonly installed: boolean;
  readonly json: boolean;
  readonly runs: number;
}

const parseArgs = (argv: readonly string[]): Args => {
  let bin = DEFAULT_BIN;
  let json = false;
  let installed = false;
  let runs = 10;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (name: string): string => {
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
      const next = argv[++i];
      if (next === undefined) throw new Error(`${name} needs a value`);
      return next;
    };
    if (arg === '--json') json = true;
    else if (arg === '--installed') installed = true;
    else if (arg === '--bin' || arg.startsWith('--bin=')) bin = path.resolve(value('--bin'));
    else if (arg === '--runs' || arg.startsWith('--runs=')) {
      runs = Number(value('--runs'));
      if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
    } else throw new Error(`unknown argument ${arg}: use --bin <path>, --installed, --json, --runs <n>`);
  }
  return { bin, installed, json, runs };
};

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  /** The exit code the command must end with: `diff` of the example finds drift (1). */
  readonly exitCode: number;
  /** The target of issue 14, in ms; none for the floor. */
  readonly targetMs?: number;
}

export interface StartFigures {
  readonly name: string;
  readonly command: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly runsMs: readonly number[];
  readonly targetMs?: number;
}

/** The wall time of one process, start to exit, in ms. */
const timeOnce = async (c: Case): Promise<number> => {
  const started = performance.now();
  const child = spawn(process.execPath, c.args, {
    cwd: ROOT,
    // Nothing of this shell's NODE_OPTIONS (tsx's loader, for one) reaches the measured process.
    env: { PATH: process.env.PATH ?? '', ...QUIET_SDK_ENV },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const ms = performance.now() - started;
  if (code !== c.exitCode) {
    throw new Error(
      `node ${c.args.join(' ')} exited with ${String(code)}, expected ${c.exitCode}:\n${stderr}`,
    );
  }
  return ms;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const measureCliStart = async (bin: string, runs = 10): Promise<StartFigures[]> => {
  const cases: Case[] = [
    { name: 'node -e 0 (floor)', args: ['-e', '0'], exitCode: 0 },
    { name: 'stage-drift --help', args: [bin, '--help'], exitCode: 0, targetMs: 150 },
    { name: `stage-drift ${DIFF_ARGS.join(' ')}`, args: [bin, ...DIFF_ARGS], exitCode: 1, targetMs: 300 },
  ];
  const figures: StartFigures[] = [];
  for (const c of cases) {
    await timeOnce(c); // warm-up: the disk cache, not the figures
    const runsMs: number[] = [];
    for (let i = 0; i < runs; i++) runsMs.push(await timeOnce(c));
    figures.push({
      name: c.name,
      command: `node ${c.args.join(' ')}`,
      medianMs: median(runsMs),
      minMs: Math.min(...runsMs),
      maxMs: Math.max(...runsMs),
      runsMs,
      ...(c.targetMs === undefined ? {} : { targetMs: c.targetMs }),
    });
  }
  return figures;
};

/** The bin as given: relative to the repository when inside it. */
const shown = (bin: string): string => {
  const relative = path.relative(ROOT, bin);
  return relative.startsWith('..') || path.isAbsolute(relative) ? bin : relative;
};

const ms = (value: number): string => `${value.toFixed(0)} ms`;

export const renderCliStartTable = (figures: readonly StartFigures[]): string =>
  renderTable(
    ['command', 'median', 'min', 'max', 'target'],
    figures.map((f) => [
      f.name,
      ms(f.medianMs),
      ms(f.minMs),
      ms(f.maxMs),
      f.targetMs === undefined ? '' : `<= ${f.targetMs} ms`,
    ]),
  );

/** Packs the repository (prepack builds it) and installs the tarball into a temporary directory. */
const installFromTarball = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sd-cli-start-'));
  const quiet: ExecFileSyncOptionsWithStringEncoding = {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  };
  // The build's progress goes to stderr: stdout may be the --json figures.
  execFileSync('npm', ['run', '--silent', 'prepack'], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], quiet),
  ) as {
    filename: string;
  }[];
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'cli-start', private: true }));
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(dir, packed[0]!.filename)],
    { ...quiet, cwd: dir },
  );
  return path.join(dir, 'node_modules', 'stage-drift', 'dist', 'cli', 'bin', 'run.js');
};

const main = async (): Promise<void> => {
  const args = parseArgs(process.argv.slice(2));
  const { json, runs } = args;
  const bin = args.installed ? installFromTarball() : args.bin;
  const figures = await measureCliStart(bin, runs);
  if (json) {
    const round = (value: number) => Math.round(value * 10) / 10;
    console.log(
      JSON.stringify(
        {
          bin: shown(bin),
          node: process.version,
          runs,
          figures: figures.map((f) => ({
            ...f,
            medianMs: round(f.medianMs),
            minMs: round(f.minMs),
            maxMs: round(f.maxMs),
            runsMs: f.runsMs.map(round),
          })),
        },
        null,
        2,
      ),
    );
    return;
  }
  console.log(`CLI start-up, ${shown(bin)}, Node ${process.version}: ${runs} runs each after 1 warm-up\n`);
  console.log(renderCliStartTable(figures));
};

// Run as a script; importing it (a future run-all section) only gets the functions.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
}
