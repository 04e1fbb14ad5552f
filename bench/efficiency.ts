/**
 * `npm run bench -- --only=efficiency`: a simulated day (bench/efficiency-sim.ts, virtual clock)
 * for (a) the maximal account with events healthy, (b) the same with the event path down, (c) 50
 * accounts × 4 regions fan-out, and the 200-stage monitor whose month the cost model prices from
 * the synthesized template (bench/cost-model.ts). Full-scan call counts and the call latency are
 * measured with the real collector against the control-plane simulator. Writes
 * bench/results/efficiency.json and the marked blocks of README.md and docs/deploy.md.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import { collectStages, emptyCallCounts } from '../shared/collect';
import { SETTINGS } from '../shared/config';
import { zeroCounts } from '../shared/scan/scan-types';
import type { ScanSummary, ScopeSummary } from '../shared/scan';
import { EVENTS_BATCH_SIZE, EVENTS_BATCHING_WINDOW } from '../infra/monitor/event-rescans';
import type { ScanMetricsOptions } from '../lambdas/snapshot/scan-metrics';
import { emitScanMetrics } from '../lambdas/snapshot/scan-metrics';
import { clientsFor } from '../test/collect/simulator-clients';
import type { GenerateFleetOptions } from '../test/support/simulator';
import { generateFleet, startSimulator } from '../test/support/simulator';
import type { CostLine, DailyUsage, TemplateCounts } from './cost-model';
import { ASSUMPTIONS, monthlyCost, PRICES, readTemplate } from './cost-model';
import type { HourUse, SimAssumptions, SimResult, SimScenario } from './efficiency-sim';
import { DEFAULT_ASSUMPTIONS, simulateDay } from './efficiency-sim';
import { renderEfficiencyBlocks, replaceBlock } from './efficiency-docs';

export const TARGETS = {
  budgetShareDailyMaximal: 0.01,
  detectionLatencyP95Seconds: 60,
  missedChanges: 0,
  monthlyCost200StagesUsd: 0.6,
} as const;

const ACCOUNT_BUDGET_PER_DAY = 10 * 86_400;
const METHOD_SETTINGS = 5;

export const FLEETS = {
  maximal: { restApis: 600, httpApis: 600, stagesPerApi: 10 },
  fanOut: { restApis: 25, httpApis: 25, stagesPerApi: 2 },
  cost200: { restApis: 20, httpApis: 20, stagesPerApi: 5 },
} as const;

type FleetShape = (typeof FLEETS)[keyof typeof FLEETS];

/** The calls of one full scan by the real collector against the simulator, and the latency of one call. */
export const measureFullScan = async (
  shape: FleetShape,
): Promise<{ calls: number; callLatencySeconds: number }> => {
  const options: GenerateFleetOptions = { ...shape, methodSettingsPerStage: METHOD_SETTINGS, seed: 42 };
  const sim = await startSimulator({ fleet: generateFleet(options) });
  const clients = clientsFor(sim);
  try {
    // One call at a time, budget lifted: the count, and the latency of a call (no pacing in it).
    const started = performance.now();
    const result = await collectStages(clients, { ratePerSecond: 1e6, burst: 1e6, concurrency: 1 });
    const seconds = (performance.now() - started) / 1000;
    if (result.failures.length > 0) throw new Error(`collect failed: ${JSON.stringify(result.failures[0])}`);
    return { calls: sim.counts.total, callLatencySeconds: seconds / sim.counts.total };
  } finally {
    clients.destroy();
    await sim.close();
  }
};

/**
 * Metric-hours of a day: the real `emitScanMetrics` with a recorder, per hour of the simulation,
 * with the default settings (`driftMetrics` off: failure metrics only, and the day has no failure).
 */
export const metricHoursOf = (
  hourly: readonly HourUse[],
  config: ScanMetricsOptions = { driftMetrics: SETTINGS.driftMetrics.default },
): number => {
  let hours = 0;
  const scope = (changes: number, stages: number): ScopeSummary => ({
    account: '123456789012',
    region: 'us-east-1',
    baseline: false,
    apisListed: 0,
    apisRead: 0,
    stagesRead: stages,
    stagesChanged: changes,
    events: { ...zeroCounts(), MEDIUM: changes },
    replayed: 0,
    superseded: 0,
    warnings: [],
    failures: [],
    calls: emptyCallCounts(),
    durationMs: 1000,
  });
  for (const hour of hourly) {
    const names = new Set<string>();
    const metrics = {
      addMetric: (name: string) => names.add(name),
      publishStoredMetrics: () => undefined,
    } as unknown as Metrics;
    const logger = { warn: () => undefined } as unknown as Logger;
    const summary = (s: ScopeSummary): ScanSummary => ({
      startedAt: '',
      baseline: false,
      scopes: [s],
      events: [],
      postureSummaries: [],
      postureChanges: [],
      durationMs: 1000,
    });
    if (hour.fullScans > 0)
      emitScanMetrics({ metrics, logger }, summary(scope(hour.fullScanChanges, 200)), config);
    if (hour.decisionTicks > 0) emitScanMetrics({ metrics, logger }, summary(scope(0, 0)), config);
    if (hour.rescans > 0) {
      emitScanMetrics({ metrics, logger }, summary(scope(hour.rescanChanges, 1)), config, [
        ['TargetedRescans', hour.rescans],
      ]);
    }
    // The publish function's metrics (lambdas/publish/process-batch.ts): with no delivery failure,
    // only its activity metrics, with `driftMetrics` on: assumed one (AlertsPublished) per hour with alerts.
    if (config.driftMetrics && hour.fullScanChanges + hour.rescanChanges > 0) names.add('AlertsPublished');
    hours += names.size;
  }
  return hours;
};

