import type { StageSnapshot } from '../../shared/model';
import { configAsJson, contentHash, formatStageKey } from '../../shared/model';
import type { ScanDeps, ScanSummary } from '../../shared/scan';
import { runTargetedScan } from '../../shared/scan';
import { fixtureEventFor } from './cloudtrail-events';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoSnapshotStore } from '../../shared/store';
import { runPk } from '../../shared/store';
import { clientsFor } from '../collect/simulator-clients';
import type { Fleet } from '../support/simulator';
import { generateFleet } from '../support/simulator';
import type { ScanHarness } from './scan-harness';
import { eventLines, requestsByCommand, SCOPE, startScanHarness, T } from './scan-harness';
import {
  HTTP_PAYMENTS,
  REST_LEGACY,
  REST_ORDERS,
  REST_QUIET,
  SECRET_VALUES,
  STAGES_IN_FLEET,
  WS_CHAT,
  removeStage,
  restApiOf,
  restStage,
  scanFleet,
  stageOf,
  v2ApiOf,
  v2Stage,
} from './scan-fleet';

let h: ScanHarness;

beforeAll(async () => {
  h = await startScanHarness();
});

afterAll(async () => {
  await h.stop();
});

/** Starts a test on a new table with a fresh copy of the fleet, and returns the fleet to mutate. */
const freshFleet = async (overrides?: Partial<ScanDeps>): Promise<Fleet> => {
  const fleet = scanFleet();
  await h.useTable(fleet, overrides);
  return fleet;
};

/** The seven kinds of drift of the issue, applied to the scan fleet. */
const applyDrift = (fleet: Fleet): void => {
  const orders = stageOf(fleet, REST_ORDERS, 'prod');
  orders.methodSettings = {
    '*/*': {
      ...(orders.methodSettings as Record<string, Record<string, unknown>>)['*/*'],
      loggingLevel: 'OFF',
    },
  };
  delete stageOf(fleet, REST_ORDERS, 'staging').webAclArn;
  stageOf(fleet, HTTP_PAYMENTS, 'prod').stageVariables = {
    apiToken: SECRET_VALUES[2],
    region: 'us-east-1',
  };
  removeStage(fleet, REST_ORDERS, 'dev');
  fleet.restApis = fleet.restApis.filter((api) => api.id !== REST_LEGACY);
  v2ApiOf(fleet, HTTP_PAYMENTS).stages.push(v2Stage('staging'));
  stageOf(fleet, WS_CHAT, 'prod').createdDate = '2024-06-01T00:30:00Z';
};

const EXPECTED_DRIFT = [
  `HTTP/${HTTP_PAYMENTS}/prod MODIFIED MEDIUM`,
  `HTTP/${HTTP_PAYMENTS}/staging CREATED INFO`,
  `REST/${REST_LEGACY}/dev DELETED HIGH`,
  `REST/${REST_LEGACY}/prod DELETED HIGH`,
  `REST/${REST_ORDERS}/dev DELETED HIGH`,
  `REST/${REST_ORDERS}/prod MODIFIED HIGH`,
  `REST/${REST_ORDERS}/staging MODIFIED HIGH`,
  `WEBSOCKET/${WS_CHAT}/prod RECREATED MEDIUM`,
];

const onlyScope = (summary: ScanSummary) => {
  expect(summary.scopes).toHaveLength(1);
  return summary.scopes[0]!;
};

