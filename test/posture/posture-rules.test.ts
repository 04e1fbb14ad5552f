import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../shared/model/errors';
import type { StageSnapshot } from '../../shared/model';
import type { PostureControl } from '../../shared/posture';
import { compilePostureRules, evaluatePosture, PostureConfigError } from '../../shared/posture';
import { halStages, httpStage, restStage, websocketStage } from './real-stages';

/** README "Posture": the two documented examples, as a user writes them (JSON). */
const EXAMPLE_RULES = JSON.parse(String.raw`[
  {
    "id": "prod-throttled",
    "title": "prod stages are throttled",
    "severity": "HIGH",
    "stages": { "stageName": "prod*" },
    "expect": [
      {
        "paths": ["methodSettings.\\*/\\*.throttlingRateLimit", "defaultRouteSettings.throttlingRateLimit"],
        "present": true
      }
    ]
  },
  {
    "id": "no-dev-hosts",
    "title": "no stage variable points at a -dev host",
    "expect": [{ "paths": ["variables.*", "stageVariables.*"], "notMatching": "*-dev*" }]
  }
]`) as unknown;

const [THROTTLED, NO_DEV_HOSTS] = compilePostureRules(EXAMPLE_RULES) as [PostureControl, PostureControl];

const result = (rule: PostureControl, snapshot: StageSnapshot) => {
  const found = evaluatePosture(snapshot, [rule]).results[0];
  if (found === undefined) throw new Error('no result');
  return { status: found.status, reason: found.reason, fields: found.fields };
};

const rule = (expect: unknown[], extra: Record<string, unknown> = {}): PostureControl => {
  const [compiled] = compilePostureRules([{ id: 'r', title: 'a rule', expect, ...extra }]);
  if (compiled === undefined) throw new Error('no rule');
  return compiled;
};

describe('the README examples ("Posture", "Your own rules")', () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('#### Your own rules'));

  it('are the rules tested here, and the -c example compiles', () => {
    const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
    expect(JSON.parse(json ?? 'null')).toEqual(EXAMPLE_RULES);
    const context = /-c postureRules='([^']*)'/.exec(section)?.[1];
    expect(compilePostureRules(JSON.parse(context ?? 'null')).map((r) => r.id)).toEqual(['no-dev-hosts']);
  });
});

describe('"stages named prod* must have throttling"', () => {
  it('compiles to a user control with its id, title and severity, for every API type', () => {
    expect(THROTTLED).toMatchObject({
      id: 'prod-throttled',
      title: 'prod stages are throttled',
      source: 'user',
      severity: 'HIGH',
      apiTypes: ['REST', 'HTTP', 'WEBSOCKET'],
    });
    expect(NO_DEV_HOSTS.severity).toBe('MEDIUM');
  });

  it('passes the seed prod REST stage (*/* throttled at 10000/s) and the WebSocket "production" stage', () => {
    expect(result(THROTTLED, restStage())).toEqual({
      status: 'PASSED',
      reason: 'methodSettings.*/*.throttlingRateLimit set',
      fields: [['methodSettings', '*/*', 'throttlingRateLimit']],
    });
    expect(result(THROTTLED, websocketStage())).toEqual({
      status: 'PASSED',
      reason: 'defaultRouteSettings.throttlingRateLimit set',
      fields: [['defaultRouteSettings', 'throttlingRateLimit']],
    });
  });

  it("fails seed 002's prod stage (no method settings), skips its beta stage and HTTP $default", () => {
    const [beta, prod] = halStages() as [StageSnapshot, StageSnapshot];
    expect(result(THROTTLED, prod)).toEqual({
      status: 'FAILED',
      reason: 'methodSettings.\\*/\\*.throttlingRateLimit | defaultRouteSettings.throttlingRateLimit not set',
      fields: [],
    });
    expect(result(THROTTLED, beta)).toMatchObject({
      status: 'NOT_APPLICABLE',
      reason: 'the rule does not select this stage',
    });
    expect(result(THROTTLED, httpStage()).status).toBe('NOT_APPLICABLE');
  });

  it('is not satisfied by a method override alone: the escaped pattern names the */* entry', () => {
    const stage = restStage((s) => void delete s.methodSettings['*/*'].throttlingRateLimit);
    expect(result(THROTTLED, stage).status).toBe('FAILED');
  });
});

