/**
 * The cost of a rescan: a 1,000-stage fleet (100 REST + 100 HTTP APIs x 5 stages) in the
 * control-plane simulator, a baseline scan into dynalite, 10 stages changed, then the second
 * scan measured: DynamoDB requests and capacity units, control-plane calls against the
 * minimum, and wall time with the simulator enforcing the account budget (10 req/s, burst 40)
 * and the collector pacing itself at its default (3 req/s, burst 10) and at 10 req/s.
 *
 * Run: npx tsx bench/scan-1000.ts   (about 1.5 minutes: the paced scans run in real time)
 */
import type { ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CollectOptions } from '../shared/collect';
import { systemClock } from '../shared/collect';
import type { ScanDeps, ScanSummary } from '../shared/scan';
import { runScan } from '../shared/scan';
import { DynamoSnapshotStore } from '../shared/store';
import { clientsFor, minimumCalls, totalSends } from '../test/collect/simulator-clients';
import { startDynalite } from '../test/support/dynalite';
import type { Fleet } from '../test/support/simulator';
import { SIM_ACCOUNT_ID, SIM_REGION, generateFleet, startSimulator } from '../test/support/simulator';

const SCOPE = { account: SIM_ACCOUNT_ID, region: SIM_REGION };
const ACCOUNT_BUDGET = { ratePerSecond: 10, burst: 40 };
const LIFTED: CollectOptions = { ratePerSecond: 100_000, burst: 100_000, concurrency: 8 };
const CHANGED = 10;

const READS = new Set(['Query', 'GetItem', 'BatchGetItem', 'Scan']);

