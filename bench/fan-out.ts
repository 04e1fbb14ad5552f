/**
 * Scenario (e): accounts x regions through the fan-out path. The parent runs one simulator per
 * scope (each enforcing its own 10/s, burst 40 quota); one worker process per core runs its
 * share of the tasks (the accounts split between them, the tasks in flight too).
 */
import { availableParallelism } from 'node:os';
import { minimumCalls, totalSends } from '../test/collect/simulator-clients';
import type { DynaliteServer } from '../test/support/dynalite';
import type { ControlPlaneSimulator, Fleet } from '../test/support/simulator';
import { generateFleet, startSimulator } from '../test/support/simulator';
import { FINGERPRINT_KEY, lowerBoundMs } from './account-scan';
import { runWorker } from './child-process';
import type { FanOutWorkerInput, FanOutWorkerResult } from './fan-out-worker';
import { changeFleet } from './fleet-changes';
import type { Row } from './report';
import { fraction, int, megabytes, ratio, renderTable, seconds } from './report';
import { dynamoWrites, fleetSize } from './scan-tables';
import type { CollectorBudget, FanOutShape } from './scenarios';
import { ACCOUNT_QUOTA, FAN_OUT_CONCURRENCY } from './scenarios';

export interface FanOutRun extends FanOutWorkerResult {
  readonly label: string;
  readonly scopes: number;
  /** Of the largest worker process. */
  readonly maxRssBytes: number;
  /** Worker processes the tasks in flight were spread over (one per core). */
  readonly workers: number;
  /** CPU time of the bench's own process over the run: the 200 simulators and dynalite. */
  readonly serverCpuMs: number;
  readonly minimum: number;
  /** Requests all simulators answered, 429s included. */
  readonly requests: number;
  readonly serverThrottled: number;
  /** ceil(scopes / concurrency) waves of one scope's bound. */
  readonly lowerBoundMs: number;
}

interface Scope {
  readonly account: string;
  readonly region: string;
  readonly fleet: Fleet;
}

const accountId = (index: number): string => String(100_000_000_000 + index * 7919).padStart(12, '0');

export const fanOutScopes = (shape: FanOutShape): Scope[] =>
  Array.from({ length: shape.accounts }, (_, a) =>
    shape.regions.map((region, r) => ({
      account: accountId(a),
      region,
      fleet: generateFleet({ ...shape.fleet, seed: 1000 + a * shape.regions.length + r }),
    })),
  ).flat();

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** The workers' results as one run: counts added up, the wall time of the slowest. */
const mergeWorkerResults = (results: readonly FanOutWorkerResult[]): FanOutWorkerResult => {
  const outcomes: FanOutWorkerResult['outcomes'] = {};
  for (const r of results)
    for (const [k, v] of Object.entries(r.outcomes))
      outcomes[k as keyof typeof outcomes] = (outcomes[k as keyof typeof outcomes] ?? 0) + v;
  const total = (pick: (r: FanOutWorkerResult) => number) => sum(results.map(pick));
  const costs = results.map((r) => r.dynamo);
  const requests: Record<string, number> = {};
  for (const c of costs)
    for (const [k, v] of Object.entries(c.requests)) requests[k] = (requests[k] ?? 0) + v;
  return {
    path: results[0]!.path,
    outcomes,
    collectMs: results.flatMap((r) => r.collectMs),
    scopeMs: results.flatMap((r) => r.scopeMs),
    wallMs: Math.max(...results.map((r) => r.wallMs)),
    cpuMs: total((r) => r.cpuMs),
    stagesRead: total((r) => r.stagesRead),
    stagesChanged: total((r) => r.stagesChanged),
    events: total((r) => r.events),
    failures: total((r) => r.failures),
    failedScopes: total((r) => r.failedScopes),
    distinctCalls: total((r) => r.distinctCalls),
    retries: total((r) => r.retries),
    throttled: total((r) => r.throttled),
    dynamo: {
      requests,
      readUnits: sum(costs.map((c) => c.readUnits)),
      writeUnits: sum(costs.map((c) => c.writeUnits)),
      itemsWritten: sum(costs.map((c) => c.itemsWritten)),
      gsiWriteUnitsComputed: sum(costs.map((c) => c.gsiWriteUnitsComputed)),
      failedConditionalWrites: sum(costs.map((c) => c.failedConditionalWrites)),
      failedConditionalWriteUnitsComputed: sum(costs.map((c) => c.failedConditionalWriteUnitsComputed)),
      unreported: sum(costs.map((c) => c.unreported)),
    },
  };
};

