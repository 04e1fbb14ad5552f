import type { Event as LookupEvent, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { AccessDeniedException, CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { lookupStageEvents } from '../../shared/attribution';
import { COLLECTOR_CLIENT_CONFIG } from '../../shared/collect';
import type { ScanAttribution, ScanDeps } from '../../shared/scan';
import { ManualClock } from '../../shared/runtime';
import { asLookupEvent, fixtureEventFor } from './cloudtrail-events';
import type { ScanHarness } from './scan-harness';
import { eventLines, startScanHarness, T } from './scan-harness';
import { REST_ORDERS, scanFleet, stageOf } from './scan-fleet';

// The scheduled path: one LookupEvents per scope over [previous capture, this capture]. moto does
// not implement LookupEvents, so CloudTrail is aws-sdk-client-mock; the rest is the simulator and dynalite.

let h: ScanHarness;
beforeAll(async () => {
  h = await startScanHarness();
});
afterAll(async () => {
  await h.stop();
});

const at = (hour: number, minutes: number) => new Date(T(hour).getTime() + minutes * 60_000);

const cloudTrail = () => {
  const client = new CloudTrailClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...COLLECTOR_CLIENT_CONFIG,
  });
  const mock = mockClient(client);
  const inputs = (): LookupEventsCommandInput[] =>
    mock.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
  const attribution: ScanAttribution = {
    lookup: (_scope, window) =>
      lookupStageEvents(client, { ...window, clock: new ManualClock({ start: window.end.getTime() }) }),
  };
  /** API Gateway's history holds `events`; WAFv2's is empty. */
  const answer = (events: readonly LookupEvent[]) =>
    mock.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => ({
      Events: input.LookupAttributes?.[0]?.AttributeValue === 'apigateway.amazonaws.com' ? events : [],
    }));
  return { client, mock, inputs, attribution, answer };
};

let ct: ReturnType<typeof cloudTrail>;
afterEach(() => {
  ct.mock.restore();
  ct.client.destroy();
});

/** A scope scanned at T(1), then prod of orders-api with execution logging turned off. */
const driftedFleet = async (overrides: Partial<ScanDeps>) => {
  ct = cloudTrail();
  const fleet = scanFleet();
  await h.useTable(fleet, { attribution: ct.attribution, ...overrides });
  await h.scan(T(1));
  (stageOf(fleet, REST_ORDERS, 'prod').methodSettings as Record<string, Record<string, unknown>>)[
    '*/*'
  ]!.loggingLevel = 'OFF';
  return fleet;
};

const onProd = (name: string, minutes: number, stageName = 'prod') =>
  asLookupEvent(fixtureEventFor(name, { apiId: REST_ORDERS, stageName, at: at(1, minutes) }));

