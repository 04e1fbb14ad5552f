/**
 * The revert plan is exactly the inverse of the diff: for random pairs of canonical snapshots A
 * and B of one family, applying the plan from B (as read from the simulator) to A (a stored
 * version) leaves a stage whose canonical snapshot is A's, volatile fields aside. The fields
 * that still differ are exactly the ones the plan lists as manual steps (an honest "cannot").
 * B is also absent (the stage was deleted): the plan then creates it.
 *
 * Seeded by FC_SEED (test/support/fast-check-seed.ts), like every property in the suite.
 */
import fc from 'fast-check';
import type { ApiType, StageKey, StageSnapshot } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage } from '../../shared/normalize';
import type { RevertClients } from '../../shared/clients/revert-clients';
import { createRevertClients } from '../../shared/clients/revert-clients';
import { applyStep, readLiveStage } from '../../shared/revert/apply';
import { planRevert } from '../../shared/revert/plan';
import type { RevertPlan } from '../../shared/revert/types';
import { OPTIONS } from '../diff/fixtures';
import {
  CACHE_CLUSTER_SIZES,
  SIM_ACCOUNT_ID,
  SIM_REGION,
  startSimulator,
  type ControlPlaneSimulator,
  type Fleet,
} from '../support/simulator';

const REST_ID = 'r3vert0001';
const HTTP_ID = 'h3vert0002';
const WS_ID = 'w3vert0003';
const STAGE = 'prod';
const NOW_MS = Date.parse('2026-11-21T08:00:00Z');
const API_NAMES: Readonly<Record<ApiType, string>> = { REST: 'orders', HTTP: 'pets-http', WEBSOCKET: 'chat' };
const API_IDS: Readonly<Record<ApiType, string>> = { REST: REST_ID, HTTP: HTTP_ID, WEBSOCKET: WS_ID };

/** Runs per family: each run is a handful of loopback calls, the three together stay under ~20 s. */
const RUNS_PER_FAMILY = 300;

type Wire = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Arbitraries: wire-shaped stage configs the simulator accepts (the normalizer makes them canonical)
// ---------------------------------------------------------------------------------------------

const optional = <T>(arb: fc.Arbitrary<T>, freq = 2): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined, freq });

const nonEmptyMap = <T>(keys: fc.Arbitrary<string>, values: fc.Arbitrary<T>, maxKeys = 4) =>
  fc.dictionary(keys, values, { minKeys: 1, maxKeys, noNullPrototype: true });

/**
 * Stage variable names: `[A-Za-z0-9_]+`, from a small pool (so A and B share some) or drawn. The
 * pool has names of Object.prototype members: valid names, and a plain `map[name]` finds them.
 */
const variableName = fc.oneof(
  { arbitrary: fc.constantFrom('backendUrl', 'dbHost', 'lambdaAlias', 'version', 'feature_flag'), weight: 4 },
  { arbitrary: fc.constantFrom('valueOf', 'constructor', 'toString'), weight: 1 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_]{1,12}$/), weight: 1 },
);
/** Stage variable values: the charset API Gateway allows, `[A-Za-z0-9-._~:/?#&=,]+`. */
const variableValue = fc.oneof(
  { arbitrary: fc.constantFrom('prod', 'blue', 'https://orders.internal.example.com/v1?x=1&y=2'), weight: 3 },
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9\-._~:/?#&=,]{1,24}$/), weight: 2 },
);
const variables = nonEmptyMap(variableName, variableValue);

/** Tags, sometimes none; `aws:` ones are AWS's and cannot be written back. */
const tags = optional(
  nonEmptyMap(
    fc.constantFrom('env', 'team', 'cost-center', 'constructor', 'aws:cloudformation:stack-name'),
    fc.constantFrom('prod', 'beta', 'orders', 'payments', 'cc-1234'),
  ),
  3,
);

const accessLogSettings = optional(
  fc.record(
    {
      destinationArn: fc.constantFrom(
        'arn:aws:logs:us-east-1:123456789012:log-group:orders-access',
        'arn:aws:firehose:us-east-1:123456789012:deliverystream/amazon-apigateway-orders',
      ),
      format: fc.constantFrom(
        '$context.requestId',
        '{"requestId":"$context.requestId","status":"$context.status"}',
      ),
    },
    { requiredKeys: [] },
  ),
);

const burst = fc.constantFrom(5, 50, 500, 5000);
const rate = fc.constantFrom(0.5, 10, 100, 1000);

