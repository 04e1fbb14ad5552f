/**
 * Heavy scenarios run in a child process of their own, so each one's peak RSS
 * (`process.resourceUsage().maxRSS`) is its own and nothing else's: the control-plane
 * simulators and dynalite stay in the parent, the child holds only the scanner, as a Lambda
 * would. Input and output travel as JSON files.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Set in every process of the bench: Node 20 is fine for a benchmark. */
export const QUIET_SDK_ENV = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } as const;

/** What every worker reports besides its own figures. */
export interface WorkerEnvelope<T> {
  readonly result: T;
  /** Peak resident set size of the worker process, in bytes. */
  readonly maxRssBytes: number;
}

/** The worker failed: its exit code and the end of what it wrote. */
export class WorkerFailedError extends Error {
  constructor(script: string, code: number | null, output: string) {
    super(`bench worker ${script} exited with code ${String(code)}:\n${output.slice(-4000)}`);
    this.name = 'WorkerFailedError';
  }
}

/**
 * Runs `bench/<script>` in a fresh `node --import tsx` process with `input`, and returns what
 * its `workerMain` handler returned, with the process's peak RSS.
 */
export const runWorker = async <I, O>(script: string, input: I): Promise<WorkerEnvelope<O>> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'stage-drift-bench-'));
  const inputFile = path.join(dir, 'input.json');
  const outputFile = path.join(dir, 'output.json');
  try {
    await writeFile(inputFile, JSON.stringify(input));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, script), inputFile, outputFile],
      { env: { ...process.env, ...QUIET_SDK_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Kept for a failure report only (CDK bundling, for one, talks a lot).
    let output = '';
    const keep = (chunk: string) => {
      output = (output + chunk).slice(-20_000);
    };
    child.stdout.setEncoding('utf8').on('data', keep);
    child.stderr.setEncoding('utf8').on('data', keep);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) throw new WorkerFailedError(script, code, output);
    return JSON.parse(await readFile(outputFile, 'utf8')) as WorkerEnvelope<O>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/**
 * The child side: reads the input file named on the command line, runs `work`, writes its
 * result with the peak RSS, and exits (SDK clients and sockets need not be closed one by one).
 */
export const workerMain = <I, O>(work: (input: I) => Promise<O>): void => {
  const [inputFile, outputFile] = process.argv.slice(2);
  if (!inputFile || !outputFile) {
    console.error('usage: a bench worker is started by bench/run-all.ts, not by hand');
    process.exit(2);
  }
  const run = async () => {
    const input = JSON.parse(await readFile(inputFile, 'utf8')) as I;
    const result = await work(input);
    const envelope: WorkerEnvelope<O> = { result, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    await writeFile(outputFile, JSON.stringify(envelope));
  };
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
