/**
 * The revert plan, case by case, with the exact calls it makes: the cases the revert issue
 * names, on the seed-derived examples in examples/{rest,http,websocket} (AWS's documented
 * shapes: the CLI's camelCase for REST, the SDK's PascalCase for v2) normalized as a scan
 * stores them. Then the commands a plan prints: valid POSIX shell, stage variable values only as
 * the `show` function renders them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintValue } from '../../shared/diff';
import type { ApiType, RestStageSnapshot, StageKey, V2StageSnapshot } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage } from '../../shared/normalize';
import { awsCommandOf, operationOf, shellWord, shownStep } from '../../shared/revert/commands';
import type { ShowValue } from '../../shared/revert/commands';
import { RevertPlanError } from '../../shared/revert/errors';
import { planRevert, stageResourceArn } from '../../shared/revert/plan';
import { escapePointerSegment, methodSettingsPath } from '../../shared/revert/rest-plan';
import type { RevertPlan, RevertStep } from '../../shared/revert/types';
import { OPTIONS } from '../diff/fixtures';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const IDS: Readonly<Record<ApiType, string>> = {
  REST: 'a1b2c3d4e5',
  HTTP: 'h7t7p9x2k1',
  WEBSOCKET: 'w5s0ck3t9q',
};
const NAMES: Readonly<Record<ApiType, string>> = { REST: 'orders', HTTP: 'pets-http', WEBSOCKET: 'chat' };

type Wire = Record<string, unknown>;

const example = (
  family: 'rest' | 'http' | 'websocket',
  version: 'before' | 'after',
  stageName: string,
): Wire => {
  const document = JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'examples', family, `${version}.json`), 'utf8'),
  ) as { item?: Wire[]; Items?: Wire[] };
  const stage = (document.item ?? document.Items ?? []).find(
    (s) => (s.stageName ?? s.StageName) === stageName,
  );
  if (stage === undefined) throw new Error(`no stage ${stageName} in examples/${family}/${version}.json`);
  return stage;
};

const context = (apiType: ApiType) => ({
  account: ACCOUNT,
  region: REGION,
  api: { apiId: IDS[apiType], apiType, name: NAMES[apiType] },
});

const rest = (wire: Wire): RestStageSnapshot => normalizeRestStage(wire, context('REST'));
const v2 = (apiType: 'HTTP' | 'WEBSOCKET', wire: Wire): V2StageSnapshot =>
  normalizeV2Stage(wire, context(apiType));

/** The REST `prod` stage of examples/rest/before.json, with `changes` made to its wire form. */
const restProd = (changes: (wire: Wire) => void = () => undefined): RestStageSnapshot => {
  const wire = structuredClone(example('rest', 'before', 'prod'));
  changes(wire);
  return rest(wire);
};

const restKey = (stageName = 'prod'): StageKey => ({
  account: ACCOUNT,
  region: REGION,
  apiType: 'REST',
  apiId: IDS.REST,
  stageName,
});
const REST_ARN = `arn:aws:apigateway:${REGION}::/restapis/${IDS.REST}/stages/prod`;
const WEB_ACL =
  'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders-acl/1f2e3d4c-0000-4b5a-8c9d-abcdef012345';
const SECRET = 's3cr3t-hunter2';

const methodSettings = (wire: Wire): Record<string, Record<string, unknown>> =>
  wire.methodSettings as Record<string, Record<string, unknown>>;

const plan = (
  current: RestStageSnapshot | V2StageSnapshot | undefined,
  target: RestStageSnapshot | V2StageSnapshot,
) => planRevert(current, target, OPTIONS);

/** examples/rest before, prod: the method settings of POST /orders, as UpdateStage patch operations. */
const ORDERS_POST_SETTINGS = [
  { op: 'replace', path: '/orders/POST/caching/dataEncrypted', value: 'false' },
  { op: 'replace', path: '/orders/POST/caching/ttlInSeconds', value: '300' },
  { op: 'replace', path: '/orders/POST/caching/enabled', value: 'false' },
  { op: 'replace', path: '/orders/POST/logging/dataTrace', value: 'false' },
  { op: 'replace', path: '/orders/POST/logging/loglevel', value: 'ERROR' },
  { op: 'replace', path: '/orders/POST/metrics/enabled', value: 'true' },
  { op: 'replace', path: '/orders/POST/caching/requireAuthorizationForCacheControl', value: 'true' },
  { op: 'replace', path: '/orders/POST/throttling/burstLimit', value: '50' },
  { op: 'replace', path: '/orders/POST/throttling/rateLimit', value: '100' },
  {
    op: 'replace',
    path: '/orders/POST/caching/unauthorizedCacheControlHeaderStrategy',
    value: 'SUCCEED_WITH_RESPONSE_HEADER',
  },
];

