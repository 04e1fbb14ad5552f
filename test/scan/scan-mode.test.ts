import fc from 'fast-check';
import type { ScanModeInputs } from '../../shared/scan';
import { needsTrailStatus, SCAN_MODE_REASONS, scanModeFor } from '../../shared/scan';

const H = 3_600_000;
const NOW = new Date(Date.UTC(2026, 0, 2, 12));
const ago = (hours: number) => new Date(NOW.getTime() - hours * H);
const LOGGING = { logging: true, detail: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org logs' };
const HEALTHY: ScanModeInputs = {
  lastFullScanAt: ago(2),
  trailStatus: LOGGING,
  unannouncedChangeAt: undefined,
  now: NOW,
  fullScanIntervalMs: 24 * H,
  eventsRouted: true,
};

describe('scanModeFor (adaptive full scans)', () => {
  it.each<[string, Partial<ScanModeInputs>, string, string]>([
    ['events healthy, last full scan 2 h ago', {}, 'events-only', 'events-healthy'],
    ['adaptive off (no interval)', { fullScanIntervalMs: undefined }, 'full', 'adaptive-off'],
    ['events not routed to the monitor', { eventsRouted: false }, 'full', 'no-event-route'],
    ['never fully scanned', { lastFullScanAt: undefined }, 'full', 'no-full-scan-yet'],
    [
      'no trail logging',
      { trailStatus: { logging: false, detail: 'no trail' } },
      'full',
      'trail-not-logging',
    ],
    ['trail check not made', { trailStatus: undefined }, 'full', 'trail-not-logging'],
    [
      'canary: last full scan found an unannounced change',
      { unannouncedChangeAt: ago(2) },
      'full',
      'unannounced-change',
    ],
    [
      'an older unannounced change, a clean full scan since',
      { unannouncedChangeAt: ago(3) },
      'events-only',
      'events-healthy',
    ],
    ['full scan due (24 h)', { lastFullScanAt: ago(24) }, 'full', 'full-scan-due'],
    [
      'just before due',
      { lastFullScanAt: new Date(NOW.getTime() - 24 * H + 1) },
      'events-only',
      'events-healthy',
    ],
    ['short interval', { fullScanIntervalMs: H }, 'full', 'full-scan-due'],
  ])('%s', (_, change, mode, reason) => {
    const decision = scanModeFor({ ...HEALTHY, ...change });
    expect(decision).toMatchObject({ mode, reason });
    if (mode === 'events-only') {
      const last = (change.lastFullScanAt ?? HEALTHY.lastFullScanAt)!.getTime();
      expect(decision.nextFullScanAt).toBe(
        new Date(last + (change.fullScanIntervalMs ?? 24 * H)).toISOString(),
      );
    } else {
      expect(decision.nextFullScanAt).toBeUndefined();
    }
  });

  const inputs = fc.record({
    lastFullScanAt: fc.option(fc.integer({ min: 0, max: 72 }).map(ago), { nil: undefined }),
    trailStatus: fc.option(fc.record({ logging: fc.boolean(), detail: fc.constant('t') }), {
      nil: undefined,
    }),
    unannouncedChangeAt: fc.option(fc.integer({ min: 0, max: 72 }).map(ago), { nil: undefined }),
    now: fc.constant(NOW),
    fullScanIntervalMs: fc.option(
      fc.integer({ min: 1, max: 7 * 24 }).map((h) => h * H),
      { nil: undefined },
    ),
    eventsRouted: fc.boolean(),
  });

  it('never leaves a scope without a full scan for longer than the interval, nor when the event path is not known healthy', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        const decision = scanModeFor(given);
        expect(SCAN_MODE_REASONS).toContain(decision.reason);
        if (decision.mode === 'events-only') {
          // Every condition of a healthy event path holds, and the safety net is not due yet.
          expect(given.fullScanIntervalMs).toBeDefined();
          expect(given.eventsRouted).toBe(true);
          expect(given.trailStatus?.logging).toBe(true);
          expect(given.lastFullScanAt).toBeDefined();
          expect(NOW.getTime() - given.lastFullScanAt!.getTime()).toBeLessThan(given.fullScanIntervalMs!);
          const canary = given.unannouncedChangeAt;
          expect(canary === undefined || canary < given.lastFullScanAt!).toBe(true);
          expect(Date.parse(decision.nextFullScanAt!)).toBeGreaterThan(NOW.getTime());
        }
        // The trail check is asked for whenever it could change the answer.
        if (!needsTrailStatus(given)) {
          expect(scanModeFor({ ...given, trailStatus: LOGGING }).mode).toBe('full');
        }
      }),
    );
  });
});
