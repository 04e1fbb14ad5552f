import type { StageDrift } from '../../shared/model';
import { contentHash } from '../../shared/model';
import { DiffInputError, diffConfigs, diffStages, diffStageSets } from '../../shared/diff';
import {
  edit,
  HTTP_PROD,
  json,
  OPTIONS,
  REST_BETA,
  REST_PROD,
  restSnapshot,
  v2Snapshot,
  WEBSOCKET_PROD,
} from './fixtures';

describe('diffStages', () => {
  it('reports no drift between a snapshot and itself', () => {
    const snapshot = restSnapshot(REST_PROD);

    expect(diffStages(snapshot, snapshot, OPTIONS)).toBeUndefined();
  });

  it('reports no drift when there is no snapshot on either side', () => {
    expect(diffStages(undefined, undefined, OPTIONS)).toBeUndefined();
  });

  it('trusts equal hashes and does not walk the configs', () => {
    const before = restSnapshot(REST_PROD);
    const after = {
      ...restSnapshot(edit(REST_PROD, (c) => void (c.description = 'edited'))),
      hash: before.hash,
    };

    expect(diffStages(before, after, OPTIONS)).toBeUndefined();
  });

  it('reports a deleted stage as HIGH with no field changes', () => {
    const before = restSnapshot(REST_PROD);

    const drift = diffStages(before, undefined, OPTIONS);

    expect(drift).toEqual({
      key: before.key,
      apiName: 'orders-api',
      change: 'DELETED',
      severity: 'HIGH',
      rule: 'stage-deleted',
      changes: [],
      beforeHash: before.hash,
    });
  });

  it('reports a created stage as INFO with no field changes', () => {
    const after = v2Snapshot('HTTP', HTTP_PROD);

    const drift = diffStages(undefined, after, OPTIONS);

    expect(drift).toEqual({
      key: after.key,
      apiName: 'pets-api',
      change: 'CREATED',
      severity: 'INFO',
      rule: 'stage-created',
      changes: [],
      afterHash: after.hash,
    });
  });

  it('reports a stage recreated with the same config as MEDIUM', () => {
    const before = restSnapshot(REST_PROD, { volatile: { createdDate: '2025-03-02T09:14:00Z' } });
    const after = restSnapshot(REST_PROD, { volatile: { createdDate: '2026-11-21T07:40:00Z' } });

    const drift = diffStages(before, after, OPTIONS);

    expect(drift).toMatchObject({
      change: 'RECREATED',
      severity: 'MEDIUM',
      rule: 'stage-recreated',
      changes: [],
    });
  });

  it('reports a recreated stage with its field changes and the worst severity of both', () => {
    // The WebSocket example: `production` deleted and created again without its client certificate,
    // access logs and data trace protections.
    const before = v2Snapshot('WEBSOCKET', WEBSOCKET_PROD, {
      stageName: 'production',
      volatile: { createdDate: '2025-09-01T08:00:00Z' },
    });
    const after = v2Snapshot(
      'WEBSOCKET',
      edit(WEBSOCKET_PROD, (c) => {
        delete c.accessLogSettings;
        delete c.clientCertificateId;
        c.defaultRouteSettings!.dataTraceEnabled = true;
        c.deploymentId = 'ws0002';
      }),
      { stageName: 'production', volatile: { createdDate: '2026-11-21T07:55:00Z' } },
    );

    const drift = diffStages(before, after, OPTIONS);

    expect(drift?.change).toBe('RECREATED');
    expect(drift?.rule).toBe('stage-recreated');
    expect(drift?.severity).toBe('HIGH');
    expect(drift?.changes.map((c) => [c.severity, c.path.join('.'), c.rule, c.control])).toEqual([
      ['HIGH', 'accessLogSettings', 'access-logging-removed', 'APIGateway.9'],
      ['HIGH', 'clientCertificateId', 'client-certificate-removed', undefined],
      ['HIGH', 'defaultRouteSettings.dataTraceEnabled', 'data-trace-on', undefined],
      ['INFO', 'deploymentId', 'deployment-changed', undefined],
    ]);
  });

  it('does not call a stage recreated when one side has no createdDate', () => {
    const before = restSnapshot(REST_PROD, { volatile: {} });
    const after = restSnapshot(
      edit(REST_PROD, (c) => void (c.deploymentId = 'p3q9zz')),
      { volatile: { createdDate: '2026-11-21T07:40:00Z' } },
    );

    expect(diffStages(before, after, OPTIONS)).toMatchObject({ change: 'MODIFIED', severity: 'INFO' });
  });

  it('does not call a stage recreated when both createdDates name the same instant', () => {
    const before = restSnapshot(REST_PROD, { volatile: { createdDate: '2025-03-02T09:14:00Z' } });
    const after = restSnapshot(REST_PROD, { volatile: { createdDate: '2025-03-02T09:14:00.000Z' } });

    expect(diffStages(before, after, OPTIONS)).toBeUndefined();
  });

  it('reports a deployment alone as a MODIFIED stage of severity INFO', () => {
    const before = restSnapshot(REST_PROD);
    const after = restSnapshot(edit(REST_PROD, (c) => void (c.deploymentId = 'p3q9zz')));

    const drift = diffStages(before, after, OPTIONS);

    expect(drift).toEqual({
      key: before.key,
      apiName: 'orders-api',
      change: 'MODIFIED',
      severity: 'INFO',
      rule: 'stage-modified',
      changes: [
        {
          path: ['deploymentId'],
          label: 'Deployment',
          kind: 'changed',
          before: 'vakw79',
          after: 'p3q9zz',
          severity: 'INFO',
          rule: 'deployment-changed',
        },
      ],
      beforeHash: before.hash,
      afterHash: after.hash,
    });
  });

  it('sorts changes most severe first, then by path segment by segment', () => {
    const before = restSnapshot(REST_PROD);
    const after = restSnapshot(
      edit(REST_PROD, (c) => {
        c.deploymentId = 'p3q9zz';
        c.description = 'Production (new)';
        c.tags!.env = 'production';
        c.methodSettings!['*/*']!.loggingLevel = 'OFF';
        c.methodSettings!['*/*']!.throttlingRateLimit = 2000;
        c.methodSettings!['orders/POST']!.throttlingBurstLimit = 5;
        delete c.webAclArn;
      }),
    );

    const drift = diffStages(before, after, OPTIONS);

    expect(drift?.changes.map((c) => `${c.severity} ${c.path.join('.')}`)).toEqual([
      'HIGH methodSettings.*/*.loggingLevel',
      'HIGH webAclArn',
      'MEDIUM methodSettings.*/*.throttlingRateLimit',
      'MEDIUM methodSettings.orders/POST.throttlingBurstLimit',
      'LOW description',
      'LOW tags.env',
      'INFO deploymentId',
    ]);
    expect(drift?.severity).toBe('HIGH');
  });

  it('reports a wholly removed method settings entry field by field, each with its own rule', () => {
    const before = restSnapshot(REST_PROD);
    const after = restSnapshot(edit(REST_PROD, (c) => void delete c.methodSettings!['orders/POST']));

    const drift = diffStages(before, after, OPTIONS);

    const entry = REST_PROD.methodSettings!['orders/POST']!;
    expect(drift?.changes).toHaveLength(Object.keys(entry).length);
    for (const [field, value] of Object.entries(entry)) {
      const change = drift?.changes.find((c) => c.path[2] === field);
      expect(change).toMatchObject({
        path: ['methodSettings', 'orders/POST', field],
        kind: 'removed',
        before: value,
      });
      expect(change).not.toHaveProperty('after');
    }
    expect(drift?.changes.find((c) => c.path[2] === 'loggingLevel')?.label).toBe(
      'Execution logging level (orders/POST)',
    );
  });

  it('treats an absent collection map as an empty one', () => {
    const before = restSnapshot(REST_BETA);
    const after = restSnapshot(edit(REST_BETA, (c) => void (c.tags = { team: 'orders' })));

    expect(diffStages(before, after, OPTIONS)?.changes).toEqual([
      expect.objectContaining({ path: ['tags', 'team'], kind: 'added', after: 'orders', label: 'Tag team' }),
    ]);
  });

  it('diffs map keys named like Object members, such as a variable called __proto__', () => {
    const withVariables = (variables: string) =>
      restSnapshot(
        edit(REST_BETA, (c) => void (c.variables = JSON.parse(variables) as Record<string, string>)),
      );
    const before = withVariables('{"__proto__":"sv-one","constructor":"sv-two"}');
    const after = withVariables('{"__proto__":"sv-uno","toString":"sv-three"}');

    const drift = diffStages(before, after, OPTIONS);

    expect(drift?.changes.map((c) => [c.path.join('.'), c.kind])).toEqual([
      ['variables.__proto__', 'changed'],
      ['variables.constructor', 'removed'],
      ['variables.toString', 'added'],
    ]);
    expect(JSON.stringify(drift)).not.toContain('sv-');
  });

  it('refuses to diff two different stages', () => {
    const prod = restSnapshot(REST_PROD);
    const beta = restSnapshot(REST_BETA, { stageName: 'beta' });

    expect(() => diffStages(prod, beta, OPTIONS)).toThrow(DiffInputError);
    expect(() => diffStages(prod, beta, OPTIONS)).toThrow(/123456789012\/eu-west-1\/REST\/a1b2c3d4e5\/prod/);
  });

  it('copies the stage key into the drift rather than sharing it', () => {
    const after = restSnapshot(REST_PROD);

    const drift = diffStages(undefined, after, OPTIONS);

    expect(drift?.key).toEqual(after.key);
    expect(drift?.key).not.toBe(after.key);
  });
});

