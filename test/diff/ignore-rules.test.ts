import type { DiffOptions } from '../../shared/diff';
import { DiffConfigError, diffStages, diffStageSets } from '../../shared/diff';
import { edit, HTTP_PROD, OPTIONS, REST_BETA, REST_PROD, restSnapshot, v2Snapshot } from './fixtures';

const withIgnore = (ignore: DiffOptions['ignore']): DiffOptions => ({ ...OPTIONS, ignore });

describe('ignore rules by path', () => {
  const before = restSnapshot(REST_PROD);
  const after = restSnapshot(
    edit(REST_PROD, (c) => {
      c.tags!.team = 'payments';
      c.tags!['aws:cloudformation:stack-name'] = 'orders-prod';
      c.methodSettings!['*/*']!.metricsEnabled = false;
      c.deploymentId = 'p3q9zz';
    }),
  );

  it('drops the changes a pattern matches and keeps the rest', () => {
    const drift = diffStages(
      before,
      after,
      withIgnore({ paths: ['tags.**', 'methodSettings.*.metricsEnabled'] }),
    );

    expect(drift?.changes.map((c) => c.path.join('.'))).toEqual(['deploymentId']);
    expect(drift?.severity).toBe('INFO');
  });

  it('recomputes the stage severity from the changes that are left', () => {
    const drift = diffStages(before, after, withIgnore({ paths: ['methodSettings.**', 'tags.aws:*'] }));

    expect(drift?.changes.map((c) => c.path.join('.'))).toEqual(['tags.team', 'deploymentId']);
    expect(drift?.severity).toBe('LOW');
  });

  it('reports no drift when every change is ignored', () => {
    const drift = diffStages(
      before,
      after,
      withIgnore({ paths: ['tags.*', 'methodSettings.**', 'deploymentId'] }),
    );

    expect(drift).toBeUndefined();
  });

  it('matches a wholly added entry by its own path and each of its fields', () => {
    const added = restSnapshot(
      edit(REST_PROD, (c) => void (c.methodSettings!['pets/GET'] = { throttlingRateLimit: 10 })),
    );

    expect(diffStages(before, added, withIgnore({ paths: ['methodSettings.*'] }))).toBeUndefined();
    expect(
      diffStages(before, added, withIgnore({ paths: ['methodSettings.*.throttlingRateLimit'] })),
    ).toBeUndefined();
    expect(
      diffStages(before, added, withIgnore({ paths: ['methodSettings.*.throttlingBurstLimit'] })),
    ).toBeDefined();
  });

  it('still reports a recreated stage whose field changes are all ignored', () => {
    const recreated = restSnapshot(
      edit(REST_PROD, (c) => void (c.deploymentId = 'p3q9zz')),
      {
        volatile: { createdDate: '2026-11-21T07:40:00Z' },
      },
    );

    const drift = diffStages(before, recreated, withIgnore({ paths: ['deploymentId'] }));

    expect(drift).toMatchObject({ change: 'RECREATED', severity: 'MEDIUM', changes: [] });
  });
});

describe('ignore rules by stage', () => {
  const prod = restSnapshot(REST_PROD, { apiId: 'a1b2c3d4e5', stageName: 'prod' });
  const devFeature = restSnapshot(REST_BETA, { apiId: 'a1b2c3d4e5', stageName: 'dev-feature-42' });
  const otherApiDev = restSnapshot(REST_BETA, { apiId: 'z9y8x7w6v5', stageName: 'dev-1' });
  const usProd = restSnapshot(REST_PROD, { region: 'us-east-1', account: '210987654321' });

  it.each<[string, NonNullable<DiffOptions['ignore']>['stages'], readonly string[]]>([
    ['a stage name glob', [{ stageName: 'dev-*' }], ['prod', 'prod']],
    [
      'an API id and a stage name together',
      [{ apiId: 'a1b2c3d4e5', stageName: 'dev-*' }],
      ['dev-1', 'prod', 'prod'],
    ],
    ['a one-character glob', [{ stageName: 'dev-?' }], ['dev-feature-42', 'prod', 'prod']],
    ['a region', [{ region: 'us-*' }], ['dev-1', 'dev-feature-42', 'prod']],
    ['an account', [{ account: '210987654321' }], ['dev-1', 'dev-feature-42', 'prod']],
    ['any of several rules', [{ stageName: 'prod' }, { apiId: 'z9y8x7w6v5' }], ['dev-feature-42']],
  ])('ignores stages matched by %s', (_what, stages, expected) => {
    const drifts = diffStageSets([], [prod, devFeature, otherApiDev, usProd], withIgnore({ stages }));

    expect(drifts.map((d) => d.key.stageName).sort()).toEqual(expected);
  });

  it('ignores a deleted stage too', () => {
    expect(
      diffStages(devFeature, undefined, withIgnore({ stages: [{ stageName: 'dev-*' }] })),
    ).toBeUndefined();
  });
});

