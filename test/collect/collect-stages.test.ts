import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { CollectResult, RawStage } from '../../shared/collect';
import {
  FIRST_ANSWER_MARGIN_MS,
  CollectOptionsError,
  collectApiSubsetStages,
  collectHttpApiStages,
  collectRestApiStages,
  collectStages,
  createCollectSession,
} from '../../shared/collect';
import type { Fleet, GenerateFleetOptions, SimulatorOptions } from '../support/simulator';
import { generateFleet, startSimulator } from '../support/simulator';
import { ManualClock } from '../../shared/runtime';
import { clientsFor, minimumCalls, operationCounts, totalSends } from './simulator-clients';

/** Budget wide open: these tests are about calls, not pacing (pacing has its own test). */
const FAST = { ratePerSecond: 1_000_000, burst: 1_000_000, concurrency: 8 } as const;

const stageNameOf = (raw: RawStage): string | undefined =>
  raw.apiType === 'REST' ? raw.stage.stageName : raw.stage.StageName;

const stageKeys = (result: CollectResult): string[] =>
  result.stages.map((s) => `${s.apiType}/${s.api.apiId}/${stageNameOf(s)}`);

const expectedStageKeys = (fleet: Fleet, skipApiIds: readonly string[] = []): string[] => {
  const rank = { REST: 0, HTTP: 1, WEBSOCKET: 2 } as const;
  const rows = [
    ...fleet.restApis.map((api) => ({ type: 'REST' as const, id: api.id, stages: api.stages })),
    ...fleet.v2Apis.map((api) => ({ type: api.protocolType, id: api.apiId, stages: api.stages })),
  ]
    .filter((row) => !skipApiIds.includes(row.id))
    .flatMap((row) =>
      row.stages.map((stage) => ({ type: row.type, id: row.id, name: stage.stageName as string })),
    );
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => rank[a.type] - rank[b.type] || text(a.id, b.id) || text(a.name, b.name));
  return rows.map((r) => `${r.type}/${r.id}/${r.name}`);
};

const allApiIds = (fleet: Fleet): string[] =>
  [...fleet.restApis.map((a) => a.id), ...fleet.v2Apis.map((a) => a.apiId)].sort();

/** Starts a simulator and clients for one test; `stop` closes both. */
const open = async (fleetOptions: GenerateFleetOptions, simOptions: Omit<SimulatorOptions, 'fleet'> = {}) => {
  const sim = await startSimulator({ fleet: generateFleet(fleetOptions), ...simOptions });
  const clients = clientsFor(sim);
  return {
    sim,
    clients,
    stop: async () => {
      clients.destroy();
      await sim.close();
    },
  };
};

