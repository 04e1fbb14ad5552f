/**
 * fast-check arbitraries of API Gateway stages as the SDKs return them (seed pages 000 and
 * 001), with the noise real responses carry: members absent, `undefined`, `null` or empty.
 * Shared by the normalize and diff tests.
 */
import * as fc from 'fast-check';
import type { ApiRef, RestStageSnapshot, StageSnapshot, V2StageSnapshot } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage } from '../../shared/normalize';

/** A raw stage object as an SDK, CLI or the wire returns it. */
export type RawStage = Record<string, unknown>;

const RECORD = { requiredKeys: [] as never[], noNullPrototype: true };

/**
 * An optional member: usually `value`, sometimes `null`, `undefined` or the type's empty value
 * (`''`, `{}`), all of which mean "not set". Used inside `fc.record(..., RECORD)`, so the key
 * may also be missing altogether.
 */
const noisy = <T>(value: fc.Arbitrary<T>, empty?: T): fc.Arbitrary<T | null | undefined> =>
  fc.oneof(
    { weight: 6, arbitrary: value },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: empty === undefined ? fc.constant(null) : fc.constant(empty) },
  );

/** A map with keys from `keys`, key order random, sometimes empty. */
const mapOf = <V>(
  keys: fc.Arbitrary<string>,
  value: fc.Arbitrary<V>,
  maxKeys = 4,
): fc.Arbitrary<Record<string, V>> =>
  fc
    .uniqueArray(fc.tuple(keys, value), { maxLength: maxKeys, selector: ([key]) => key })
    .map((entries) => Object.fromEntries(entries));

const id = fc.stringMatching(/^[a-z0-9]{6,10}$/);
const arnSuffix = fc.stringMatching(/^[a-z0-9-]{3,12}$/);

export const stageNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('prod', 'beta', 'dev', 'staging', 'test', 'v1'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/),
);