describe('ignore rules by tag', () => {
  const tagged = (tags: Record<string, string>) =>
    edit(HTTP_PROD, (c) => void (c.tags = { ...c.tags, ...tags }));
  const plain = v2Snapshot('HTTP', HTTP_PROD);
  const changed = v2Snapshot(
    'HTTP',
    edit(HTTP_PROD, (c) => void (c.deploymentId = 'e8f9a0')),
  );

  it('ignores a stage tagged stage-drift:ignore=true by default', () => {
    const before = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'true' }));
    const after = v2Snapshot(
      'HTTP',
      edit(tagged({ 'stage-drift:ignore': 'true' }), (c) => void (c.autoDeploy = true)),
    );

    expect(diffStages(before, after, OPTIONS)).toBeUndefined();
  });

  it('does not honour a tag added in the same window: every change is reported, the opt-out too', () => {
    // One UpdateStage + TagResource window: the WAF detached, data trace on, and the tag.
    const before = restSnapshot(REST_PROD);
    const after = restSnapshot(
      edit(REST_PROD, (c) => {
        delete c.webAclArn;
        c.methodSettings!['*/*']!.dataTraceEnabled = true;
        c.tags!['stage-drift:ignore'] = 'true';
      }),
    );

    const drift = diffStages(before, after, OPTIONS);

    expect(drift?.severity).toBe('HIGH');
    expect(drift?.changes.map((c) => [c.path.join('.'), c.severity, c.rule])).toEqual([
      ['methodSettings.*/*.dataTraceEnabled', 'HIGH', 'data-trace-on'],
      ['webAclArn', 'HIGH', 'waf-detached-or-changed'],
      ['tags.stage-drift:ignore', 'MEDIUM', 'monitoring-opt-out'],
    ]);
  });

  it('reports the tag added alone as a MEDIUM monitoring opt-out', () => {
    const taggedNow = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'true' }));

    const drift = diffStages(plain, taggedNow, OPTIONS);

    expect(drift?.severity).toBe('MEDIUM');
    expect(drift?.changes.map((c) => [c.path.join('.'), c.kind, c.rule])).toEqual([
      ['tags.stage-drift:ignore', 'added', 'monitoring-opt-out'],
    ]);
  });

  it('reports a tag value turned to the ignore value as the opt-out', () => {
    const before = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'false' }));
    const after = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'true' }));

    expect(diffStages(before, after, OPTIONS)?.changes).toMatchObject([
      {
        path: ['tags', 'stage-drift:ignore'],
        kind: 'changed',
        severity: 'MEDIUM',
        rule: 'monitoring-opt-out',
      },
    ]);
  });

  it('keeps the opt-out at least MEDIUM under a user override and an ignore path', () => {
    const taggedNow = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'true' }));
    const options: DiffOptions = {
      ...OPTIONS,
      severityOverrides: [{ path: 'tags.**', severity: 'INFO' }],
      ignore: { paths: ['tags.**'] },
    };

    expect(diffStages(plain, taggedNow, options)?.changes).toMatchObject([
      { path: ['tags', 'stage-drift:ignore'], severity: 'MEDIUM' },
    ]);
  });

  it('reports the tag removed, and only that, for a stage that was ignored', () => {
    const before = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'true' }));
    const after = v2Snapshot(
      'HTTP',
      edit(HTTP_PROD, (c) => void (c.autoDeploy = true)),
    );

    const drift = diffStages(before, after, OPTIONS);

    expect(drift?.changes.map((c) => [c.path.join('.'), c.kind, c.severity, c.rule])).toEqual([
      ['tags.stage-drift:ignore', 'removed', 'LOW', 'monitoring-resumed'],
    ]);
  });

  it('ignores the deletion of a stage that was ignored, not of one tagged only now', () => {
    const taggedNow = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'true' }));

    expect(diffStages(taggedNow, undefined, OPTIONS)).toBeUndefined();
    expect(diffStages(plain, undefined, OPTIONS)?.change).toBe('DELETED');
  });

  it('reports a new stage that is born with the tag (nothing before it to have ignored it)', () => {
    const born = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'true' }));

    expect(diffStages(undefined, born, OPTIONS)?.change).toBe('CREATED');
  });

  it('ignores a stage whose API carried the tag in the previous snapshot', () => {
    const apiTags = { 'stage-drift:ignore': 'true' };

    const drift = diffStages(
      v2Snapshot('HTTP', HTTP_PROD, { apiTags }),
      v2Snapshot('HTTP', changed.config, { apiTags }),
      OPTIONS,
    );

    expect(drift).toBeUndefined();
  });

  it('reports the API tag added in the same window as the changes, as an API tag change', () => {
    const apiTags = { owner: 'pets', 'stage-drift:ignore': 'true' };

    const drift = diffStages(plain, v2Snapshot('HTTP', changed.config, { apiTags }), OPTIONS);

    expect(drift?.changes.map((c) => [c.path.join('.'), c.label, c.severity, c.rule])).toEqual([
      ['apiTags.stage-drift:ignore', 'API tag stage-drift:ignore', 'MEDIUM', 'monitoring-opt-out'],
      ['deploymentId', 'Deployment', 'INFO', 'deployment-changed'],
    ]);
  });

  it('reports the API tag added even when the stage itself did not change', () => {
    const apiTags = { 'stage-drift:ignore': 'true' };

    const drift = diffStages(plain, v2Snapshot('HTTP', HTTP_PROD, { apiTags }), OPTIONS);

    expect(drift?.change).toBe('MODIFIED');
    expect(drift?.changes).toMatchObject([{ path: ['apiTags', 'stage-drift:ignore'], kind: 'added' }]);
  });

  it('reports the API tag removed for a stage that was ignored through its API', () => {
    const apiTags = { 'stage-drift:ignore': 'true' };

    const drift = diffStages(v2Snapshot('HTTP', HTTP_PROD, { apiTags }), changed, OPTIONS);

    expect(drift?.changes).toMatchObject([
      { path: ['apiTags', 'stage-drift:ignore'], kind: 'removed', rule: 'monitoring-resumed' },
    ]);
  });

  it('does not ignore a stage whose tag has another value', () => {
    const before = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'false' }));
    const after = v2Snapshot(
      'HTTP',
      edit(before.config, (c) => void (c.deploymentId = 'e8f9a0')),
    );

    expect(diffStages(before, after, OPTIONS)).toBeDefined();
  });

  it('uses a custom tag, matching any value when none is given', () => {
    const options = withIgnore({ tag: { key: 'drift-monitor' } });
    const before = v2Snapshot('HTTP', tagged({ 'drift-monitor': 'off' }));
    const after = v2Snapshot(
      'HTTP',
      edit(before.config, (c) => void (c.deploymentId = 'e8f9a0')),
    );

    expect(diffStages(before, after, options)).toBeUndefined();
    expect(diffStages(plain, changed, options)).toBeDefined();
  });

  it('replaces the default tag with the custom one', () => {
    const before = v2Snapshot('HTTP', tagged({ 'stage-drift:ignore': 'true' }));
    const after = v2Snapshot(
      'HTTP',
      edit(before.config, (c) => void (c.deploymentId = 'e8f9a0')),
    );

    expect(
      diffStages(before, after, withIgnore({ tag: { key: 'drift-monitor', value: 'off' } })),
    ).toBeDefined();
  });
});

