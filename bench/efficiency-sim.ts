/**
 * The day simulation of the efficiency benchmark, on a virtual clock (ManualClock): change
 * arrivals, their CloudTrail events, the events queue's batching, the rescans, and the schedule's
 * ticks, each tick deciding per scope with the REAL `scanModeFor` (shared/scan/scan-mode.ts).
 * Calls are counted as the code makes them: a full scan costs what the collector made against the
 * simulator for that fleet (measured by the caller), a rescan 2 calls per affected API.
 * No I/O, no wall clock: a unit test runs it at small scale.
 */
import { ManualClock } from '../shared/runtime';
import { scanModeFor } from '../shared/scan';
import type { ScanModeReason, TrailHealth } from '../shared/scan';

export interface SimAssumptions {
  /** CloudTrail → EventBridge delivery, seconds, uniform in [min, max] (AWS: best effort, about 5 min on average). */
  readonly cloudTrailDelaySeconds: readonly [number, number];
  /** EventBridge rule → SQS, seconds (no AWS figure). */
  readonly eventBridgeToSqsSeconds: number;
  /** The events queue mapping's batching window (infra/monitor/event-rescans.ts). */
  readonly batchingWindowSeconds: number;
  readonly batchSize: number;
  /** One control-plane call's latency, seconds (measured on the simulator by the caller). */
  readonly callLatencySeconds: number;
  /** A rescan's or a scan's store writes and the Lambda's own overhead, seconds. */
  readonly writeSeconds: number;
  /** The collector's budget (the deployed defaults: 3/s, burst 10, 4 in flight). */
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly concurrency: number;
  /** A tick that decides events-only: one Query and the trail check, seconds. */
  readonly decisionSeconds: number;
  /** CloudTrail calls of one trail check (DescribeTrails, GetTrailStatus, GetEventSelectors). */
  readonly trailCheckCalls: number;
}

export const DEFAULT_ASSUMPTIONS: Omit<SimAssumptions, 'callLatencySeconds'> = {
  cloudTrailDelaySeconds: [60, 540],
  eventBridgeToSqsSeconds: 0.5,
  batchingWindowSeconds: 20,
  batchSize: 100,
  writeSeconds: 0.1,
  ratePerSecond: 3,
  burst: 10,
  concurrency: 4,
  decisionSeconds: 0.3,
  trailCheckCalls: 3,
};

export interface SimScenario {
  readonly name: string;
  readonly scopes: number;
  /** APIs per scope (a change picks one). */
  readonly apisPerScope: number;
  /** Management calls of one full scan of a scope (bench/collect-calls.ts's count for the fleet). */
  readonly fullScanCalls: number;
  /** Stages per scope (the store's reads). */
  readonly stagesPerScope: number;
  readonly deploysPerScopePerDay: number;
  readonly consoleEditsPerScopePerDay: number;
  /** Share of changes whose CloudTrail event never arrives. */
  readonly lostEventShare: number;
  /** The event path: a trail logging (healthy) or not (down: every event is lost, no trail). */
  readonly eventsHealthy: boolean;
  readonly scheduleSeconds: number;
  readonly fullScanIntervalSeconds: number;
  readonly seed: number;
}

export interface ScopeDay {
  readonly managementCalls: number;
  readonly fullScans: number;
}

export interface SimResult {
  readonly scenario: string;
  readonly changes: number;
  readonly announcedChanges: number;
  readonly lostEventChanges: number;
  readonly missedChanges: number;
  /** Event reaching EventBridge → drift event stored, announced changes (0 when stored before). */
  readonly detectionLatencyP95Seconds: number;
  readonly detectionLatencyMaxSeconds: number;
  /** Change → stored, for the changes whose event never arrived (the safety net's latency). */
  readonly unannouncedLatencyMaxSeconds: number;
  /** The first day's management calls, all scopes, and the busiest scope's. */
  readonly managementCallsDay: number;
  readonly maxScopeCallsDay: number;
  readonly fullScansDay: number;
  readonly rescansDay: number;
  readonly rescanBatchesDay: number;
  readonly decisionOnlyTicksDay: number;
  readonly trailCheckCallsDay: number;
  readonly reasons: Readonly<Partial<Record<ScanModeReason, number>>>;
  /** Billed seconds of the snapshot and rescan functions on the first day. */
  readonly snapshotSecondsDay: number;
  readonly rescanSecondsDay: number;
  /** Invocations that stored drift events (publish invocations). */
  readonly publishBatchesDay: number;
  /** Per hour of the first day: invocations by kind, for the metric model. */
  readonly hourly: readonly HourUse[];
  readonly fullScanSeconds: number;
}

