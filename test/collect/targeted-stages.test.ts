import type { CollectResult, RawStage, TargetApi } from '../../shared/collect';
import { CollectOptionsError, collectApiStages, collectStages } from '../../shared/collect';
import type { StageSnapshot } from '../../shared/model';
import { apiTagsHash, formatStageKey } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage } from '../../shared/normalize';
import { compareWithLatest } from '../scan/compare-with-latest';
import type { LatestEntry } from '../../shared/store';
import type { ControlPlaneSimulator } from '../support/simulator';
import { generateFleet, SIM_ACCOUNT_ID, SIM_REGION, startSimulator } from '../support/simulator';
import { ManualClock } from '../../shared/runtime';
import { clientsFor } from './simulator-clients';

/** Budget wide open: these tests are about which calls are made. */
const FAST = { ratePerSecond: 1_000_000, burst: 1_000_000 } as const;

let sim: ControlPlaneSimulator;
let clients: ReturnType<typeof clientsFor>;

beforeEach(async () => {
  // 3 REST, 2 HTTP and 1 WebSocket API, 5 stages each.
  sim = await startSimulator({
    fleet: generateFleet({ restApis: 3, httpApis: 2, websocketApis: 1, stagesPerApi: 5, seed: 17 }),
  });
  clients = clientsFor(sim);
});
afterEach(async () => {
  clients.destroy();
  await sim.close();
});

const restApi = (index = 0) => sim.fleet.restApis[index]!;
const httpApi = () => sim.fleet.v2Apis.find((api) => api.protocolType === 'HTTP')!;
const websocketApi = () => sim.fleet.v2Apis.find((api) => api.protocolType === 'WEBSOCKET')!;

const stageNames = (result: CollectResult): string[] =>
  result.stages.map((s: RawStage) => (s.apiType === 'REST' ? s.stage.stageName! : s.stage.StageName!));

const ZERO = { GetRestApis: 0, GetStages: 0, GetApis: 0, GetStagesV2: 0 } as const;

describe('collectApiStages against the control-plane simulator', () => {
  it('reads one REST API with exactly GetRestApi + GetStages: 2 calls', async () => {
    // Prepare
    const api = restApi(1);

    // Act
    const result = await collectApiStages(clients, { apiType: 'REST', apiId: api.id }, FAST);

    // Assess
    expect(sim.counts.byOperation).toEqual({ ...ZERO, GetRestApi: 1, GetStages: 1 });
    expect(sim.counts.total).toBe(2);
    // The single-API read is counted under its own name, as the simulator counts it.
    expect(result.calls).toEqual({ ...ZERO, GetRestApi: 1, GetStages: 1, throttled: 0, retries: 0 });
    expect(result.apis).toEqual([
      { apiId: api.id, apiType: 'REST', name: api.name, ...(api.tags ? { tags: api.tags } : {}) },
    ]);
    expect(result.readApiIds).toEqual([api.id]);
    expect(stageNames(result)).toEqual(api.stages.map((s) => s.stageName as string).sort());
    expect(result).toMatchObject({
      target: { apiType: 'REST', apiId: api.id },
      apiGone: false,
      failures: [],
      listing: { REST: 'failed', V2: 'failed' },
    });
  });

  it('reads one HTTP API with exactly GetApi + one GetStages page: 2 calls', async () => {
    const api = httpApi();

    const result = await collectApiStages(clients, { apiType: 'V2', apiId: api.apiId }, FAST);

    expect(sim.counts.byOperation).toEqual({ ...ZERO, GetApi: 1, GetStagesV2: 1 });
    expect(sim.counts.total).toBe(2);
    expect(result.calls).toEqual({ ...ZERO, GetApi: 1, GetStagesV2: 1, throttled: 0, retries: 0 });
    expect(result.apis).toEqual([
      { apiId: api.apiId, apiType: 'HTTP', name: api.name, ...(api.tags ? { tags: api.tags } : {}) },
    ]);
    expect(result.stages.every((s) => s.apiType === 'HTTP')).toBe(true);
    expect(stageNames(result)).toEqual(api.stages.map((s) => s.stageName as string).sort());
  });

  it("pages a WebSocket API's stages: GetApi + 3 GetStages pages of 2 for 5 stages", async () => {
    const api = websocketApi();

    const result = await collectApiStages(
      clients,
      { apiType: 'V2', apiId: api.apiId },
      { ...FAST, v2PageSize: 2 },
    );

    expect(sim.counts.byOperation).toEqual({ ...ZERO, GetApi: 1, GetStagesV2: 3 });
    expect(result.calls).toEqual({ ...ZERO, GetApi: 1, GetStagesV2: 3, throttled: 0, retries: 0 });
    expect(result.stages).toHaveLength(5);
    expect(result.stages.every((s) => s.apiType === 'WEBSOCKET')).toBe(true);
  });

  it('reads the same stages, byte for byte, as a full collect does for that API', async () => {
    const api = restApi(2);
    const targeted = await collectApiStages(clients, { apiType: 'REST', apiId: api.id }, FAST);
    const full = await collectStages(clients, FAST);
    expect(targeted.stages).toEqual(full.stages.filter((s) => s.api.apiId === api.id));
  });

  it.each<[string, () => TargetApi, string]>([
    ['REST', () => ({ apiType: 'REST', apiId: restApi(0).id }), 'GetRestApi'],
    ['HTTP', () => ({ apiType: 'V2', apiId: httpApi().apiId }), 'GetApi'],
  ])(
    'reports a deleted %s API as gone after 1 call, with no stages and read in full',
    async (_l, target, op) => {
      // Prepare: the API was deleted after the event was sent.
      const chosen = target();
      const { apiId } = chosen;
      sim.fleet.restApis = sim.fleet.restApis.filter((a) => a.id !== apiId);
      sim.fleet.v2Apis = sim.fleet.v2Apis.filter((a) => a.apiId !== apiId);

      // Act
      const result = await collectApiStages(clients, chosen, FAST);

      // Assess
      expect(sim.counts.byOperation).toEqual({ ...ZERO, [op]: 1 });
      expect(result).toMatchObject({
        apiGone: true,
        apis: [],
        stages: [],
        readApiIds: [apiId],
        failures: [],
      });
    },
  );

  it('records a failed GetStages as a failure of that API, never as a read', async () => {
    const api = restApi(0);
    sim.failOn({ operation: 'GetStages', apiId: api.id, status: 403, errorType: 'AccessDeniedException' });

    const result = await collectApiStages(clients, { apiType: 'REST', apiId: api.id }, FAST);

    expect(result).toMatchObject({ apiGone: false, readApiIds: [], stages: [] });
    expect(result.failures).toEqual([
      {
        apiType: 'REST',
        apiId: api.id,
        apiName: api.name,
        operation: 'GetStages',
        errorName: 'AccessDeniedException',
        message: 'Simulated AccessDeniedException',
        httpStatus: 403,
      },
    ]);
  });

  it('records a failed GetApi under its own name, the message naming the API, and reads no stages', async () => {
    const api = httpApi();
    sim.failOn({ operation: 'GetApi', apiId: api.apiId, status: 403, errorType: 'AccessDeniedException' });

    const result = await collectApiStages(clients, { apiType: 'V2', apiId: api.apiId }, FAST);

    expect(sim.counts.total).toBe(1);
    expect(result).toMatchObject({ apiGone: false, apis: [], readApiIds: [], stages: [] });
    expect(result.failures).toEqual([
      {
        apiType: 'V2',
        apiId: api.apiId,
        operation: 'GetApi',
        errorName: 'AccessDeniedException',
        message: `GetApi ${api.apiId}: Simulated AccessDeniedException`,
        httpStatus: 403,
      },
    ]);
  });

  it('retries a throttled GetRestApi within the budget, on a fake clock', async () => {
    const api = restApi(0);
    sim.failOn({ operation: 'GetRestApi', status: 429, errorType: 'TooManyRequestsException', times: 1 });
    const clock = new ManualClock();

    const result = await collectApiStages(clients, { apiType: 'REST', apiId: api.id }, { ...FAST, clock });

    expect(sim.counts.byOperation).toEqual({ ...ZERO, GetRestApi: 2, GetStages: 1 });
    expect(result.calls).toEqual({ ...ZERO, GetRestApi: 2, GetStages: 1, throttled: 1, retries: 1 });
    expect(result.readApiIds).toEqual([api.id]);
  });

  it('refuses a malformed target or apiIds, before any call', async () => {
    await expect(collectApiStages(clients, { apiType: 'HTTP' as never, apiId: 'x' })).rejects.toThrow(
      CollectOptionsError,
    );
    await expect(collectApiStages(clients, { apiType: 'REST', apiId: '' })).rejects.toThrow(
      CollectOptionsError,
    );
    await expect(
      collectApiStages(clients, { apiType: 'REST', apiId: restApi(0).id }, { apiIds: [restApi(0).id] }),
    ).rejects.toThrow(/leave apiIds out/);
    expect(sim.counts.total).toBe(0);
  });
});

