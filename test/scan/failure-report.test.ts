import type { ScanFailure } from '../../shared/scan';
import {
  latenessOf,
  MAX_REPORTED_FAILURES,
  runFailureReport,
  scanFailureReport,
  scheduleTickOf,
} from '../../shared/scan';

const context = {
  source: 'scheduled-scan' as const,
  runId: 'run-1',
  failedAt: new Date('2026-12-04T10:00:00Z'),
};
const failure = (apiId: string): ScanFailure => ({
  kind: 'normalize',
  apiType: 'REST',
  apiId,
  errorName: 'TypeError',
  message: 'bad stage',
});
const scope = (region: string, failures: ScanFailure[]) => ({ account: '123456789012', region, failures });

describe('scanFailureReport', () => {
  it('is undefined when every scope was read whole', () => {
    expect(scanFailureReport({ scopes: [scope('eu-west-1', [])] } as never, context)).toBeUndefined();
  });

  it('names only the scopes with failures, and caps each at MAX_REPORTED_FAILURES with the count left out', () => {
    const many = Array.from({ length: MAX_REPORTED_FAILURES + 7 }, (_, i) => failure(`api${i}`));
    const report = scanFailureReport(
      {
        scopes: [scope('eu-west-1', []), scope('us-east-1', many), scope('ap-south-1', [failure('x')])],
      } as never,
      context,
    );
    expect(report).toEqual({
      kind: 'stage-drift.scan-failure',
      source: 'scheduled-scan',
      runId: 'run-1',
      failedAt: '2026-12-04T10:00:00.000Z',
      scopes: [
        {
          account: '123456789012',
          region: 'us-east-1',
          failures: many.slice(0, MAX_REPORTED_FAILURES),
          failuresOmitted: 7,
        },
        { account: '123456789012', region: 'ap-south-1', failures: [failure('x')] },
      ],
    });
    // Far below SQS's 256 KiB even at the cap.
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThan(64 * 1024);
  });
});

describe('runFailureReport', () => {
  it("carries the error's name and message, never its stack", () => {
    const error = new RangeError('throttled for good');
    const report = runFailureReport(error, { ...context, source: 'rescan' }, [{ account: '1', region: 'r' }]);
    expect(report).toEqual({
      kind: 'stage-drift.scan-failure',
      source: 'rescan',
      runId: 'run-1',
      failedAt: '2026-12-04T10:00:00.000Z',
      scopes: [{ account: '1', region: 'r', failures: [] }],
      error: { name: 'RangeError', message: 'throttled for good' },
    });
    expect(JSON.stringify(report)).not.toContain('at ');
    expect(runFailureReport('plain', context).error).toEqual({ name: 'Error', message: 'plain' });
  });
});

describe('the schedule tick', () => {
  const input = { source: 'stage-drift.schedule', scheduledTime: '2026-12-04T10:00:00Z', periodMinutes: 15 };

  it('is read from the schedule input only', () => {
    expect(scheduleTickOf(input)).toEqual({
      scheduledTime: new Date('2026-12-04T10:00:00Z'),
      periodMinutes: 15,
    });
    for (const other of [
      {},
      null,
      undefined,
      { ...input, periodMinutes: '15' },
      { ...input, scheduledTime: 'soon' },
      { ...input, periodMinutes: 0 },
    ])
      expect(scheduleTickOf(other)).toBeUndefined();
  });

  it('is late from a whole period after it was due, not a millisecond before', () => {
    const tick = scheduleTickOf(input)!;
    expect(latenessOf(tick, new Date('2026-12-04T10:14:59.999Z'))).toBeUndefined();
    expect(latenessOf(tick, new Date('2026-12-04T10:15:00Z'))).toBe(15 * 60_000);
    expect(latenessOf(tick, new Date('2026-12-04T10:40:00Z'))).toBe(40 * 60_000);
    // A clock a little behind the scheduler's is on time.
    expect(latenessOf(tick, new Date('2026-12-04T09:59:58Z'))).toBeUndefined();
  });
});
