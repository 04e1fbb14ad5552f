import { readFileSync } from 'node:fs';
import path from 'node:path';
import { monthlyCost, PRICES, readTemplate } from '../../bench/cost-model';
import type { EfficiencyReport } from '../../bench/efficiency';
import { blockOf, renderEfficiencyBlocks } from '../../bench/efficiency-docs';
import type { SimScenario } from '../../bench/efficiency-sim';
import { DEFAULT_ASSUMPTIONS, simulateDay } from '../../bench/efficiency-sim';

// The efficiency benchmark's parts at small scale: the day simulation (driving the real
// scanModeFor), the cost model's arithmetic, and the docs' blocks generated from its JSON.

const ASSUMPTIONS = { ...DEFAULT_ASSUMPTIONS, callLatencySeconds: 0.002 };
const SMALL: SimScenario = {
  name: 'small',
  scopes: 3,
  apisPerScope: 10,
  fullScanCalls: 22,
  stagesPerScope: 20,
  deploysPerScopePerDay: 20,
  consoleEditsPerScopePerDay: 5,
  lostEventShare: 0.2,
  eventsHealthy: true,
  scheduleSeconds: 900,
  fullScanIntervalSeconds: 86_400,
  seed: 7,
};

describe('simulateDay', () => {
  it('with events healthy: a full scan about once a day per scope, rescans in between, nothing missed', () => {
    const r = simulateDay(SMALL, ASSUMPTIONS);
    expect(r.changes).toBe(75);
    expect(r.lostEventChanges).toBeGreaterThan(0);
    expect(r.missedChanges).toBe(0);
    expect(r.fullScansDay).toBeGreaterThanOrEqual(3);
    expect(r.fullScansDay).toBeLessThan(3 * 10);
    expect(r.decisionOnlyTicksDay).toBeGreaterThan(3 * 80);
    expect(r.reasons['events-healthy']).toBe(r.decisionOnlyTicksDay);
    // The batching window dominates: 20 s + calls and writes.
    expect(r.detectionLatencyP95Seconds).toBeGreaterThanOrEqual(20);
    expect(r.detectionLatencyP95Seconds).toBeLessThan(25);
    expect(r.unannouncedLatencyMaxSeconds).toBeLessThanOrEqual(86_400 + 900 + 60);
    // Replays: the same seed, the same day.
    expect(simulateDay(SMALL, ASSUMPTIONS)).toEqual(r);
  });

  it('with the event path down: a full scan at every tick, found within one tick', () => {
    const r = simulateDay({ ...SMALL, eventsHealthy: false }, ASSUMPTIONS);
    expect(r.fullScansDay).toBe(3 * 96);
    expect(r.reasons['trail-not-logging']).toBe(3 * 96);
    expect(r.rescansDay).toBe(0);
    expect(r.missedChanges).toBe(0);
    expect(r.unannouncedLatencyMaxSeconds).toBeLessThanOrEqual(900 + 60);
    expect(r.managementCallsDay).toBe(3 * 96 * 22);
  });
});

describe('monthlyCost', () => {
  it('prices what the template holds and the measured usage', () => {
    const template = {
      alarms: 3,
      alarmMetrics: 7,
      kmsKeys: 1,
      secrets: 1,
      sqsEventSourceMappings: 0,
      schedules: 1,
      functionMemoryMb: { snapshot: 512 },
    };
    const day = {
      invocations: { snapshot: { count: 100, seconds: 1000 } },
      metricHours: 24,
      scheduleInvocations: 0,
      dynamoWriteUnits: 0,
      dynamoReadUnits: 0,
    };
    const { lines } = monthlyCost(template, day);
    const line = (prefix: string) => lines.find((l) => l.item.startsWith(prefix))!.usd;
    expect(line('CloudWatch alarms')).toBeCloseTo(0.7);
    expect(line('KMS')).toBe(1);
    expect(line('Secrets')).toBeCloseTo(0.4);
    // One metric every hour of every day: one metric-month.
    expect(line('CloudWatch custom metrics')).toBeCloseTo((PRICES.customMetricMonth * (30.4 * 24)) / 730, 5);
    expect(line('Lambda snapshot')).toBeCloseTo(
      1000 * 0.5 * 30.4 * PRICES.lambdaArmGbSecond + 3040 * PRICES.lambdaRequest,
      6,
    );
  });
});

describe('the docs figures (README.md, docs/deploy.md)', () => {
  const root = path.resolve(__dirname, '../..');
  const report = JSON.parse(
    readFileSync(path.join(root, 'bench/results/efficiency.json'), 'utf8'),
  ) as EfficiencyReport;
  const blocks = renderEfficiencyBlocks(report);

  it.each([
    ['README.md', blocks.readme],
    ['docs/deploy.md', blocks.deploy],
  ])(
    '%s holds the block generated from bench/results/efficiency.json (npm run bench -- --only=efficiency)',
    (file, block) => {
      expect(blockOf(readFileSync(path.join(root, file), 'utf8'))).toBe(block);
    },
  );

  it("carries the counts the cost model reads from today's template (regenerate the JSON when they change)", () => {
    expect(report.template).toEqual(readTemplate());
  });
});
