import type { ScanDeps, ScanScope, ScheduledScanResult } from '../../shared/scan';
import { runScheduledScan } from '../../shared/scan';
import type { DriftEventRecord, LatestEntry } from '../../shared/store';
import { applyChunkDrift as applyDrift, chunkFleet, PACED, STAGES_IN_CHUNK_FLEET } from './scan-fleet';
import type { ScanHarness } from './scan-harness';
import { eventLines, SCOPE, startScanHarness, T } from './scan-harness';

// The scheduled single-account scan on a virtual clock: a scope that does not fit in one
// invocation stops before the deadline and goes on at the next scheduled run, from its run record.

let h: ScanHarness;
beforeAll(async () => {
  h = await startScanHarness();
});
afterAll(async () => {
  await h.stop();
});

const STAGES = STAGES_IN_CHUNK_FLEET;

/** Every call moves the virtual clock 100 ms. */
const paced = (): ScanDeps => ({ ...h.deps, collect: { ...PACED, clock: h.clock } });
/** Each invocation has one virtual second: about eight API reads. */
const BUDGET_MS = 1_000;

const byKey = (entries: readonly LatestEntry[]) =>
  [...entries].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));

interface Tick {
  readonly result: ScheduledScanResult;
  readonly startedAt: number;
  readonly deadlineMs: number;
  readonly endedAt: number;
}

/** One scheduled invocation at tick `hour`, with `budgetMs` of virtual time. */
const invoke = async (
  deps: ScanDeps,
  hour: number,
  scopes: readonly ScanScope[] = [SCOPE],
  budgetMs = BUDGET_MS,
): Promise<Tick> => {
  const startedAt = h.clock.now();
  const deadlineMs = startedAt + budgetMs;
  const result = await runScheduledScan(deps, { scopes, now: T(hour), deadlineMs, reserveMs: 0 });
  return { result, startedAt, deadlineMs, endedAt: h.clock.now() };
};

/** Ticks from `hour` until the scope's run completes; the events they recorded. */
const untilCompleted = async (deps: ScanDeps, hour: number) => {
  const ticks: Tick[] = [];
  for (let at = hour; ; at += 1) {
    const tick = await invoke(deps, at);
    ticks.push(tick);
    if (tick.result.completed > 0) break;
    if (ticks.length > 20) throw new Error('no progress');
  }
  const events: DriftEventRecord[] = ticks.flatMap((t) => [...t.result.summary.events]);
  return { ticks, events, next: hour + ticks.length };
};

