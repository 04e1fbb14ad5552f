import fc from 'fast-check';
import type { StageKey } from '../../shared/model';
import type { ControlStatus, PostureControl, StagePosture } from '../../shared/posture';
import {
  compilePostureRules,
  controlTransitions,
  DEFAULT_CONTROLS,
  evaluatePosture,
  isFix,
  isRegression,
  summarizePosture,
} from '../../shared/posture';
import {
  snapshotArb,
  snapshotPairArb,
  snapshotSetArb,
  VARIABLE_VALUE_MARKER,
} from '../diff/canonical-config-arbitraries';
import { halStages, HTTP_ACCESS_LOGS, httpStage, restStage, websocketStage } from './real-stages';

describe('controlTransitions', () => {
  it('reports the controls a change moved, in table order: turning logging off on /pets/GET fails APIGateway.1', () => {
    const before = evaluatePosture(restStage());
    const after = evaluatePosture(
      restStage((s) => {
        s.methodSettings['~1pets/GET'].loggingLevel = 'OFF';
        delete s.webAclArn;
      }),
    );
    const transitions = controlTransitions(before, after);
    expect(transitions).toEqual([
      { id: 'APIGateway.1', from: 'PASSED', to: 'FAILED' },
      { id: 'APIGateway.4', from: 'PASSED', to: 'FAILED' },
    ]);
    expect(transitions.every(isRegression)).toBe(true);
    expect(transitions.some(isFix)).toBe(false);
  });

  it('reports a fix: access logs turned on for an HTTP stage', () => {
    const before = evaluatePosture(httpStage());
    const after = evaluatePosture(httpStage((s) => void (s.AccessLogSettings = HTTP_ACCESS_LOGS)));
    const [fix] = controlTransitions(before, after);
    expect(fix).toEqual({ id: 'APIGateway.9', from: 'FAILED', to: 'PASSED' });
    expect(isFix(fix!)).toBe(true);
    expect(isRegression(fix!)).toBe(false);
  });

  it('treats FAILED -> NOT_APPLICABLE as a fix (caching turned off), NOT_APPLICABLE -> FAILED as a regression', () => {
    const unencrypted = evaluatePosture(
      restStage((s) => void (s.methodSettings['*/*'].cacheDataEncrypted = false)),
    );
    const noCache = evaluatePosture(restStage((s) => void (s.methodSettings['*/*'].cachingEnabled = false)));
    const [off] = controlTransitions(unencrypted, noCache);
    expect(off).toEqual({ id: 'APIGateway.5', from: 'FAILED', to: 'NOT_APPLICABLE' });
    expect(isFix(off!)).toBe(true);
    const [on] = controlTransitions(noCache, unencrypted);
    expect(on).toEqual({ id: 'APIGateway.5', from: 'NOT_APPLICABLE', to: 'FAILED' });
    expect(isRegression(on!)).toBe(true);
    // Encrypted caching turned on: NOT_APPLICABLE -> PASSED, neither.
    const [passes] = controlTransitions(noCache, evaluatePosture(restStage()));
    expect([isFix(passes!), isRegression(passes!)]).toEqual([false, false]);
  });

  it('has none for a created or deleted stage, an unchanged one, or a control only one side has', () => {
    const posture = evaluatePosture(restStage());
    expect(controlTransitions(undefined, posture)).toEqual([]);
    expect(controlTransitions(posture, undefined)).toEqual([]);
    expect(controlTransitions(posture, posture)).toEqual([]);
    const rules = compilePostureRules([
      { id: 'traced', title: 'traced', expect: [{ paths: ['tracingEnabled'], equals: true }] },
    ]);
    const withRule = evaluatePosture(
      restStage((s) => void (s.tracingEnabled = false)),
      [...DEFAULT_CONTROLS, ...rules],
    );
    // APIGateway.3 fails on both sides' terms; `traced` is only after: not a transition.
    expect(controlTransitions(posture, withRule)).toEqual([
      { id: 'APIGateway.3', from: 'PASSED', to: 'FAILED' },
    ]);
  });
});

const key = (apiId: string, stageName: string, account = '111122223333'): StageKey => ({
  account,
  region: 'eu-west-1',
  apiType: 'REST',
  apiId,
  stageName,
});

const posture = (k: StageKey, statuses: Partial<Record<string, ControlStatus>>): StagePosture => ({
  key: k,
  apiName: `api-${k.apiId}`,
  results: DEFAULT_CONTROLS.map(({ id }) => ({
    id,
    status: statuses[id] ?? 'PASSED',
    reason: `${id} on ${k.stageName}`,
    fields: [],
  })),
});