describe('"no stage variable may point at *-dev hosts"', () => {
  it('passes the seed stages', () => {
    for (const snapshot of [restStage(), websocketStage(), ...halStages(), httpStage()]) {
      expect(result(NO_DEV_HOSTS, snapshot)).toMatchObject({ status: 'PASSED' });
    }
  });

  it('fails a REST and a WebSocket stage whose variable points at a -dev host, naming the variable only', () => {
    const rest = restStage((s) => void (s.variables.url = 'https://pets-dev.internal.example.com'));
    expect(result(NO_DEV_HOSTS, rest)).toEqual({
      status: 'FAILED',
      reason: 'variables.url match "*-dev*"',
      fields: [
        ['variables', 'function'],
        ['variables', 'url'],
        ['variables', 'version'],
      ],
    });
    const ws = websocketStage((s) => void (s.StageVariables.Url = 'wss://chat-dev.example.com'));
    expect(result(NO_DEV_HOSTS, ws).reason).toBe('stageVariables.Url match "*-dev*"');
  });
});

describe('the checks', () => {
  it('equals: every field set and equal; a failure quotes the expected value, not the stage value', () => {
    const traced = rule([{ paths: ['tracingEnabled'], equals: true }]);
    expect(result(traced, restStage()).status).toBe('PASSED');
    expect(
      result(
        traced,
        restStage((s) => void (s.tracingEnabled = false)),
      ),
    ).toMatchObject({
      status: 'FAILED',
      reason: 'tracingEnabled not true',
    });
    const level = rule([{ paths: ['methodSettings.*.loggingLevel'], equals: 'INFO' }]);
    expect(result(level, restStage()).reason).toBe('methodSettings.~1pets/GET.loggingLevel not "INFO"');
    expect(result(level, websocketStage())).toMatchObject({
      status: 'FAILED',
      reason: expect.stringMatching(/not set$/),
    });
  });

  it('equals on a stage variable never quotes a value (the expected one may be a secret too)', () => {
    const pinned = rule([{ paths: ['variables.version'], equals: 'v-secret-7' }]);
    expect(result(pinned, restStage()).reason).toBe('variables.version not the expected value');
  });

  it('matching, present: false, and a pattern naming a subtree', () => {
    const arn = rule([{ paths: ['accessLogSettings.destinationArn'], matching: 'arn:aws:logs:*' }]);
    expect(result(arn, restStage()).status).toBe('PASSED');
    expect(
      result(
        arn,
        websocketStage((s) => void delete s.AccessLogSettings),
      ).status,
    ).toBe('FAILED');
    const noCanary = rule([{ paths: ['canarySettings'], present: false }]);
    expect(result(noCanary, restStage())).toMatchObject({ status: 'FAILED' });
    expect(
      result(
        noCanary,
        restStage((s) => void delete s.canarySettings),
      ).status,
    ).toBe('PASSED');
    const logs = rule([{ paths: ['accessLogSettings'], present: true }]);
    expect(result(logs, httpStage()).status).toBe('FAILED');
    expect(result(logs, websocketStage()).status).toBe('PASSED');
  });

  it('every check must hold; the reason and fields are those of the failing checks', () => {
    const both = rule([
      { paths: ['tracingEnabled'], equals: true },
      { paths: ['webAclArn'], present: true },
    ]);
    expect(result(both, restStage()).reason).toBe('tracingEnabled as expected; webAclArn set');
    expect(
      result(
        both,
        restStage((s) => void delete s.webAclArn),
      ),
    ).toEqual({
      status: 'FAILED',
      reason: 'webAclArn not set',
      fields: [],
    });
  });

  it('apiTypes and stage globs select the stages it applies to', () => {
    const restOnly = rule([{ paths: ['tracingEnabled'], equals: true }], {
      apiTypes: ['REST'],
      stages: { region: 'us-*', apiId: 'a1b2*' },
    });
    expect(result(restOnly, restStage()).status).toBe('PASSED');
    expect(result(restOnly, websocketStage())).toMatchObject({
      status: 'NOT_APPLICABLE',
      reason: 'not for WEBSOCKET stages',
    });
    expect(result(restOnly, halStages()[0] as StageSnapshot).status).toBe('NOT_APPLICABLE');
  });
});