/** One pass over every scope, each against a fresh simulator (full budget, as between runs). */
export const runFanOut = async (options: {
  readonly label: string;
  readonly scopes: readonly Scope[];
  readonly dynamo: DynaliteServer;
  readonly tableName: string;
  readonly now: Date;
  readonly budget: CollectorBudget;
}): Promise<FanOutRun> => {
  const sims: ControlPlaneSimulator[] = [];
  try {
    for (const scope of options.scopes) {
      sims.push(await startSimulator({ fleet: scope.fleet, rateLimit: { ...ACCOUNT_QUOTA } }));
    }
    const cpuStarted = process.cpuUsage();
    // Lambda runs each task in an execution environment of its own; one Node process runs
    // JavaScript on one core. So the tasks in flight are spread over one worker process per core
    // (by account, so each worker plans whole accounts), each running its share of them.
    const workers = Math.min(availableParallelism(), FAN_OUT_CONCURRENCY);
    const accounts = [...new Set(options.scopes.map((scope) => scope.account))];
    const envelopes = await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const mine = new Set(accounts.filter((_, i) => i % workers === w));
        return runWorker<FanOutWorkerInput, FanOutWorkerResult>('fan-out-worker.ts', {
          scopes: options.scopes.flatMap((scope, i) =>
            mine.has(scope.account)
              ? [{ account: scope.account, region: scope.region, endpoint: sims[i]!.endpoint }]
              : [],
          ),
          dynamoEndpoint: options.dynamo.endpoint,
          tableName: options.tableName,
          concurrency:
            Math.ceil((FAN_OUT_CONCURRENCY * (w + 1)) / workers) -
            Math.ceil((FAN_OUT_CONCURRENCY * w) / workers),
          budget: options.budget,
          now: options.now.toISOString(),
          fingerprintKey: FINGERPRINT_KEY,
        });
      }),
    );
    const result = mergeWorkerResults(envelopes.map((e) => e.result));
    const maxRssBytes = Math.max(...envelopes.map((e) => e.maxRssBytes));
    const { user, system } = process.cpuUsage(cpuStarted);
    const perScope = options.scopes.map((scope) => totalSends(minimumCalls(scope.fleet)));
    const waves = Math.ceil(options.scopes.length / FAN_OUT_CONCURRENCY);
    return {
      ...result,
      label: options.label,
      scopes: options.scopes.length,
      maxRssBytes,
      workers,
      serverCpuMs: (user + system) / 1000,
      minimum: perScope.reduce((sum, n) => sum + n, 0),
      requests: sims.reduce((sum, sim) => sum + sim.counts.total, 0),
      serverThrottled: sims.reduce((sum, sim) => sum + sim.counts.throttled, 0),
      lowerBoundMs: waves * lowerBoundMs(Math.max(...perScope), options.budget),
    };
  } finally {
    await Promise.all(sims.map((sim) => sim.close()));
  }
};

/** Changes `fraction` of every scope's stages. */
export const changeScopes = (scopes: readonly Scope[], fraction: number): number =>
  scopes.reduce((sum, scope) => sum + changeFleet(scope.fleet, fraction), 0);

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