/** The day's usage of the 200-stage monitor, for the cost model. */
export const usageOf = (result: SimResult, stages: number): DailyUsage => ({
  invocations: {
    snapshot: {
      count: result.fullScansDay + result.decisionOnlyTicksDay,
      seconds: result.snapshotSecondsDay,
    },
    rescan: { count: result.rescanBatchesDay, seconds: result.rescanSecondsDay },
    // Assumption: a publish invocation per batch of stored events, 0.3 s (a Slack/SNS round trip).
    publish: { count: result.publishBatchesDay, seconds: result.publishBatchesDay * 0.3 },
  },
  metricHours: metricHoursOf(result.hourly),
  scheduleInvocations: 86_400 / (SETTINGS.schedule.default * 60),
  // Per full scan: the scope's latest items (~300 B each, eventually consistent) and the run record;
  // per tick: one Query of the newest run record; per change ~10 write units (event, GSI copy, version, latest).
  dynamoReadUnits:
    result.fullScansDay * (Math.ceil((stages * 300) / 4096) / 2 + 1) +
    (result.fullScansDay + result.decisionOnlyTicksDay) * 0.5 +
    result.rescansDay * 0.5,
  dynamoWriteUnits: result.fullScansDay * 2 + result.changes * 10,
});

export interface EfficiencyReport {
  readonly generatedAt: string;
  readonly budgetShareDailyMaximal: number;
  readonly budgetShareDailyMaximalEventsDown: number;
  readonly detectionLatencyP95Seconds: number;
  readonly missedChanges: number;
  readonly monthlyCost200StagesUsd: number;
  readonly template: TemplateCounts;
  readonly fullScanCalls: Readonly<Record<keyof typeof FLEETS, number>>;
  readonly callLatencySeconds: number;
  readonly scenarios: readonly (Omit<SimResult, 'hourly'> & { readonly budgetShareMaxScope: number })[];
  readonly cost: { readonly lines: readonly CostLine[]; readonly total: number };
  readonly assumptions: SimAssumptions & typeof ASSUMPTIONS;
  readonly prices: typeof PRICES;
  readonly targets: typeof TARGETS;
}

export const scenariosFor = (
  fullScanCalls: Readonly<Record<keyof typeof FLEETS, number>>,
  scale = 1,
): SimScenario[] => {
  const common = {
    deploysPerScopePerDay: 20,
    consoleEditsPerScopePerDay: 5,
    lostEventShare: 0.04,
    scheduleSeconds: SETTINGS.schedule.default * 60,
    fullScanIntervalSeconds: SETTINGS.fullScanInterval.default * 60,
  };
  const apis = (f: FleetShape) => f.restApis + f.httpApis;
  const stages = (f: FleetShape) => apis(f) * f.stagesPerApi;
  return [
    {
      ...common,
      name: '(a) maximal account, events healthy',
      scopes: 1,
      apisPerScope: apis(FLEETS.maximal),
      stagesPerScope: stages(FLEETS.maximal),
      fullScanCalls: fullScanCalls.maximal,
      eventsHealthy: true,
      seed: 1,
    },
    {
      ...common,
      name: '(b) maximal account, event path down',
      scopes: 1,
      apisPerScope: apis(FLEETS.maximal),
      stagesPerScope: stages(FLEETS.maximal),
      fullScanCalls: fullScanCalls.maximal,
      eventsHealthy: false,
      seed: 2,
    },
    {
      ...common,
      name: '(c) 50 accounts × 4 regions, events healthy',
      scopes: Math.max(1, Math.round(200 * scale)),
      apisPerScope: apis(FLEETS.fanOut),
      stagesPerScope: stages(FLEETS.fanOut),
      fullScanCalls: fullScanCalls.fanOut,
      eventsHealthy: true,
      seed: 3,
    },
    {
      ...common,
      name: '200 stages, one region, events healthy (the cost case)',
      scopes: 1,
      apisPerScope: apis(FLEETS.cost200),
      stagesPerScope: stages(FLEETS.cost200),
      fullScanCalls: fullScanCalls.cost200,
      eventsHealthy: true,
      seed: 4,
    },
  ];
};

