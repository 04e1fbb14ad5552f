import type { ScanTask, ScanTaskDeps, ScanTaskResult } from '../../shared/scan';
import { ScopeAccessError } from '../../shared/credentials';
import { planScanTasks, runScanTask } from '../../shared/scan';
import type { DriftEventRecord, LatestEntry } from '../../shared/store';
import { applyChunkDrift as applyDrift, chunkFleet, PACED } from './scan-fleet';
import type { ScanHarness } from './scan-harness';
import { eventLines, SCOPE, startScanHarness, T } from './scan-harness';

let h: ScanHarness;

beforeAll(async () => {
  h = await startScanHarness();
});

afterAll(async () => {
  await h.stop();
});

const CHUNK_MS = 500;

interface RunResult {
  readonly results: ScanTaskResult[];
  readonly events: DriftEventRecord[];
}

/** Runs a task and its continuations to the end, each with a tiny deadline on the virtual clock. */
const runInChunks = async (deps: ScanTaskDeps, task: ScanTask, now: Date): Promise<RunResult> => {
  const results: ScanTaskResult[] = [];
  let next: ScanTask | undefined = task;
  while (next) {
    const result = await runScanTask(deps, next, {
      now,
      deadlineMs: h.clock.now() + CHUNK_MS,
      reserveMs: 0,
    });
    results.push(result);
    next = result.next;
    if (results.length > 50) throw new Error('no progress');
  }
  return { results, events: results.flatMap((r) => [...r.summary.events]) };
};

const pacedDeps = (): ScanTaskDeps => ({ ...h.deps, collect: { ...PACED, clock: h.clock } });

/** The APIs a task still has to read: its continuation's, or (a new run) every stored API. */
const remainingOf = (task: ScanTask | undefined, stored: readonly LatestEntry[]): Set<string> =>
  task?.continuation
    ? new Set([...task.continuation.remainingApiIds.rest, ...task.continuation.remainingApiIds.v2])
    : new Set(stored.map((e) => e.key.apiId));

const byKey = (entries: readonly LatestEntry[]) =>
  [...entries].sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));