describe('runScheduledScan on a virtual clock', () => {
  it('stops a scope before the deadline and goes on at the next run: every stage recorded once, no false deletions', async () => {
    // Prepare: the reference, a one-shot baseline at T(1) and a drift scan at T(9), on its own table.
    const reference = chunkFleet();
    await h.useTable(reference);
    await h.scan(T(1));
    applyDrift(reference);
    const oneShot = await h.scan(T(9));
    const expectedEvents = await h.storedEvents();
    const expectedLatest = byKey(await h.latest());
    expect(eventLines(oneShot.events)).toHaveLength(6);

    // Prepare 2: the same fleet on a new table, scanned by paced invocations of one virtual second.
    const fleet = chunkFleet();
    await h.useTable(fleet);
    const deps = paced();

    // Act 1: the first invocation
    const first = await invoke(deps, 1);

    // Assess 1: stopped before the deadline with the run recorded as in progress.
    expect(first.result).toMatchObject({ completed: 0, continued: SCOPE, waiting: [] });
    const [inProgress] = (await h.store.listRuns(SCOPE.account, SCOPE.region, 1)).runs;
    expect(inProgress).toMatchObject({
      startedAt: T(1).toISOString(),
      summary: { baseline: true },
      progress: { state: 'in-progress' },
    });

    // Act 2: the next runs carry the baseline on to its end.
    const baseline = await untilCompleted(deps, 2);

    // Assess 2: one run (captured at T(1)) in several invocations, no event, every stage once.
    expect(baseline.ticks.length).toBeGreaterThanOrEqual(1);
    expect(baseline.events).toEqual([]);
    expect(await h.latest()).toHaveLength(STAGES);
    const runs = (await h.store.listRuns(SCOPE.account, SCOPE.region)).runs;
    expect(runs.map((r) => r.startedAt)).toEqual([T(1).toISOString()]);
    expect(runs[0]!.summary).toMatchObject({
      baseline: true,
      apisRead: 16,
      stagesRead: STAGES,
      chunks: baseline.ticks.length + 1,
    });
    expect(runs[0]!.progress).toEqual({ state: 'complete' });

    // Act 3: drift, then a new run at T(9) in pieces.
    applyDrift(fleet);
    h.clock.advance(60_000);
    const drift = await (async () => {
      const ticks: Tick[] = [await invoke(deps, 9)];
      for (let at = 10; ticks[ticks.length - 1]!.result.completed === 0; at += 1)
        ticks.push(await invoke(deps, at));
      return ticks;
    })();

    // Assess 3: the same events, stored state and run times as the one-shot scans: nothing lost,
    // nothing twice, no deletion of a stage whose API a chunk did not read.
    expect(drift.length).toBeGreaterThanOrEqual(2);
    // Each invocation ended by its deadline, give or take the one read in flight (100 ms).
    for (const tick of [first, ...baseline.ticks, ...drift])
      expect(tick.endedAt).toBeLessThanOrEqual(tick.deadlineMs + 100);
    expect(eventLines(drift.flatMap((t) => [...t.result.summary.events]))).toEqual(
      eventLines(oneShot.events),
    );
    expect(await h.storedEvents()).toEqual(expectedEvents);
    expect(byKey(await h.latest())).toEqual(expectedLatest);
    expect((await h.store.listRuns(SCOPE.account, SCOPE.region)).runs.map((r) => r.startedAt)).toEqual([
      T(9).toISOString(),
      T(1).toISOString(),
    ]);
  });

  it('resumes the run left in progress first, then the scopes scanned longest ago', async () => {
    // Prepare: two scopes of one account (the simulator serves the same fleet to both).
    await h.useTable(chunkFleet());
    const deps = paced();
    const a = SCOPE;
    const b = { account: SCOPE.account, region: 'eu-west-1' };

    // Act 1: A does not fit; B waits.
    const first = await invoke(deps, 1, [a, b]);

    // Assess 1
    expect(first.result).toMatchObject({ completed: 0, continued: a, waiting: [b] });

    // Act 2: time enough for both.
    const second = await invoke(deps, 2, [b, a], 600_000);

    // Assess 2: A's run resumed first (kept its T(1)), then B's new one.
    expect(second.result.completed).toBe(2);
    expect(second.result.resumed).toBe(1);
    expect(second.result.summary.scopes.map((s) => s.region)).toEqual([a.region, b.region]);
    expect((await h.store.listRuns(a.account, a.region)).runs.map((r) => r.startedAt)).toEqual([
      T(1).toISOString(),
    ]);
    expect((await h.store.listRuns(b.account, b.region)).runs.map((r) => r.startedAt)).toEqual([
      T(2).toISOString(),
    ]);

    // Act 3: short again: the scope scanned longest ago goes first, whatever the configured order.
    const third = await invoke(deps, 3, [b, a]);

    // Assess 3
    expect(third.result).toMatchObject({ continued: a, waiting: [b] });
  });

  it('starts a new run instead of resuming one left in progress for more than a day', async () => {
    // Prepare
    await h.useTable(chunkFleet());
    const deps = paced();
    await invoke(deps, 1);

    // Act: 25 hours later, time enough.
    const later = await invoke(deps, 26, [SCOPE], 600_000);

    // Assess
    expect(later.result).toMatchObject({ completed: 1, resumed: 0 });
    expect(later.result.summary.startedAt).toBe(T(26).toISOString());
    expect(later.result.summary.events).toEqual([]); // still the scope's baseline
  });
});