const methodSetting = fc.record(
  {
    cacheDataEncrypted: fc.boolean(),
    cacheTtlInSeconds: fc.constantFrom(0, 60, 300, 3600),
    cachingEnabled: fc.boolean(),
    dataTraceEnabled: fc.boolean(),
    loggingLevel: fc.constantFrom('OFF', 'ERROR', 'INFO'),
    metricsEnabled: fc.boolean(),
    requireAuthorizationForCacheControl: fc.boolean(),
    throttlingBurstLimit: burst,
    throttlingRateLimit: rate,
    unauthorizedCacheControlHeaderStrategy: fc.constantFrom(
      'FAIL_WITH_403',
      'SUCCEED_WITH_RESPONSE_HEADER',
      'SUCCEED_WITHOUT_RESPONSE_HEADER',
    ),
  },
  { requiredKeys: [] },
);

/** Method settings keys as GetStage answers them: resource paths `~1`-escaped. */
const METHOD_KEYS = ['*/*', '~1pets/GET', '~1pets~1{id}/POST', '~1pets~1{id}/GET'] as const;

const canarySettings = optional(
  fc.record(
    {
      deploymentId: fc.constantFrom('cnry01', 'cnry02'),
      percentTraffic: fc.constantFrom(0, 5, 12.5, 50, 100),
      stageVariableOverrides: variables,
      useStageCache: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
);

const WEB_ACLS = [
  'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/orders-acl/1f2e3d4c-0000-4b5a-8c9d-abcdef012345',
  'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/allow-all/00000000-1111-2222-3333-444455556666',
];

const restConfigArb: fc.Arbitrary<Wire> = fc
  .record({
    accessLogSettings,
    cacheClusterEnabled: fc.boolean(),
    cacheClusterSize: optional(fc.constantFrom(...CACHE_CLUSTER_SIZES)),
    canarySettings,
    clientCertificateId: optional(fc.constantFrom('kx8m2p', 'q7w8e9')),
    deploymentId: fc.constantFrom('vakw79', 'p3q9zz', 'x1y2z3'),
    description: optional(fc.constantFrom('Production', 'Beta', 'Public pets API')),
    documentationVersion: optional(fc.constantFrom('1.0.0', '1.4.0')),
    methodSettings: optional(nonEmptyMap(fc.constantFrom(...METHOD_KEYS), methodSetting, 3)),
    tags,
    tracingEnabled: fc.boolean(),
    variables: optional(variables),
    webAclArn: optional(fc.constantFrom(...WEB_ACLS)),
  })
  .map(realistic('REST'));

const routeSettings = (apiType: 'HTTP' | 'WEBSOCKET') =>
  fc.record(
    {
      // HTTP APIs have no execution logs: only OFF, and data trace off.
      dataTraceEnabled: apiType === 'HTTP' ? fc.constant(false) : fc.boolean(),
      detailedMetricsEnabled: fc.boolean(),
      loggingLevel: apiType === 'HTTP' ? fc.constant('OFF') : fc.constantFrom('OFF', 'ERROR', 'INFO'),
      throttlingBurstLimit: burst,
      throttlingRateLimit: rate,
    },
    { requiredKeys: [] },
  );

const ROUTE_KEYS = {
  HTTP: ['$default', 'GET /pets', 'POST /pets', 'GET /pets/{id}'],
  WEBSOCKET: ['$connect', '$disconnect', '$default', 'sendMessage', 'toString'],
} as const;

const v2ConfigArb = (apiType: 'HTTP' | 'WEBSOCKET'): fc.Arbitrary<Wire> =>
  fc
    .record({
      accessLogSettings,
      apiGatewayManaged: fc.oneof(
        { arbitrary: fc.constant(false), weight: 5 },
        { arbitrary: fc.constant(true), weight: 1 },
      ),
      autoDeploy: fc.boolean(),
      // Client certificates are for WebSocket stages only.
      clientCertificateId:
        apiType === 'WEBSOCKET' ? optional(fc.constantFrom('w3bs0k', 'c3rt02')) : fc.constant(undefined),
      defaultRouteSettings: optional(routeSettings(apiType), 4),
      deploymentId: optional(fc.constantFrom('d7x1k2', 'a9b8c7', 'ws0001'), 4),
      description: optional(fc.constantFrom('Public pets API', 'chat prod')),
      routeSettings: optional(
        nonEmptyMap(fc.constantFrom(...ROUTE_KEYS[apiType]), routeSettings(apiType), 3),
      ),
      stageVariables: optional(variables),
      tags,
    })
    .map(realistic(apiType));

/** Drops `undefined` members and fixes what the service never answers (a cache on without a size). */
function realistic(apiType: ApiType): (config: Wire) => Wire {
  return (config) => {
    const out = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
    if (apiType === 'REST' && out.cacheClusterEnabled === true && out.cacheClusterSize === undefined)
      out.cacheClusterSize = '0.5';
    for (const name of ['accessLogSettings', 'canarySettings', 'defaultRouteSettings'])
      if (isPlain(out[name]) && Object.keys(out[name]).length === 0) delete out[name];
    return out;
  };
}

const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An own member only: keys such as `valueOf` are data here, not Object.prototype's. */
const own = (map: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(map, key) ? map[key] : undefined;

/** `base` with some top-level members (and some members one level down) taken from `other`. */
const mix = (base: Wire, other: Wire, picks: readonly number[]): Wire => {
  const keys = [...new Set([...Object.keys(base), ...Object.keys(other)])].sort();
  let i = 0;
  const pick = () => picks[i++ % picks.length] ?? 0;
  const out: Wire = {};
  for (const key of keys) {
    const r = pick();
    const b = own(base, key);
    const o = own(other, key);
    const value = r < 2 && isPlain(b) && isPlain(o) ? mix(b, o, picks.slice(i)) : r < 7 ? b : o;
    if (value !== undefined) out[key] = value;
  }
  return out;
};

const configArb = (apiType: ApiType): fc.Arbitrary<Wire> =>
  apiType === 'REST' ? restConfigArb : v2ConfigArb(apiType);

interface Case {
  readonly a: Wire;
  /** `undefined`: the stage was deleted. */
  readonly b: Wire | undefined;
}

/** A and B: often a few fields apart (like drift), sometimes unrelated; B sometimes deleted. */
const caseArb = (apiType: ApiType): fc.Arbitrary<Case> =>
  fc
    .tuple(
      configArb(apiType),
      configArb(apiType),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([a, other, picks, shape]): Case => {
      if (shape === 0) return { a, b: undefined };
      if (shape <= 3) return { a, b: other };
      return { a, b: realistic(apiType)(mix(a, other, picks)) };
    });

// ---------------------------------------------------------------------------------------------
// The simulator, the clients, and one case end to end
// ---------------------------------------------------------------------------------------------

const wireStage = (apiType: ApiType, config: Wire): Wire =>
  apiType === 'REST'
    ? { ...config, stageName: STAGE, createdDate: 1_700_000_000, lastUpdatedDate: 1_700_000_100 }
    : {
        ...config,
        stageName: STAGE,
        createdDate: '2024-01-02T03:04:05Z',
        lastUpdatedDate: '2024-01-02T03:04:05Z',
      };

const fleetWith = (apiType: ApiType, stage: Wire | undefined): Fleet => {
  const stagesOf = (type: ApiType) =>
    type === apiType && stage !== undefined ? [structuredClone(stage)] : [];
  const created = new Date('2024-01-01T00:00:00Z');
  return {
    restApis: [{ id: REST_ID, name: API_NAMES.REST, createdDate: created, stages: stagesOf('REST') }],
    v2Apis: [
      {
        apiId: HTTP_ID,
        name: API_NAMES.HTTP,
        protocolType: 'HTTP',
        createdDate: created,
        stages: stagesOf('HTTP'),
      },
      {
        apiId: WS_ID,
        name: API_NAMES.WEBSOCKET,
        protocolType: 'WEBSOCKET',
        createdDate: created,
        stages: stagesOf('WEBSOCKET'),
      },
    ],
  };
};

const keyOf = (apiType: ApiType): StageKey => ({
  account: SIM_ACCOUNT_ID,
  region: SIM_REGION,
  apiType,
  apiId: API_IDS[apiType],
  stageName: STAGE,
});

/** A as a stored snapshot: its wire form through the normalizer, so it is canonical. */
const snapshotOf = (apiType: ApiType, config: Wire): StageSnapshot => {
  const context = {
    account: SIM_ACCOUNT_ID,
    region: SIM_REGION,
    api: { apiId: API_IDS[apiType], apiType, name: API_NAMES[apiType] },
  };
  const wire = wireStage(apiType, config);
  return apiType === 'REST' ? normalizeRestStage(wire, context) : normalizeV2Stage(wire, context);
};

/** Every leaf path (members joined by `.`) where the two configs differ. */
const differingPaths = (a: unknown, b: unknown, path: readonly string[] = []): string[] => {
  if (isPlain(a) || isPlain(b)) {
    const x = isPlain(a) ? a : {};
    const y = isPlain(b) ? b : {};
    return [...new Set([...Object.keys(x), ...Object.keys(y)])]
      .sort()
      .flatMap((k) => differingPaths(own(x, k), own(y, k), [...path, k]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [path.join('.')];
};

const covers = (field: string, path: string): boolean => path === field || path.startsWith(`${field}.`);

interface Stats {
  runs: number;
  deleted: number;
  withManual: number;
  steps: number;
  manualFields: Record<string, number>;
}
const stats: Record<ApiType, Stats> = {
  REST: { runs: 0, deleted: 0, withManual: 0, steps: 0, manualFields: {} },
  HTTP: { runs: 0, deleted: 0, withManual: 0, steps: 0, manualFields: {} },
  WEBSOCKET: { runs: 0, deleted: 0, withManual: 0, steps: 0, manualFields: {} },
};

let sim: ControlPlaneSimulator;
let deps: RevertClients;

beforeAll(async () => {
  sim = await startSimulator({ fleet: fleetWith('REST', undefined), now: () => NOW_MS });
  // The clients `stage-drift revert` makes, pointed at the simulator.
  deps = createRevertClients({
    region: SIM_REGION,
    endpoint: sim.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  deps.destroy();
  await sim.close();
  const lines = (Object.entries(stats) as [ApiType, Stats][]).map(
    ([type, s]) =>
      `${type}: ${s.runs} runs, ${s.deleted} deleted-stage cases, ${s.withManual} with manual steps ` +
      `(${JSON.stringify(s.manualFields)}), ${s.steps} steps applied`,
  );
  console.log(`plan-inverse property:\n${lines.join('\n')}`);
});

/** Runs one case: B in the fleet, plan B → A, apply, read back, compare with A. */
const runCase = async (apiType: ApiType, { a, b }: Case): Promise<RevertPlan> => {
  const key = keyOf(apiType);
  sim.fleet = fleetWith(apiType, b === undefined ? undefined : wireStage(apiType, b));
  const target = snapshotOf(apiType, a);

  const current = await readLiveStage(deps, key, API_NAMES[apiType]);
  if (b === undefined) expect(current).toBeUndefined();
  else expect(current).toBeDefined();

  const plan = planRevert(current, target, OPTIONS);
  for (const step of plan.steps) await applyStep(deps, key, step);
  const after = await readLiveStage(deps, key, API_NAMES[apiType]);
  expect(after).toBeDefined();
  const manual = plan.manual.map((m) => m.field);
  const differing = differingPaths(after?.config, target.config);

  // The stage is A, except exactly the fields the plan says it cannot put back.
  expect({ differing: differing.filter((p) => !manual.some((f) => covers(f, p))) }).toEqual({
    differing: [],
  });
  expect({ manualNotDiffering: manual.filter((f) => !differing.some((p) => covers(f, p))) }).toEqual({
    manualNotDiffering: [],
  });
  if (manual.length === 0) expect(after?.config).toEqual(target.config);

  // No drift means no call; planning again from the result has nothing left to do.
  if (current !== undefined && current.hash === target.hash) {
    expect(plan.steps).toEqual([]);
    expect(plan.drift).toBeUndefined();
  } else expect(plan.drift).toBeDefined();
  const again = planRevert(after, target, OPTIONS);
  expect(again.steps).toEqual([]);
  expect(again.manual.map((m) => m.field)).toEqual(manual);

  const s = stats[apiType];
  s.runs += 1;
  s.steps += plan.steps.length;
  if (b === undefined) s.deleted += 1;
  if (manual.length > 0) s.withManual += 1;
  for (const field of manual) s.manualFields[field] = (s.manualFields[field] ?? 0) + 1;
  return plan;
};

describe('the revert plan is the inverse of the diff (applied on the simulator)', () => {
  it.each<ApiType>(['REST', 'HTTP', 'WEBSOCKET'])(
    '%s: applying the plan from B to A yields A, but for the manual steps',
    async (apiType) => {
      await fc.assert(
        fc.asyncProperty(caseArb(apiType), async (c) => {
          await runCase(apiType, c);
        }),
        { numRuns: RUNS_PER_FAMILY },
      );
      expect(stats[apiType].runs).toBe(RUNS_PER_FAMILY);
      expect(stats[apiType].deleted).toBeGreaterThan(0);
    },
  );
});