/** The report from the measured calls, the simulation and the template. */
export const buildReport = (
  fullScanCalls: Readonly<Record<keyof typeof FLEETS, number>>,
  callLatencySeconds: number,
  template: TemplateCounts,
  scale = 1,
): EfficiencyReport => {
  const assumptions: SimAssumptions = {
    ...DEFAULT_ASSUMPTIONS,
    batchingWindowSeconds: EVENTS_BATCHING_WINDOW.toSeconds(),
    batchSize: EVENTS_BATCH_SIZE,
    callLatencySeconds,
  };
  const results = scenariosFor(fullScanCalls, scale).map((s) => simulateDay(s, assumptions));
  const [maximal, down, fanOut, cost200] = results as [SimResult, SimResult, SimResult, SimResult];
  const cost = monthlyCost(template, usageOf(cost200, FLEETS.cost200.restApis * 5 * 2));
  return {
    generatedAt: new Date().toISOString().slice(0, 10),
    budgetShareDailyMaximal: maximal.managementCallsDay / ACCOUNT_BUDGET_PER_DAY,
    budgetShareDailyMaximalEventsDown: down.managementCallsDay / ACCOUNT_BUDGET_PER_DAY,
    detectionLatencyP95Seconds: Math.max(
      maximal.detectionLatencyP95Seconds,
      fanOut.detectionLatencyP95Seconds,
    ),
    missedChanges: results.reduce((n, r) => n + r.missedChanges, 0),
    monthlyCost200StagesUsd: Math.round(cost.total * 100) / 100,
    template,
    fullScanCalls,
    callLatencySeconds,
    scenarios: results.map(({ hourly: _hourly, ...r }) => ({
      ...r,
      budgetShareMaxScope: r.maxScopeCallsDay / ACCOUNT_BUDGET_PER_DAY,
    })),
    cost,
    assumptions: { ...assumptions, ...ASSUMPTIONS },
    prices: PRICES,
    targets: TARGETS,
  };
};

export interface EfficiencyCheck {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean;
}

export const checksOf = (r: EfficiencyReport): EfficiencyCheck[] => [
  {
    target: `management budget share <= ${TARGETS.budgetShareDailyMaximal * 100}% (maximal, events healthy)`,
    measured: `${(r.budgetShareDailyMaximal * 100).toFixed(3)}%`,
    pass: r.budgetShareDailyMaximal <= TARGETS.budgetShareDailyMaximal,
  },
  {
    target: `detection p95 <= ${TARGETS.detectionLatencyP95Seconds} s (event at EventBridge -> drift event stored)`,
    measured: `${r.detectionLatencyP95Seconds.toFixed(1)} s`,
    pass: r.detectionLatencyP95Seconds <= TARGETS.detectionLatencyP95Seconds,
  },
  { target: 'missed changes = 0', measured: String(r.missedChanges), pass: r.missedChanges === 0 },
  {
    target: `monthly cost, 200 stages, before free tiers <= $${TARGETS.monthlyCost200StagesUsd.toFixed(2)}`,
    measured: `$${r.monthlyCost200StagesUsd.toFixed(2)}`,
    pass: r.monthlyCost200StagesUsd <= TARGETS.monthlyCost200StagesUsd,
  },
];

const ROOT = path.resolve(__dirname, '..');
export const RESULT_FILE = path.join(ROOT, 'bench', 'results', 'efficiency.json');
export const DOC_FILES = {
  readme: path.join(ROOT, 'README.md'),
  deploy: path.join(ROOT, 'docs', 'deploy.md'),
};

/** Measures, simulates, writes the JSON and the docs' blocks; returns the report and its checks. */
export const runEfficiency = async (
  progress: (message: string) => void = () => undefined,
): Promise<{ report: EfficiencyReport; checks: EfficiencyCheck[] }> => {
  progress('efficiency: full-scan calls of each fleet, by the real collector against the simulator');
  const maximal = await measureFullScan(FLEETS.maximal);
  const fanOut = await measureFullScan(FLEETS.fanOut);
  const cost200 = await measureFullScan(FLEETS.cost200);
  progress('efficiency: the synthesized template (StageDriftStack) for the cost model');
  const template = readTemplate();
  progress('efficiency: simulating the days on a virtual clock');
  const report = buildReport(
    { maximal: maximal.calls, fanOut: fanOut.calls, cost200: cost200.calls },
    cost200.callLatencySeconds,
    template,
  );
  await mkdir(path.dirname(RESULT_FILE), { recursive: true });
  await writeFile(RESULT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  const blocks = renderEfficiencyBlocks(report);
  for (const [key, file] of Object.entries(DOC_FILES) as [keyof typeof DOC_FILES, string][]) {
    const text = await readFile(file, 'utf8');
    const next = replaceBlock(text, blocks[key]);
    if (next !== text) await writeFile(file, next);
  }
  return { report, checks: checksOf(report) };
};