let running: { stop(): Promise<void> } | undefined;
const start = async (
  fleetOptions: GenerateFleetOptions,
  simOptions: Omit<SimulatorOptions, 'fleet'> = {},
) => {
  const opened = await open(fleetOptions, simOptions);
  running = opened;
  return opened;
};
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('collectStages against the control-plane simulator', () => {
  it('reads 1,234 REST APIs in 3 pages and every stage with exactly the minimum of calls', async () => {
    // Prepare
    const { sim, clients } = await start({
      restApis: 1_234,
      httpApis: 600,
      websocketApis: 50,
      stagesPerApi: 3,
      methodSettingsPerStage: 1,
      seed: 7,
    });
    const expected = minimumCalls(sim.fleet);

    // Act
    const result = await collectStages(clients, FAST);

    // Assess
    expect(expected).toEqual({ GetRestApis: 3, GetStages: 1_234, GetApis: 7, GetStagesV2: 650 });
    expect(result.calls).toEqual({ ...expected, throttled: 0, retries: 0 });
    expect(sim.counts.byOperation).toEqual(expected);
    expect(sim.counts.total).toBe(totalSends(expected));
    expect(result.listing).toEqual({ REST: 'complete', V2: 'complete' });
    expect(result.failures).toEqual([]);
    expect(result.readApiIds).toEqual(allApiIds(sim.fleet));
    expect(stageKeys(result)).toEqual(expectedStageKeys(sim.fleet));
    expect(result.apis).toHaveLength(1_884);
  });

  it('pages v2 APIs and v2 stages with a small page size, still at the minimum', async () => {
    // Prepare
    const { sim, clients } = await start({
      restApis: 3,
      httpApis: 20,
      websocketApis: 7,
      stagesPerApi: 5,
      seed: 3,
    });
    const expected = minimumCalls(sim.fleet, { v2: 2 });

    // Act
    const result = await collectStages(clients, { ...FAST, v2PageSize: 2 });

    // Assess
    expect(expected).toEqual({ GetRestApis: 1, GetStages: 3, GetApis: 14, GetStagesV2: 81 });
    expect(operationCounts(result.calls)).toEqual(expected);
    expect(sim.counts.byOperation).toEqual(expected);
    expect(stageKeys(result)).toEqual(expectedStageKeys(sim.fleet));
    expect(result.stages.filter((s) => s.apiType === 'WEBSOCKET')).toHaveLength(35);
  });

  it('keeps each API name and tags from the listing and maps ProtocolType', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 2, httpApis: 2, websocketApis: 2, seed: 11 });

    // Act
    const result = await collectStages(clients, FAST);

    // Assess
    const rest = sim.fleet.restApis.map((a) => ({
      apiId: a.id,
      apiType: 'REST',
      name: a.name,
      ...(a.tags && { tags: a.tags }),
    }));
    const v2 = sim.fleet.v2Apis.map((a) => ({
      apiId: a.apiId,
      apiType: a.protocolType,
      name: a.name,
      ...(a.tags && { tags: a.tags }),
    }));
    expect(result.apis).toEqual(expect.arrayContaining([...rest, ...v2]));
    expect(result.apis).toHaveLength(6);
    expect(result.apis.map((a) => a.apiType)).toEqual([
      'REST',
      'REST',
      'HTTP',
      'HTTP',
      'WEBSOCKET',
      'WEBSOCKET',
    ]);
    for (const raw of result.stages) expect(result.apis).toContainEqual(raw.api);
  });

  it('returns the same result, in the same order, scan after scan', async () => {
    // Prepare
    const { clients } = await start({ restApis: 40, httpApis: 30, websocketApis: 10, seed: 5 });

    // Act
    const first = await collectStages(clients, { ...FAST, concurrency: 16 });
    const second = await collectStages(clients, { ...FAST, concurrency: 3 });

    // Assess
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('absorbs throttling from a service budget smaller than its own: every stage, no failures', async () => {
    // Prepare
    const clock = new ManualClock({ start: 1_000_000 });
    const { sim, clients } = await start(
      { restApis: 60, httpApis: 40, stagesPerApi: 2, seed: 9 },
      { rateLimit: { ratePerSecond: 20, burst: 5 }, now: () => clock.now() },
    );
    const minimum = minimumCalls(sim.fleet);

    // Act
    const result = await collectStages(clients, { ratePerSecond: 100, burst: 20, concurrency: 4, clock });

    // Assess
    expect(result.failures).toEqual([]);
    expect(stageKeys(result)).toEqual(expectedStageKeys(sim.fleet));
    expect(result.calls.throttled).toBeGreaterThan(0);
    expect(result.calls.throttled).toBe(sim.counts.throttled);
    expect(result.calls.retries).toBe(result.calls.throttled);
    expect(totalSends(result.calls)).toBe(totalSends(minimum) + result.calls.retries);
    expect(sim.counts.byOperation).toEqual(operationCounts(result.calls));
    expect(sim.counts.total - sim.counts.throttled).toBe(totalSends(minimum));
  });

  it('stays within its budget: at most burst + rate * t sends in any window of t', async () => {
    // Prepare
    const clock = new ManualClock();
    const { sim, clients } = await start({ restApis: 25, httpApis: 5, stagesPerApi: 1, seed: 2 });
    const sentAt: number[] = [];
    clients.restClient.middlewareStack.add(
      (next) => (args) => {
        sentAt.push(clock.now());
        return next(args);
      },
      { step: 'initialize' },
    );
    clients.v2Client.middlewareStack.add(
      (next) => (args) => {
        sentAt.push(clock.now());
        return next(args);
      },
      { step: 'initialize' },
    );

    // Act (defaults: 3 requests/s, burst 10)
    const result = await collectStages(clients, { clock });

    // Assess
    const sends = totalSends(minimumCalls(sim.fleet));
    expect(result.failures).toEqual([]);
    expect(sentAt).toHaveLength(sends);
    sentAt.sort((a, b) => a - b);
    for (let i = 0; i < sentAt.length; i++) {
      for (let j = i; j < sentAt.length; j++) {
        expect(j - i + 1).toBeLessThanOrEqual(10 + (3 * (sentAt[j]! - sentAt[i]!)) / 1000 + 1e-6);
      }
    }
    // The full burst goes at once; the refill counts from the first answer (at virtual time 0
    // here, plus the margin), so each later send goes 1/3 s after the one before.
    expect(sentAt.filter((t) => t === 0)).toHaveLength(10);
    expect(sentAt.at(-1)).toBeCloseTo(FIRST_ANSWER_MARGIN_MS + ((sends - 10) / 3) * 1000, 0);
  });

  it('hands each API read to onApiStages as soon as its stages are read, and keeps none in the result', async () => {
    // Prepare: one API with no stage, one whose read fails.
    const { sim, clients } = await start({
      restApis: 12,
      httpApis: 8,
      websocketApis: 2,
      stagesPerApi: 3,
      seed: 23,
    });
    sim.fleet.restApis[0]!.stages = [];
    const failing = sim.fleet.v2Apis[1]!.apiId;
    sim.failOn({ operation: 'GetStagesV2', apiId: failing, status: 403, errorType: 'AccessDeniedException' });
    const handed: string[] = [];
    const stagesPerCall: number[] = [];

    // Act
    const result = await collectStages(clients, FAST, (api, stages) => {
      handed.push(api.apiId);
      stagesPerCall.push(stages.length);
      for (const raw of stages) {
        expect(raw.api).toBe(api);
        expect(handed).not.toContain(`${raw.apiType}/${raw.api.apiId}/${stageNameOf(raw)}`);
        handed.push(`${raw.apiType}/${raw.api.apiId}/${stageNameOf(raw)}`);
      }
      return Promise.resolve();
    });

    // Assess
    expect(result.stages).toEqual([]);
    expect(result.readApiIds).toEqual(allApiIds(sim.fleet).filter((id) => id !== failing));
    expect(handed.filter((entry) => !entry.includes('/')).sort()).toEqual(result.readApiIds);
    expect(handed.filter((entry) => entry.includes('/')).sort()).toEqual(
      expectedStageKeys(sim.fleet, [failing]).sort(),
    );
    expect(stagesPerCall.filter((n) => n === 0)).toHaveLength(1);
    expect(result.failures).toEqual([expect.objectContaining({ apiId: failing, operation: 'GetStagesV2' })]);
  });

  it('stops reading when onApiStages throws, and rethrows its error once the reads in flight have settled', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 40, httpApis: 40, stagesPerApi: 1, seed: 24 });
    let calls = 0;
    let inFlight = 0;
    let inFlightAtEnd = -1;

    // Act
    const collect = collectStages(clients, { ...FAST, concurrency: 4 }, async () => {
      calls += 1;
      const call = calls;
      inFlight += 1;
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      if (call === 3) throw new Error('store on fire');
    }).finally(() => {
      inFlightAtEnd = inFlight;
    });

    // Assess
    await expect(collect).rejects.toThrow('store on fire');
    expect(inFlightAtEnd).toBe(0);
    expect(sim.counts.byOperation.GetStages + sim.counts.byOperation.GetStagesV2).toBeLessThan(20);
  });

  it('isolates one API deleted mid-scan (404): that API fails, every other is read', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 30, httpApis: 20, seed: 4 });
    const gone = sim.fleet.restApis[17]!;
    sim.failOn({
      operation: 'GetStages',
      apiId: gone.id,
      status: 404,
      errorType: 'NotFoundException',
      message: `Invalid API identifier specified ${gone.id}`,
    });

    // Act
    const result = await collectStages(clients, FAST);

    // Assess
    expect(result.failures).toEqual([
      {
        apiType: 'REST',
        apiId: gone.id,
        apiName: gone.name,
        operation: 'GetStages',
        errorName: 'NotFoundException',
        message: `Invalid API identifier specified ${gone.id}`,
        httpStatus: 404,
      },
    ]);
    expect(result.readApiIds).toEqual(allApiIds(sim.fleet).filter((id) => id !== gone.id));
    expect(stageKeys(result)).toEqual(expectedStageKeys(sim.fleet, [gone.id]));
    expect(result.apis.map((a) => a.apiId)).toContain(gone.id);
    expect(result.calls).toEqual({ ...minimumCalls(sim.fleet), throttled: 0, retries: 0 });
  });

  it('does not retry a 403 and records it against that API only', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 5, httpApis: 5, seed: 6 });
    const denied = sim.fleet.v2Apis[2]!;
    sim.failOn({
      operation: 'GetStagesV2',
      apiId: denied.apiId,
      status: 403,
      errorType: 'AccessDeniedException',
    });

    // Act
    const result = await collectStages(clients, FAST);

    // Assess
    expect(result.failures).toEqual([
      expect.objectContaining({
        apiType: 'V2',
        apiId: denied.apiId,
        operation: 'GetStagesV2',
        errorName: 'AccessDeniedException',
        httpStatus: 403,
      }),
    ]);
    expect(sim.counts.byOperation).toEqual(minimumCalls(sim.fleet));
    expect(result.calls.retries).toBe(0);
    expect(result.readApiIds).not.toContain(denied.apiId);
    expect(result.readApiIds).toHaveLength(9);
  });

  it('fails an API whose second stage page fails, discarding its first page', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 0, httpApis: 4, stagesPerApi: 3, seed: 8 });
    const target = sim.fleet.v2Apis[1]!;
    clients.v2Client.middlewareStack.add(
      (next, context) => (args) => {
        const input = args.input as { ApiId?: string; NextToken?: string };
        if (context.commandName === 'GetStagesCommand' && input.ApiId === target.apiId && input.NextToken) {
          sim.failOn({
            operation: 'GetStagesV2',
            apiId: target.apiId,
            status: 404,
            errorType: 'NotFoundException',
            times: 1,
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failSecondPage' },
    );

    // Act
    const result = await collectStages(clients, { ...FAST, v2PageSize: 2 });

    // Assess
    expect(result.failures).toEqual([
      expect.objectContaining({ apiId: target.apiId, operation: 'GetStagesV2', httpStatus: 404 }),
    ]);
    expect(result.readApiIds).not.toContain(target.apiId);
    expect(result.stages.some((s) => s.api.apiId === target.apiId)).toBe(false);
    expect(stageKeys(result)).toEqual(expectedStageKeys(sim.fleet, [target.apiId]));
  });

  it('marks the REST listing failed when a later page fails, and reads none of its APIs', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 12, httpApis: 6, seed: 10 });
    clients.restClient.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (context.commandName === 'GetRestApisCommand') {
          sim.failOn({
            operation: 'GetRestApis',
            status: 400,
            errorType: 'BadRequestException',
            message: 'Invalid position',
          });
        }
        return output;
      },
      { step: 'initialize', name: 'failAfterFirstPage' },
    );

    // Act
    const result = await collectStages(clients, { ...FAST, restPageSize: 5 });

    // Assess
    expect(result.listing).toEqual({ REST: 'failed', V2: 'complete' });
    expect(result.failures).toEqual([
      {
        apiType: 'REST',
        operation: 'GetRestApis',
        errorName: 'BadRequestException',
        message: 'Invalid position',
        httpStatus: 400,
      },
    ]);
    expect(result.calls.GetRestApis).toBe(2);
    expect(result.calls.GetStages).toBe(0);
    expect(result.apis.filter((a) => a.apiType === 'REST')).toEqual([]);
    expect(result.readApiIds).toEqual(sim.fleet.v2Apis.map((a) => a.apiId).sort());
    expect(stageKeys(result)).toEqual(expectedStageKeys({ restApis: [], v2Apis: sim.fleet.v2Apis }));
  });

  it('marks the v2 listing failed when GetApis is refused, and still reads every REST API', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 6, httpApis: 6, seed: 12 });
    sim.failOn({ operation: 'GetApis', status: 403, errorType: 'AccessDeniedException' });

    // Act
    const result = await collectStages(clients, FAST);

    // Assess
    expect(result.listing).toEqual({ REST: 'complete', V2: 'failed' });
    expect(result.failures).toEqual([
      expect.objectContaining({
        apiType: 'V2',
        operation: 'GetApis',
        errorName: 'AccessDeniedException',
        httpStatus: 403,
      }),
    ]);
    expect(result.failures[0]).not.toHaveProperty('apiId');
    expect(result.readApiIds).toEqual(sim.fleet.restApis.map((a) => a.id).sort());
    expect(result.calls.GetStagesV2).toBe(0);
  });

  it('fails only the API still throttled at the deadline', async () => {
    // Prepare
    const clock = new ManualClock();
    const { sim, clients } = await start({ restApis: 8, httpApis: 4, seed: 13 });
    const stuck = sim.fleet.restApis[3]!;
    sim.failOn({
      operation: 'GetStages',
      apiId: stuck.id,
      status: 429,
      errorType: 'TooManyRequestsException',
    });

    // Act
    const result = await collectStages(clients, { ...FAST, clock, throttleDeadlineMs: 5_000 });

    // Assess
    expect(result.failures).toEqual([
      expect.objectContaining({
        apiType: 'REST',
        apiId: stuck.id,
        operation: 'GetStages',
        errorName: 'TooManyRequestsException',
        httpStatus: 429,
      }),
    ]);
    expect(result.failures[0]!.message).toMatch(/throttleDeadlineMs 5000/);
    expect(result.readApiIds).toHaveLength(11);
    expect(result.calls.throttled).toBe(sim.counts.throttled);
    expect(result.calls.throttled).toBeGreaterThan(3);
    expect(result.calls.retries).toBe(result.calls.throttled - 1);
    expect(clock.now()).toBeLessThanOrEqual(5_000);
  });

  it('retries a 5xx a bounded number of times: recovers from two, fails after four', async () => {
    // Prepare
    const clock = new ManualClock();
    const { sim, clients } = await start({ restApis: 4, httpApis: 0, seed: 14 });
    const [flaky, broken] = [sim.fleet.restApis[0]!, sim.fleet.restApis[1]!];
    sim.failOn({
      operation: 'GetStages',
      apiId: flaky.id,
      status: 500,
      errorType: 'InternalServerErrorException',
      times: 2,
    });
    sim.failOn({
      operation: 'GetStages',
      apiId: broken.id,
      status: 503,
      errorType: 'ServiceUnavailableException',
    });

    // Act
    const result = await collectStages(clients, { ...FAST, clock });

    // Assess
    expect(result.failures).toEqual([
      expect.objectContaining({
        apiId: broken.id,
        errorName: 'ServiceUnavailableException',
        httpStatus: 503,
      }),
    ]);
    expect(result.readApiIds).toContain(flaky.id);
    expect(result.calls.GetStages).toBe(4 + 2 + 3);
    expect(result.calls.retries).toBe(5);
  });

  it('reads only the targeted APIs, still listing every API', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 10, httpApis: 10, stagesPerApi: 3, seed: 15 });
    const targets = [sim.fleet.restApis[4]!.id, sim.fleet.v2Apis[7]!.apiId, 'no-such-api'];

    // Act
    const result = await collectStages(clients, { ...FAST, apiIds: targets, v2PageSize: 2 });

    // Assess
    expect(result.apis).toHaveLength(20);
    expect(result.readApiIds).toEqual(targets.slice(0, 2).sort());
    expect(result.stages).toHaveLength(6);
    expect(result.calls).toMatchObject({ GetRestApis: 1, GetStages: 1, GetApis: 5, GetStagesV2: 2 });
  });

  it('rethrows an unexpected error instead of recording it, and stops sending', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 200, httpApis: 0, seed: 16 });
    const bug = new TypeError("Cannot read properties of undefined (reading 'item')");
    const victim = allApiIds(sim.fleet)[5]!; // APIs are read in listing (id) order
    clients.restClient.middlewareStack.add(
      (next, context) => (args) => {
        if (
          context.commandName === 'GetStagesCommand' &&
          (args.input as { restApiId?: string }).restApiId === victim
        ) {
          throw bug;
        }
        return next(args);
      },
      { step: 'initialize', name: 'bug' },
    );

    // Act
    const outcome = collectStages(clients, { ...FAST, concurrency: 2 });

    // Assess
    await expect(outcome).rejects.toBe(bug);
    expect(sim.counts.byOperation.GetStages).toBeLessThan(20);
  });
});

