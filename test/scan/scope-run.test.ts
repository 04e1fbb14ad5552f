import type { ApiStagesSink, CollectDeps, RawStage } from '../../shared/collect';
import { emptyCallCounts } from '../../shared/collect';
import type { ApiRef } from '../../shared/model';
import { ManualClock } from '../../shared/runtime';
import type { ScanDeps } from '../../shared/scan';
import type { CollectOutcome, ScopePartOptions } from '../../shared/scan/scope-run';
import { ScopeRun } from '../../shared/scan/scope-run';
import type { StageWrite, StageWriteResult } from '../../shared/store';

const SCOPE = { account: '123456789012', region: 'eu-west-1' } as const;
const CAPTURED_AT = '2024-06-01T01:00:00.000Z';

const api = (apiId: string): ApiRef => ({ apiId, apiType: 'REST', name: apiId });
const stagesOf = (ref: ApiRef, ...names: string[]): RawStage[] =>
  names.map((stageName) => ({ api: ref, apiType: 'REST', stage: { stageName, deploymentId: 'd1' } }));

const APIS = [api('a1'), api('a2'), api('a3')];

const outcomeOf = (apis: readonly ApiRef[]): CollectOutcome => ({
  apis,
  readApiIds: apis.map((a) => a.apiId),
  listing: { REST: 'complete', V2: 'complete' },
  failures: [],
  calls: emptyCallCounts(),
});

/** Lets every promise chain that can run, run. */
const settleMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A scope with nothing stored and no run yet (so its first scan is a baseline), whose stage
 * writes go to `writeStage`.
 */
const depsWith = (
  writeStage: (write: StageWrite) => Promise<StageWriteResult>,
  writeConcurrency = 1,
): ScanDeps => ({
  clientsFor: () => ({}) as CollectDeps,
  store: {
    listLatest: () => Promise.resolve([]),
    getSnapshots: () => Promise.resolve(new Map()),
    writeStage,
    writeRun: () => Promise.resolve(),
    registerScope: () => Promise.resolve(),
    writePostureSummary: () => Promise.resolve(true),
    listRuns: () => Promise.resolve({ runs: [], problems: [] }),
  },
  clock: new ManualClock({ start: 0 }),
  diff: { fingerprintKey: 'scope-run-test' },
  writeConcurrency,
});

/** A collect that hands the run each API's stages in turn, letting the writes run in between. */
const collectEach =
  (fed: string[]) =>
  async (onApiStages: ApiStagesSink): Promise<CollectOutcome> => {
    for (const ref of APIS) {
      fed.push(ref.apiId);
      await onApiStages(ref, stagesOf(ref, 'dev', 'prod'));
      await settleMicrotasks();
    }
    return outcomeOf(APIS);
  };

/** Runs `act`, then reports the rejections nobody handled meanwhile. */
const unhandledDuring = async (act: () => Promise<void>): Promise<unknown[]> => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await act();
    await settleMicrotasks();
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return unhandled;
};

const start = (deps: ScanDeps, options: Partial<ScopePartOptions> = {}): ScopeRun =>
  ScopeRun.start(deps, SCOPE, CAPTURED_AT, { started: 0, ...options });