describe('runScan against the control-plane simulator and dynalite', () => {
  it('stores everything on the first scan of a scope as a baseline, with no events and one run record', async () => {
    // Prepare
    await freshFleet();

    // Act
    const summary = await h.scan(T(1));
    const requests = requestsByCommand(h.probe);

    // Assess
    const scope = onlyScope(summary);
    expect(summary.baseline).toBe(true);
    expect(summary.events).toEqual([]);
    expect(scope).toMatchObject({
      baseline: true,
      apisListed: 5,
      apisRead: 5,
      stagesRead: STAGES_IN_FLEET,
      stagesChanged: STAGES_IN_FLEET,
      events: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 },
      replayed: 0,
      superseded: 0,
      failures: [],
    });
    // 1 Query of the latest items, 1 Query of the runs (nothing stored yet); a version and a
    // latest item per stage, the scope registry item and the run record. The posture summary:
    // the latest items read back (1 Query), their versions (1 BatchGetItem), its item (1 PutItem).
    expect(requests).toEqual({ Query: 3, BatchGetItem: 1, PutItem: 2 * STAGES_IN_FLEET + 3 });
    expect(await h.storedEvents()).toEqual([]);
    expect(await h.latest()).toHaveLength(STAGES_IN_FLEET);
    const runs = await h.store.listRuns(SCOPE.account, SCOPE.region);
    expect(runs.runs.map((run) => run.startedAt)).toEqual([T(1).toISOString()]);
  });

  it('reports exactly the drift applied between two scans, with the right change kinds and severities', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    applyDrift(fleet);
    h.probe.reset();

    // Act
    const summary = await h.scan(T(2));
    const requests = requestsByCommand(h.probe);

    // Assess
    const scope = onlyScope(summary);
    expect(summary.baseline).toBe(false);
    expect(eventLines(summary.events)).toEqual(EXPECTED_DRIFT);
    expect(eventLines(await h.storedEvents())).toEqual(EXPECTED_DRIFT);
    expect(scope.events).toEqual({ CRITICAL: 0, HIGH: 5, MEDIUM: 2, LOW: 0, INFO: 1 });
    expect(scope).toMatchObject({
      apisListed: 4,
      apisRead: 4,
      stagesRead: 8,
      stagesChanged: 8,
      failures: [],
    });
    // Most severe first, and the rules that decided.
    expect(summary.events.map((e) => e.severity)).toEqual([
      'HIGH',
      'HIGH',
      'HIGH',
      'HIGH',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'INFO',
    ]);
    const ruleOf = (apiId: string, stageName: string) =>
      summary.events
        .find((e) => e.api.id === apiId && e.stageName === stageName)
        ?.changes.map((c) => `${c.path.join('.')} ${c.rule}`);
    expect(ruleOf(REST_ORDERS, 'prod')).toEqual(['methodSettings.*/*.loggingLevel execution-logging-off']);
    expect(ruleOf(REST_ORDERS, 'staging')).toEqual(['webAclArn waf-detached-or-changed']);
    expect(ruleOf(HTTP_PAYMENTS, 'prod')).toEqual(['stageVariables.apiToken stage-variables-changed']);
    expect(ruleOf(WS_CHAT, 'prod')).toEqual([]);
    // The latest items follow the fleet: deleted stages gone, the new one there.
    expect((await h.latest()).map((e) => `${e.key.apiId}/${e.key.stageName}`).sort()).toEqual(
      [
        `${REST_ORDERS}/prod`,
        `${REST_ORDERS}/staging`,
        `${REST_QUIET}/prod`,
        `${REST_QUIET}/dev`,
        `${HTTP_PAYMENTS}/prod`,
        `${HTTP_PAYMENTS}/$default`,
        `${HTTP_PAYMENTS}/staging`,
        `${WS_CHAT}/prod`,
      ].sort(),
    );
    // Reads: latest items, runs (a stage is new), the 7 previous versions in one batch, and
    // the new stage's tombstone lookup. Writes: 4 per modified/recreated/deleted stage
    // (event, version or tombstone, latest, TTL of the replaced version), 3 for the created
    // one (no version to retire), and the run record.
    expect(requests).toEqual({
      Query: 3,
      BatchGetItem: 1,
      PutItem: 4 * 3 + 3 * 2 + 3 + 1,
      UpdateItem: 4 + 3,
      DeleteItem: 3,
    });
  });

  it('writes nothing but its run record on an unchanged rescan: one Query and one PutItem', async () => {
    // Prepare
    await freshFleet();
    await h.scan(T(1));
    h.probe.reset();
    h.sim.resetCounts();

    // Act
    const summary = await h.scan(T(2));

    // Assess
    const scope = onlyScope(summary);
    expect(scope).toMatchObject({ baseline: false, stagesRead: STAGES_IN_FLEET, stagesChanged: 0 });
    expect(summary.events).toEqual([]);
    expect(h.probe.calls).toEqual(['Query', 'PutItem']);
    // The control plane: one listing page per family and one stage read per API.
    expect(h.sim.counts.byOperation).toEqual({ GetRestApis: 1, GetStages: 3, GetApis: 1, GetStagesV2: 2 });
    expect(scope.calls).toMatchObject({ GetRestApis: 1, GetStages: 3, GetApis: 1, GetStagesV2: 2 });
  });

  it.each([
    ['REST', 'GetStages', REST_ORDERS, 404, 'NotFoundException'],
    ['REST', 'GetStages', REST_ORDERS, 403, 'AccessDeniedException'],
    ['V2', 'GetStagesV2', HTTP_PAYMENTS, 403, 'AccessDeniedException'],
  ] as const)(
    'keeps the stored stages of the %s API whose %s (%s) failed with %i %s and lists it in failures, never as deleted',
    async (apiType, operation, apiId, status, errorType) => {
      // Prepare
      const fleet = await freshFleet();
      await h.scan(T(1));
      const before = await h.latest();
      const gone = apiType === 'REST' ? 'dev' : '$default';
      removeStage(fleet, apiId, gone);
      h.sim.failOn({ operation, apiId, status, errorType });

      // Act
      const failed = await h.scan(T(2));

      // Assess
      const scope = onlyScope(failed);
      expect(failed.events).toEqual([]);
      expect(scope.failures).toEqual([
        expect.objectContaining({
          kind: 'collect',
          apiType,
          apiId,
          operation,
          errorName: errorType,
          httpStatus: status,
        }),
      ]);
      expect(scope).toMatchObject({ apisListed: 5, apisRead: 4, stagesChanged: 0 });
      expect(await h.latest()).toEqual(before);

      // Once the API reads again, the stage removed meanwhile is deleted, once.
      h.sim.clearFailures();
      const next = await h.scan(T(3));
      expect(eventLines(next.events)).toEqual([
        `${apiType === 'REST' ? 'REST' : 'HTTP'}/${apiId}/${gone} DELETED HIGH`,
      ]);
    },
  );

  it.each([
    ['REST', 'GetRestApis'],
    ['V2', 'GetApis'],
  ] as const)('keeps every stored %s stage when the %s listing fails', async (apiType, operation) => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    const before = await h.latest();
    if (apiType === 'REST') fleet.restApis = fleet.restApis.filter((api) => api.id !== REST_LEGACY);
    else fleet.v2Apis = fleet.v2Apis.filter((api) => api.apiId !== WS_CHAT);
    h.sim.failOn({ operation, status: 403, errorType: 'AccessDeniedException' });

    // Act
    const failed = await h.scan(T(2));

    // Assess
    const scope = onlyScope(failed);
    expect(failed.events).toEqual([]);
    expect(scope.failures).toEqual([
      expect.objectContaining({ kind: 'collect', apiType, operation, errorName: 'AccessDeniedException' }),
    ]);
    expect(scope.failures[0]).not.toHaveProperty('apiId');
    expect(scope.stagesChanged).toBe(0);
    expect(await h.latest()).toEqual(before);

    // A complete listing without the API: its stages are deleted.
    h.sim.clearFailures();
    const next = await h.scan(T(3));
    expect(eventLines(next.events)).toEqual(
      apiType === 'REST'
        ? [`REST/${REST_LEGACY}/dev DELETED HIGH`, `REST/${REST_LEGACY}/prod DELETED HIGH`]
        : [`WEBSOCKET/${WS_CHAT}/prod DELETED HIGH`],
    );
  });

  it('reports the stages of an API that is gone from a complete listing as deleted', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    fleet.restApis = fleet.restApis.filter((api) => api.id !== REST_QUIET);
    fleet.v2Apis = fleet.v2Apis.filter((api) => api.apiId !== HTTP_PAYMENTS);

    // Act
    const summary = await h.scan(T(2));

    // Assess: the ignore-tagged quiet/prod is deleted silently, its sibling with an event.
    expect(eventLines(summary.events)).toEqual([
      `HTTP/${HTTP_PAYMENTS}/$default DELETED HIGH`,
      `HTTP/${HTTP_PAYMENTS}/prod DELETED HIGH`,
      `REST/${REST_QUIET}/dev DELETED HIGH`,
    ]);
    expect(onlyScope(summary).failures).toEqual([]);
    expect(await h.latest()).toHaveLength(STAGES_IN_FLEET - 4);
  });

  it('fails the API of a malformed stage in normalize and keeps its stored stages', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    const before = await h.latest();
    const prod = stageOf(fleet, REST_ORDERS, 'prod');
    prod.methodSettings = { '*/*': { loggingLevel: 'OFF', throttlingRateLimit: 'fast' } };
    removeStage(fleet, REST_ORDERS, 'dev');
    stageOf(fleet, REST_ORDERS, 'staging').tracingEnabled = false;

    // Act
    const summary = await h.scan(T(2));

    // Assess: nothing of that API is judged on a partial picture.
    const scope = onlyScope(summary);
    expect(summary.events).toEqual([]);
    expect(scope.failures).toEqual([
      {
        kind: 'normalize',
        apiType: 'REST',
        apiId: REST_ORDERS,
        stageName: 'prod',
        errorName: 'StageNormalizeError',
        message: expect.stringContaining('throttlingRateLimit: expected a number, got "fast"'),
      },
    ]);
    expect(scope).toMatchObject({ apisListed: 5, apisRead: 4, stagesRead: 7, stagesChanged: 0 });
    expect(await h.latest()).toEqual(before);
  });

  it('records a change exactly once when two scans overlap on it', async () => {
    // Prepare: both scans list the latest items before either writes.
    const fleet = await freshFleet();
    await h.scan(T(1));
    stageOf(fleet, REST_ORDERS, 'prod').tracingEnabled = false;
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothListed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const overlapping = Object.create(h.store) as DynamoSnapshotStore;
    overlapping.listLatest = async (account, region) => {
      const latest = await h.store.listLatest(account, region);
      arrived += 1;
      if (arrived === 2) release();
      await bothListed;
      return latest;
    };
    const deps = { ...h.deps, store: overlapping };

    // Act
    const [a, b] = await Promise.all([h.scan(T(2), deps), h.scan(new Date(T(2).getTime() + 1000), deps)]);

    // Assess
    const scopes = [onlyScope(a), onlyScope(b)];
    expect(scopes.map((s) => s.stagesChanged)).toEqual([1, 1]);
    expect([...a.events, ...b.events].map((e) => `${e.stageName} ${e.change}`)).toEqual(['prod MODIFIED']);
    expect(scopes.reduce((sum, s) => sum + s.replayed, 0)).toBe(1);
    const stored = await h.storedEvents();
    // Tracing off makes APIGateway.3 fail: a regression, at least HIGH.
    expect(eventLines(stored)).toEqual([`REST/${REST_ORDERS}/prod MODIFIED HIGH`]);
    expect((await h.scan(T(3))).scopes[0]!.stagesChanged).toBe(0);
  });

  it('ignores a stage tagged stage-drift:ignore=true yet stores its new version so it is not diffed again', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    const quiet = stageOf(fleet, REST_QUIET, 'prod');
    quiet.tracingEnabled = false;
    delete quiet.methodSettings;

    // Act
    const summary = await h.scan(T(2));

    // Assess
    expect(summary.events).toEqual([]);
    expect(onlyScope(summary).stagesChanged).toBe(1);
    expect(await h.storedEvents()).toEqual([]);
    const versions = await h.store.listVersions({
      ...SCOPE,
      apiType: 'REST',
      apiId: REST_QUIET,
      stageName: 'prod',
    });
    expect(versions.map((v) => v.capturedAt)).toEqual([T(2).toISOString(), T(1).toISOString()]);
    const rescan = await h.scan(T(3));
    expect(onlyScope(rescan).stagesChanged).toBe(0);
  });

  it('does not honour an ignore tag added in the same window as other changes: all are reported, the opt-out too', async () => {
    // Prepare: one UpdateStage + TagResource window on orders/staging.
    const fleet = await freshFleet();
    await h.scan(T(1));
    const staging = stageOf(fleet, REST_ORDERS, 'staging');
    delete staging.webAclArn;
    staging.tags = { ...(staging.tags as Record<string, string> | undefined), 'stage-drift:ignore': 'true' };

    // Act
    const summary = await h.scan(T(2));

    // Assess: both changes are in the event; from the next scan on, the stage is ignored.
    const [event] = (await h.storedEvents()).filter((e) => e.stageName === 'staging');
    expect(summary.events).toHaveLength(1);
    expect(event?.severity).toBe('HIGH');
    expect(event?.changes.map((c) => [c.path.join('.'), c.rule])).toEqual([
      ['webAclArn', 'waf-detached-or-changed'],
      ['tags.stage-drift:ignore', 'monitoring-opt-out'],
    ]);
    staging.tracingEnabled = true;
    expect((await h.scan(T(3))).events).toEqual([]);
  });

  it('reports an ignore tag added to an API whose stages did not change, then ignores them', async () => {
    // Prepare
    const fleet = await freshFleet();
    await h.scan(T(1));
    restApiOf(fleet, REST_ORDERS).tags = { 'stage-drift:ignore': 'true' };

    // Act
    const summary = await h.scan(T(2));

    // Assess: one MEDIUM opt-out per stage of the API, then silence for their changes.
    const stored = await h.storedEvents();
    expect(summary.events).toHaveLength(3);
    expect(eventLines(stored)).toEqual([
      `REST/${REST_ORDERS}/dev MODIFIED MEDIUM`,
      `REST/${REST_ORDERS}/prod MODIFIED MEDIUM`,
      `REST/${REST_ORDERS}/staging MODIFIED MEDIUM`,
    ]);
    expect(stored[0]?.changes).toMatchObject([
      { path: ['apiTags', 'stage-drift:ignore'], kind: 'added', rule: 'monitoring-opt-out' },
    ]);
    delete stageOf(fleet, REST_ORDERS, 'prod').webAclArn;
    expect((await h.scan(T(3))).events).toEqual([]);
    expect((await h.scan(T(4))).scopes[0]!.stagesChanged).toBe(0);
  });

  it('never puts a stage variable value into the summary', async () => {
    // Prepare: secrets changed, added with a new stage, on a recreated stage, and malformed.
    const fleet = await freshFleet();
    await h.scan(T(1));
    stageOf(fleet, REST_ORDERS, 'prod').variables = { dbPassword: SECRET_VALUES[2], logLevel: 'DEBUG' };
    stageOf(fleet, HTTP_PAYMENTS, 'prod').stageVariables = { apiToken: SECRET_VALUES[0] };
    restApiOf(fleet, REST_QUIET).stages.push(restStage('qa', { variables: { key: SECRET_VALUES[1] } }));
    stageOf(fleet, REST_LEGACY, 'prod').variables = { pin: 424242 };
    const ws = stageOf(fleet, WS_CHAT, 'prod');
    ws.stageVariables = { secret: SECRET_VALUES[1] };
    ws.createdDate = '2024-06-01T00:45:00Z';

    // Act
    const summary = await h.scan(T(2));

    // Assess
    expect(summary.events.length).toBeGreaterThanOrEqual(4);
    expect(onlyScope(summary).failures).toEqual([
      expect.objectContaining({ kind: 'normalize', apiId: REST_LEGACY }),
    ]);
    const text = JSON.stringify(summary);
    for (const secret of [...SECRET_VALUES, '424242']) expect(text).not.toContain(secret);
    expect(text).toContain('"redacted":true');
  });
});