describe('diffConfigs', () => {
  it('diffs an absent config as an empty one', () => {
    const changes = diffConfigs(undefined, json(REST_BETA), 'REST', OPTIONS);

    expect(changes.map((c) => [c.path.join('.'), c.kind])).toEqual([
      ['variables.function', 'added'],
      ['variables.version', 'added'],
      ['cacheClusterEnabled', 'added'],
      ['tracingEnabled', 'added'],
      ['deploymentId', 'added'],
    ]);
  });

  it('returns nothing for equal configs', () => {
    expect(diffConfigs(json(HTTP_PROD), json(structuredClone(HTTP_PROD)), 'HTTP', OPTIONS)).toEqual([]);
  });
});

describe('diffStageSets', () => {
  const prod = restSnapshot(REST_PROD);
  const beta = restSnapshot(REST_BETA, { stageName: 'beta' });
  const dev = restSnapshot(REST_BETA, { stageName: 'dev' });

  it('pairs stages by key and sorts drifts most severe first, then by key', () => {
    const prodAfter = restSnapshot(edit(REST_PROD, (c) => void (c.deploymentId = 'p3q9zz')));
    const betaAfter = restSnapshot(
      edit(REST_BETA, (c) => void (c.variables!.version = 'v-beta-2')),
      { stageName: 'beta' },
    );
    const qa = restSnapshot(REST_BETA, { stageName: 'qa' });

    const drifts = diffStageSets([prod, beta, dev], [qa, betaAfter, prodAfter], OPTIONS);

    expect(drifts.map((d) => `${d.severity} ${d.change} ${d.key.stageName}`)).toEqual([
      'HIGH DELETED dev',
      'MEDIUM MODIFIED beta',
      'INFO MODIFIED prod',
      'INFO CREATED qa',
    ]);
  });

  it('returns no drift for two equal sets in any order', () => {
    expect(diffStageSets([prod, beta, dev], [dev, prod, beta], OPTIONS)).toEqual([]);
  });

  it('refuses a set holding the same stage twice', () => {
    expect(() => diffStageSets([prod, prod], [prod], OPTIONS)).toThrow(
      /stage 123456789012\/eu-west-1\/REST\/a1b2c3d4e5\/prod appears twice in the before snapshots/,
    );
  });

  it('keeps stages of different accounts, regions and API types apart', () => {
    const otherRegion = restSnapshot(REST_PROD, { region: 'us-east-1' });
    const http = v2Snapshot('HTTP', HTTP_PROD, { apiId: 'a1b2c3d4e5' });

    const drifts: StageDrift[] = diffStageSets([prod], [prod, otherRegion, http], OPTIONS);

    expect(drifts.map((d) => [d.change, d.key.region, d.key.apiType])).toEqual([
      ['CREATED', 'eu-west-1', 'HTTP'],
      ['CREATED', 'us-east-1', 'REST'],
    ]);
  });

  it('hashes snapshots the way the model does', () => {
    expect(prod.hash).toBe(contentHash(REST_PROD));
  });
});
