import type { ScanDeps } from '../../shared/scan';
import { runTargetedScan } from '../../shared/scan';
import type { Fleet } from '../support/simulator';
import { fixtureEventFor } from './cloudtrail-events';
import type { ScanHarness } from './scan-harness';
import { eventLines, SCOPE, startScanHarness, T } from './scan-harness';
import { HTTP_PAYMENTS, REST_ORDERS, scanFleet, stageOf, v2ApiOf, v2Stage } from './scan-fleet';

let h: ScanHarness;

beforeAll(async () => {
  h = await startScanHarness();
});

afterAll(async () => {
  await h.stop();
});

const freshFleet = async (overrides?: Partial<ScanDeps>): Promise<Fleet> => {
  const fleet = scanFleet();
  await h.useTable(fleet, overrides);
  return fleet;
};

const eventFor = fixtureEventFor;

const ZERO = { GetRestApis: 0, GetStages: 0, GetApis: 0, GetStagesV2: 0 } as const;
const at = (hour: number, minutes: number) => new Date(T(hour).getTime() + minutes * 60_000);

describe('runTargetedScan against the control-plane simulator and dynalite', () => {
  it('rescans one REST API with exactly GetRestApi + GetStages and attributes the drift to the triggering call', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    (stageOf(fleet, REST_ORDERS, 'prod').methodSettings as Record<string, Record<string, unknown>>)[
      '*/*'
    ]!.loggingLevel = 'OFF';
    h.sim.resetCounts();
    const event = eventFor('rest-update-stage-console', {
      apiId: REST_ORDERS,
      stageName: 'prod',
      at: at(1, 30),
    });

    // Act
    const result = await runTargetedScan(h.deps, { events: [event], now: at(1, 31) });

    // Assess
    expect(h.sim.counts.byOperation).toEqual({ ...ZERO, GetRestApi: 1, GetStages: 1 });
    expect(h.sim.counts.total).toBe(2);
    expect(result.targets.map((t) => t.outcome)).toEqual(['rescanned']);
    expect(eventLines(result.summary.events)).toEqual([`REST/${REST_ORDERS}/prod MODIFIED HIGH`]);
    const stored = await h.storedEvents();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.attribution).toEqual({
      status: 'attributed',
      principalArn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com',
      principalType: 'AssumedRole',
      sessionIssuer: 'arn:aws:iam::123456789012:role/Admin',
      sourceIp: 'AWS Internal',
      userAgent: 'AWS Internal',
      eventName: 'UpdateStage',
      eventTime: '2024-06-01T01:30:00Z',
      requestId: 'a97770ab-af16-fa15-39ff-f5525f5fd3d5',
      eventId: `rest-update-stage-console@${at(1, 30).toISOString()}`,
      source: 'console',
    });
  });

  it('rescans one HTTP API with exactly GetApi + GetStages, a new stage as CREATED', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    v2ApiOf(fleet, HTTP_PAYMENTS).stages.push(v2Stage('staging'));
    h.sim.resetCounts();
    const event = eventFor('http-create-stage-terraform', {
      apiId: HTTP_PAYMENTS,
      stageName: 'staging',
      at: at(1, 10),
    });

    // Act
    const result = await runTargetedScan(h.deps, { events: [event], now: at(1, 11) });

    // Assess
    expect(h.sim.counts.byOperation).toEqual({ ...ZERO, GetApi: 1, GetStagesV2: 1 });
    expect(h.sim.counts.total).toBe(2);
    expect(eventLines(result.summary.events)).toEqual([`HTTP/${HTTP_PAYMENTS}/staging CREATED INFO`]);
    expect(result.summary.events[0]!.attribution).toMatchObject({
      status: 'attributed',
      eventName: 'CreateStage',
      source: 'terraform',
    });
  });

  it('coalesces a burst of events on one API into one rescan (2 calls), and leaves other APIs alone', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    delete stageOf(fleet, REST_ORDERS, 'staging').webAclArn;
    stageOf(fleet, REST_ORDERS, 'prod').tracingEnabled = false;
    h.sim.resetCounts();
    const events = [
      eventFor('rest-create-deployment-cli', { apiId: REST_ORDERS, stageName: 'prod', at: at(1, 5) }),
      eventFor('rest-update-stage-boto3', { apiId: REST_ORDERS, stageName: 'prod', at: at(1, 6) }),
      eventFor('rest-tag-stage-cli', { apiId: REST_ORDERS, at: at(1, 7) }),
      eventFor('rest-update-stage-console', { apiId: REST_ORDERS, stageName: 'staging', at: at(1, 8) }),
      eventFor('rest-update-stage-failed', { apiId: REST_ORDERS, stageName: 'prod', at: at(1, 9) }),
    ];

    // Act
    const result = await runTargetedScan(h.deps, { events, now: at(1, 10) });

    // Assess
    expect(result.targets).toHaveLength(1);
    expect(h.sim.counts.byOperation).toEqual({ ...ZERO, GetRestApi: 1, GetStages: 1 });
    expect(result.skippedEvents.map((s) => s.reason)).toEqual([expect.stringContaining('the call failed')]);
    expect(eventLines(result.summary.events)).toEqual(
      // Tracing off: APIGateway.3 now fails on prod, a regression (HIGH, not its rule's MEDIUM).
      [`REST/${REST_ORDERS}/prod MODIFIED HIGH`, `REST/${REST_ORDERS}/staging MODIFIED HIGH`].sort(),
    );
    const staging = result.summary.events.find((e) => e.stageName === 'staging');
    expect(staging?.attribution).toMatchObject({
      status: 'attributed',
      eventName: 'UpdateStage',
      source: 'console',
    });
  });

  it('skips a scope no full scan has completed: a targeted scan never takes the baseline', async () => {
    // Prepare
    await freshFleet();
    const event = eventFor('rest-update-stage-console', {
      apiId: REST_ORDERS,
      stageName: 'prod',
      at: at(1, 30),
    });

    // Act
    const result = await runTargetedScan(h.deps, { events: [event], now: at(1, 31) });

    // Assess
    expect(result.targets).toEqual([
      expect.objectContaining({ outcome: 'skipped', reason: expect.stringContaining('no full scan') }),
    ]);
    expect(h.sim.counts.total).toBe(0);
    expect(await h.latest()).toEqual([]);
  });

  it('writes no run record, and stores the rescanned version as the latest', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    stageOf(fleet, REST_ORDERS, 'prod').tracingEnabled = false;
    const event = eventFor('rest-update-stage-boto3', {
      apiId: REST_ORDERS,
      stageName: 'prod',
      at: at(1, 30),
    });

    // Act
    await runTargetedScan(h.deps, { events: [event], now: at(1, 31) });

    // Assess
    const { runs } = await h.store.listRuns(SCOPE.account, SCOPE.region);
    expect(runs.map((r) => r.startedAt)).toEqual([T(1).toISOString()]);
    const prod = (await h.latest()).find((e) => e.key.apiId === REST_ORDERS && e.key.stageName === 'prod');
    expect(prod?.capturedAt).toBe(at(1, 31).toISOString());
    // The next full scan finds nothing new.
    expect((await h.scan(T(2))).events).toEqual([]);
  });
});