describe('runScan baselining a scope by its first complete scan', () => {
  it('takes no baseline from a first scan denied on every call: the next complete scan is the baseline, with no CREATED per stage', async () => {
    // Prepare: the reader role is not usable yet: every call of the first scan gets 403.
    const fleet = await freshFleet();
    h.sim.failOn({ status: 403, errorType: 'AccessDeniedException' });
    const denied = await h.scan(T(1));
    expect(onlyScope(denied).failures).toHaveLength(2); // both listings
    h.sim.clearFailures();

    // Act
    const first = await h.scan(T(2));

    // Assess: the baseline, stored without an event per stage.
    expect(first.baseline).toBe(true);
    expect(first.events).toEqual([]);
    expect(onlyScope(first)).toMatchObject({ stagesChanged: STAGES_IN_FLEET, failures: [] });
    expect(await h.latest()).toHaveLength(STAGES_IN_FLEET);

    // Then the scope is baselined: a new stage is news.
    restApiOf(fleet, REST_ORDERS).stages.push(restStage('qa'));
    const next = await h.scan(T(3));
    expect(next.baseline).toBe(false);
    expect(eventLines(next.events)).toEqual([`REST/${REST_ORDERS}/qa CREATED INFO`]);
  });

  it('baselines an API family whose listing was denied on its first complete listing, and reports new stages of the other family', async () => {
    // Prepare: the first scan lists the REST APIs but not the v2 ones.
    const fleet = await freshFleet();
    h.sim.failOn({ operation: 'GetApis', status: 403, errorType: 'AccessDeniedException' });
    const partial = await h.scan(T(1));
    expect(onlyScope(partial)).toMatchObject({ baseline: true, baselinePending: ['V2'] });
    h.sim.clearFailures();
    restApiOf(fleet, REST_ORDERS).stages.push(restStage('qa'));

    // Act
    const second = await h.scan(T(2));

    // Assess: the v2 stages are their family's baseline; the REST stage added since is news.
    expect(eventLines(second.events)).toEqual([`REST/${REST_ORDERS}/qa CREATED INFO`]);
    expect(onlyScope(second).baselinePending).toBeUndefined();
    expect(await h.latest()).toHaveLength(STAGES_IN_FLEET + 1);

    // And from now on a new v2 stage is news too.
    v2ApiOf(fleet, HTTP_PAYMENTS).stages.push(v2Stage('staging'));
    const third = await h.scan(T(3));
    expect(third.baseline).toBe(false);
    expect(eventLines(third.events)).toEqual([`HTTP/${HTTP_PAYMENTS}/staging CREATED INFO`]);
  });

  it('keeps a family pending while its listing keeps failing, even when nothing new appears elsewhere', async () => {
    // Prepare: two scans whose v2 listing is denied, the second with nothing new in REST.
    await freshFleet();
    h.sim.failOn({ operation: 'GetApis', status: 403, errorType: 'AccessDeniedException' });
    await h.scan(T(1));
    const stillDenied = await h.scan(T(2));
    expect(onlyScope(stillDenied).baselinePending).toEqual(['V2']);
    h.sim.clearFailures();

    // Act
    const listed = await h.scan(T(3));

    // Assess
    expect(listed.events).toEqual([]);
    expect(await h.latest()).toHaveLength(STAGES_IN_FLEET);
  });

  it('lets no targeted rescan take the baseline of a scope whose first scan was denied', async () => {
    // Prepare
    await freshFleet();
    h.sim.failOn({ status: 403, errorType: 'AccessDeniedException' });
    await h.scan(T(1));
    h.sim.clearFailures();

    // Act
    const result = await runTargetedScan(h.deps, {
      events: [
        fixtureEventFor('rest-update-stage-console', { apiId: REST_ORDERS, stageName: 'prod', at: T(1) }),
      ],
      now: T(2),
    });

    // Assess
    expect(result.targets.map((t) => t.outcome)).toEqual(['skipped']);
    expect(result.summary.events).toEqual([]);
  });
});