describe('scheduled scan attribution (LookupEvents mocked)', () => {
  it('looks CloudTrail up once per scope over the window and picks the best of several candidates', async () => {
    // Prepare
    await driftedFleet({});
    ct.answer([
      onProd('rest-update-stage-console', 40), // the newest call that can modify prod: the one
      onProd('rest-update-stage-boto3', 20),
      onProd('rest-update-stage-boto3', 45, 'staging'), // another stage
      asLookupEvent(
        fixtureEventFor('rest-update-stage-boto3', { apiId: REST_ORDERS, stageName: 'prod', at: at(0, 30) }),
      ), // before the window
      onProd('rest-update-stage-failed', 50), // failed: changed nothing
    ]);

    // Act
    const summary = await h.scan(T(2));

    // Assess
    expect(ct.inputs().map((i) => [i.LookupAttributes?.[0]?.AttributeValue, i.StartTime, i.EndTime])).toEqual(
      [
        ['apigateway.amazonaws.com', T(1), T(2)],
        ['wafv2.amazonaws.com', T(1), T(2)],
      ],
    );
    expect(eventLines(summary.events)).toEqual([`REST/${REST_ORDERS}/prod MODIFIED HIGH`]);
    expect(summary.events[0]!.attribution).toMatchObject({
      status: 'attributed',
      eventName: 'UpdateStage',
      eventTime: '2024-06-01T01:40:00Z',
      source: 'console',
    });
    expect(summary.scopes[0]!.attribution).toEqual({ attributed: 1, unattributed: 0, lookupCalls: 2 });
    expect((await h.storedEvents())[0]!.attribution).toEqual(summary.events[0]!.attribution);
  });

  it('sends an event whose CloudTrail record has not arrived yet unattributed, saying why', async () => {
    // Prepare
    await driftedFleet({});
    ct.answer([]);

    // Act
    const summary = await h.scan(T(2));

    // Assess
    expect(summary.events).toHaveLength(1);
    expect(summary.events[0]!.attribution).toEqual({
      status: 'unattributed',
      reason: expect.stringMatching(/^no CloudTrail record yet: CloudTrail delivers within ~5 minutes/),
    });
  });

  it('does not hold an event back when the lookup fails: unattributed with a short fixed reason, a warning and a count', async () => {
    // Prepare
    await driftedFleet({});
    ct.mock.on(LookupEventsCommand).rejects(
      new AccessDeniedException({
        message:
          'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: cloudtrail:LookupEvents',
        $metadata: { httpStatusCode: 403 },
      }),
    );

    // Act
    const summary = await h.scan(T(2));

    // Assess: the alert says why in fixed words, never the SDK's text.
    expect(summary.events).toHaveLength(1);
    expect(summary.events[0]!.attribution).toEqual({
      status: 'unattributed',
      reason:
        'CloudTrail lookup incomplete (LookupEvents was denied: grant cloudtrail:LookupEvents to the snapshot role); ' +
        `no record found for ${REST_ORDERS}/prod`,
    });
    const scope = summary.scopes[0]!;
    expect(scope.attribution).toEqual({ attributed: 0, unattributed: 1, lookupCalls: 2, lookupFailures: 1 });
    expect(scope.warnings).toEqual([
      expect.stringMatching(
        /^CloudTrail lookup for \d{12}\/us-east-1 failed: LookupEvents on apigateway.amazonaws.com failed with AccessDeniedException/,
      ),
    ]);
    const [run] = (await h.store.listRuns(scope.account, scope.region, 1)).runs;
    expect(run!.summary).toMatchObject({ warnings: scope.warnings, attribution: { lookupFailures: 1 } });
    expect((await h.storedEvents())[0]!.attribution).toEqual(summary.events[0]!.attribution);
  });

  it('counts a lookup that throws as failed, with a fixed reason in the alert', async () => {
    // Prepare
    await driftedFleet({});
    const throwing: ScanAttribution = {
      lookup: () => Promise.reject(new Error('socket hang up at 10.0.0.1')),
    };

    // Act
    const summary = await h.scan(T(2), { ...h.deps, attribution: throwing });

    // Assess
    expect(summary.events[0]!.attribution).toEqual({
      status: 'unattributed',
      reason: `CloudTrail lookup incomplete (LookupEvents failed); no record found for ${REST_ORDERS}/prod`,
    });
    expect(summary.scopes[0]!.attribution).toMatchObject({ lookupFailures: 1, lookupCalls: 0 });
    expect(summary.scopes[0]!.warnings).toEqual([expect.stringContaining('socket hang up')]);
  });

  it('stores a CloudFormation change without an event in out-of-band mode suppress', async () => {
    // Prepare
    await driftedFleet({ outOfBand: 'suppress' });
    ct.answer([onProd('rest-create-deployment-cloudformation', 30)]);

    // Act
    const summary = await h.scan(T(2));

    // Assess
    expect(summary.events).toEqual([]);
    expect(summary.scopes[0]!.suppressed).toBe(1);
    expect(await h.storedEvents()).toEqual([]);
    const prod = (await h.latest()).find((e) => e.key.apiId === REST_ORDERS && e.key.stageName === 'prod');
    expect(prod?.capturedAt).toBe(T(2).toISOString());
    expect((await h.scan(T(3))).events).toEqual([]);
  });

  it('reports a CloudFormation change at INFO, keeping the original severity, in mode downgrade', async () => {
    // Prepare
    await driftedFleet({ outOfBand: 'downgrade' });
    ct.answer([onProd('rest-create-deployment-cloudformation', 30)]);

    // Act
    const summary = await h.scan(T(2));

    // Assess
    expect(eventLines(summary.events)).toEqual([`REST/${REST_ORDERS}/prod MODIFIED INFO`]);
    expect(summary.events[0]).toMatchObject({
      originalSeverity: 'HIGH',
      attribution: { status: 'attributed', source: 'cloudformation' },
    });
    expect((await h.storedEvents())[0]).toMatchObject({ severity: 'INFO', originalSeverity: 'HIGH' });
  });

  it('leaves a console change alone in mode suppress: it is out-of-band drift', async () => {
    // Prepare
    await driftedFleet({ outOfBand: 'suppress' });
    ct.answer([onProd('rest-update-stage-console', 30)]);

    // Act
    const summary = await h.scan(T(2));

    // Assess
    expect(eventLines(summary.events)).toEqual([`REST/${REST_ORDERS}/prod MODIFIED HIGH`]);
  });
});