describe('ScopeRun when a write fails', () => {
  it('rejects the read with the write error, stops the collect and starts no further write', async () => {
    // Prepare: the first write of a baseline fails.
    const diskOnFire = new Error('disk on fire');
    const writes: string[] = [];
    const run = start(
      depsWith((write) => {
        writes.push(`${write.key.apiId}/${write.key.stageName}`);
        return Promise.reject(diskOnFire);
      }),
    );
    const fed: string[] = [];
    let rejection: unknown;

    // Act
    const unhandled = await unhandledDuring(async () => {
      rejection = await run.read(collectEach(fed)).then(
        () => 'resolved',
        (error: unknown) => error,
      );
    });

    // Assess: that very error, once; the next API stopped the collect; no rejection left unhandled.
    expect(rejection).toBe(diskOnFire);
    expect(fed).toEqual(['a1', 'a2']);
    expect(writes).toEqual(['a1/dev']);
    expect(unhandled).toEqual([]);
  });

  it('keeps the first failure when a later write or step fails too', async () => {
    // Prepare: two writes at a time, both fail; the collect then fails on its own.
    const failures = [new Error('first write'), new Error('second write')];
    let calls = 0;
    const run = start(
      depsWith(async () => {
        const failure = failures[calls]!;
        calls += 1;
        await settleMicrotasks();
        throw failure;
      }, 2),
    );

    // Act
    const unhandled = await unhandledDuring(async () => {
      const read = run.read(async (onApiStages) => {
        await onApiStages(APIS[0]!, stagesOf(APIS[0]!, 'dev', 'prod'));
        await settleMicrotasks();
        await settleMicrotasks();
        throw new Error('a bug in the collect');
      });
      await expect(read).rejects.toBe(failures[0]);
      // Assess: a later step rejects with the same first failure, and writes nothing.
      await expect(run.finish(outcomeOf([APIS[0]!]))).rejects.toBe(failures[0]);
    });

    // Assess
    expect(calls).toBe(2);
    expect(unhandled).toEqual([]);
  });

  it('rejects the finish with the write error once every write in flight has settled', async () => {
    // Prepare: a rescan that takes no baseline, so every new stage is written by `finish`; the
    // first write fails, the second is held.
    const diskOnFire = new Error('disk on fire');
    let releaseSecond: () => void = () => undefined;
    const secondHeld = new Promise<void>((resolve) => {
      releaseSecond = resolve;
    });
    const writes: string[] = [];
    const run = start(
      depsWith(async (write) => {
        writes.push(`${write.key.apiId}/${write.key.stageName}`);
        if (writes.length === 1) throw diskOnFire;
        await secondHeld;
        return { outcome: 'recorded' };
      }, 2),
      { baselineFamilies: [] },
    );
    const fed: string[] = [];
    await run.read(collectEach(fed));
    let settled = false;

    // Act
    const finish = run.finish(outcomeOf(APIS)).finally(() => {
      settled = true;
    });
    await settleMicrotasks();
    const settledWhileSecondInFlight = settled;
    releaseSecond();

    // Assess
    await expect(finish).rejects.toBe(diskOnFire);
    expect(settledWhileSecondInFlight).toBe(false);
    expect(fed).toEqual(['a1', 'a2', 'a3']);
    expect(writes).toEqual(['a1/dev', 'a1/prod']);
  });

  it('rejects a failed read only once the writes in flight have settled', async () => {
    // Prepare: a baseline write held while the collect fails.
    let releaseWrite: () => void = () => undefined;
    const writeHeld = new Promise<void>((resolve) => {
      releaseWrite = resolve;
    });
    const run = start(depsWith(() => writeHeld.then(() => ({ outcome: 'recorded' }))));
    const bug = new Error('a bug in the collect');
    let settled = false;

    // Act
    const read = run
      .read(async (onApiStages) => {
        await onApiStages(APIS[0]!, stagesOf(APIS[0]!, 'dev'));
        throw bug;
      })
      .finally(() => {
        settled = true;
      });
    await settleMicrotasks();
    const settledWhileWriteInFlight = settled;
    releaseWrite();

    // Assess
    await expect(read).rejects.toBe(bug);
    expect(settledWhileWriteInFlight).toBe(false);
  });

  it('rejects with the collect error when nothing else failed, leaving the listing handled', async () => {
    // Prepare: the listing of the latest items fails too, unawaited.
    const deps = depsWith(() => Promise.resolve({ outcome: 'recorded' }));
    const bug = new Error('a bug in the collect');
    const run = start({
      ...deps,
      store: { ...deps.store, listLatest: () => Promise.reject(new Error('table gone')) },
    });

    // Act
    const unhandled = await unhandledDuring(async () => {
      await expect(run.read(() => Promise.reject(bug))).rejects.toBe(bug);
    });

    // Assess
    expect(unhandled).toEqual([]);
  });
});

describe('ScopeRun', () => {
  it('writes the stages of a baseline as they are read, and sums the run up at the end', async () => {
    // Prepare
    const writes: string[] = [];
    const run = start(
      depsWith((write) => {
        writes.push(`${write.key.apiId}/${write.key.stageName}`);
        return Promise.resolve({ outcome: 'recorded' });
      }),
    );
    const writtenByApi: number[] = [];

    // Act
    const collected = await run.read(async (onApiStages) => {
      for (const ref of APIS) {
        await onApiStages(ref, stagesOf(ref, 'dev', 'prod'));
        await settleMicrotasks();
        writtenByApi.push(writes.length);
      }
      return outcomeOf(APIS);
    });
    const part = await run.finish(collected);

    // Assess: each API's stages written before the next API was read (write-behind).
    expect(writtenByApi).toEqual([2, 4, 6]);
    expect(part.summary).toMatchObject({
      baseline: true,
      apisListed: 3,
      apisRead: 3,
      stagesRead: 6,
      stagesChanged: 6,
      failures: [],
    });
    expect(part.events).toEqual([]);
  });
});
