/**
 * Cold start of the Lambda bundles (snapshot, planner, rescan, publish): size on disk and module
 * init time, i.e. `import()` of
 * the bundle in a fresh `node` process (median of 5), with the environment the handlers read at
 * init set to dummies and `NODE_OPTIONS=--enable-source-maps` as deployed. One more run with a
 * network guard checks that init opens no connection and resolves no name.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BundleName, BundleWorkerInput, BundleWorkerResult } from './bundle-worker';
import { QUIET_SDK_ENV, runWorker } from './child-process';

export interface BundleFigures {
  readonly name: BundleName;
  readonly bytes: number;
  /** Median `import()` time, ms, with source maps enabled as deployed. */
  readonly initMs: number;
  readonly initRunsMs: readonly number[];
  /** Median `import()` time without `--enable-source-maps`. */
  readonly initNoSourceMapsMs: number;
  /** Median wall time of the whole `node` process (start, import, exit). */
  readonly processMs: number;
  /** Connections or DNS lookups attempted during init (and 300 ms after). */
  readonly networkAttempts: readonly string[];
}

const RUNS = 5;

/** What the handlers read at init; dummies, nothing that could reach AWS. */
const SCAN_ENV = {
  STAGE_DRIFT_TABLE: 'stage-drift-bench',
  STAGE_DRIFT_REQUESTS_PER_SECOND: '3',
  STAGE_DRIFT_BURST: '10',
  STAGE_DRIFT_CONCURRENCY: '4',
  STAGE_DRIFT_RETENTION_DAYS: '90',
};
const HANDLER_ENV: Record<BundleName, Record<string, string>> = {
  snapshot: { ...SCAN_ENV, POWERTOOLS_SERVICE_NAME: 'stage-drift-snapshot' },
  planner: {
    STAGE_DRIFT_TABLE: 'stage-drift-bench',
    STAGE_DRIFT_TASK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/stage-drift-bench.fifo',
    STAGE_DRIFT_TARGET_OU: 'ou-ab12-cd34ef56',
    POWERTOOLS_SERVICE_NAME: 'stage-drift-planner',
  },
  rescan: {
    ...SCAN_ENV,
    STAGE_DRIFT_EVENTS_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:stage-drift-bench-events',
    POWERTOOLS_SERVICE_NAME: 'stage-drift-rescan',
  },
  publish: {
    STAGE_DRIFT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:stage-drift-bench',
    STAGE_DRIFT_TABLE: 'stage-drift-bench',
    STAGE_DRIFT_SLACK_MIN_SEVERITY: 'MEDIUM',
    STAGE_DRIFT_DIGEST_THRESHOLD: '5',
    STAGE_DRIFT_FAILURE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/stage-drift-bench',
    STAGE_DRIFT_SLACK_SECRET_ARN:
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:stage-drift-slack-AbCdEf',
    POWERTOOLS_SERVICE_NAME: 'stage-drift-publish',
  },
};

const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'StageDrift',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

/** Records every socket connect and DNS lookup; writes them to BENCH_NET_LOG at exit. */
const NETWORK_GUARD = `
import net from 'node:net';
import dns from 'node:dns';
import { writeFileSync } from 'node:fs';
const attempts = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const target = Array.isArray(args[0]) ? args[0][0] : args[0];
  attempts.push('connect ' + (typeof target === 'object' && target !== null ? (target.host ?? target.path ?? '') + ':' + (target.port ?? '') : String(target)));
  return connect.apply(this, args);
};
const lookup = dns.lookup;
dns.lookup = function (host, ...rest) {
  attempts.push('lookup ' + host);
  return lookup.call(this, host, ...rest);
};
process.on('exit', () => writeFileSync(process.env.BENCH_NET_LOG, JSON.stringify(attempts)));
`;

const IMPORT_SCRIPT =
  'const t = performance.now(); await import(process.env.BENCH_BUNDLE_URL); ' +
  'process.stdout.write(String(performance.now() - t)); ' +
  'if (process.env.BENCH_LINGER_MS) await new Promise((r) => setTimeout(r, Number(process.env.BENCH_LINGER_MS)));';

interface ImportRun {
  readonly importMs: number;
  readonly processMs: number;
}

const importOnce = async (
  bundle: string,
  env: Record<string, string>,
  nodeArgs: readonly string[],
): Promise<ImportRun> => {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, '--input-type=module', '-e', IMPORT_SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '',
      ...QUIET_SDK_ENV,
      ...env,
      BENCH_BUNDLE_URL: pathToFileURL(bundle).href,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const processMs = performance.now() - started;
  if (code !== 0) throw new Error(`importing ${bundle} failed (exit ${String(code)}):\n${stderr}`);
  return { importMs: Number(stdout), processMs };
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/**
 * Bytes a function loads at init: index.mjs and the chunks it imports statically (infra/bundle
 * splits code loaded by `import()`, e.g. the Security Hub export, into chunks of its own).
 */
const initBytes = async (entry: string): Promise<number> => {
  const files = [entry];
  let bytes = 0;
  for (const file of files) {
    bytes += (await stat(file)).size;
    const code = await readFile(file, 'utf8');
    for (const [, chunk] of code.matchAll(/(?:from|import)\s*["'](\.\/chunk-[A-Za-z0-9]+\.mjs)["']/g)) {
      const chunkPath = path.join(path.dirname(file), chunk ?? '');
      if (!files.includes(chunkPath)) files.push(chunkPath);
    }
  }
  return bytes;
};

const measure = async (
  name: BundleName,
  bundle: string,
  guardFile: string,
  netLog: string,
): Promise<BundleFigures> => {
  const env = { ...LAMBDA_ENV, ...HANDLER_ENV[name] };
  const withMaps: ImportRun[] = [];
  const withoutMaps: ImportRun[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    withMaps.push(await importOnce(bundle, { ...env, NODE_OPTIONS: '--enable-source-maps' }, []));
    withoutMaps.push(await importOnce(bundle, env, []));
  }
  await importOnce(bundle, { ...env, BENCH_NET_LOG: netLog, BENCH_LINGER_MS: '300' }, [
    '--import',
    pathToFileURL(guardFile).href,
  ]);
  return {
    name,
    bytes: await initBytes(bundle),
    initMs: median(withMaps.map((r) => r.importMs)),
    initRunsMs: withMaps.map((r) => r.importMs),
    initNoSourceMapsMs: median(withoutMaps.map((r) => r.importMs)),
    processMs: median(withMaps.map((r) => r.processMs)),
    networkAttempts: JSON.parse(await readFile(netLog, 'utf8')) as string[],
  };
};

/** Builds every bundle as deployed and measures them, one at a time. */
export const measureBundles = async (): Promise<BundleFigures[]> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'stage-drift-bundles-'));
  try {
    const { result } = await runWorker<BundleWorkerInput, BundleWorkerResult>('bundle-worker.ts', {
      outdir: path.join(dir, 'cdk.out'),
    });
    const guardFile = path.join(dir, 'network-guard.mjs');
    await writeFile(guardFile, NETWORK_GUARD);
    const figures: BundleFigures[] = [];
    for (const name of ['snapshot', 'planner', 'rescan', 'publish'] as const) {
      figures.push(await measure(name, result.bundles[name], guardFile, path.join(dir, `${name}-net.json`)));
    }
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