describe('summarizePosture', () => {
  it('summarizes the seed stages: counts per control, failing controls in table order with their stages', () => {
    const postures = [restStage(), websocketStage(), httpStage(), ...halStages()].map((s) =>
      evaluatePosture(s),
    );
    const summary = summarizePosture(postures);
    expect(summary.stagesScanned).toBe(5);
    expect(summary.stagesFailing).toBe(3);
    expect(summary.counts.find((c) => c.id === 'APIGateway.1')).toEqual({
      id: 'APIGateway.1',
      passed: 2,
      failed: 2,
      notApplicable: 1,
    });
    expect(summary.failing.map((f) => [f.id, f.stageCount])).toEqual([
      ['APIGateway.1', 2],
      ['APIGateway.2', 2],
      ['APIGateway.3', 2],
      ['APIGateway.4', 2],
      ['APIGateway.9', 1],
      ['StageDrift.RestAccessLogging', 2],
    ]);
    const logging = summary.failing.find((f) => f.id === 'APIGateway.9');
    expect(logging).toMatchObject({
      title: 'Access logging is configured (HTTP and WebSocket stages)',
      severity: 'MEDIUM',
      stages: [{ apiName: 'orders', reason: 'no access log destination is set' }],
    });
    expect(logging?.stages[0]?.key).toMatchObject({ apiType: 'HTTP', stageName: '$default' });
  });

  it('lists the first 20 failing stages of a control and counts them all', () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      posture(key(`api${String(24 - i).padStart(2, '0')}`, 'prod'), { 'APIGateway.3': 'FAILED' }),
    );
    const summary = summarizePosture(many);
    expect(summary.failing).toHaveLength(1);
    const [tracing] = summary.failing;
    expect(tracing?.stageCount).toBe(25);
    expect(tracing?.stages).toHaveLength(20);
    expect(tracing?.stages[0]?.key.apiId).toBe('api00');
    expect(tracing?.stages[19]?.key.apiId).toBe('api19');
    expect(summarizePosture(many, DEFAULT_CONTROLS, 3).failing[0]?.stages).toHaveLength(3);
  });

  it('orders stages field by field (account, region, type, API, stage), not by the joined text', () => {
    const stages = [
      posture(key('abc-x', 'prod'), { 'APIGateway.1': 'FAILED' }),
      posture(key('abc', 'prod'), { 'APIGateway.1': 'FAILED' }),
      posture(key('abc', 'beta'), { 'APIGateway.1': 'FAILED' }),
      posture(key('aaa', 'prod', '999999999999'), { 'APIGateway.1': 'FAILED' }),
    ];
    const names = summarizePosture(stages).failing[0]?.stages.map((s) => `${s.key.apiId}/${s.key.stageName}`);
    expect(names).toEqual(['abc/beta', 'abc/prod', 'abc-x/prod', 'aaa/prod']);
  });

  it('has no failing controls when everything passes, and counts only the controls it is given', () => {
    const user: PostureControl[] = compilePostureRules([
      { id: 'u', title: 'u', expect: [{ paths: ['webAclArn'], present: true }] },
    ]);
    const postures = [evaluatePosture(restStage(), [...DEFAULT_CONTROLS, ...user])];
    expect(summarizePosture(postures).failing).toEqual([]);
    expect(summarizePosture(postures, user).counts).toEqual([
      { id: 'u', passed: 1, failed: 0, notApplicable: 0 },
    ]);
    expect(summarizePosture([])).toMatchObject({ stagesScanned: 0, stagesFailing: 0, failing: [] });
  });
});

describe('properties (seeded by FC_SEED)', () => {
  const rules = compilePostureRules([
    {
      id: 'pinned',
      title: 'pinned',
      expect: [{ paths: ['variables.*', 'stageVariables.*'], equals: `${VARIABLE_VALUE_MARKER}prod` }],
    },
    {
      id: 'no-dev',
      title: 'no-dev',
      expect: [{ paths: ['variables.*', 'stageVariables.*'], notMatching: '*-dev*' }],
    },
  ]);
  const controls = [...DEFAULT_CONTROLS, ...rules];

  it('one result per control; not applicable off its API types; no reason quotes a stage variable value', () => {
    fc.assert(
      fc.property(snapshotArb, (snapshot) => {
        const { results } = evaluatePosture(snapshot, controls);
        expect(results.map((r) => r.id)).toEqual(controls.map((c) => c.id));
        controls.forEach((control, i) => {
          if (!control.apiTypes.includes(snapshot.key.apiType))
            expect(results[i]?.status).toBe('NOT_APPLICABLE');
        });
        for (const r of results) expect(r.reason).not.toContain(VARIABLE_VALUE_MARKER);
      }),
    );
  });

  it('transitions are exactly the controls whose status differs, and reverse when the pair does', () => {
    fc.assert(
      fc.property(snapshotPairArb, ([a, b]) => {
        const [before, after] = [evaluatePosture(a, controls), evaluatePosture(b, controls)];
        const forward = controlTransitions(before, after);
        const changed = before.results
          .filter((r, i) => r.status !== after.results[i]?.status)
          .map((r) => r.id);
        expect(forward.map((t) => t.id)).toEqual(changed);
        expect(controlTransitions(after, before)).toEqual(
          forward.map((t) => ({ id: t.id, from: t.to, to: t.from })),
        );
      }),
    );
  });

  it('summary counts add up to the stages scanned, whatever their order', () => {
    fc.assert(
      fc.property(snapshotSetArb, (snapshots) => {
        const postures = snapshots.map((s) => evaluatePosture(s));
        const summary = summarizePosture(postures);
        for (const c of summary.counts) expect(c.passed + c.failed + c.notApplicable).toBe(snapshots.length);
        expect(summarizePosture([...postures].reverse())).toEqual(summary);
      }),
    );
  });
});
