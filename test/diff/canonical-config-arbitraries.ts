import fc from 'fast-check';
import type { ApiType, RestStageConfig, StageSnapshot, V2StageConfig } from '../../shared/model';
import { snapshotOf } from './fixtures';

/**
 * fast-check arbitraries of canonical stage configs: no null/undefined, no empty maps or objects,
 * the always-present booleans present, no AWS default in the stage-wide settings, values drawn
 * from small realistic sets so that two generated configs often share entries (and so differ in
 * a few places, like real drift).
 * Every stage variable value starts with `sv-` so tests can prove none of them leaks.
 */

const nonEmpty = <T extends object>(value: T): boolean => Object.keys(value).length > 0;

const map = <T>(keys: fc.Arbitrary<string>, values: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> =>
  fc.dictionary(keys, values, { minKeys: 1, maxKeys: 4, noNullPrototype: true });

/** A marker no other generated string contains. */
export const VARIABLE_VALUE_MARKER = 'sv-';

const variableValue = fc.oneof(
  fc.constantFrom('sv-prod', 'sv-beta', 'sv-https://orders.internal.example.com'),
  fc.stringMatching(/^[A-Za-z0-9+/=:._-]{1,24}$/).map((s) => `${VARIABLE_VALUE_MARKER}${s}`),
);
const variableName = fc.constantFrom(
  'backendUrl',
  'dbHost',
  'dbPassword',
  'version',
  'function',
  'featureFlag',
);
const variables = map(variableName, variableValue);

const tags = map(
  fc.constantFrom('env', 'team', 'cost-center', 'aws:cloudformation:stack-name'),
  fc.constantFrom('prod', 'beta', 'orders', 'payments', 'cc-1234'),
);

const accessLogSettings = fc
  .record(
    {
      destinationArn: fc.constantFrom(
        'arn:aws:logs:eu-west-1:123456789012:log-group:orders-api-access',
        'arn:aws:firehose:eu-west-1:123456789012:deliverystream/amazon-apigateway-orders',
      ),
      format: fc.constantFrom(
        '$context.requestId',
        '{"requestId":"$context.requestId","status":"$context.status"}',
      ),
    },
    { requiredKeys: [] },
  )
  .filter(nonEmpty);

const loggingLevel = fc.constantFrom('OFF', 'ERROR', 'INFO');
const burst = fc.constantFrom(5, 50, 500, 5000);
const rate = fc.constantFrom(0.5, 10, 100, 1000, 10000);

const methodSettings = fc
  .record(
    {
      cacheDataEncrypted: fc.boolean(),
      cacheTtlInSeconds: fc.constantFrom(0, 60, 300, 3600),
      cachingEnabled: fc.boolean(),
      dataTraceEnabled: fc.boolean(),
      loggingLevel,
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
  )
  .filter(nonEmpty);

const routeSettings = fc
  .record(
    {
      dataTraceEnabled: fc.boolean(),
      detailedMetricsEnabled: fc.boolean(),
      loggingLevel,
      throttlingBurstLimit: burst,
      throttlingRateLimit: rate,
    },
    { requiredKeys: [] },
  )
  .filter(nonEmpty);

const canarySettings = fc
  .record(
    {
      deploymentId: fc.constantFrom('p3q9zz', 'x1y2z3'),
      percentTraffic: fc.constantFrom(0, 5, 10, 50),
      stageVariableOverrides: variables,
      useStageCache: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .filter(nonEmpty);

/**
 * A settings object without the members equal to an AWS default, as normalize leaves the
 * stage-wide settings (`methodSettings["*\/*"]`, `defaultRouteSettings`); `undefined` when empty.
 */
const withoutDefaults = <T extends object>(settings: T, defaults: Partial<T>): T | undefined => {
  const kept = Object.fromEntries(
    Object.entries(settings).filter(([name, value]) => (defaults as Record<string, unknown>)[name] !== value),
  ) as T;
  return nonEmpty(kept) ? kept : undefined;
};

const STAGE_WIDE_METHOD_DEFAULTS = {
  cacheDataEncrypted: false,
  cachingEnabled: false,
  dataTraceEnabled: false,
  metricsEnabled: false,
} as const;

/** Method settings in canonical form: the `*\/*` entry without its AWS defaults. */
const restMethodSettings = map(
  fc.constantFrom('*/*', 'pets/GET', 'orders/POST', '~1pets~1{id}/GET'),
  methodSettings,
)
  .map((entries) =>
    Object.fromEntries(
      Object.entries(entries).flatMap(([key, entry]) => {
        const kept = key === '*/*' ? withoutDefaults(entry, STAGE_WIDE_METHOD_DEFAULTS) : entry;
        return kept === undefined ? [] : [[key, kept]];
      }),
    ),
  )
  .filter(nonEmpty);

/** Default route settings in canonical form: detailed metrics and data trace off are the default. */
const defaultRouteSettings = routeSettings
  .map((settings) => withoutDefaults(settings, { dataTraceEnabled: false, detailedMetricsEnabled: false }))
  .filter(<T>(settings: T | undefined): settings is T => settings !== undefined);

const deploymentId = fc.constantFrom('vakw79', 'p3q9zz', 'x1y2z3');
const description = fc.constantFrom('Production', 'Beta', 'Public pets API');

export const restConfigArb: fc.Arbitrary<RestStageConfig> = fc.record(
  {
    accessLogSettings,
    cacheClusterEnabled: fc.boolean(),
    cacheClusterSize: fc.constantFrom('0.5', '1.6', '6.1', '237'),
    canarySettings,
    clientCertificateId: fc.constantFrom('kx8m2p', 'q7w8e9'),
    deploymentId,
    description,
    documentationVersion: fc.constantFrom('1.0.0', '1.4.0'),
    methodSettings: restMethodSettings,
    tags,
    tracingEnabled: fc.boolean(),
    variables,
    webAclArn: fc.constantFrom(
      'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders-acl/1f2e3d4c',
      'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/allow-all/00000000',
    ),
  },
  { requiredKeys: ['cacheClusterEnabled', 'tracingEnabled'] },
);

export const v2ConfigArb: fc.Arbitrary<V2StageConfig> = fc.record(
  {
    accessLogSettings,
    apiGatewayManaged: fc.boolean(),
    autoDeploy: fc.boolean(),
    clientCertificateId: fc.constantFrom('w3bs0k', 'c3rt02'),
    defaultRouteSettings,
    deploymentId,
    description,
    routeSettings: map(
      fc.constantFrom('$connect', '$default', 'sendMessage', 'GET /pets', 'POST /pets'),
      routeSettings,
    ),
    stageVariables: variables,
    tags,
  },
  { requiredKeys: ['apiGatewayManaged', 'autoDeploy'] },
);

export const apiTypeArb: fc.Arbitrary<ApiType> = fc.constantFrom('REST', 'HTTP', 'WEBSOCKET');

export const configArb = (apiType: ApiType): fc.Arbitrary<RestStageConfig | V2StageConfig> =>
  apiType === 'REST' ? restConfigArb : v2ConfigArb;

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A copy of `base` with a few differences taken from `other`, at any depth: each key keeps its
 * value from `base` (most often), takes `other`'s (including its absence), or, when both are
 * objects, is mixed the same way one level down. Empty objects are dropped to stay canonical.
 */
const mix = (base: Plain, other: Plain, random: () => number): Plain => {
  const keys = [...new Set([...Object.keys(base), ...Object.keys(other)])].sort();
  const entries = keys.flatMap((key): [string, unknown][] => {
    const b = base[key];
    const o = other[key];
    const r = random();
    let value: unknown;
    if (r < 0.3 && isPlain(b) && isPlain(o)) value = mix(b, o, random);
    else value = r < 0.85 ? b : o;
    if (value === undefined || (isPlain(value) && Object.keys(value).length === 0)) return [];
    return [[key, value]];
  });
  return Object.fromEntries(entries);
};

const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
};

/** Two configs a few differences apart, like two scans of one stage. */
const nearbyConfigsArb = (
  apiType: ApiType,
): fc.Arbitrary<readonly [RestStageConfig | V2StageConfig, RestStageConfig | V2StageConfig]> =>
  fc
    .tuple(configArb(apiType), configArb(apiType), fc.integer({ min: 0, max: 0xffffffff }))
    .map(([a, other, seed]) => {
      const b = mix(a as unknown as Plain, other as unknown as Plain, seededRandom(seed));
      return [a, b as unknown as RestStageConfig | V2StageConfig] as const;
    });

/** A pair of snapshots of the same stage (same key, same createdDate), often a few fields apart. */
export const snapshotPairArb: fc.Arbitrary<readonly [StageSnapshot, StageSnapshot]> = apiTypeArb.chain(
  (apiType) =>
    fc
      .oneof(
        { arbitrary: nearbyConfigsArb(apiType), weight: 4 },
        { arbitrary: fc.tuple(configArb(apiType), configArb(apiType)), weight: 1 },
      )
      .map(([a, b]) => [snapshotOf(apiType, a), snapshotOf(apiType, b)] as const),
);

/** One snapshot of any API type. */
export const snapshotArb: fc.Arbitrary<StageSnapshot> = apiTypeArb.chain((apiType) =>
  configArb(apiType).map((config) => snapshotOf(apiType, config)),
);

/** A set of snapshots with distinct keys: stage names from a small pool, so two sets overlap. */
export const snapshotSetArb: fc.Arbitrary<StageSnapshot[]> = fc
  .uniqueArray(fc.tuple(fc.constantFrom('prod', 'beta', 'dev', 'qa', 'canary'), apiTypeArb), {
    maxLength: 5,
    selector: ([stageName, apiType]) => `${apiType}/${stageName}`,
  })
  .chain((keys) =>
    fc.tuple(
      ...keys.map(([stageName, apiType]) =>
        configArb(apiType).map((config) => snapshotOf(apiType, config, { stageName, apiId: 'a1b2c3d4e5' })),
      ),
    ),
  );

/** The same JSON value with object keys in another (seeded) order at every depth. */
export const reorderKeys = <T>(value: T, seed: number): T => {
  const score = (key: string): number => {
    let h = (seed ^ 2166136261) >>> 0;
    for (const ch of key) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619) >>> 0;
    return h;
  };
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (typeof v === 'object' && v !== null) {
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record).sort((a, b) => score(a) - score(b) || (a < b ? -1 : 1));
      return Object.fromEntries(keys.map((k) => [k, visit(record[k])]));
    }
    return v;
  };
  return visit(value) as T;
};
