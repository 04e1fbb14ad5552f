import { emptyCallCounts } from '../../shared/collect';
import type { ApiFamily, JsonObject } from '../../shared/model';
import type { ScanDeps, ScopeSummary } from '../../shared/scan';
import { continuationOf, RunLedger } from '../../shared/scan';
import { recordRun } from '../../shared/scan/run-record';
import { zeroCounts } from '../../shared/scan/scan-types';
import type { Item, RunListing, RunProgress, RunRecord } from '../../shared/store';
import { runPk } from '../../shared/store';
import { parseRunItem, runItem } from '../../shared/store/run-items';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const T1 = '2024-06-01T01:00:00.000Z';
const T2 = '2024-06-01T02:00:00.000Z';
const T3 = '2024-06-01T03:00:00.000Z';

const COMPLETE: RunProgress = { state: 'complete' };
const REMAINING = { rest: ['r1'], v2: ['h1'] };

const run = (startedAt: string, summary: JsonObject, progress: RunProgress = COMPLETE): RunRecord => ({
  account: ACCOUNT,
  region: REGION,
  startedAt,
  summary,
  progress,
});

const ledgerOf = (runs: RunRecord[], problems: RunListing['problems'] = []): RunLedger =>
  RunLedger.of({ runs, problems });

const unreadable = (startedAt: string): RunListing['problems'][number] => ({
  itemKey: { PK: runPk(ACCOUNT, REGION), SK: startedAt },
  message: `The run item ${startedAt} cannot be read.`,
});

/** A scope summary as a run records it, with what a test sets. */
const summaryOf = (fields: Partial<ScopeSummary>): ScopeSummary => ({
  account: ACCOUNT,
  region: REGION,
  baseline: false,
  apisListed: 2,
  apisRead: 1,
  stagesRead: 3,
  stagesChanged: 3,
  events: zeroCounts(),
  replayed: 0,
  superseded: 0,
  warnings: [],
  failures: [],
  calls: emptyCallCounts(),
  durationMs: 10,
  ...fields,
});

describe('RunLedger', () => {
  it.each<[string, RunLedger, string, ApiFamily[]]>([
    ['no run yet', ledgerOf([]), 'none', ['REST', 'V2']],
    ['an unreadable newest record', ledgerOf([], [unreadable(T1)]), 'unreadable', []],
    ['a completed baseline', ledgerOf([run(T1, { baseline: true })]), 'complete', []],
    [
      'a completed baseline whose V2 listing failed',
      ledgerOf([run(T1, { baseline: true, baselineFamilies: ['V2'], baselinePending: ['V2'] })]),
      'complete',
      ['V2'],
    ],
    [
      'a baseline of both families in progress',
      ledgerOf([
        run(T1, { baseline: true, chunks: 1 }, { state: 'in-progress', remainingApiIds: REMAINING }),
      ]),
      'in-progress',
      ['REST', 'V2'],
    ],
    [
      'a baseline of REST in progress',
      ledgerOf([
        run(T1, { baseline: true, baselineFamilies: ['REST'], chunks: 1 }, { state: 'in-progress' }),
      ]),
      'in-progress',
      ['REST'],
    ],
    [
      'a rescan in progress',
      ledgerOf([
        run(T1, { baseline: false, chunks: 1 }, { state: 'in-progress', remainingApiIds: REMAINING }),
      ]),
      'in-progress',
      [],
    ],
    [
      'a completed run newer than an unreadable one',
      ledgerOf([run(T2, { baseline: false })], [unreadable(T1)]),
      'complete',
      [],
    ],
  ])('reads %s as %s, with %j still to baseline', (_name, ledger, standing, pending) => {
    // Assess
    expect(ledger.standing).toBe(standing);
    expect(ledger.pendingBaseline()).toEqual(pending);
    expect(ledger.hasCompleted('REST')).toBe(!pending.includes('REST'));
    expect(ledger.hasCompleted('V2')).toBe(!pending.includes('V2'));
  });

  it('says where a run in progress goes on, from its record', () => {
    // Prepare
    const ledger = ledgerOf([
      run(
        T1,
        { baseline: true, baselineFamilies: ['REST'], chunks: 2, stagesRead: 5 },
        { state: 'in-progress', remainingApiIds: REMAINING },
      ),
    ]);

    // Act
    const resumable = ledger.inProgress();

    // Assess
    expect(resumable).toEqual({
      startedAt: T1,
      chunks: 2,
      baseline: true,
      baselineFamilies: ['REST'],
      remainingApiIds: REMAINING,
      totals: { baseline: true, baselineFamilies: ['REST'], chunks: 2, stagesRead: 5 },
    });
    expect(resumable && continuationOf(resumable)).toEqual({
      runStartedAt: T1,
      chunk: 3,
      baseline: true,
      baselineFamilies: ['REST'],
      remainingApiIds: REMAINING,
      progress: resumable?.totals,
    });
  });

  it.each([
    ['no run', ledgerOf([])],
    ['a completed run', ledgerOf([run(T1, { baseline: false, chunks: 2 })])],
    ['an unreadable record', ledgerOf([], [unreadable(T1)])],
    ['a run in progress cut to its scalars', ledgerOf([run(T1, { chunks: 1 }, { state: 'in-progress' })])],
    [
      'a run in progress without its chunk count',
      ledgerOf([run(T1, { baseline: true }, { state: 'in-progress', remainingApiIds: REMAINING })]),
    ],
    [
      'a run in progress whose APIs left are malformed',
      ledgerOf([run(T1, { chunks: 1 }, { state: 'in-progress', remainingApiIds: { rest: ['r1'] } })]),
    ],
  ])('has no run to go on with after %s', (_name, ledger) => {
    expect(ledger.inProgress()).toBeUndefined();
  });

  it.each([
    [T1, true],
    [T2, false],
    [T3, false],
  ])('takes a run started at %s for superseded by a newest run at T2: %s', (runStartedAt, superseded) => {
    expect(ledgerOf([run(T2, {})]).isSuperseded(runStartedAt)).toBe(superseded);
  });

  it('takes no run for superseded when no record can be read', () => {
    expect(ledgerOf([]).isSuperseded(T1)).toBe(false);
    expect(ledgerOf([], [unreadable(T3)]).isSuperseded(T1)).toBe(false);
  });

  it.each([
    [T3, T2],
    [T2, T1],
    [T1, undefined],
  ])('finds the newest run recorded before %s: %s', (capturedAt, expected) => {
    const ledger = ledgerOf([run(T2, {}, { state: 'in-progress' }), run(T1, {})]);
    expect(ledger.lastRunBefore(capturedAt)).toBe(expected);
  });

  it('reads the newest records of a scope with one query, as deep as asked', async () => {
    // Prepare
    const calls: unknown[][] = [];
    const store = {
      listRuns: (account: string, region: string, limit?: number): Promise<RunListing> => {
        calls.push([account, region, limit]);
        return Promise.resolve({ runs: [run(T2, {}), run(T1, {})], problems: [] });
      },
    };

    // Act
    const newest = await RunLedger.read(store, { account: ACCOUNT, region: REGION });
    const two = await RunLedger.read(store, { account: ACCOUNT, region: REGION }, 2);

    // Assess
    expect(calls).toEqual([
      [ACCOUNT, REGION, 1],
      [ACCOUNT, REGION, 2],
    ]);
    expect(newest.newest?.startedAt).toBe(T2);
    expect(two.lastRunBefore(T2)).toBe(T1);
  });
});