describe('invalid ignore rules', () => {
  const prod = restSnapshot(REST_PROD);

  it.each<[string, unknown, RegExp]>([
    ['a bad path pattern', { paths: ['tags', 'a..b'] }, /^ignore\.paths\[1\]: bad path pattern "a\.\.b"/],
    ['paths that are not a list', { paths: 'tags.**' }, /^ignore\.paths: must be an array of dot patterns/],
    [
      'an empty stage rule',
      { stages: [{}] },
      /^ignore\.stages\[0\]: set at least one of account, region, apiId, stageName/,
    ],
    [
      'a stage rule with an unknown field',
      { stages: [{ stage: 'dev' }] },
      /^ignore\.stages\[0\]: unknown field stage/,
    ],
    [
      'an empty stage glob',
      { stages: [{ stageName: '' }] },
      /^ignore\.stages\[0\]\.stageName: must be a non-empty glob/,
    ],
    [
      'a tag without a key',
      { tag: { value: 'true' } },
      /^ignore\.tag: must be an object with a non-empty key/,
    ],
    [
      'a tag value that is not a string',
      { tag: { key: 'k', value: true } },
      /^ignore\.tag\.value: must be a string/,
    ],
  ])('rejects %s with a DiffConfigError naming the field', (_what, ignore, message) => {
    const options = { ...OPTIONS, ignore } as DiffOptions;

    expect(() => diffStages(prod, prod, options)).toThrow(DiffConfigError);
    expect(() => diffStages(prod, prod, options)).toThrow(message);
  });
});