export const renderFanOutTable = (
  shape: FanOutShape,
  budget: CollectorBudget,
  runs: readonly FanOutRun[],
): string => {
  const size = fleetSize(shape.fleet);
  const scopes = shape.accounts * shape.regions.length;
  const same = (value: string): string[] => runs.map(() => value);
  const rows: Row[] = [
    ['scopes', ...same(`${shape.accounts} accounts x ${shape.regions.length} regions = ${scopes}`)],
    [
      'per scope',
      ...same(
        `${size.apis} APIs (${shape.fleet.restApis} REST + ${shape.fleet.httpApis} HTTP), ` +
          `${size.stages} stages, ${size.methodSettings} method settings per stage`,
      ),
    ],
    ['in all', ...same(`${int(size.apis * scopes)} APIs, ${int(size.stages * scopes)} stages`)],
    ['path', ...runs.map((run) => run.path)],
    [
      'tasks in flight / budget per scope',
      ...same(`${FAN_OUT_CONCURRENCY} / ${budget.ratePerSecond} req/s, burst ${budget.burst}`),
    ],
    [
      'task outcomes',
      ...runs.map((run) =>
        Object.entries(run.outcomes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ),
    ],
    ['calls made / calls minimum', ...runs.map((run) => fraction(run.distinctCalls, run.minimum))],
    ['requests the accounts answered (429s included)', ...runs.map((run) => int(run.requests))],
    [
      `wall time / lower bound (${Math.ceil(scopes / FAN_OUT_CONCURRENCY)} waves of one scope's bound)`,
      ...runs.map((run) =>
        run.lowerBoundMs === 0
          ? `${seconds(run.wallMs)} / 0 s (every scope's calls fit in its burst)`
          : `${seconds(run.wallMs)} / ${seconds(run.lowerBoundMs)} = ${ratio(run.wallMs / run.lowerBoundMs, 3)}`,
      ),
    ],
    [
      'task time: collecting / after it (median)',
      ...runs.map((run) => {
        const collect = percentile(run.collectMs, 0.5);
        const after = percentile(
          run.scopeMs.map((ms, i) => ms - (run.collectMs[i] ?? 0)),
          0.5,
        );
        return `${(collect / 1000).toFixed(2)} s / ${(after / 1000).toFixed(2)} s`;
      }),
    ],
    [
      'task time, median / 95th percentile / max',
      ...runs.map((run) => [0.5, 0.95, 1].map((p) => seconds(percentile(run.scopeMs, p))).join(' / ')),
    ],
    [
      '429s seen / retries / scan failures (scopes failed)',
      ...runs.map(
        (run) =>
          `${int(run.serverThrottled)} / ${int(run.retries)} / ${int(run.failures)} (${run.failedScopes})`,
      ),
    ],
    ['stages read', ...runs.map((run) => int(run.stagesRead))],
    ['changed stages / drift events', ...runs.map((run) => `${int(run.stagesChanged)} / ${int(run.events)}`)],
    ['DynamoDB reads (dynalite-reported)', ...runs.map((run) => `${ratio(run.dynamo.readUnits, 1)} RCU`)],
    ['DynamoDB writes', ...runs.map((run) => dynamoWrites(run.dynamo))],
    ['items written', ...runs.map((run) => int(run.dynamo.itemsWritten))],
    [
      `peak RSS of a worker (${FAN_OUT_CONCURRENCY} tasks in flight over ${runs[0]?.workers ?? 1} processes)`,
      ...runs.map((run) => megabytes(run.maxRssBytes)),
    ],
    [
      `CPU: the workers (the tasks) / the simulators + dynalite, of ${availableParallelism()} cores x wall`,
      ...runs.map(
        (run) =>
          `${seconds(run.cpuMs)} / ${seconds(run.serverCpuMs)} = ` +
          `${ratio((run.cpuMs + run.serverCpuMs) / (run.wallMs * availableParallelism()), 2)} busy; ` +
          `${ratio(run.cpuMs / run.wallMs, 2)} cores for the tasks`,
      ),
    ],
  ];
  return renderTable(['figure', ...runs.map((run) => run.label)], rows);
};