describe('collector options and clients', () => {
  it.each([
    [{ ratePerSecond: 0 }, /ratePerSecond must be > 0/],
    [{ burst: 0.5 }, /burst must be >= 1/],
    [{ concurrency: 0 }, /concurrency must be an integer >= 1/],
    [{ restPageSize: 501 }, /restPageSize must be an integer from 1 to 500/],
    [{ v2PageSize: 0 }, /v2PageSize must be an integer >= 1/],
    [{ throttleDeadlineMs: -1 }, /throttleDeadlineMs must be >= 0/],
    [{ apiIds: [''] }, /apiIds must be non-empty strings/],
  ])('refuses %o, naming the option', (options, message) => {
    expect(() => createCollectSession(options)).toThrow(CollectOptionsError);
    expect(() => createCollectSession(options)).toThrow(message);
  });

  it('refuses a client that would retry on its own, before sending anything', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 1, httpApis: 1 });
    const sdkRetrying = new APIGatewayClient({
      endpoint: sim.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });

    // Act
    const whole = collectStages({ ...clients, restClient: sdkRetrying });
    const half = collectRestApiStages(sdkRetrying);

    // Assess
    const message =
      /restClient was built with maxAttempts 3: build it with \{ \.\.\.COLLECTOR_CLIENT_CONFIG \}/;
    await expect(whole).rejects.toThrow(CollectOptionsError);
    await expect(whole).rejects.toThrow(message);
    await expect(half).rejects.toThrow(message);
    expect(sim.counts.total).toBe(0);
    sdkRetrying.destroy();
  });

  it('lets the halves run on their own with one shared session', async () => {
    // Prepare
    const { sim, clients } = await start({ restApis: 3, httpApis: 2, seed: 17 });
    const session = createCollectSession(FAST);

    // Act
    const [rest, v2] = await Promise.all([
      collectRestApiStages(clients.restClient, session),
      collectHttpApiStages(clients.v2Client, session),
    ]);

    // Assess
    expect(rest).toMatchObject({ family: 'REST', listing: 'complete', failures: [] });
    expect(rest.readApiIds).toHaveLength(3);
    expect(v2).toMatchObject({ family: 'V2', listing: 'complete', failures: [] });
    expect(v2.readApiIds).toHaveLength(2);
    expect(rest.calls.GetRestApis + rest.calls.GetStages + v2.calls.GetApis + v2.calls.GetStagesV2).toBe(
      sim.counts.total,
    );
  });
});