describe('a targeted result compared with the whole stored scope', () => {
  const T0 = '2025-03-04T10:00:00.000Z';
  const snapshotsOf = (result: CollectResult): StageSnapshot[] =>
    result.stages.map((raw) => {
      const context = { account: SIM_ACCOUNT_ID, region: SIM_REGION, api: raw.api };
      return raw.apiType === 'REST'
        ? normalizeRestStage(raw.stage, context)
        : normalizeV2Stage(raw.stage, context);
    });
  const entryOf = (snapshot: StageSnapshot): LatestEntry => ({
    key: snapshot.key,
    hash: snapshot.hash,
    capturedAt: T0,
    versionSk: `V#${T0}`,
    apiName: snapshot.apiName,
    ...(snapshot.volatile.createdDate === undefined ? {} : { createdDate: snapshot.volatile.createdDate }),
    ...(apiTagsHash(snapshot) === undefined ? {} : { apiTagsHash: apiTagsHash(snapshot) }),
  });
  const describeChanges = (latest: LatestEntry[], result: CollectResult): string[] =>
    compareWithLatest(latest, snapshotsOf(result), result, new Set()).map(
      (change) => `${formatStageKey(change.key)} ${change.next ? 'changed' : 'deleted'}`,
    );

  it('finds nothing when the API is unchanged, and never deletes the other APIs it did not read', async () => {
    const stored = snapshotsOf(await collectStages(clients, FAST)).map(entryOf);
    const api = restApi(1);

    const result = await collectApiStages(clients, { apiType: 'REST', apiId: api.id }, FAST);

    expect(stored.length).toBe(30);
    expect(describeChanges(stored, result)).toEqual([]);
  });

  it("turns a deleted API's stored stages, and only those, into deletions", async () => {
    const stored = snapshotsOf(await collectStages(clients, FAST)).map(entryOf);
    const api = httpApi();
    sim.fleet.v2Apis = sim.fleet.v2Apis.filter((a) => a.apiId !== api.apiId);

    const result = await collectApiStages(clients, { apiType: 'V2', apiId: api.apiId }, FAST);

    expect(describeChanges(stored, result)).toEqual(
      api.stages
        .map((s) => `${SIM_ACCOUNT_ID}/${SIM_REGION}/HTTP/${api.apiId}/${s.stageName as string} deleted`)
        .sort(),
    );
  });
});