describe('planScanTasks', () => {
  it('plans one task per account and region, each once, sorted, with the role of the account', () => {
    // Prepare
    const targets = [
      {
        account: '222222222222',
        roleArn: 'arn:aws:iam::222222222222:role/StageDriftReader',
        externalId: 'x-1',
      },
      { account: '111111111111' },
      { account: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/Other' },
    ];

    // Act
    const tasks = planScanTasks(targets, ['us-east-1', 'eu-west-1', 'us-east-1']);

    // Assess
    expect(tasks).toEqual([
      { account: '111111111111', region: 'eu-west-1' },
      { account: '111111111111', region: 'us-east-1' },
      {
        account: '222222222222',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::222222222222:role/StageDriftReader',
        externalId: 'x-1',
      },
      {
        account: '222222222222',
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::222222222222:role/StageDriftReader',
        externalId: 'x-1',
      },
    ]);
  });

  it('plans nothing for no targets or no regions', () => {
    expect(planScanTasks([], ['eu-west-1'])).toEqual([]);
    expect(planScanTasks([{ account: '111111111111' }], [])).toEqual([]);
  });
});

describe('runScanTask against the control-plane simulator and dynalite', () => {
  it('continues a scope over several chunks and ends with the same state and events as a one-shot scan', async () => {
    // Prepare 1: the reference, two one-shot scans (baseline, then drift) on a table of its own.
    const reference = chunkFleet();
    await h.useTable(reference);
    await h.scan(T(1));
    applyDrift(reference);
    const oneShot = await h.scan(T(2));
    const expectedEvents = await h.storedEvents();
    const expectedLatest = byKey(await h.latest());
    const expectedRuns = (await h.store.listRuns(SCOPE.account, SCOPE.region)).runs;
    expect(eventLines(oneShot.events)).toHaveLength(6);

    // Prepare 2: the same fleet on a new table, scanned in chunks of 500 virtual ms.
    const fleet = chunkFleet();
    await h.useTable(fleet);
    const deps = pacedDeps();

    // Act 1: the baseline, in chunks
    const baseline = await runInChunks(deps, { ...SCOPE }, T(1));

    // Assess 1: several chunks, no events, one complete run record
    expect(baseline.results.length).toBeGreaterThanOrEqual(3);
    expect(baseline.results.map((r) => r.outcome)).toEqual([
      ...baseline.results.slice(1).map(() => 'continued'),
      'completed',
    ]);
    expect(baseline.events).toEqual([]);
    expect(baseline.results.every((r) => r.summary.baseline)).toBe(true);

    // Act 2: drift, then a rescan in chunks; the state after every chunk is checked as it goes.
    applyDrift(fleet);
    const before = byKey(await h.latest());
    const results: ScanTaskResult[] = [];
    let next: ScanTask | undefined = { ...SCOPE };
    while (next) {
      const result = await runScanTask(deps, next, {
        now: T(2),
        deadlineMs: h.clock.now() + CHUNK_MS,
        reserveMs: 0,
      });
      results.push(result);
      // Never a deletion of a stage whose API this chunk did not read (or find gone), and never
      // an event the one-shot scan did not report.
      const responsible = new Set(
        [...remainingOf(next, before)].filter((id) => !remainingOf(result.next, []).has(id)),
      );
      for (const event of result.summary.events) {
        if (event.change === 'DELETED') expect(responsible.has(event.api.id)).toBe(true);
      }
      expect(eventLines(oneShot.events)).toEqual(expect.arrayContaining(eventLines(result.summary.events)));
      next = result.next;
    }

    // Assess 2: the same events, latest items and run record as the one-shot scan.
    expect(results.length).toBeGreaterThanOrEqual(3);
    expect(eventLines(results.flatMap((r) => [...r.summary.events]))).toEqual(eventLines(oneShot.events));
    expect(await h.storedEvents()).toEqual(expectedEvents);
    expect(byKey(await h.latest())).toEqual(expectedLatest);
    const runs = (await h.store.listRuns(SCOPE.account, SCOPE.region)).runs;
    expect(runs.map((r) => r.startedAt)).toEqual(expectedRuns.map((r) => r.startedAt));
    const last = results[results.length - 1]!;
    expect(last.run).toMatchObject({
      stagesChanged: oneShot.scopes[0]!.stagesChanged,
      events: oneShot.scopes[0]!.events,
      apisListed: oneShot.scopes[0]!.apisListed,
      apisRead: oneShot.scopes[0]!.apisRead,
      stagesRead: oneShot.scopes[0]!.stagesRead,
      chunks: results.length,
      failures: [],
    });
    expect(runs[0]!.summary).toMatchObject({ chunks: results.length, stagesChanged: 6 });
    expect(runs[0]!.progress).toEqual({ state: 'complete' });
  });

  it('reads only the stages of the APIs left in a continuation, and never deletes the others', async () => {
    // Prepare: a stored baseline; then every stage of the first REST API disappears.
    const fleet = chunkFleet();
    await h.useTable(fleet);
    const deps = pacedDeps();
    await runInChunks(deps, { ...SCOPE }, T(1));
    const first = await runScanTask(
      deps,
      { ...SCOPE },
      { now: T(2), deadlineMs: h.clock.now() + CHUNK_MS, reserveMs: 0 },
    );
    const left = first.next!.continuation!.remainingApiIds;
    const readFirst = fleet.restApis.map((a) => a.id).filter((id) => !left.rest.includes(id));
    // An API the first chunk read loses its stages now: a later chunk must not judge it.
    fleet.restApis.find((a) => a.id === readFirst[0])!.stages = [];
    h.sim.resetCounts();

    // Act
    const second = await runScanTask(deps, first.next!, {
      now: T(3),
      deadlineMs: h.clock.now() + 60_000,
      reserveMs: 0,
    });

    // Assess
    expect(second.outcome).toBe('completed');
    expect(second.summary.events.filter((e) => e.api.id === readFirst[0])).toEqual([]);
    expect(second.summary.scopes[0]!.apisRead).toBe(left.rest.length + left.v2.length);
    expect(h.sim.counts.byOperation.GetStages).toBe(left.rest.length);
    // The continuation kept the run's capture time, not its own `now`.
    expect(second.summary.startedAt).toBe(T(2).toISOString());
  });

  it('drops a continuation once a newer run of the scope has started', async () => {
    // Prepare: a run left in the middle, then a newer one-shot scan of the scope.
    await h.useTable(chunkFleet());
    const deps = pacedDeps();
    await runInChunks(deps, { ...SCOPE }, T(1));
    const first = await runScanTask(
      deps,
      { ...SCOPE },
      { now: T(2), deadlineMs: h.clock.now() + CHUNK_MS, reserveMs: 0 },
    );
    expect(first.outcome).toBe('continued');
    await h.scan(T(3));
    h.sim.resetCounts();

    // Act
    const stale = await runScanTask(deps, first.next!, { now: T(4), deadlineMs: h.clock.now() + 60_000 });

    // Assess
    expect(stale.outcome).toBe('superseded');
    expect(stale.next).toBeUndefined();
    expect(h.sim.counts.byOperation.GetRestApis).toBe(0);
  });

  it('fails a scope whose account refuses access alone, and rethrows anything else', async () => {
    // Prepare
    await h.useTable(chunkFleet());
    const refused = '222222222222';
    const deps: ScanTaskDeps = {
      ...h.deps,
      clientsForTask: (task) => {
        if (task.account === refused) {
          return Promise.reject(
            new ScopeAccessError(`Account ${refused} refused the reader role`, 'AccessDenied'),
          );
        }
        if (task.account === '333333333333') return Promise.reject(new Error('a bug'));
        return Promise.resolve(h.collectDeps);
      },
    };
    const options = { now: T(1), deadlineMs: h.clock.now() + 600_000 };

    // Act
    const failed = await runScanTask(deps, { account: refused, region: 'us-east-1' }, options);
    const fine = await runScanTask(deps, { ...SCOPE }, options);

    // Assess
    expect(failed.outcome).toBe('failed');
    expect(failed.next).toBeUndefined();
    expect(failed.summary.scopes[0]).toMatchObject({
      account: refused,
      stagesRead: 0,
      failures: [{ kind: 'access', errorName: 'AccessDenied', message: expect.stringContaining(refused) }],
    });
    expect((await h.store.listRuns(refused, 'us-east-1')).runs).toEqual([]);
    expect(fine.outcome).toBe('completed');
    expect(fine.summary.scopes[0]!.stagesRead).toBe(32);
    await expect(
      runScanTask(deps, { account: '333333333333', region: 'us-east-1' }, options),
    ).rejects.toThrow('a bug');
  });
});