describe('REST plans', () => {
  it('puts back a drifted logging level, variable, tracing and description in one UpdateStage', () => {
    const target = restProd();
    const current = restProd((wire) => {
      wire.description = 'Production (hotfix)';
      wire.tracingEnabled = false;
      (wire.variables as Record<string, string>).dbPassword = 'typed-in-the-console';
      methodSettings(wire)['*/*']!.loggingLevel = 'ERROR';
    });

    const result = plan(current, target);

    expect(result.steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [
          { op: 'replace', path: '/description', value: 'Production' },
          { op: 'replace', path: '/tracingEnabled', value: 'true' },
          { op: 'replace', path: '/variables/dbPassword', value: SECRET },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
        ],
      },
    ]);
    expect(result.manual).toEqual([]);
    expect(result.drift?.change).toBe('MODIFIED');
    expect(result.drift?.changes.map((c) => c.path.join('.'))).toEqual(
      expect.arrayContaining([
        'description',
        'tracingEnabled',
        'variables.dbPassword',
        'methodSettings.*/*.loggingLevel',
      ]),
    );
  });

  it('makes no call, and reports no drift, when the stage is at the target', () => {
    const result = plan(restProd(), restProd());
    expect(result).toMatchObject({ steps: [], manual: [] });
    expect(result.drift).toBeUndefined();
  });

  it('adds a variable with replace, removes one with remove, and clears a description with ""', () => {
    const target = restProd((wire) => delete wire.description);
    const current = restProd((wire) => {
      (wire.variables as Record<string, string>).debug = 'true';
      delete (wire.variables as Record<string, string>).backendUrl;
    });
    expect(plan(current, target).steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [
          { op: 'replace', path: '/description', value: '' },
          { op: 'replace', path: '/variables/backendUrl', value: 'https://orders.internal.example.com' },
          { op: 'remove', path: '/variables/debug' },
        ],
      },
    ]);
  });

  it('sets a per-method setting on a resource path with "/" in it through its ~1-escaped key', () => {
    const withPets = (level: string) => (wire: Wire) => {
      methodSettings(wire)['~1pets~1{id}/GET'] = { loggingLevel: level, metricsEnabled: true };
    };
    const result = plan(restProd(withPets('INFO')), restProd(withPets('ERROR')));
    expect(result.steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [{ op: 'replace', path: '/~1pets~1{id}/GET/logging/loglevel', value: 'ERROR' }],
      },
    ]);
  });

  it('escapes the resource path of a methodSettings key given unescaped, and leaves */* as it is', () => {
    expect(methodSettingsPath('~1pets~1{id}/GET')).toBe('/~1pets~1{id}/GET');
    expect(methodSettingsPath('/pets/{id}/GET')).toBe('/~1pets~1{id}/GET');
    expect(methodSettingsPath('/pets/GET')).toBe('/~1pets/GET');
    expect(methodSettingsPath('*/*')).toBe('/*/*');
    expect(escapePointerSegment('/a~b/c')).toBe('~1a~0b~1c');
  });

  it('removes and writes again a method entry that loses a member (absent there means "as */*")', () => {
    const target = restProd((wire) => {
      methodSettings(wire)['~1pets~1{id}/GET'] = { loggingLevel: 'ERROR' };
    });
    const current = restProd((wire) => {
      methodSettings(wire)['~1pets~1{id}/GET'] = { loggingLevel: 'ERROR', throttlingBurstLimit: 10 };
    });
    expect(plan(current, target).steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [
          { op: 'remove', path: '/~1pets~1{id}/GET' },
          { op: 'replace', path: '/~1pets~1{id}/GET/logging/loglevel', value: 'ERROR' },
        ],
      },
    ]);
  });

  it('turns off a stage-wide boolean the target leaves at its default by setting it to false', () => {
    const current = restProd((wire) => {
      methodSettings(wire)['*/*']!.dataTraceEnabled = true;
    });
    expect(plan(current, restProd()).steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [{ op: 'replace', path: '/*/*/logging/dataTrace', value: 'false' }],
      },
    ]);
  });

  it('changes a canary member by member, removes an override, and removes a canary the target lacks', () => {
    const canary = (settings: Wire) => (wire: Wire) => {
      wire.canarySettings = settings;
    };
    const target = restProd(canary({ deploymentId: 'p3q9zz', percentTraffic: 10, useStageCache: false }));
    const current = restProd(
      canary({
        deploymentId: 'p3q9zz',
        percentTraffic: 50,
        stageVariableOverrides: { backendUrl: 'https://canary.example.com' },
      }),
    );
    expect(plan(current, target).steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [
          { op: 'replace', path: '/canarySettings/percentTraffic', value: '10' },
          { op: 'replace', path: '/canarySettings/useStageCache', value: 'false' },
          { op: 'remove', path: '/canarySettings/stageVariableOverrides/backendUrl' },
        ],
      },
    ]);
    expect(plan(current, restProd()).steps).toEqual([
      { kind: 'rest-update-stage', patchOperations: [{ op: 'remove', path: '/canarySettings' }] },
    ]);
  });

  it('writes a canary afresh when it loses a scalar member (no replace can unset one)', () => {
    const target = restProd((wire) => {
      wire.canarySettings = { percentTraffic: 5 };
    });
    const current = restProd((wire) => {
      wire.canarySettings = { percentTraffic: 5, deploymentId: 'p3q9zz' };
    });
    expect(plan(current, target).steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [
          { op: 'remove', path: '/canarySettings' },
          { op: 'replace', path: '/canarySettings/percentTraffic', value: '5' },
        ],
      },
    ]);
  });

  it('associates the web ACL again when it was detached (and disassociates one the target lacks)', () => {
    const detached = restProd((wire) => delete wire.webAclArn);
    expect(stageResourceArn(restKey())).toBe(REST_ARN);
    expect(plan(detached, restProd()).steps).toEqual([
      { kind: 'associate-web-acl', resourceArn: REST_ARN, webAclArn: WEB_ACL },
    ]);
    expect(plan(restProd(), detached).steps).toEqual([
      { kind: 'disassociate-web-acl', resourceArn: REST_ARN },
    ]);
  });

  it('untags and tags the stage, and lists an aws: tag as manual (AWS sets those)', () => {
    const target = restProd((wire) => {
      wire.tags = { team: 'orders', env: 'prod', 'aws:cloudformation:stack-name': 'orders-prod' };
    });
    const current = restProd((wire) => {
      wire.tags = {
        team: 'orders',
        env: 'staging',
        owner: 'alice',
        'aws:cloudformation:stack-name': 'orders-v2',
      };
    });
    const result = plan(current, target);
    expect(result.steps).toEqual([
      { kind: 'untag-resource', resourceArn: REST_ARN, tagKeys: ['owner'] },
      { kind: 'tag-resource', resourceArn: REST_ARN, tags: { env: 'prod' } },
    ]);
    expect(result.manual).toEqual([
      {
        field: 'tags.aws:cloudformation:stack-name',
        reason: 'tags with the aws: prefix are set by AWS and cannot be written',
      },
    ]);
  });

  it('compares tag, variable and route keys as own members: `constructor` and `valueOf` are data', () => {
    const target = restProd();
    const current = restProd((wire) => {
      wire.tags = { ...(wire.tags as object), constructor: 'x' };
      wire.variables = { ...(wire.variables as object), valueOf: 'y' };
    });
    expect(plan(current, target).steps).toEqual([
      { kind: 'rest-update-stage', patchOperations: [{ op: 'remove', path: '/variables/valueOf' }] },
      { kind: 'untag-resource', resourceArn: REST_ARN, tagKeys: ['constructor'] },
    ]);
    expect(plan(target, current).steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [{ op: 'replace', path: '/variables/valueOf', value: 'y' }],
      },
      { kind: 'tag-resource', resourceArn: REST_ARN, tags: { constructor: 'x' } },
    ]);
  });

  it('re-creates a deleted stage: CreateStage, then UpdateStage for what CreateStage does not take', () => {
    const target = restProd();
    const result = plan(undefined, target);
    expect(result.steps).toEqual([
      {
        kind: 'rest-create-stage',
        input: {
          stageName: 'prod',
          deploymentId: 'vakw79',
          description: 'Production',
          cacheClusterEnabled: true,
          cacheClusterSize: '0.5',
          variables: { backendUrl: 'https://orders.internal.example.com', dbPassword: SECRET },
          tracingEnabled: true,
        },
      },
      {
        kind: 'rest-update-stage',
        patchOperations: [
          { op: 'replace', path: '/clientCertificateId', value: 'kx8m2p' },
          { op: 'replace', path: '/*/*/caching/dataEncrypted', value: 'true' },
          { op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '300' },
          { op: 'replace', path: '/*/*/caching/enabled', value: 'true' },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
          { op: 'replace', path: '/*/*/metrics/enabled', value: 'true' },
          { op: 'replace', path: '/*/*/caching/requireAuthorizationForCacheControl', value: 'true' },
          { op: 'replace', path: '/*/*/throttling/burstLimit', value: '500' },
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '1000' },
          {
            op: 'replace',
            path: '/*/*/caching/unauthorizedCacheControlHeaderStrategy',
            value: 'SUCCEED_WITH_RESPONSE_HEADER',
          },
          ...ORDERS_POST_SETTINGS,
          {
            op: 'replace',
            path: '/accessLogSettings/destinationArn',
            value: 'arn:aws:logs:eu-west-1:123456789012:log-group:orders-api-access',
          },
          {
            op: 'replace',
            path: '/accessLogSettings/format',
            value: '{"requestId":"$context.requestId","status":"$context.status"}',
          },
        ],
      },
      { kind: 'tag-resource', resourceArn: REST_ARN, tags: { env: 'prod', team: 'orders' } },
      { kind: 'associate-web-acl', resourceArn: REST_ARN, webAclArn: WEB_ACL },
    ]);
    expect(result.manual).toEqual([]);
    expect(result.current).toBeUndefined();
    expect(result.drift).toMatchObject({ change: 'CREATED', rule: 'stage-created' });
    expect(result.drift).not.toHaveProperty('beforeHash');
  });

  it('re-creates a minimal deleted stage (examples/rest beta) with CreateStage alone', () => {
    const target = rest(example('rest', 'before', 'beta'));
    expect(plan(undefined, target).steps).toEqual([
      {
        kind: 'rest-create-stage',
        input: {
          stageName: 'beta',
          deploymentId: 'vakw79',
          variables: { backendUrl: 'https://orders-beta.internal.example.com' },
        },
      },
    ]);
  });

  it('refuses to re-create a deleted stage whose target names no deployment', () => {
    const target = restProd((wire) => delete wire.deploymentId);
    expect(() => plan(undefined, target)).toThrow(RevertPlanError);
    expect(() => plan(undefined, target)).toThrow(/names no deployment; CreateStage needs one/);
  });

  it('refuses a revert across API types', () => {
    const http = v2('HTTP', example('http', 'before', 'prod'));
    expect(() => plan(http, restProd())).toThrow(/cannot change the API type/);
  });

  it('reverts examples/rest after → before: deployment, */* logging, a dropped method, a variable, the WAF', () => {
    const current = rest(example('rest', 'after', 'prod'));
    const result = plan(current, restProd());
    expect(result.steps).toEqual([
      {
        kind: 'rest-update-stage',
        patchOperations: [
          { op: 'replace', path: '/deploymentId', value: 'vakw79' },
          { op: 'replace', path: '/variables/dbPassword', value: SECRET },
          { op: 'replace', path: '/*/*/logging/dataTrace', value: 'false' },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
          ...ORDERS_POST_SETTINGS,
        ],
      },
      { kind: 'associate-web-acl', resourceArn: REST_ARN, webAclArn: WEB_ACL },
    ]);
    expect(result.manual).toEqual([]);
  });

  describe('the cache cluster', () => {
    const cache = (enabled: boolean, size?: string) => (wire: Wire) => {
      wire.cacheClusterEnabled = enabled;
      if (size === undefined) delete wire.cacheClusterSize;
      else wire.cacheClusterSize = size;
    };
    const ops = (result: RevertPlan) =>
      result.steps.flatMap((s) => (s.kind === 'rest-update-stage' ? s.patchOperations : []));

    it('resizes an enabled cache', () => {
      expect(ops(plan(restProd(cache(true, '6.1')), restProd(cache(true, '0.5'))))).toEqual([
        { op: 'replace', path: '/cacheClusterSize', value: '0.5' },
      ]);
    });

    it('turns the cache on with its size, also when the size did not change', () => {
      expect(ops(plan(restProd(cache(false, '6.1')), restProd(cache(true, '6.1'))))).toEqual([
        { op: 'replace', path: '/cacheClusterEnabled', value: 'true' },
        { op: 'replace', path: '/cacheClusterSize', value: '6.1' },
      ]);
    });

    it('turns the cache off without sending a size (a disabled cache keeps none)', () => {
      const result = plan(restProd(cache(true, '0.5')), restProd(cache(false)));
      expect(ops(result)).toEqual([{ op: 'replace', path: '/cacheClusterEnabled', value: 'false' }]);
      expect(result.manual).toEqual([]);
    });

    it('lists as manual a size it cannot clear, or cannot set on a disabled cache', () => {
      const cannotClear = plan(restProd(cache(false, '6.1')), restProd(cache(false)));
      expect(ops(cannotClear)).toEqual([]);
      expect(cannotClear.manual).toEqual([
        {
          field: 'cacheClusterSize',
          reason:
            'the target has no cache size and UpdateStage cannot clear one (6.1 stays; it costs nothing while the cache is disabled)',
        },
      ]);
      const cannotSet = plan(restProd(cache(true, '6.1')), restProd(cache(false, '6.1')));
      expect(ops(cannotSet)).toEqual([{ op: 'replace', path: '/cacheClusterEnabled', value: 'false' }]);
      expect(cannotSet.manual.map((m) => m.field)).toEqual(['cacheClusterSize']);
      expect(cannotSet.manual[0]?.reason).toMatch(/disabled with size 6\.1.*the stage will have no size;/);
    });
  });
});

