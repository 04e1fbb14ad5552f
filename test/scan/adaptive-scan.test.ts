import type { AdaptiveScans, ScanDeps, TrailHealth } from '../../shared/scan';
import { runScheduledScan, runScanTask } from '../../shared/scan';
import { REST_ORDERS, scanFleet, stageOf } from './scan-fleet';
import type { ScanHarness } from './scan-harness';
import { SCOPE, startScanHarness, T } from './scan-harness';

// Adaptive full scans on the scheduled path: the tick decides per scope (scanModeFor) from the
// newest run record and the trail check; the run record says which mode the scope is in and why.

let h: ScanHarness;
beforeAll(async () => {
  h = await startScanHarness();
});
afterAll(async () => {
  await h.stop();
});

const LOGGING: TrailHealth = {
  logging: true,
  detail: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t logs',
};
const H = 3_600_000;

const adaptiveDeps = (trail: { current: TrailHealth }, checks: string[]): ScanDeps => {
  const adaptive: AdaptiveScans = {
    fullScanIntervalMs: 24 * H,
    eventsRouted: () => true,
    trailStatus: (scope) => {
      checks.push(`${scope.account}/${scope.region}`);
      return Promise.resolve(trail.current);
    },
  };
  return { ...h.deps, adaptive };
};

const tick = (deps: ScanDeps, hour: number) =>
  runScheduledScan(deps, {
    scopes: [SCOPE],
    now: T(hour),
    deadlineMs: h.clock.now() + 900_000,
    reserveMs: 0,
  });

const newestRun = async () => (await h.store.listRuns(SCOPE.account, SCOPE.region, 1)).runs[0]!.summary;

describe('runScheduledScan with adaptive full scans', () => {
  it('runs the safety net every interval, falls back to every tick on a canary or a silent trail, and records why', async () => {
    await h.useTable(scanFleet());
    const trail = { current: LOGGING };
    const checks: string[] = [];
    const deps = adaptiveDeps(trail, checks);

    // The first tick: no full scan yet, so one runs (the baseline), no trail check needed to decide.
    const first = await tick(deps, 0);
    expect(first.completed).toBe(1);
    expect(await newestRun()).toMatchObject({
      fullScanReason: 'no-full-scan-yet',
      scanMode: 'events-only',
      scanModeReason: 'events-healthy',
      nextFullScanAt: T(24).toISOString(),
      unannouncedChanges: 0,
      trail: LOGGING.detail,
    });

    // Ticks in between: events only, not one management call.
    const calls = h.sim.counts.total;
    for (const hour of [1, 6, 23]) {
      const result = await tick(deps, hour);
      expect(result.completed).toBe(0);
      expect(result.summary.scopes).toEqual([]);
      expect(result.skipped).toEqual([
        {
          scope: SCOPE,
          scanMode: {
            mode: 'events-only',
            reason: 'events-healthy',
            detail: LOGGING.detail,
            nextFullScanAt: T(24).toISOString(),
          },
        },
      ]);
    }
    expect(h.sim.counts.total).toBe(calls);

    // A change whose event never arrived: the safety net at 24 h finds it, and the canary trips.
    const prod = stageOf(h.sim.fleet, REST_ORDERS, 'prod');
    prod.tracingEnabled = !(prod.tracingEnabled === true);
    const due = await tick(deps, 24);
    expect(due.completed).toBe(1);
    expect(due.summary.events.length).toBeGreaterThan(0);
    expect(await newestRun()).toMatchObject({
      fullScanReason: 'full-scan-due',
      scanMode: 'full',
      scanModeReason: 'unannounced-change',
      unannouncedChanges: due.summary.events.length,
    });
    expect((await newestRun()).nextFullScanAt).toBeUndefined();

    // The next tick is a full scan (frequent schedule); it finds nothing unannounced: events only again.
    const after = await tick(deps, 25);
    expect(after.completed).toBe(1);
    expect(await newestRun()).toMatchObject({
      fullScanReason: 'unannounced-change',
      scanMode: 'events-only',
      unannouncedChanges: 0,
      nextFullScanAt: T(49).toISOString(),
    });

    // The trail stops logging: every tick is a full scan until it logs again.
    trail.current = {
      logging: false,
      detail: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t is not logging',
    };
    for (const hour of [26, 27]) {
      expect((await tick(deps, hour)).completed).toBe(1);
      expect(await newestRun()).toMatchObject({
        fullScanReason: 'trail-not-logging',
        scanMode: 'full',
        scanModeReason: 'trail-not-logging',
        trail: trail.current.detail,
      });
    }
    expect(checks.every((scope) => scope === `${SCOPE.account}/${SCOPE.region}`)).toBe(true);
  });

  it('skips a fan-out task the same way (outcome skipped, nothing read)', async () => {
    await h.useTable(scanFleet());
    const deps = adaptiveDeps({ current: LOGGING }, []);
    const options = (hour: number) => ({ now: T(hour), deadlineMs: h.clock.now() + 900_000, reserveMs: 0 });
    expect((await runScanTask(deps, { ...SCOPE }, options(0))).outcome).toBe('completed');
    const calls = h.sim.counts.total;
    const skipped = await runScanTask(deps, { ...SCOPE }, options(1));
    expect(skipped).toMatchObject({ outcome: 'skipped', scanMode: { mode: 'events-only' } });
    expect(h.sim.counts.total).toBe(calls);
  });

  it('with adaptive scans off, records no mode and scans at every tick (the template default without events)', async () => {
    await h.useTable(scanFleet());
    await tick(h.deps, 0);
    const result = await tick(h.deps, 1);
    expect(result.completed).toBe(1);
    expect(result.skipped).toEqual([]);
    expect(await newestRun()).not.toHaveProperty('scanMode');
  });
});
