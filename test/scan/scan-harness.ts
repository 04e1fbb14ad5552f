import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { CollectDeps } from '../../shared/collect';
import type { DiffOptions } from '../../shared/diff';
import type { ScanDeps, ScanSummary } from '../../shared/scan';
import { runScan } from '../../shared/scan';
import type { DriftEventRecord, Item, LatestEntry } from '../../shared/store';
import { DynamoSnapshotStore, parseDriftEventItem } from '../../shared/store';
import { ManualClock } from '../../shared/runtime';
import { clientsFor } from '../collect/simulator-clients';
import type { ClientProbe, DynaliteServer } from '../support/dynalite';
import { probeClient, startDynalite } from '../support/dynalite';
import type { ControlPlaneSimulator, Fleet } from '../support/simulator';
import { SIM_ACCOUNT_ID, SIM_REGION, startSimulator } from '../support/simulator';

export const SCOPE = { account: SIM_ACCOUNT_ID, region: SIM_REGION } as const;
export const DIFF_OPTIONS: DiffOptions = { fingerprintKey: 'scan-test-fingerprint-key' };
/** Budget wide open: these tests are about what is stored and reported, not pacing. */
export const FAST = { ratePerSecond: 1_000_000, burst: 1_000_000, concurrency: 8 } as const;

/** `T(1)` = 2024-06-01T01:00:00.000Z: the capture time of the n-th scan of a test. */
export const T = (hour: number): Date => new Date(Date.UTC(2024, 5, 1, hour));

/**
 * One simulator and one dynalite for a test file; a fresh table per test (`useTable`). The scan
 * runs with real SDK clients against both, a virtual clock, and `probe` counting (and failing)
 * the store's DynamoDB requests.
 */
export interface ScanHarness {
  readonly sim: ControlPlaneSimulator;
  readonly dynamo: DynaliteServer;
  /** The store's client: every request the scan makes goes through it (and the probe). */
  readonly client: DynamoDBClient;
  readonly probe: ClientProbe;
  readonly clock: ManualClock;
  readonly collectDeps: CollectDeps;
  /** Creates a new table, points `store` and `deps` at it and installs `fleet` in the simulator. */
  useTable(fleet: Fleet, overrides?: Partial<ScanDeps>): Promise<void>;
  readonly store: DynamoSnapshotStore;
  readonly deps: ScanDeps;
  readonly tableName: string;
  /** One scan of the simulator's account and region, captured at `at`. */
  scan(at: Date, deps?: ScanDeps): Promise<ScanSummary>;
  /** Every drift event item in the table, read with a separate (unprobed) client. */
  storedEvents(): Promise<DriftEventRecord[]>;
  /** The latest entries of the scope, read with a separate client. */
  latest(): Promise<LatestEntry[]>;
  stop(): Promise<void>;
}

let tableCount = 0;

export const startScanHarness = async (): Promise<ScanHarness> => {
  const dynamo = await startDynalite();
  const sim = await startSimulator({ fleet: { restApis: [], v2Apis: [] } });
  const simClients = clientsFor(sim);
  const client = dynamo.client();
  const probe = probeClient(client);
  const admin = dynamo.client();
  let tableName = '';
  let clock = new ManualClock({ start: T(0).getTime() });
  let store: DynamoSnapshotStore | undefined;
  let deps: ScanDeps | undefined;
  const need = <V>(value: V | undefined): V => {
    if (value === undefined) throw new Error('call useTable() first');
    return value;
  };

  const harness: ScanHarness = {
    sim,
    dynamo,
    client,
    probe,
    get clock() {
      return clock;
    },
    collectDeps: simClients,
    get store() {
      return need(store);
    },
    get deps() {
      return need(deps);
    },
    get tableName() {
      return tableName;
    },
    useTable: async (fleet, overrides = {}) => {
      tableCount += 1;
      tableName = `scan-test-${tableCount}`;
      await dynamo.createTable(tableName);
      clock = new ManualClock({ start: T(0).getTime() });
      store = new DynamoSnapshotStore(client, { tableName, clock });
      deps = {
        clientsFor: () => simClients,
        store,
        clock,
        collect: { ...FAST, clock },
        diff: DIFF_OPTIONS,
        ...overrides,
      };
      sim.fleet = fleet;
      sim.clearFailures();
      sim.resetCounts();
      probe.reset();
    },
    scan: (at, scanDeps) => runScan(scanDeps ?? need(deps), { scopes: [SCOPE], now: at }),
    storedEvents: async () => {
      const items: Item[] = [];
      let startKey: Item | undefined;
      do {
        const page = await admin.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: 'itemType = :drift',
            ExpressionAttributeValues: { ':drift': { S: 'DRIFT' } },
            ExclusiveStartKey: startKey,
          }),
        );
        items.push(...((page.Items ?? []) as Item[]));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      // A baseline's posture summary is stored like a drift event (`kind = POSTURE_SUMMARY`): not a stage's.
      return items.filter((item) => item.kind?.S !== 'POSTURE_SUMMARY').map(parseDriftEventItem);
    },
    latest: () => new DynamoSnapshotStore(admin, { tableName }).listLatest(SCOPE.account, SCOPE.region),
    stop: async () => {
      simClients.destroy();
      await sim.close();
      await dynamo.stop();
    },
  };
  return harness;
};

/** `REST/r0orders01/prod MODIFIED HIGH`: one line per event, sorted, for exact comparisons. */
export const eventLines = (events: readonly DriftEventRecord[]): string[] =>
  events.map((e) => `${e.api.type}/${e.api.id}/${e.stageName} ${e.change} ${e.severity}`).sort();

/** Request counts by command name, as the probe saw them. */
export const requestsByCommand = (probe: ClientProbe): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const call of probe.calls) counts[call] = (counts[call] ?? 0) + 1;
  return counts;
};
