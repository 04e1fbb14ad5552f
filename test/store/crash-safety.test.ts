import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import type { StageSnapshot } from '../../shared/model';
import { formatStageKey } from '../../shared/model';
import type { StageWriteResult } from '../../shared/store';
import { DynamoSnapshotStore, StoreError } from '../../shared/store';
import type { ClientProbe, DynaliteServer } from '../support/dynalite';
import { InjectedFaultError, probeClient, startDynalite } from '../support/dynalite';
import { ACCOUNT, REGION, driftOf, manualClock, restSnapshot } from './fixtures';
import { itemsOfType, scanTable, versionHeads } from './table-items';

/**
 * Fault injection: the n-th write of a scan fails, either before the request reaches the table
 * (a crash before the call) or after the table applied it (a crash before the reply). The next
 * scan runs as the scan use case would: list the latest items and write the stage again only if
 * its hash still differs. Whatever failed, the change ends up recorded exactly once.
 */

const T0 = '2024-06-01T00:00:00.000Z';
const scanTimes = ['2024-06-02T00:00:00.000Z', '2024-06-03T00:00:00.000Z', '2024-06-04T00:00:00.000Z'];
const SCAN_TIMES_MAX = 8;

let server: DynaliteServer;
let client: DynamoDBClient;
let probe: ClientProbe;
let tableCount = 0;

beforeAll(async () => {
  server = await startDynalite();
  client = server.client();
  probe = probeClient(client);
});

afterAll(async () => {
  await server.stop();
});

type Scenario = 'MODIFIED' | 'CREATED' | 'DELETED';

const a = restSnapshot();
const b = restSnapshot(a.key, { tracingEnabled: true, description: 'changed by hand' });

/** Writes before the change (the baseline) and what the next scans see. */
const scenarios: Record<Scenario, { before?: StageSnapshot; after?: StageSnapshot; writes: number }> = {
  MODIFIED: { before: a, after: b, writes: 4 },
  CREATED: { after: b, writes: 3 },
  DELETED: { before: a, writes: 4 },
};

const setUp = async (scenario: Scenario) => {
  tableCount += 1;
  const tableName = `crash-${tableCount}`;
  await server.createTable(tableName);
  const clock = manualClock(T0);
  const store = new DynamoSnapshotStore(client, { tableName, clock });
  const { before, after } = scenarios[scenario];
  if (before) {
    await store.writeStage({ key: before.key, next: before, capturedAt: T0 });
  } else {
    // Another stage makes the scope known, so the new stage is a creation, not a baseline.
    const other = restSnapshot({ ...a.key, apiId: 'other00001' });
    await store.writeStage({ key: other.key, next: other, capturedAt: T0 });
  }
  /** One scan of the stage at `capturedAt`, as the scan use case does it. */
  const scan = async (capturedAt: string): Promise<StageWriteResult | 'unchanged'> => {
    clock.set(capturedAt);
    const latest = await store.listLatest(ACCOUNT, REGION);
    const previous = latest.find((entry) => formatStageKey(entry.key) === formatStageKey(a.key));
    if (previous?.hash === after?.hash) return 'unchanged';
    const previousSnapshot = previous
      ? (await store.getSnapshots([previous])).get(formatStageKey(a.key))
      : undefined;
    return store.writeStage({
      key: a.key,
      previous,
      ...(after ? { next: after } : {}),
      drift: driftOf(previousSnapshot, after),
      capturedAt,
    });
  };
  return { store, tableName, scan };
};

/** The change from `before` to `after` is in the table exactly once. */
const expectRecordedOnce = async (scenario: Scenario, tableName: string, store: DynamoSnapshotStore) => {
  const { before, after } = scenarios[scenario];
  const stagePk = `STAGE#${ACCOUNT}#${REGION}#REST#${a.key.apiId}#prod`;
  const items = (await scanTable(client, tableName)).filter((item) => item.PK?.S === stagePk);
  const events = itemsOfType(items, 'DRIFT');
  expect(events).toHaveLength(1);
  const detectedAt = events[0]!.detectedAt!.S!;
  const versions = versionHeads(items);
  const expected = [
    ...(before ? [[`V#${T0}`, before.hash, false]] : []),
    [`V#${detectedAt}`, after?.hash, after === undefined],
  ];
  expect(versions.map((item) => [item.SK?.S, item.hash?.S, item.deleted?.BOOL === true])).toEqual(expected);
  const latest = (await store.listLatest(ACCOUNT, REGION)).find(
    (entry) => formatStageKey(entry.key) === formatStageKey(a.key),
  );
  if (after) {
    expect(latest).toMatchObject({ hash: after.hash, versionSk: `V#${detectedAt}`, capturedAt: detectedAt });
    expect((await store.getSnapshots([latest!])).get(formatStageKey(a.key))).toEqual(after);
  } else {
    expect(latest).toBeUndefined();
  }
};

const cases = (Object.keys(scenarios) as Scenario[]).flatMap((scenario) =>
  Array.from({ length: scenarios[scenario].writes }, (_, index) => index + 1).flatMap((write) =>
    (['before', 'after'] as const).map((when) => ({ scenario, write, when })),
  ),
);

describe('crash safety without transactions', () => {
  it.each(cases)(
    'records a $scenario stage exactly once when write $write fails $when the call, after a rerun',
    async ({ scenario, write, when }) => {
      // Prepare
      const { store, tableName, scan } = await setUp(scenario);
      probe.reset();
      probe.failWrite(write, when);
      // Act
      const first = await scan(scanTimes[0]!).catch((error: unknown) => error);
      const second = await scan(scanTimes[1]!);
      const third = await scan(scanTimes[2]!);
      // Assess
      const lastWrite = write === scenarios[scenario].writes && scenario !== 'CREATED';
      if (lastWrite) {
        // Setting the TTL of the replaced version is housekeeping: the change is already stored.
        expect(first).toMatchObject({
          outcome: 'recorded',
          warning: expect.stringMatching(/will not expire/),
        });
      } else {
        expect(first).toBeInstanceOf(StoreError);
        expect((first as StoreError).cause).toBeInstanceOf(InjectedFaultError);
      }
      expect(third).toBe('unchanged');
      await expectRecordedOnce(scenario, tableName, store);
      if (second !== 'unchanged') {
        const eventAlreadyWritten = !(write === 1 && when === 'before');
        expect(second.outcome).toBe(eventAlreadyWritten ? 'replayed' : 'recorded');
      }
    },
  );

  it('records a change exactly once whatever sequence of crashes the scans before it suffer', async () => {
    const fault = fc.record({
      write: fc.integer({ min: 1, max: 4 }),
      when: fc.constantFrom('before', 'after'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Scenario>('MODIFIED', 'CREATED', 'DELETED'),
        fc.array(fc.option(fault, { nil: undefined }), { maxLength: SCAN_TIMES_MAX - 1 }),
        async (scenario, faults) => {
          const { store, tableName, scan } = await setUp(scenario);
          const times = Array.from(
            { length: SCAN_TIMES_MAX },
            (_, i) => `2024-06-${String(i + 2).padStart(2, '0')}T00:00:00.000Z`,
          );
          for (const [index, planned] of [...faults, undefined].entries()) {
            probe.reset();
            if (planned) probe.failWrite(planned.write, planned.when);
            await scan(times[index]!).catch((error: unknown) => {
              if (!(error instanceof StoreError)) throw error;
            });
          }
          expect(await scan('2024-07-01T00:00:00.000Z')).toBe('unchanged');
          await expectRecordedOnce(scenario, tableName, store);
        },
      ),
      { numRuns: 40 },
    );
  });
});