/** Between 2015 and 2030, whole milliseconds. */
export const stageDateArb: fc.Arbitrary<Date> = fc.date({
  min: new Date('2015-01-01T00:00:00.000Z'),
  max: new Date('2030-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

const variableName = fc.oneof(
  fc.constantFrom('version', 'url', 'function', 'lambdaAlias', 'backendHost', 'token'),
  fc.stringMatching(/^[A-Za-z0-9_]{1,16}$/),
);
/** Stage variable values: `[A-Za-z0-9-._~:/?#&=,]*`, the empty string included. */
const variableValue = fc.stringMatching(/^[A-Za-z0-9\-._~:/?#&=,]{0,24}$/);
const tagKey = fc.oneof(
  fc.constantFrom('team', 'env', 'cost-center', 'owner', 'aws:cloudformation:stack-name'),
  fc.stringMatching(/^[A-Za-z0-9_.:/=+@-]{1,20}$/),
);
const tagValue = fc.stringMatching(/^[A-Za-z0-9 _.:/=+@-]{0,20}$/);
const loggingLevel = fc.constantFrom('OFF', 'ERROR', 'INFO');
const burstLimit = fc.integer({ min: 0, max: 5000 });
/** Requests per second as the console and CLIs set them: whole or with up to two decimals. */
const rateLimit = fc.oneof(
  fc.integer({ min: 0, max: 10000 }),
  fc.integer({ min: 0, max: 1_000_000 }).map((hundredths) => hundredths / 100),
);
const logGroupArn = arnSuffix.map((name) => `arn:aws:logs:us-east-1:123456789012:log-group:${name}`);
const accessLogFormat = fc.constantFrom(
  '$context.requestId',
  '{"requestId":"$context.requestId","status":"$context.status"}',
  '$context.identity.sourceIp $context.requestId [$context.requestTime]',
);

// ---------------------------------------------------------------- v1 (REST), seed 000

const methodSettingKey = fc.oneof(
  fc.constantFrom('*/*', 'pets/GET', '~1pets/GET', '~1pets~1{petId}/DELETE', 'orders/POST'),
  fc.stringMatching(/^[a-z]{1,8}\/(GET|PUT|POST|DELETE|PATCH)$/),
);

const restMethodSetting = fc.record(
  {
    metricsEnabled: noisy(fc.boolean()),
    loggingLevel: noisy(loggingLevel, ''),
    dataTraceEnabled: noisy(fc.boolean()),
    throttlingBurstLimit: noisy(burstLimit),
    throttlingRateLimit: noisy(rateLimit),
    cachingEnabled: noisy(fc.boolean()),
    cacheTtlInSeconds: noisy(fc.integer({ min: 0, max: 3600 })),
    cacheDataEncrypted: noisy(fc.boolean()),
    requireAuthorizationForCacheControl: noisy(fc.boolean()),
    unauthorizedCacheControlHeaderStrategy: noisy(
      fc.constantFrom('FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'),
      '',
    ),
  },
  RECORD,
);

const accessLogSettings = fc.record(
  { format: noisy(accessLogFormat, ''), destinationArn: noisy(logGroupArn, '') },
  RECORD,
);

const canarySettings = fc.record(
  {
    percentTraffic: noisy(fc.integer({ min: 0, max: 10000 }).map((hundredths) => hundredths / 100)),
    deploymentId: noisy(id, ''),
    stageVariableOverrides: noisy(mapOf(variableName, variableValue), {}),
    useStageCache: noisy(fc.boolean()),
  },
  RECORD,
);

/**
 * A v1 `Stage` as `@aws-sdk/client-api-gateway` returns it (camelCase, `Date` dates), with
 * every member of seed 000 optional and noisy (`null`, `undefined`, `''`, `{}`).
 */
export const rawRestStageArb: fc.Arbitrary<RawStage> = fc
  .tuple(
    stageNameArb,
    fc.record(
      {
        deploymentId: noisy(id, ''),
        clientCertificateId: noisy(id, ''),
        description: noisy(fc.constantFrom('Production', 'Beta stage', 'managed by CDK', 'hotfix 42'), ''),
        cacheClusterEnabled: noisy(fc.boolean()),
        cacheClusterSize: noisy(
          fc.constantFrom('0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'),
          '',
        ),
        cacheClusterStatus: noisy(
          fc.constantFrom(
            'CREATE_IN_PROGRESS',
            'AVAILABLE',
            'DELETE_IN_PROGRESS',
            'NOT_AVAILABLE',
            'FLUSH_IN_PROGRESS',
          ),
          '',
        ),
        methodSettings: noisy(mapOf(methodSettingKey, restMethodSetting, 3), {}),
        variables: noisy(mapOf(variableName, variableValue), {}),
        documentationVersion: noisy(fc.constantFrom('1.0', '1.1', '2.0.0'), ''),
        accessLogSettings: noisy(accessLogSettings),
        canarySettings: noisy(canarySettings),
        tracingEnabled: noisy(fc.boolean()),
        webAclArn: noisy(
          arnSuffix.map((name) => `arn:aws:wafv2:us-east-1:123456789012:regional/webacl/${name}/0a1b2c3d`),
          '',
        ),
        tags: noisy(mapOf(tagKey, tagValue), {}),
        createdDate: noisy(stageDateArb),
        lastUpdatedDate: noisy(stageDateArb),
      },
      RECORD,
    ),
  )
  .map(([stageName, rest]) => ({ stageName, ...rest }));

// ---------------------------------------------------------------- v2 (HTTP, WebSocket), seed 001

const routeKey = fc.oneof(
  fc.constantFrom(
    '$default',
    '$connect',
    '$disconnect',
    'GET /pets',
    'POST /pets',
    'ANY /{proxy+}',
    'sendMessage',
  ),
  fc.stringMatching(/^(GET|POST|PUT|DELETE) \/[a-z]{1,8}$/),
);

const v2RouteSettings = fc.record(
  {
    DataTraceEnabled: noisy(fc.boolean()),
    DetailedMetricsEnabled: noisy(fc.boolean()),
    LoggingLevel: noisy(loggingLevel, ''),
    ThrottlingBurstLimit: noisy(burstLimit),
    ThrottlingRateLimit: noisy(rateLimit),
  },
  RECORD,
);

/**
 * A v2 `Stage` as `@aws-sdk/client-apigatewayv2` and `aws apigatewayv2 get-stages` return it
 * (PascalCase, `Date` dates), with every member of seed 001 optional and noisy.
 */
export const rawV2StageArb: fc.Arbitrary<RawStage> = fc
  .tuple(
    stageNameArb,
    fc.record(
      {
        AccessLogSettings: noisy(
          fc.record({ DestinationArn: noisy(logGroupArn, ''), Format: noisy(accessLogFormat, '') }, RECORD),
        ),
        ApiGatewayManaged: noisy(fc.boolean()),
        AutoDeploy: noisy(fc.boolean()),
        ClientCertificateId: noisy(id, ''),
        CreatedDate: noisy(stageDateArb),
        DefaultRouteSettings: noisy(v2RouteSettings),
        DeploymentId: noisy(id, ''),
        Description: noisy(fc.constantFrom('Created by AWS Lambda', 'production', 'v2 stage'), ''),
        LastDeploymentStatusMessage: noisy(
          fc.constantFrom('Deployment attempt succeeded', 'Deployment attempt failed: route has no target'),
          '',
        ),
        LastUpdatedDate: noisy(stageDateArb),
        RouteSettings: noisy(mapOf(routeKey, v2RouteSettings, 3), {}),
        StageVariables: noisy(mapOf(variableName, variableValue), {}),
        Tags: noisy(mapOf(tagKey, tagValue), {}),
      },
      RECORD,
    ),
  )
  .map(([stageName, rest]) => ({ StageName: stageName, ...rest }));

// ---------------------------------------------------------------- reshaping helpers

const V2_WIRE_NAMES: Readonly<Record<string, string>> = {
  AccessLogSettings: 'accessLogSettings',
  ApiGatewayManaged: 'apiGatewayManaged',
  AutoDeploy: 'autoDeploy',
  ClientCertificateId: 'clientCertificateId',
  CreatedDate: 'createdDate',
  DefaultRouteSettings: 'defaultRouteSettings',
  DeploymentId: 'deploymentId',
  Description: 'description',
  LastDeploymentStatusMessage: 'lastDeploymentStatusMessage',
  LastUpdatedDate: 'lastUpdatedDate',
  RouteSettings: 'routeSettings',
  StageName: 'stageName',
  StageVariables: 'stageVariables',
  Tags: 'tags',
  DestinationArn: 'destinationArn',
  Format: 'format',
  DataTraceEnabled: 'dataTraceEnabled',
  DetailedMetricsEnabled: 'detailedMetricsEnabled',
  LoggingLevel: 'loggingLevel',
  ThrottlingBurstLimit: 'throttlingBurstLimit',
  ThrottlingRateLimit: 'throttlingRateLimit',
};

/** Maps whose keys are data (route keys, variable names, tag keys), never renamed. */
const DATA_MAPS = new Set([
  'RouteSettings',
  'StageVariables',
  'Tags',
  'routeSettings',
  'stageVariables',
  'tags',
  'methodSettings',
  'variables',
  'stageVariableOverrides',
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

const renameMembers = (value: unknown): unknown => {
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, member]) => {
      const wire = V2_WIRE_NAMES[name] ?? name;
      if (DATA_MAPS.has(name) && isObject(member)) {
        return [
          wire,
          Object.fromEntries(Object.entries(member).map(([key, entry]) => [key, renameMembers(entry)])),
        ];
      }
      return [wire, renameMembers(member)];
    }),
  );
};

/**
 * The v2 wire form (camelCase, seed 004) of a PascalCase v2 stage from `rawV2StageArb`, with
 * `Date`s as ISO strings as the wire carries them. Route keys and variable names are kept.
 */
export const toV2WireShape = (stage: RawStage): RawStage => toCliJson(renameMembers(stage) as RawStage);

/** What a CLI prints: the stage through JSON (`Date` -> ISO string, `undefined` members gone). */
export const toCliJson = (stage: RawStage): RawStage => JSON.parse(JSON.stringify(stage)) as RawStage;

/** The stage with every `Date` member replaced by epoch seconds, as the v1 REST wire form has them. */
export const withEpochDates = (stage: RawStage): RawStage =>
  Object.fromEntries(
    Object.entries(stage).map(([name, value]) => [
      name,
      value instanceof Date ? value.getTime() / 1000 : value,
    ]),
  );

/** A small seeded PRNG (mulberry32), so a reshuffle is reproducible from a fast-check integer. */
const random = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** `value` with the keys of every object, maps included, in a different order (seeded). */
export const shuffleKeys = <T>(value: T, seed: number): T => {
  const next = random(seed);
  const shuffle = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(shuffle);
    if (!isObject(node)) return node;
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
    return Object.fromEntries(entries.map(([key, member]) => [key, shuffle(member)]));
  };
  return shuffle(value) as T;
};

const isEmptyNoise = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === '' ||
  (isObject(value) && Object.keys(value).length === 0);

/**
 * `stage` with the noise `rawRestStageArb` / `rawV2StageArb` add taken out: members that are
 * `null`, `undefined`, `''` or `{}` (after their own noise is removed) are deleted, except
 * entries of string maps (stage variables, tags), where `''` is a real value. A second,
 * independent statement of "absent, null and empty mean the same" to test normalize against.
 */
export const stripNoise = (stage: RawStage): RawStage => {
  const strip = (node: unknown, inStringMap: boolean): unknown => {
    if (!isObject(node)) return node;
    // Entries, then Object.fromEntries: `out[key] = v` would set the prototype for `__proto__`.
    const out: [string, unknown][] = [];
    for (const [key, member] of Object.entries(node)) {
      if (inStringMap) {
        if (member !== null && member !== undefined) out.push([key, member]);
        continue;
      }
      const isStringMap =
        DATA_MAPS.has(key) && !['methodSettings', 'RouteSettings', 'routeSettings'].includes(key);
      const cleaned = strip(member, isStringMap);
      if (!isEmptyNoise(cleaned)) out.push([key, cleaned]);
    }
    return Object.fromEntries(out);
  };
  return strip(stage, false) as RawStage;
};

// ---------------------------------------------------------------- snapshots

const account = fc.constantFrom('123456789012', '210987654321');
const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2');
const apiTags = fc.option(mapOf(tagKey, tagValue, 2), { nil: undefined });

const apiRefArb = (apiType: ApiRef['apiType']): fc.Arbitrary<ApiRef> =>
  fc
    .record({
      apiId: fc.stringMatching(/^[a-z0-9]{10}$/),
      name: fc.constantFrom('pets', 'orders', 'chat'),
      tags: apiTags,
    })
    .map(({ apiId, name, tags }) =>
      tags === undefined ? { apiId, apiType, name } : { apiId, apiType, name, tags },
    );

/** Canonical REST snapshots: `rawRestStageArb` normalized in a random account, region and API. */
export const restSnapshotArb: fc.Arbitrary<RestStageSnapshot> = fc
  .record({ account, region, api: apiRefArb('REST'), stage: rawRestStageArb })
  .map(({ stage, ...context }) => normalizeRestStage(stage, context));

/** Canonical HTTP or WebSocket snapshots: `rawV2StageArb` normalized. */
export const v2SnapshotArb: fc.Arbitrary<V2StageSnapshot> = fc
  .record({
    account,
    region,
    api: fc.constantFrom<'HTTP' | 'WEBSOCKET'>('HTTP', 'WEBSOCKET').chain(apiRefArb),
    stage: rawV2StageArb,
  })
  .map(({ stage, ...context }) => normalizeV2Stage(stage, context));

/** Any canonical snapshot. */
export const stageSnapshotArb: fc.Arbitrary<StageSnapshot> = fc.oneof(restSnapshotArb, v2SnapshotArb);