describe('validation: every error names the field and the fix', () => {
  const check = { paths: ['tracingEnabled'], equals: true };
  const ok = { id: 'ok', title: 'ok', expect: [check] };
  const cases: [string, unknown, string, RegExp][] = [
    ['not a list', { id: 'x' }, 'postureRules', /must be a list of rules, e.g\./],
    ['a rule not an object', ['x'], 'postureRules[0]', /must be an object such as/],
    ['an unknown field', [{ ...ok, when: 'x' }], 'postureRules[0]', /unknown field when; use only id, title/],
    ['no id', [{ title: 't', expect: [check] }], 'postureRules[0].id', /must be 1–64 letters/],
    ['a reserved id', [{ ...ok, id: 'APIGateway.99' }], 'postureRules[0].id', /not starting APIGateway\./],
    [
      'an empty title',
      [{ ...ok, title: ' ' }],
      'postureRules[0].title',
      /e\.g\. "prod stages are throttled"/,
    ],
    [
      'severity INFO',
      [{ ...ok, severity: 'INFO' }],
      'postureRules[0].severity',
      /one of CRITICAL, HIGH, MEDIUM, LOW/,
    ],
    [
      'an unknown API type',
      [{ ...ok, apiTypes: ['SOAP'] }],
      'postureRules[0].apiTypes',
      /list of REST, HTTP, WEBSOCKET/,
    ],
    [
      'a stage selector field',
      [{ ...ok, stages: { apiName: 'x' } }],
      'postureRules[0].stages',
      /use only account, region, apiId, stageName/,
    ],
    [
      'an empty glob',
      [{ ...ok, stages: { stageName: '' } }],
      'postureRules[0].stages.stageName',
      /e\.g\. "prod\*"/,
    ],
    ['no checks', [{ ...ok, expect: [] }], 'postureRules[0].expect', /non-empty list of checks, e\.g\./],
    [
      'a check without paths',
      [{ ...ok, expect: [check, { present: true }] }],
      'postureRules[0].expect[1].paths',
      /e\.g\. \["variables\.\*"\]/,
    ],
    [
      'a bad pattern',
      [{ ...ok, expect: [{ paths: ['a..b'], present: true }] }],
      'postureRules[0].expect[0].paths[0]',
      /segment 2 is empty; write segments/,
    ],
    [
      'two tests',
      [{ ...ok, expect: [{ ...check, present: true }] }],
      'postureRules[0].expect[0]',
      /set exactly one of present, equals, matching, notMatching \(found 2\)/,
    ],
    [
      'no test',
      [{ ...ok, expect: [{ paths: ['x'] }] }],
      'postureRules[0].expect[0]',
      /set exactly one of .* \(found 0\)/,
    ],
    [
      'present not a boolean',
      [{ ...ok, expect: [{ paths: ['x'], present: 'yes' }] }],
      'postureRules[0].expect[0].present',
      /must be a boolean/,
    ],
    [
      'equals an object',
      [{ ...ok, expect: [{ paths: ['x'], equals: {} }] }],
      'postureRules[0].expect[0].equals',
      /string, number or boolean/,
    ],
    [
      'an empty glob to match',
      [{ ...ok, expect: [{ paths: ['x'], notMatching: '' }] }],
      'postureRules[0].expect[0].notMatching',
      /must be a string/,
    ],
    ['a duplicate id', [ok, ok], 'postureRules[1].id', /"ok" is used twice; give each rule its own id/],
  ];

  it.each(cases)('%s', (_name, raw, field, fix) => {
    let error: unknown;
    try {
      compilePostureRules(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PostureConfigError);
    expect(error).toBeInstanceOf(InputError);
    expect((error as PostureConfigError).field).toBe(field);
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
    expect((error as Error).message).toMatch(fix);
  });

  it('names the setting it was given under', () => {
    expect(() => compilePostureRules([{}], 'STAGE_DRIFT_POSTURE_RULES')).toThrow(
      /^STAGE_DRIFT_POSTURE_RULES\[0\]\.id: /,
    );
  });

  it('takes no rules as none', () => {
    expect(compilePostureRules(undefined)).toEqual([]);
    expect(compilePostureRules([])).toEqual([]);
  });
});

describe('reasons never quote a stage variable value', () => {
  const SECRET = 'sv-9f8e7d-secret';
  const rules = compilePostureRules([
    ...(EXAMPLE_RULES as unknown[]),
    { id: 'eq', title: 'eq', expect: [{ paths: ['variables.*', 'stageVariables.*'], equals: SECRET }] },
    { id: 'match', title: 'match', expect: [{ paths: ['**'], matching: 'https://*' }] },
    { id: 'not', title: 'not', expect: [{ paths: ['**'], notMatching: '*' }] },
    { id: 'present', title: 'present', expect: [{ paths: ['variables', 'stageVariables'], present: false }] },
  ]);

  it('on REST and WebSocket stages whose variables hold a secret-looking value', () => {
    const stages = [
      restStage((s) => void (s.variables.token = `${SECRET}-dev`)),
      websocketStage((s) => void (s.StageVariables.Token = `${SECRET}-dev`)),
    ];
    for (const snapshot of stages) {
      const { results } = evaluatePosture(snapshot, rules);
      expect(results.filter((r) => r.status === 'FAILED').length).toBeGreaterThanOrEqual(4);
      for (const r of results) expect(r.reason).not.toContain('9f8e7d');
    }
  });
});