describe('RunLedger over records as stored', () => {
  /** The item of `summary` (JSON) as the scan has stored run records since the first release. */
  const storedItem = (startedAt: string, summary: object): Item => ({
    PK: { S: runPk(ACCOUNT, REGION) },
    SK: { S: startedAt },
    itemType: { S: 'RUN' },
    summary: { S: JSON.stringify(summary) },
  });

  it('reads a run in progress stored with the `inProgress` mark as a run to go on with', () => {
    // Prepare: the record of a first chunk, in the shape the scan has always written.
    const progress = summaryOf({ baseline: true, baselineFamilies: ['V2'], chunks: 1 });
    const item = storedItem(T1, {
      ...progress,
      inProgress: true,
      remainingApiIds: { rest: [], v2: ['h1', 'w1'] },
    });

    // Act
    const ledger = RunLedger.of({ runs: [parseRunItem(ACCOUNT, REGION, item)], problems: [] });

    // Assess
    expect(ledger.standing).toBe('in-progress');
    expect(ledger.pendingBaseline()).toEqual(['V2']);
    expect(ledger.hasCompleted('REST')).toBe(true);
    expect(ledger.hasCompleted('V2')).toBe(false);
    expect(ledger.inProgress()).toEqual({
      startedAt: T1,
      chunks: 1,
      baseline: true,
      baselineFamilies: ['V2'],
      remainingApiIds: { rest: [], v2: ['h1', 'w1'] },
      totals: progress,
    });
  });

  it('reads a completed run stored without the mark as complete', () => {
    // Prepare
    const item = storedItem(T1, summaryOf({ baseline: true, baselinePending: ['REST'], chunks: 2 }));

    // Act
    const ledger = RunLedger.of({ runs: [parseRunItem(ACCOUNT, REGION, item)], problems: [] });

    // Assess
    expect(ledger.standing).toBe('complete');
    expect(ledger.pendingBaseline()).toEqual(['REST']);
    expect(ledger.inProgress()).toBeUndefined();
  });

  it.each([
    ['in progress', { remainingApiIds: REMAINING }],
    ['complete', undefined],
  ])('writes the record of a run %s byte for byte as before', async (_name, inProgress) => {
    // Prepare
    const written: RunRecord<object>[] = [];
    const deps = {
      store: {
        writeRun: (record: RunRecord<object>) => {
          written.push(record);
          return Promise.resolve();
        },
        registerScope: () => Promise.resolve(),
      },
    } as unknown as ScanDeps;
    const summary = summaryOf({ chunks: 1 });

    // Act
    await recordRun(deps, T1, summary, inProgress);

    // Assess: the summary attribute as the scan wrote it before the progress was typed.
    const [record] = written;
    const before = inProgress ? { ...summary, inProgress: true, remainingApiIds: REMAINING } : summary;
    expect(runItem(record!, 0).summary).toEqual({ S: JSON.stringify(before) });
    const ledger = RunLedger.of({ runs: [parseRunItem(ACCOUNT, REGION, runItem(record!, 0))], problems: [] });
    expect(ledger.standing).toBe(inProgress ? 'in-progress' : 'complete');
  });
});