describe('HTTP and WebSocket plans', () => {
  const httpKey: StageKey = {
    account: ACCOUNT,
    region: REGION,
    apiType: 'HTTP',
    apiId: IDS.HTTP,
    stageName: 'prod',
  };
  const HTTP_ARN = `arn:aws:apigateway:${REGION}::/apis/${IDS.HTTP}/stages/prod`;
  const httpProd = (version: 'before' | 'after', changes: (wire: Wire) => void = () => undefined) => {
    const wire = structuredClone(example('http', version, 'prod'));
    changes(wire);
    return v2('HTTP', wire);
  };
  const wsProduction = (version: 'before' | 'after', changes: (wire: Wire) => void = () => undefined) => {
    const wire = structuredClone(example('websocket', version, 'production'));
    changes(wire);
    return v2('WEBSOCKET', wire);
  };

  it('reverts examples/http after → before: access log, route setting, auto-deploy, a variable in one UpdateStage', () => {
    const result = plan(httpProd('after'), httpProd('before'));
    expect(result.steps).toEqual([
      {
        kind: 'v2-update-stage',
        input: {
          AccessLogSettings: {
            DestinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:pets-http-access',
            Format: '$context.requestId $context.httpMethod $context.routeKey $context.status',
          },
          AutoDeploy: false,
          RouteSettings: {
            'GET /pets': { DetailedMetricsEnabled: true, ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
          },
          StageVariables: { petsTable: 'pets-prod' },
        },
      },
    ]);
    expect(result.manual).toEqual([]);
    expect(stageResourceArn(httpKey)).toBe(HTTP_ARN);
  });

  it('reverts to a version without them (examples/http before → after): route settings and access log deleted', () => {
    const result = plan(httpProd('before'), httpProd('after'));
    expect(result.steps).toEqual([
      { kind: 'v2-delete-route-settings', routeKey: 'GET /pets' },
      { kind: 'v2-delete-access-log-settings' },
      { kind: 'v2-update-stage', input: { AutoDeploy: true, StageVariables: { petsTable: 'pets-prod-v2' } } },
    ]);
    expect(result.manual).toEqual([]);
  });

  it('changes a route setting member in place, and deletes then writes a route that loses a member', () => {
    const route = (settings: Wire) => (wire: Wire) => {
      wire.RouteSettings = { 'GET /pets': settings };
    };
    const target = httpProd('after', route({ ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 }));
    expect(
      plan(httpProd('after', route({ ThrottlingBurstLimit: 20, ThrottlingRateLimit: 50 })), target).steps,
    ).toEqual([
      {
        kind: 'v2-update-stage',
        input: { RouteSettings: { 'GET /pets': { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 } } },
      },
    ]);
    expect(
      plan(
        httpProd(
          'after',
          route({ DetailedMetricsEnabled: true, ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 }),
        ),
        target,
      ).steps,
    ).toEqual([
      { kind: 'v2-delete-route-settings', routeKey: 'GET /pets' },
      {
        kind: 'v2-update-stage',
        input: { RouteSettings: { 'GET /pets': { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 } } },
      },
    ]);
  });

  it('sends the default route settings whole, absent booleans as false', () => {
    const current = httpProd('before', (wire) => {
      wire.DefaultRouteSettings = {
        DetailedMetricsEnabled: false,
        ThrottlingBurstLimit: 200,
        ThrottlingRateLimit: 100,
      };
    });
    expect(plan(current, httpProd('before')).steps).toEqual([
      {
        kind: 'v2-update-stage',
        input: {
          DefaultRouteSettings: {
            DataTraceEnabled: false,
            DetailedMetricsEnabled: true,
            ThrottlingBurstLimit: 200,
            ThrottlingRateLimit: 100,
          },
        },
      },
    ]);
  });

  it('lists a default route setting the target lacks as manual, and makes no call for it alone', () => {
    const target = httpProd('before', (wire) => {
      wire.DefaultRouteSettings = { DetailedMetricsEnabled: true, ThrottlingRateLimit: 100 };
    });
    const result = plan(httpProd('before'), target);
    expect(result.steps).toEqual([]);
    expect(result.manual).toEqual([
      {
        field: 'defaultRouteSettings.throttlingBurstLimit',
        reason:
          'the target version has no throttlingBurstLimit in its default route settings, and UpdateStage merges them, so it cannot clear 200; set the value you want with aws apigatewayv2 update-stage --default-route-settings',
      },
    ]);
  });

  it('removes a stage variable by sending it as "" and clears a description with ""', () => {
    const current = httpProd('before', (wire) => {
      wire.StageVariables = { petsTable: 'pets-prod', debugToken: 'tok-123' };
    });
    const target = httpProd('before', (wire) => delete wire.Description);
    expect(plan(current, target).steps).toEqual([
      { kind: 'v2-update-stage', input: { Description: '', StageVariables: { debugToken: '' } } },
    ]);
  });

  it('untags and tags a v2 stage, an aws: tag manual', () => {
    const current = httpProd('before', (wire) => {
      wire.Tags = { team: 'platform', owner: 'bob', 'aws:cloudformation:stack-name': 'pets' };
    });
    const result = plan(current, httpProd('before'));
    expect(result.steps).toEqual([
      { kind: 'untag-resource', resourceArn: HTTP_ARN, tagKeys: ['owner'] },
      { kind: 'tag-resource', resourceArn: HTTP_ARN, tags: { team: 'pets' } },
    ]);
    expect(result.manual.map((m) => m.field)).toEqual(['tags.aws:cloudformation:stack-name']);
  });

  it('lists an apiGatewayManaged difference as manual: no call changes it', () => {
    const quick = v2('HTTP', example('http', 'before', '$default'));
    const target = v2('HTTP', { ...example('http', 'before', '$default'), ApiGatewayManaged: false });
    const result = plan(quick, target);
    expect(result.steps).toEqual([]);
    expect(result.manual).toEqual([
      {
        field: 'apiGatewayManaged',
        reason:
          'whether API Gateway manages the stage (quick create) is set by how it was created; no call changes it',
      },
    ]);
  });

  it('reverts examples/websocket after → before: access log, client certificate, default route settings, deployment', () => {
    expect(plan(wsProduction('after'), wsProduction('before')).steps).toEqual([
      {
        kind: 'v2-update-stage',
        input: {
          AccessLogSettings: {
            DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:chat-ws-access',
            Format: '$context.requestId $context.eventType $context.routeKey $context.status',
          },
          ClientCertificateId: 'w3bs0k',
          DefaultRouteSettings: {
            DataTraceEnabled: false,
            DetailedMetricsEnabled: true,
            LoggingLevel: 'INFO',
            ThrottlingBurstLimit: 500,
            ThrottlingRateLimit: 1000,
          },
          DeploymentId: 'ws0001',
        },
      },
    ]);
  });

  it('reverts examples/websocket before → after: the access log deleted, the client certificate cleared with ""', () => {
    const result = plan(wsProduction('before'), wsProduction('after'));
    expect(result.steps).toEqual([
      { kind: 'v2-delete-access-log-settings' },
      {
        kind: 'v2-update-stage',
        input: {
          ClientCertificateId: '',
          DefaultRouteSettings: {
            DataTraceEnabled: true,
            DetailedMetricsEnabled: true,
            LoggingLevel: 'INFO',
            ThrottlingBurstLimit: 500,
            ThrottlingRateLimit: 1000,
          },
          DeploymentId: 'ws0002',
        },
      },
    ]);
    expect(result.manual).toEqual([]);
  });

  it('puts back a WebSocket access log with both members after a delete when it lost one', () => {
    const target = wsProduction('before');
    const current = wsProduction('before', (wire) => {
      wire.AccessLogSettings = {
        DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:chat-ws-access',
      };
    });
    expect(plan(current, target).steps).toEqual([
      {
        kind: 'v2-update-stage',
        input: {
          AccessLogSettings: {
            DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:chat-ws-access',
            Format: '$context.requestId $context.eventType $context.routeKey $context.status',
          },
        },
      },
    ]);
    const reversed = plan(target, current);
    expect(reversed.steps).toEqual([
      { kind: 'v2-delete-access-log-settings' },
      {
        kind: 'v2-update-stage',
        input: {
          AccessLogSettings: {
            DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:chat-ws-access',
          },
        },
      },
    ]);
  });

  it('re-creates a deleted WebSocket stage with one CreateStage, then its tags', () => {
    const target = wsProduction('before');
    const result = plan(undefined, target);
    expect(result.steps).toEqual([
      {
        kind: 'v2-create-stage',
        input: {
          AccessLogSettings: {
            DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:chat-ws-access',
            Format: '$context.requestId $context.eventType $context.routeKey $context.status',
          },
          AutoDeploy: false,
          ClientCertificateId: 'w3bs0k',
          DefaultRouteSettings: {
            DataTraceEnabled: false,
            DetailedMetricsEnabled: true,
            LoggingLevel: 'INFO',
            ThrottlingBurstLimit: 500,
            ThrottlingRateLimit: 1000,
          },
          DeploymentId: 'ws0001',
          RouteSettings: {
            $connect: { DataTraceEnabled: false, DetailedMetricsEnabled: true, LoggingLevel: 'ERROR' },
            sendMessage: { ThrottlingBurstLimit: 100, ThrottlingRateLimit: 50 },
          },
          StageVariables: { connectionsTable: 'chat-connections' },
        },
      },
      {
        kind: 'tag-resource',
        resourceArn: `arn:aws:apigateway:${REGION}::/apis/${IDS.WEBSOCKET}/stages/production`,
        tags: { team: 'chat' },
      },
    ]);
    expect(result.manual).toEqual([]);
  });

  it('lists as manual the LoggingLevel OFF a new WebSocket stage gets when the target has none', () => {
    const target = wsProduction('before', (wire) => {
      wire.DefaultRouteSettings = { DetailedMetricsEnabled: true };
    });
    expect(plan(undefined, target).manual.map((m) => m.field)).toEqual(['defaultRouteSettings.loggingLevel']);
    const http = plan(undefined, httpProd('before'));
    expect(http.steps.map((s) => s.kind)).toEqual(['v2-create-stage', 'tag-resource']);
    expect(http.manual).toEqual([]);
  });

  it('keeps the manual step of a quick-created stage it re-creates', () => {
    const target = v2('HTTP', example('http', 'before', '$default'));
    const result = plan(undefined, target);
    expect(result.steps).toEqual([
      { kind: 'v2-create-stage', input: { AutoDeploy: true, DeploymentId: 'a9b8c7' } },
    ]);
    expect(result.manual.map((m) => m.field)).toEqual(['apiGatewayManaged']);
  });
});

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** The words a POSIX shell splits `command` into, `aws` being a function that prints them. */
const shellWords = (command: string): string[] => {
  const printed = execFileSync(
    '/bin/sh',
    ['-c', `aws() { for w; do printf '%s\\0' "$w"; done; }; ${command}`],
    {
      encoding: 'utf8',
    },
  );
  return ['aws', ...printed.split('\0').slice(0, -1)];
};

const optionValue = (words: readonly string[], option: string): string | undefined => {
  const at = words.indexOf(option);
  return at < 0 ? undefined : words[at + 1];
};

const fingerprint: ShowValue = (_name, value) => fingerprintValue(value, OPTIONS.fingerprintKey);

describe('commands', () => {
  const secretRest = restProd((wire) => {
    wire.canarySettings = { percentTraffic: 5, stageVariableOverrides: { dbPassword: SECRET } };
    wire.description = "Bob's orders API";
  });
  const restPlans = [
    plan(
      restProd((wire) => ((wire.variables as Record<string, string>).dbPassword = 'other')),
      secretRest,
    ),
    plan(undefined, secretRest),
    plan(restProd(), rest({ ...example('rest', 'after', 'prod'), tags: { env: 'qa' } })),
  ];
  const wsKey: StageKey = {
    account: ACCOUNT,
    region: REGION,
    apiType: 'WEBSOCKET',
    apiId: IDS.WEBSOCKET,
    stageName: 'production',
  };
  const secretWs = (version: 'before' | 'after') =>
    v2('WEBSOCKET', {
      ...example('websocket', version, 'production'),
      StageVariables: { connectionsTable: 'chat-connections', apiKey: SECRET },
      Description: "it's the chat",
    });
  const httpKey: StageKey = { ...wsKey, apiType: 'HTTP', apiId: IDS.HTTP, stageName: 'prod' };
  const v2Plans = [
    plan(v2('WEBSOCKET', example('websocket', 'before', 'production')), secretWs('after')),
    plan(undefined, secretWs('after')),
    plan(secretWs('before'), v2('WEBSOCKET', { ...example('websocket', 'before', 'production'), Tags: {} })),
  ];
  const cases: [StageKey, RevertStep][] = [
    ...restPlans.flatMap((p) => p.steps.map((s): [StageKey, RevertStep] => [restKey(), s])),
    ...v2Plans.flatMap((p) => p.steps.map((s): [StageKey, RevertStep] => [wsKey, s])),
    ...plan(
      v2('HTTP', example('http', 'before', 'prod')),
      v2('HTTP', example('http', 'after', 'prod')),
    ).steps.map((s): [StageKey, RevertStep] => [httpKey, s]),
  ];

  it('covers every kind of step', () => {
    expect(new Set(cases.map(([, s]) => s.kind))).toEqual(
      new Set([
        'rest-create-stage',
        'rest-update-stage',
        'v2-create-stage',
        'v2-update-stage',
        'v2-delete-route-settings',
        'v2-delete-access-log-settings',
        'tag-resource',
        'untag-resource',
        'associate-web-acl',
        'disassociate-web-acl',
      ]),
    );
  });

  it('never prints a stage variable value when show fingerprints it', () => {
    const shown = fingerprint('dbPassword', SECRET);
    let sawFingerprint = 0;
    for (const [key, step] of cases) {
      const command = awsCommandOf(key, shownStep(step, fingerprint));
      expect(command).not.toContain(SECRET);
      expect(command).not.toContain('typed-in');
      if (command.includes(shown)) sawFingerprint += 1;
    }
    expect(sawFingerprint).toBeGreaterThanOrEqual(4);
    // The step itself is what is sent: in clear.
    expect(JSON.stringify(restPlans[0]?.steps)).toContain(SECRET);
  });

  it('renders only stage variable values through show, nothing else', () => {
    const marked: ShowValue = (name, value) => `<${name}=${value.length}>`;
    const [update] = restPlans[0]!.steps;
    expect(shownStep(update!, marked)).toEqual({
      kind: 'rest-update-stage',
      patchOperations: [
        { op: 'replace', path: '/description', value: "Bob's orders API" },
        { op: 'replace', path: '/variables/dbPassword', value: `<dbPassword=${SECRET.length}>` },
        { op: 'replace', path: '/canarySettings/percentTraffic', value: '5' },
        {
          op: 'replace',
          path: '/canarySettings/stageVariableOverrides/dbPassword',
          value: `<dbPassword=${SECRET.length}>`,
        },
      ],
    });
    const create = restPlans[1]!.steps[0]!;
    expect(shownStep(create, marked)).toMatchObject({
      input: {
        variables: { backendUrl: '<backendUrl=35>', dbPassword: `<dbPassword=${SECRET.length}>` },
        canarySettings: {
          percentTraffic: 5,
          stageVariableOverrides: { dbPassword: `<dbPassword=${SECRET.length}>` },
        },
      },
    });
    const v2Update = v2Plans[0]!.steps.find((s) => s.kind === 'v2-update-stage')!;
    expect(shownStep(v2Update, marked)).toMatchObject({
      input: { StageVariables: { apiKey: `<apiKey=${SECRET.length}>` } },
    });
  });

  it('is valid shell: each JSON argument is one single-quoted word that parses back to what is sent', () => {
    for (const [key, step] of cases) {
      const command = awsCommandOf(key, step);
      const words = shellWords(command);
      expect(words.slice(0, 3).join(' ')).toBe(command.split(' ').slice(0, 3).join(' '));
      expect(optionValue(words, '--region')).toBe(REGION);
      const json = (option: string) => {
        const text = optionValue(words, option);
        if (text !== undefined) expect(command).toContain(` '${text.replace(/'/g, `'\\''`)}'`);
        return text === undefined ? undefined : (JSON.parse(text) as unknown);
      };
      switch (step.kind) {
        case 'rest-update-stage':
          expect(words.slice(0, 3)).toEqual(['aws', 'apigateway', 'update-stage']);
          expect(optionValue(words, '--rest-api-id')).toBe(IDS.REST);
          expect(json('--patch-operations')).toEqual(step.patchOperations);
          break;
        case 'rest-create-stage':
          expect(optionValue(words, '--deployment-id')).toBe(step.input.deploymentId);
          expect(optionValue(words, '--description')).toBe(step.input.description);
          expect(json('--variables')).toEqual(step.input.variables);
          expect(json('--canary-settings')).toEqual(step.input.canarySettings);
          expect(words.includes('--cache-cluster-enabled')).toBe(step.input.cacheClusterEnabled === true);
          expect(words.includes('--tracing-enabled')).toBe(step.input.tracingEnabled === true);
          break;
        case 'v2-update-stage':
        case 'v2-create-stage':
          expect(words[1]).toBe('apigatewayv2');
          expect(optionValue(words, '--api-id')).toBe(key.apiId);
          expect(optionValue(words, '--stage-name')).toBe(key.stageName);
          expect(json('--stage-variables')).toEqual(step.input.StageVariables);
          expect(json('--default-route-settings')).toEqual(step.input.DefaultRouteSettings);
          expect(json('--route-settings')).toEqual(step.input.RouteSettings);
          expect(json('--access-log-settings')).toEqual(step.input.AccessLogSettings);
          expect(optionValue(words, '--description')).toBe(step.input.Description);
          break;
        case 'v2-delete-route-settings':
          expect(optionValue(words, '--route-key')).toBe(step.routeKey);
          break;
        case 'tag-resource':
          expect(optionValue(words, '--resource-arn')).toBe(step.resourceArn);
          expect(json('--tags')).toEqual(step.tags);
          break;
        case 'untag-resource':
          expect(optionValue(words, '--resource-arn')).toBe(step.resourceArn);
          if (key.apiType === 'REST') expect(json('--tag-keys')).toEqual(step.tagKeys);
          else expect(words.slice(words.indexOf('--tag-keys') + 1)).toEqual(step.tagKeys);
          break;
        case 'associate-web-acl':
          expect(words.slice(0, 3)).toEqual(['aws', 'wafv2', 'associate-web-acl']);
          expect(optionValue(words, '--web-acl-arn')).toBe(step.webAclArn);
          expect(optionValue(words, '--resource-arn')).toBe(step.resourceArn);
          break;
        default:
          break;
      }
    }
  });

  it('prints the exact REST update-stage command of the logging-level revert', () => {
    const [step] = plan(
      restProd((wire) => {
        methodSettings(wire)['~1pets~1{id}/GET'] = { loggingLevel: 'INFO' };
      }),
      restProd((wire) => {
        methodSettings(wire)['~1pets~1{id}/GET'] = { loggingLevel: 'ERROR' };
      }),
    ).steps;
    expect(awsCommandOf(restKey(), step!)).toBe(
      `aws apigateway update-stage --region eu-west-1 --rest-api-id ${IDS.REST} --stage-name prod --patch-operations ` +
        `'[{"op":"replace","path":"/~1pets~1{id}/GET/logging/loglevel","value":"ERROR"}]'`,
    );
    expect(operationOf(step!)).toBe('UpdateStage');
  });

  it('quotes a route key with "$" or a space, and prints the v2 deletes and flags', () => {
    const key = { ...wsKey, apiType: 'WEBSOCKET' as const };
    const deleteRoute = awsCommandOf(key, { kind: 'v2-delete-route-settings', routeKey: '$connect' });
    expect(deleteRoute).toBe(
      `aws apigatewayv2 delete-route-settings --region eu-west-1 --api-id ${IDS.WEBSOCKET} --stage-name production --route-key '$connect'`,
    );
    expect(shellWords(deleteRoute).at(-1)).toBe('$connect');
    const httpRoute = awsCommandOf(
      { ...key, apiType: 'HTTP' },
      { kind: 'v2-delete-route-settings', routeKey: 'GET /pets/{id}' },
    );
    expect(shellWords(httpRoute).at(-1)).toBe('GET /pets/{id}');
    expect(awsCommandOf(key, { kind: 'v2-update-stage', input: { AutoDeploy: false } })).toMatch(
      / --no-auto-deploy$/,
    );
    expect(awsCommandOf(key, { kind: 'v2-delete-access-log-settings' })).toBe(
      `aws apigatewayv2 delete-access-log-settings --region eu-west-1 --api-id ${IDS.WEBSOCKET} --stage-name production`,
    );
    expect(operationOf({ kind: 'v2-delete-route-settings', routeKey: '$connect' })).toBe(
      'DeleteRouteSettings',
    );
  });

  it('shellWord leaves safe words bare and single-quotes the rest, quotes included', () => {
    expect(shellWord('arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod')).toBe(
      'arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod',
    );
    expect(shellWord("Bob's API")).toBe(`'Bob'\\''s API'`);
    for (const text of ["Bob's API", '$(rm -rf /)', '`id`', 'a"b', '~1pets', '', ' lead']) {
      const words = shellWords(`aws ${shellWord(text)}`);
      expect(words).toEqual(['aws', text]);
    }
  });
});