/** Requests by command and the capacity units dynalite reports (ReturnConsumedCapacity=TOTAL). */
const meter = (client: DynamoDBClient) => {
  const requests = new Map<string, number>();
  const units = { read: 0, write: 0, unreported: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      requests.set(name, (requests.get(name) ?? 0) + 1);
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
      if (list.length === 0) units.unreported += 1;
      for (const entry of list) units[READS.has(name) ? 'read' : 'write'] += entry.CapacityUnits ?? 0;
      return result;
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return {
    requests,
    units,
    reset: () => {
      requests.clear();
      Object.assign(units, { read: 0, write: 0, unreported: 0 });
    },
  };
};

/** 10 stages drift: tracing turned off on 5 REST stages, a stage variable changed on 5 HTTP ones. */
const changeTenStages = (fleet: Fleet): void => {
  const untagged = (stage: Record<string, unknown>) =>
    (stage.tags as Record<string, string> | undefined)?.['stage-drift:ignore'] === undefined;
  const rest = fleet.restApis
    .flatMap((api) => api.stages)
    .filter(untagged)
    .slice(0, CHANGED / 2);
  for (const stage of rest) stage.tracingEnabled = !(stage.tracingEnabled as boolean);
  const http = fleet.v2Apis
    .flatMap((api) => api.stages)
    .filter(untagged)
    .slice(0, CHANGED / 2);
  for (const stage of http) stage.stageVariables = { ...(stage.stageVariables as object), release: 'r2' };
};

interface Measured {
  readonly label: string;
  readonly budget: CollectOptions;
  readonly summary: ScanSummary;
  readonly seconds: number;
  readonly requests: Map<string, number>;
  readonly units: { read: number; write: number; unreported: number };
  readonly calls: number;
  readonly minimum: number;
  readonly throttled: number;
}

const measure = async (label: string, budget: CollectOptions, run: number): Promise<Measured> => {
  const fleet = generateFleet({
    restApis: 100,
    httpApis: 100,
    stagesPerApi: 5,
    methodSettingsPerStage: 3,
    seed: 42,
  });
  const open = await startSimulator({ fleet });
  const paced = await startSimulator({ fleet, rateLimit: ACCOUNT_BUDGET });
  const openClients = clientsFor(open);
  const pacedClients = clientsFor(paced);
  const dynamo = await startDynalite();
  const client = dynamo.client();
  const metered = meter(client);
  try {
    const tableName = `bench-${run}`;
    await dynamo.createTable(tableName);
    const store = new DynamoSnapshotStore(client, { tableName });
    const deps = (clients: typeof openClients, collect: CollectOptions): ScanDeps => ({
      clientsFor: () => clients,
      store,
      clock: systemClock,
      collect,
      diff: { fingerprintKey: 'bench-fingerprint-key' },
    });
    const baseline = await runScan(deps(openClients, LIFTED), { scopes: [SCOPE], now: new Date() });
    if (!baseline.baseline || baseline.scopes[0]?.stagesRead !== 1000)
      throw new Error('baseline did not read 1,000 stages');
    changeTenStages(fleet);
    metered.reset();
    paced.resetCounts();
    const started = performance.now();
    const summary = await runScan(deps(pacedClients, budget), {
      scopes: [SCOPE],
      now: new Date(Date.now() + 60_000),
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      label,
      budget,
      summary,
      seconds,
      requests: new Map(metered.requests),
      units: { ...metered.units },
      calls: paced.counts.total,
      minimum: totalSends(minimumCalls(fleet)),
      throttled: paced.counts.throttled,
    };
  } finally {
    openClients.destroy();
    pacedClients.destroy();
    await open.close();
    await paced.close();
    await dynamo.stop();
  }
};

const table = (rows: readonly (readonly [string, string])[]): string => {
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(5, ...rows.map(([, v]) => v.length));
  return [
    `| ${'figure'.padEnd(width)} | ${'value'.padEnd(valueWidth)} |`,
    `|${'-'.repeat(width + 2)}|${'-'.repeat(valueWidth + 2)}|`,
    ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padEnd(valueWidth)} |`),
  ].join('\n');
};

const run = async () => {
  const runs = [
    await measure('collector default: 3 req/s, burst 10', { ratePerSecond: 3, burst: 10, concurrency: 4 }, 1),
    await measure('collector at 10 req/s, burst 10', { ratePerSecond: 10, burst: 10, concurrency: 4 }, 2),
  ];
  const [first] = runs;
  if (!first) return;
  const scope = first.summary.scopes[0]!;
  const requests = [...first.requests.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const totalRequests = requests.reduce((sum, [, n]) => sum + n, 0);
  const events = first.summary.events.length;
  const rows: [string, string][] = [
    ['fleet', '100 REST + 100 HTTP APIs x 5 stages = 1,000 stages; 10 changed after the baseline'],
    [
      'second scan: stages read / changed / events',
      `${scope.stagesRead} / ${scope.stagesChanged} / ${events}`,
    ],
    ['DynamoDB requests, all', String(totalRequests)],
    ...requests.map(([name, n]): [string, string] => [`  ${name}`, String(n)]),
    [
      'read units (dynalite-reported, eventually consistent)',
      `${first.units.read} RCU${first.units.unreported ? ` (${first.units.unreported} requests unreported)` : ''}`,
    ],
    ['write units (dynalite-reported, table only)', `${first.units.write} WCU`],
    ['  + GSI1 writes on DynamoDB (estimate: 1 WCU per drift event)', `${events} WCU`],
    ['control-plane calls made / minimum', `${first.calls} / ${first.minimum}`],
    [
      'simulator budget (the account)',
      `${ACCOUNT_BUDGET.ratePerSecond} req/s, burst ${ACCOUNT_BUDGET.burst}`,
    ],
    ...runs.flatMap((r): [string, string][] => [
      [`wall time, ${r.label}`, `${r.seconds.toFixed(1)} s (throttled: ${r.throttled}, calls: ${r.calls})`],
    ]),
  ];
  console.log(table(rows));
  const bad = runs.some(
    (r) => r.calls !== r.minimum || r.throttled > 0 || r.summary.events.length !== CHANGED,
  );
  if (bad) process.exitCode = 1;
};

void run();