describe('collectApiSubsetStages against the control-plane simulator', () => {
  it('hands the stages of each API it reads to onApiStages and leaves the rest unstarted once told to stop', async () => {
    // Prepare: one read at a time, so the APIs are read in the order given.
    const { sim, clients } = await start({
      restApis: 4,
      httpApis: 3,
      websocketApis: 1,
      stagesPerApi: 2,
      seed: 31,
    });
    const { apis } = await collectStages(clients, { ...FAST, apiIds: [] });
    const handed: string[] = [];

    // Act
    const result = await collectApiSubsetStages(
      clients,
      apis,
      { ...FAST, concurrency: 1, shouldStop: () => handed.length >= 3 },
      (api, stages) => {
        handed.push(api.apiId);
        expect(stages.map((raw) => raw.api.apiId)).toEqual([api.apiId, api.apiId]);
        return Promise.resolve();
      },
    );

    // Assess
    expect(result.stages).toEqual([]);
    expect(handed).toEqual(apis.slice(0, 3).map((api) => api.apiId));
    expect(result.readApiIds).toEqual([...handed].sort());
    expect(result.unstarted).toEqual(apis.slice(3));
    expect(sim.counts.byOperation.GetStages + sim.counts.byOperation.GetStagesV2).toBe(3);
  });
});