describe('runScan overlapping the store with the collect', () => {
  /** 20 REST and 20 HTTP APIs of 2 stages each. */
  const wideFleet = (): Fleet => generateFleet({ restApis: 20, httpApis: 20, stagesPerApi: 2, seed: 41 });
  const stageReads = () => h.sim.counts.byOperation.GetStages + h.sim.counts.byOperation.GetStagesV2;

  it('stores the stages of the first API read on a first scan before it reads the next API', async () => {
    // Prepare: one API read at a time, so the order of reads and writes is the collect's.
    await h.useTable(wideFleet());
    const readsAtWrite: number[] = [];
    const observed = Object.create(h.store) as DynamoSnapshotStore;
    observed.writeStage = (write) => {
      readsAtWrite.push(stageReads());
      return h.store.writeStage(write);
    };
    const deps = { ...h.deps, store: observed, collect: { ...h.deps.collect, concurrency: 1 } };

    // Act
    const summary = await h.scan(T(1), deps);

    // Assess: the first API's two stages were being written while 39 APIs were still unread.
    expect(readsAtWrite.slice(0, 2)).toEqual([1, 1]);
    expect(readsAtWrite).toHaveLength(80);
    expect(onlyScope(summary)).toMatchObject({
      baseline: true,
      stagesRead: 80,
      stagesChanged: 80,
      failures: [],
    });
    expect(await h.latest()).toHaveLength(80);
  });

  it('fails a first scan on a write that fails mid-collect, stops reading, and converges on a rerun', async () => {
    // Prepare: the third write command fails (the second stage's version).
    await h.useTable(wideFleet(), { writeConcurrency: 1 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    h.probe.failWrite(3);

    try {
      // Act
      const failed = h.scan(T(1));

      // Assess: the scan fails with the write's error, having read only part of the scope.
      await expect(failed).rejects.toThrow(/injected fault before PutItem/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(stageReads()).toBeLessThan(40);
      expect((await h.store.listRuns(SCOPE.account, SCOPE.region)).runs).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }

    // Act and assess: the rerun completes the baseline, and the scan after it finds nothing.
    const rerun = await h.scan(T(2));
    expect(onlyScope(rerun)).toMatchObject({ baseline: true, stagesRead: 80, failures: [] });
    expect(rerun.events).toEqual([]);
    expect(await h.latest()).toHaveLength(80);
    expect(onlyScope(await h.scan(T(3))).stagesChanged).toBe(0);
  });

  it('writes no stage of an API with a malformed stage on a first scan, and every stage of the others', async () => {
    // Prepare
    const fleet = await freshFleet();
    stageOf(fleet, REST_ORDERS, 'dev').methodSettings = { '*/*': { throttlingRateLimit: 'fast' } };

    // Act
    const summary = await h.scan(T(1));

    // Assess
    expect(onlyScope(summary)).toMatchObject({
      baseline: true,
      apisRead: 4,
      stagesRead: STAGES_IN_FLEET - 3,
      failures: [expect.objectContaining({ kind: 'normalize', apiId: REST_ORDERS, stageName: 'dev' })],
    });
    const stored = await h.latest();
    expect(stored).toHaveLength(STAGES_IN_FLEET - 3);
    expect(stored.filter((entry) => entry.key.apiId === REST_ORDERS)).toEqual([]);
  });
});

describe('runScan when a write fails', () => {
  it('starts no further write and fails only once the writes in flight have settled', async () => {
    // Prepare: 4 changed stages, 2 writes at a time; the first write fails, the second hangs.
    const fleet = await freshFleet({ writeConcurrency: 2 });
    await h.scan(T(1));
    for (const [apiId, stageName] of [
      [REST_LEGACY, 'dev'],
      [REST_LEGACY, 'prod'],
      [REST_ORDERS, 'dev'],
      [REST_QUIET, 'dev'],
    ] as const) {
      stageOf(fleet, apiId, stageName).description = 'changed';
    }
    const started: string[] = [];
    let releaseSecond: () => void = () => undefined;
    const secondHeld = new Promise<void>((resolve) => {
      releaseSecond = resolve;
    });
    const failing = Object.create(h.store) as DynamoSnapshotStore;
    failing.writeStage = async (write) => {
      started.push(`${write.key.apiId}/${write.key.stageName}`);
      if (started.length === 1) throw new Error('disk on fire');
      await secondHeld;
      return h.store.writeStage(write);
    };
    let settled = false;

    // Act
    const scan = h.scan(T(2), { ...h.deps, store: failing }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const settledWhileSecondInFlight = settled;
    releaseSecond();

    // Assess
    await expect(scan).rejects.toThrow('disk on fire');
    expect(settledWhileSecondInFlight).toBe(false);
    expect(started).toEqual([`${REST_LEGACY}/dev`, `${REST_LEGACY}/prod`]);
    const stored = await h.storedEvents();
    expect(eventLines(stored)).toEqual([`REST/${REST_LEGACY}/prod MODIFIED LOW`]);
  });

  it('does not take a scope whose run record cannot be read for a new baseline', async () => {
    // Prepare: a completed scan of an empty scope, its run record unreadable.
    const stages = scanFleet();
    await h.useTable({ restApis: [], v2Apis: [] });
    await h.scan(T(1));
    await h.client.send(
      new PutItemCommand({
        TableName: h.tableName,
        Item: {
          PK: { S: runPk(SCOPE.account, SCOPE.region) },
          SK: { S: T(1).toISOString() },
          itemType: { S: 'RUN' },
        },
      }),
    );
    h.sim.fleet = stages;

    // Act
    const summary = await h.scan(T(2));

    // Assess: the stages that appeared are news, not a baseline.
    expect(summary.baseline).toBe(false);
    // Every stage, the ignore-tagged one too: no earlier snapshot of it was ignored.
    expect(summary.events).toHaveLength(STAGES_IN_FLEET);
    expect(new Set(summary.events.map((e) => e.change))).toEqual(new Set(['CREATED']));
  });
});

describe('runScan replayed after a crash', () => {
  /** A smaller drift: one of each change kind, 4 + 3 + 4 + 4 writes, and the run record. */
  const applySmallDrift = (fleet: Fleet): void => {
    stageOf(fleet, REST_ORDERS, 'staging').tracingEnabled = false;
    v2ApiOf(fleet, HTTP_PAYMENTS).stages.push(v2Stage('staging'));
    removeStage(fleet, REST_LEGACY, 'dev');
    stageOf(fleet, WS_CHAT, 'prod').createdDate = '2024-06-01T00:30:00Z';
  };
  const SMALL_DRIFT = [
    `HTTP/${HTTP_PAYMENTS}/staging CREATED INFO`,
    `REST/${REST_LEGACY}/dev DELETED HIGH`,
    // Tracing off: MEDIUM by its rule, HIGH since APIGateway.3 now fails (a regression).
    `REST/${REST_ORDERS}/staging MODIFIED HIGH`,
    `WEBSOCKET/${WS_CHAT}/prod RECREATED MEDIUM`,
  ];
  const WRITES = 4 + 3 + 4 + 4 + 1;

  /**
   * Fails the n-th write of the drift scan. A failed step of the change throws; a failed TTL
   * update of the replaced version is housekeeping, reported as a warning (the change is stored).
   */
  const crashAndRerun = async (n: number, when: 'before' | 'after', writeConcurrency: number) => {
    const fleet = await freshFleet({ writeConcurrency });
    await h.scan(T(1));
    applySmallDrift(fleet);
    h.probe.reset();
    h.probe.failWrite(n, when);
    const crashed = await h.scan(T(2)).then(
      (summary) => ({ summary }),
      (error: unknown) => ({ error }),
    );
    const writes = h.probe.calls.filter((call) => ['PutItem', 'UpdateItem', 'DeleteItem'].includes(call));
    if ('error' in crashed) {
      expect(String(crashed.error)).toMatch(/injected fault/);
    } else {
      expect(writes[n - 1]).toBe('UpdateItem');
      expect(onlyScope(crashed.summary).warnings).toEqual([
        expect.stringMatching(/could not set the TTL .* injected fault/),
      ]);
    }
    const rerun = await h.scan(T(3));
    const quiet = await h.scan(T(4));
    return { rerun, quiet };
  };

  it('counts the writes of the change it replays', async () => {
    const fleet = await freshFleet();
    await h.scan(T(1));
    applySmallDrift(fleet);
    h.probe.reset();
    await h.scan(T(2));
    expect(h.probe.count('PutItem') + h.probe.count('UpdateItem') + h.probe.count('DeleteItem')).toBe(WRITES);
  });

  it.each(
    Array.from({ length: WRITES }, (_, i) => i + 1).flatMap((n) => [
      [n, 'before'],
      [n, 'after'],
    ]) as [number, 'before' | 'after'][],
  )(
    'records every change exactly once when write %i of the scan fails %s reaching the table',
    async (n, when) => {
      // Act
      const { quiet } = await crashAndRerun(n, when, 1);

      // Assess
      expect(eventLines(await h.storedEvents())).toEqual(SMALL_DRIFT);
      expect(onlyScope(quiet).stagesChanged).toBe(0);
      const latest = await h.latest();
      expect(latest).toHaveLength(STAGES_IN_FLEET);
      expect(latest.find((e) => e.key.apiId === WS_CHAT)?.createdDate).toBe('2024-06-01T00:30:00.000Z');
    },
  );

  it('records every change exactly once when a write fails among eight in flight', async () => {
    const { rerun } = await crashAndRerun(6, 'after', 8);
    expect(eventLines(await h.storedEvents())).toEqual(SMALL_DRIFT);
    expect(onlyScope(rerun).replayed).toBeLessThanOrEqual(SMALL_DRIFT.length);
  });

  it('resumes a baseline that crashed before its run record as a baseline, without an event per stage', async () => {
    // Prepare: the baseline crashes on its 7th write (a few stages stored, no run record).
    const fleet = await freshFleet({ writeConcurrency: 1 });
    h.probe.failWrite(7);
    await expect(h.scan(T(1))).rejects.toThrow(/injected fault/);
    const stored = (await h.latest()).length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(STAGES_IN_FLEET);
    // A stage already stored changes before the rerun: that is real drift.
    const first = (await h.latest())[0]!;
    const changed = stageOf(fleet, first.key.apiId, first.key.stageName);
    changed.description = 'changed between the crash and the rerun';

    // Act
    const rerun = await h.scan(T(2));

    // Assess
    expect(rerun.baseline).toBe(true);
    expect(eventLines(rerun.events)).toEqual([
      `${first.key.apiType}/${first.key.apiId}/${first.key.stageName} MODIFIED LOW`,
    ]);
    expect(await h.latest()).toHaveLength(STAGES_IN_FLEET);
  });
});

// Issue 12, items 5 and 6, on the scan path.
describe('runScan across a change of canonical form and with members the model does not know', () => {
  /** A stored snapshot as an earlier release wrote it: AWS defaults kept, createdDate to the millisecond. */
  const earlierForm = (snapshot: StageSnapshot, createdDate: string): StageSnapshot => {
    const config = { ...configAsJson(snapshot) };
    if (snapshot.key.apiType === 'REST') {
      const settings = config.methodSettings as Record<string, Record<string, unknown>>;
      config.methodSettings = {
        ...settings,
        '*/*': {
          ...settings['*/*'],
          cacheDataEncrypted: false,
          cachingEnabled: false,
          dataTraceEnabled: false,
        },
      };
    } else {
      config.defaultRouteSettings = {
        ...(config.defaultRouteSettings as Record<string, unknown>),
        dataTraceEnabled: false,
      };
    }
    return {
      ...snapshot,
      config: config as unknown as StageSnapshot['config'],
      volatile: { ...snapshot.volatile, createdDate },
      hash: contentHash(config),
    } as StageSnapshot;
  };

  it('reports no drift on the first scan after an upgrade that changed the canonical form, and converges', async () => {
    // Prepare: a baseline, then two stages stored again as an earlier release stored them.
    await freshFleet();
    await h.scan(T(1));
    const entries = (await h.latest()).filter(
      (e) => e.key.apiId === WS_CHAT || (e.key.apiId === REST_ORDERS && e.key.stageName === 'prod'),
    );
    expect(entries).toHaveLength(2);
    const snapshots = await h.store.getSnapshots(entries);
    for (const entry of entries) {
      const stored = snapshots.get(formatStageKey(entry.key))!;
      const millis = entry.key.apiType === 'REST' ? '2024-01-01T00:00:00.400Z' : '2024-02-01T00:00:00.250Z';
      await h.store.writeStage({
        key: entry.key,
        previous: entry,
        next: earlierForm(stored, millis),
        capturedAt: new Date(T(1).getTime() + 60_000).toISOString(),
      });
    }

    // Act
    const upgraded = await h.scan(T(2));
    const after = await h.scan(T(3));

    // Assess: no event, not even a RECREATED from the milliseconds; the new form is stored once.
    expect(upgraded.events).toEqual([]);
    expect(await h.storedEvents()).toEqual([]);
    expect(onlyScope(upgraded)).toMatchObject({ stagesChanged: 2, failures: [] });
    expect(onlyScope(after)).toMatchObject({ stagesChanged: 0 });
  });

  it('records in the run summary the members an SDK returned that the model does not know', async () => {
    // Prepare: clients that, like an SDK newer than the model, return a member added by AWS.
    const clients = clientsFor(h.sim);
    type Output = { output: Record<string, unknown> };
    type Stack = {
      add(
        middleware: (next: (args: unknown) => Promise<Output>, context: { commandName?: string }) => unknown,
        options: { step: 'initialize' },
      ): void;
    };
    type Stage = Record<string, unknown>;
    const addMember = (stack: unknown, container: 'item' | 'Items', add: (stage: Stage) => void) =>
      (stack as Stack).add(
        (next, context) => async (args: unknown) => {
          const result = await next(args);
          if (context.commandName === 'GetStagesCommand') {
            for (const stage of (result.output[container] ?? []) as Stage[]) add(stage);
          }
          return result;
        },
        { step: 'initialize' },
      );
    addMember(clients.restClient.middlewareStack, 'item', (stage) => {
      stage.ipAddressType = 'dualstack';
      for (const entry of Object.values((stage.methodSettings ?? {}) as Record<string, Stage>)) {
        entry.payloadLoggingSampleRate = 5;
      }
    });
    addMember(clients.v2Client.middlewareStack, 'Items', (stage) => {
      stage.IpAddressType = 'dualstack';
    });
    await freshFleet({ clientsFor: () => clients });

    try {
      // Act
      const summary = await h.scan(T(1));

      // Assess: each distinct path once (map keys as *), sorted; the stages are recorded as usual.
      const scope = onlyScope(summary);
      expect(scope.unknownMembers).toEqual([
        'HTTP IpAddressType',
        'REST ipAddressType',
        'REST methodSettings[*].payloadLoggingSampleRate',
        'WEBSOCKET IpAddressType',
      ]);
      expect(scope).toMatchObject({ stagesRead: STAGES_IN_FLEET, failures: [] });
      const { runs } = await h.store.listRuns(SCOPE.account, SCOPE.region);
      expect(runs[0]?.summary.unknownMembers).toEqual(scope.unknownMembers);
    } finally {
      clients.destroy();
    }
  });

  it('leaves unknownMembers out of the summary when there are none', async () => {
    await freshFleet();

    const scope = onlyScope(await h.scan(T(1)));

    expect('unknownMembers' in scope).toBe(false);
  });
});