export interface HourUse {
  fullScans: number;
  fullScanChanges: number;
  decisionTicks: number;
  rescans: number;
  rescanChanges: number;
}

/** mulberry32: a seeded PRNG, so a run replays. */
export const prng = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Seconds the collector needs for `calls` at its budget: the burst, then the rate, plus latency. */
export const pacedSeconds = (calls: number, a: SimAssumptions): number =>
  Math.max(0, calls - a.burst) / a.ratePerSecond + (calls * a.callLatencySeconds) / a.concurrency;

interface Change {
  readonly at: number;
  readonly scope: number;
  readonly api: number;
  readonly eventsAt: readonly number[];
  detectedAt?: number;
}

const DAY = 86_400;
const HEALTHY_TRAIL: TrailHealth = { logging: true, detail: 'simulated trail logs management events' };
const NO_TRAIL: TrailHealth = { logging: false, detail: 'no trail applies' };

const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Simulates day 0 of changes, and runs on until every scope's safety net has run after it. */
export const simulateDay = (s: SimScenario, a: SimAssumptions): SimResult => {
  const rng = prng(s.seed);
  const clock = new ManualClock({ start: 0 });
  const horizon = DAY + s.fullScanIntervalSeconds + 2 * s.scheduleSeconds;

  // Changes: deploys (CreateDeployment + UpdateStage events) and console edits (UpdateStage).
  const changes: Change[] = [];
  for (let scope = 0; scope < s.scopes; scope += 1) {
    const kinds = [
      ...Array.from({ length: s.deploysPerScopePerDay }, () => 2),
      ...Array.from({ length: s.consoleEditsPerScopePerDay }, () => 1),
    ];
    for (const events of kinds) {
      const at = rng() * DAY;
      const api = Math.floor(rng() * s.apisPerScope);
      const [min, max] = a.cloudTrailDelaySeconds;
      const delay = min + rng() * (max - min);
      const lost = !s.eventsHealthy || rng() < s.lostEventShare;
      changes.push({
        at,
        scope,
        api,
        eventsAt: lost ? [] : Array.from({ length: events }, (_, i) => at + delay + i),
      });
    }
  }

  // The events queue: batches open at the first message and close after the window (or when full).
  const messages = changes
    .flatMap((c) => c.eventsAt.map((eventAt) => ({ at: eventAt + a.eventBridgeToSqsSeconds, change: c })))
    .sort((x, y) => x.at - y.at);
  interface Action {
    readonly at: number;
    readonly kind: 'rescan' | 'tick';
    readonly targets?: readonly { scope: number; api: number }[];
  }
  const actions: Action[] = [];
  for (let i = 0; i < messages.length;) {
    const opened = messages[i]!.at;
    const batch: typeof messages = [];
    while (
      i < messages.length &&
      messages[i]!.at <= opened + a.batchingWindowSeconds &&
      batch.length < a.batchSize
    ) {
      batch.push(messages[i]!);
      i += 1;
    }
    const closed =
      batch.length === a.batchSize ? batch[batch.length - 1]!.at : opened + a.batchingWindowSeconds;
    const keys = new Map<string, { scope: number; api: number }>();
    for (const m of batch)
      keys.set(`${m.change.scope}/${m.change.api}`, { scope: m.change.scope, api: m.change.api });
    actions.push({ at: closed, kind: 'rescan', targets: [...keys.values()] });
  }
  for (let t = 0; t <= horizon; t += s.scheduleSeconds) actions.push({ at: t, kind: 'tick' });
  actions.sort((x, y) => x.at - y.at || (x.kind === 'tick' ? -1 : 1));

  const byScope = Array.from({ length: s.scopes }, () => [] as Change[]);
  for (const c of changes) byScope[c.scope]!.push(c);
  // Steady state: each scope's last full scan at a random time of the day before.
  const lastFull = Array.from({ length: s.scopes }, () => -rng() * s.fullScanIntervalSeconds);
  const unannouncedAt: (number | undefined)[] = Array.from({ length: s.scopes }, () => undefined);
  const callsDay = Array.from({ length: s.scopes }, () => 0);
  const hourly: HourUse[] = Array.from({ length: 24 }, () => ({
    fullScans: 0,
    fullScanChanges: 0,
    decisionTicks: 0,
    rescans: 0,
    rescanChanges: 0,
  }));
  const reasons: Partial<Record<ScanModeReason, number>> = {};
  let fullScansDay = 0;
  let rescansDay = 0;
  let rescanBatchesDay = 0;
  let decisionTicksDay = 0;
  let trailChecksDay = 0;
  let snapshotSeconds = 0;
  let rescanSeconds = 0;
  let publishBatches = 0;
  const fullScanSeconds = pacedSeconds(s.fullScanCalls, a) + a.writeSeconds;
  const trail = s.eventsHealthy ? HEALTHY_TRAIL : NO_TRAIL;

  for (const action of actions) {
    clock.set(action.at * 1000);
    const now = clock.now() / 1000;
    const today = now < DAY;
    const hour = hourly[Math.floor(now / 3600)];
    if (action.kind === 'rescan') {
      const perScope = new Map<number, number>();
      for (const { scope } of action.targets!) perScope.set(scope, (perScope.get(scope) ?? 0) + 2);
      const duration =
        Math.max(...[...perScope.values()].map((calls) => pacedSeconds(calls, a))) + a.writeSeconds;
      let found = 0;
      for (const { scope, api } of action.targets!) {
        if (today) callsDay[scope]! += 2;
        for (const c of byScope[scope]!) {
          if (c.api === api && c.detectedAt === undefined && c.at <= now) {
            c.detectedAt = now + duration;
            found += 1;
          }
        }
      }
      if (today) {
        rescansDay += action.targets!.length;
        rescanBatchesDay += 1;
        rescanSeconds += duration;
        if (found > 0) publishBatches += 1;
        if (hour) {
          hour.rescans += 1;
          hour.rescanChanges += found;
        }
      }
      continue;
    }
    for (let scope = 0; scope < s.scopes; scope += 1) {
      const decision = scanModeFor({
        lastFullScanAt: new Date(lastFull[scope]! * 1000),
        trailStatus: trail,
        unannouncedChangeAt:
          unannouncedAt[scope] === undefined ? undefined : new Date(unannouncedAt[scope]! * 1000),
        now: new Date(now * 1000),
        fullScanIntervalMs: s.fullScanIntervalSeconds * 1000,
        eventsRouted: true,
      });
      if (today) {
        reasons[decision.reason] = (reasons[decision.reason] ?? 0) + 1;
        trailChecksDay += a.trailCheckCalls; // the check is made at every tick of a fully scanned scope
      }
      if (decision.mode === 'events-only') {
        if (today) {
          decisionTicksDay += 1;
          snapshotSeconds += a.decisionSeconds;
          if (hour) hour.decisionTicks += 1;
        }
        continue;
      }
      let found = 0;
      for (const c of byScope[scope]!) {
        if (c.detectedAt === undefined && c.at <= now) {
          c.detectedAt = now + fullScanSeconds;
          found += 1;
        }
      }
      lastFull[scope] = now;
      unannouncedAt[scope] = found > 0 ? now : undefined;
      if (today) {
        callsDay[scope]! += s.fullScanCalls;
        fullScansDay += 1;
        snapshotSeconds += fullScanSeconds;
        if (found > 0) publishBatches += 1;
        if (hour) {
          hour.fullScans += 1;
          hour.fullScanChanges += found;
        }
      }
    }
  }

  const announced = changes.filter((c) => c.eventsAt.length > 0);
  const lost = changes.filter((c) => c.eventsAt.length === 0);
  const latencies = announced
    .filter((c) => c.detectedAt !== undefined)
    .map((c) => Math.max(0, c.detectedAt! - c.eventsAt[0]!));
  return {
    scenario: s.name,
    changes: changes.length,
    announcedChanges: announced.length,
    lostEventChanges: lost.length,
    missedChanges: changes.filter((c) => c.detectedAt === undefined).length,
    detectionLatencyP95Seconds: percentile(latencies, 95),
    detectionLatencyMaxSeconds: percentile(latencies, 100),
    unannouncedLatencyMaxSeconds: Math.max(
      0,
      ...lost.filter((c) => c.detectedAt).map((c) => c.detectedAt! - c.at),
    ),
    managementCallsDay: callsDay.reduce((n, c) => n + c, 0),
    maxScopeCallsDay: Math.max(...callsDay),
    fullScansDay,
    rescansDay,
    rescanBatchesDay,
    decisionOnlyTicksDay: decisionTicksDay,
    trailCheckCallsDay: trailChecksDay,
    reasons,
    snapshotSecondsDay: snapshotSeconds,
    rescanSecondsDay: rescanSeconds,
    publishBatchesDay: publishBatches,
    hourly,
    fullScanSeconds,
  };
};
