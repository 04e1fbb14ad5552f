import type { ControlResult } from '../../shared/posture';
import { DEFAULT_CONTROLS, evaluatePosture } from '../../shared/posture';
import type { StageSnapshot } from '../../shared/model';
import {
  halStages,
  HTTP_ACCESS_LOGS,
  httpStage,
  restStage,
  websocketStage,
  websocketWireStage,
} from './real-stages';

/** One control's result on a stage, without its id. */
const control = (id: string, snapshot: StageSnapshot): Omit<ControlResult, 'id'> => {
  const result = evaluatePosture(snapshot).results.find((r) => r.id === id);
  if (result === undefined) throw new Error(`no result for ${id}`);
  return { status: result.status, reason: result.reason, fields: result.fields };
};

const DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html';

describe('the control table', () => {
  it('lists the Security Hub controls of stages, then the REST access logging check, with AWS links', () => {
    expect(DEFAULT_CONTROLS.map((c) => [c.id, c.source, c.apiTypes.join(','), c.url])).toEqual([
      ['APIGateway.1', 'aws', 'REST,WEBSOCKET', `${DOCS}#apigateway-1`],
      ['APIGateway.2', 'aws', 'REST', `${DOCS}#apigateway-2`],
      ['APIGateway.3', 'aws', 'REST', `${DOCS}#apigateway-3`],
      ['APIGateway.4', 'aws', 'REST', `${DOCS}#apigateway-4`],
      ['APIGateway.5', 'aws', 'REST', `${DOCS}#apigateway-5`],
      ['APIGateway.9', 'aws', 'HTTP,WEBSOCKET', `${DOCS}#apigateway-9`],
      ['StageDrift.RestAccessLogging', 'stage-drift', 'REST', undefined],
    ]);
  });

  it('gives every stage one result per control, in table order', () => {
    for (const snapshot of [restStage(), websocketStage(), httpStage(), ...halStages()]) {
      expect(evaluatePosture(snapshot).results.map((r) => r.id)).toEqual(DEFAULT_CONTROLS.map((c) => c.id));
    }
  });

  it('passes every control on the fully configured seed stage (seed 000)', () => {
    const failing = evaluatePosture(restStage()).results.filter((r) => r.status !== 'PASSED');
    expect(failing.map((r) => [r.id, r.status])).toEqual([['APIGateway.9', 'NOT_APPLICABLE']]);
  });

  it("fails everything but cache encryption on seed 002's unconfigured stages (caching: not applicable)", () => {
    for (const snapshot of halStages()) {
      expect(evaluatePosture(snapshot).results.map((r) => [r.id, r.status])).toEqual([
        ['APIGateway.1', 'FAILED'],
        ['APIGateway.2', 'FAILED'],
        ['APIGateway.3', 'FAILED'],
        ['APIGateway.4', 'FAILED'],
        ['APIGateway.5', 'NOT_APPLICABLE'],
        ['APIGateway.9', 'NOT_APPLICABLE'],
        ['StageDrift.RestAccessLogging', 'FAILED'],
      ]);
    }
  });
});

describe('APIGateway.1: execution logging, the value in force on every method and route', () => {
  it('passes a REST stage logging INFO on */* and ERROR on its /pets/GET override', () => {
    expect(control('APIGateway.1', restStage())).toEqual({
      status: 'PASSED',
      reason: 'execution logging is INFO/ERROR on every method',
      fields: [
        ['methodSettings', '*/*', 'loggingLevel'],
        ['methodSettings', '~1pets/GET', 'loggingLevel'],
      ],
    });
  });

  it('fails when the /pets/GET override turns logging OFF while */* logs INFO', () => {
    const stage = restStage((s) => void (s.methodSettings['~1pets/GET'].loggingLevel = 'OFF'));
    expect(control('APIGateway.1', stage)).toEqual({
      status: 'FAILED',
      reason: 'execution logging is off: /pets/GET OFF',
      fields: [['methodSettings', '~1pets/GET', 'loggingLevel']],
    });
  });

  it('passes an override without a level of its own: it inherits INFO from */*', () => {
    const stage = restStage((s) => void delete s.methodSettings['~1pets/GET'].loggingLevel);
    expect(control('APIGateway.1', stage)).toMatchObject({
      status: 'PASSED',
      reason: 'execution logging is INFO on every method',
    });
  });

  it('fails an override that inherits OFF from */*, naming both', () => {
    const stage = restStage((s) => {
      s.methodSettings['*/*'].loggingLevel = 'OFF';
      delete s.methodSettings['~1pets/GET'].loggingLevel;
    });
    expect(control('APIGateway.1', stage)).toEqual({
      status: 'FAILED',
      reason: 'execution logging is off: */* OFF, /pets/GET OFF',
      fields: [
        ['methodSettings', '*/*', 'loggingLevel'],
        ['methodSettings', '~1pets/GET', 'loggingLevel'],
      ],
    });
  });

  it('fails a stage with no method settings (seed 002): logging is OFF by default', () => {
    const [beta] = halStages();
    expect(control('APIGateway.1', beta as StageSnapshot)).toEqual({
      status: 'FAILED',
      reason: 'execution logging is off: */* OFF',
      fields: [['methodSettings', '*/*', 'loggingLevel']],
    });
  });

  it('passes a WebSocket stage whose $connect route inherits ERROR from defaultRouteSettings', () => {
    expect(control('APIGateway.1', websocketStage())).toEqual({
      status: 'PASSED',
      reason: 'execution logging is ERROR/INFO on every route',
      fields: [
        ['defaultRouteSettings', 'loggingLevel'],
        ['routeSettings', '$connect', 'loggingLevel'],
        ['routeSettings', 'sendMessage', 'loggingLevel'],
      ],
    });
    expect(control('APIGateway.1', websocketWireStage())).toEqual(control('APIGateway.1', websocketStage()));
  });

  it('fails a WebSocket route that turns logging OFF', () => {
    const stage = websocketStage((s) => void (s.RouteSettings.sendMessage.LoggingLevel = 'OFF'));
    expect(control('APIGateway.1', stage)).toEqual({
      status: 'FAILED',
      reason: 'execution logging is off: sendMessage OFF',
      fields: [['routeSettings', 'sendMessage', 'loggingLevel']],
    });
  });

  it('fails the default route and the routes inheriting from it when it has no level', () => {
    const stage = websocketStage((s) => void delete s.DefaultRouteSettings.LoggingLevel);
    expect(control('APIGateway.1', stage)).toEqual({
      status: 'FAILED',
      reason: 'execution logging is off: default route OFF, $connect OFF',
      fields: [
        ['defaultRouteSettings', 'loggingLevel'],
        ['routeSettings', '$connect', 'loggingLevel'],
      ],
    });
  });

  it('does not apply to HTTP APIs (they have no execution logging)', () => {
    expect(control('APIGateway.1', httpStage())).toEqual({
      status: 'NOT_APPLICABLE',
      reason: 'not for HTTP stages',
      fields: [],
    });
  });
});

describe('APIGateway.2, .3, .4: client certificate, X-Ray, WAF (REST)', () => {
  it.each([
    ['APIGateway.2', 'clientCertificateId', 'a client certificate is set', 'no client certificate is set'],
    ['APIGateway.3', 'tracingEnabled', 'X-Ray tracing is on', 'X-Ray tracing is off'],
    ['APIGateway.4', 'webAclArn', 'a web ACL is associated', 'no web ACL is associated'],
  ])('%s passes with %s set and fails without it', (id, field, passes, fails) => {
    expect(control(id, restStage())).toEqual({ status: 'PASSED', reason: passes, fields: [[field]] });
    const without = restStage((s) => void delete s[field]);
    expect(control(id, without)).toEqual({ status: 'FAILED', reason: fails, fields: [[field]] });
  });

  it('fails X-Ray when tracingEnabled is false, and does not apply to v2 stages', () => {
    expect(
      control(
        'APIGateway.3',
        restStage((s) => void (s.tracingEnabled = false)),
      ).status,
    ).toBe('FAILED');
    for (const id of ['APIGateway.2', 'APIGateway.3', 'APIGateway.4', 'APIGateway.5']) {
      expect(control(id, websocketStage())).toMatchObject({
        status: 'NOT_APPLICABLE',
        reason: 'not for WEBSOCKET stages',
      });
      expect(control(id, httpStage()).status).toBe('NOT_APPLICABLE');
    }
  });
});

describe('APIGateway.5: cache encryption, on the methods that cache', () => {
  it('passes when */* caches encrypted and /pets/GET does not cache', () => {
    expect(control('APIGateway.5', restStage())).toEqual({
      status: 'PASSED',
      reason: 'the cache of 1 caching method setting(s) is encrypted',
      fields: [['methodSettings', '*/*', 'cacheDataEncrypted']],
    });
  });

  it('does not apply when no method caches', () => {
    const stage = restStage((s) => void (s.methodSettings['*/*'].cachingEnabled = false));
    expect(control('APIGateway.5', stage)).toEqual({
      status: 'NOT_APPLICABLE',
      reason: 'no method caches responses',
      fields: [],
    });
  });

  it('fails when */* caches unencrypted', () => {
    const stage = restStage((s) => void (s.methodSettings['*/*'].cacheDataEncrypted = false));
    expect(control('APIGateway.5', stage)).toEqual({
      status: 'FAILED',
      reason: 'cache data is not encrypted: */*',
      fields: [['methodSettings', '*/*', 'cacheDataEncrypted']],
    });
  });

  it('fails an override that caches by inheriting */* but encrypts nothing itself', () => {
    const stage = restStage((s) => void delete s.methodSettings['~1pets/GET'].cachingEnabled);
    expect(control('APIGateway.5', stage)).toEqual({
      status: 'FAILED',
      reason: 'cache data is not encrypted: /pets/GET',
      fields: [['methodSettings', '~1pets/GET', 'cacheDataEncrypted']],
    });
  });

  it('passes an override that caches and inherits the encryption of */*', () => {
    const stage = restStage((s) => {
      s.methodSettings['~1pets/GET'].cachingEnabled = true;
      delete s.methodSettings['~1pets/GET'].cacheDataEncrypted;
    });
    expect(control('APIGateway.5', stage)).toMatchObject({
      status: 'PASSED',
      reason: 'the cache of 2 caching method setting(s) is encrypted',
    });
  });
});

describe('access logging: APIGateway.9 (HTTP, WebSocket) and the REST check', () => {
  it('fails an HTTP $default stage without access logs, passes it with a destination', () => {
    expect(control('APIGateway.9', httpStage())).toEqual({
      status: 'FAILED',
      reason: 'no access log destination is set',
      fields: [['accessLogSettings', 'destinationArn']],
    });
    const logged = httpStage((s) => void (s.AccessLogSettings = HTTP_ACCESS_LOGS));
    expect(control('APIGateway.9', logged)).toEqual({
      status: 'PASSED',
      reason: 'access logs go to a destination',
      fields: [['accessLogSettings', 'destinationArn']],
    });
  });

  it('fails a format without a destination', () => {
    const stage = httpStage((s) => void (s.AccessLogSettings = { Format: HTTP_ACCESS_LOGS.Format }));
    expect(control('APIGateway.9', stage).status).toBe('FAILED');
  });

  it('passes the WebSocket seed stage and fails it without AccessLogSettings', () => {
    expect(control('APIGateway.9', websocketStage()).status).toBe('PASSED');
    const stage = websocketStage((s) => void delete s.AccessLogSettings);
    expect(control('APIGateway.9', stage)).toMatchObject({ status: 'FAILED' });
  });

  it('checks REST access logging under its own id, as Security Hub has no control for it', () => {
    expect(control('StageDrift.RestAccessLogging', restStage()).status).toBe('PASSED');
    expect(control('APIGateway.9', restStage())).toMatchObject({ status: 'NOT_APPLICABLE' });
    const stage = restStage((s) => void delete s.accessLogSettings);
    expect(control('StageDrift.RestAccessLogging', stage)).toEqual({
      status: 'FAILED',
      reason: 'no access log destination is set',
      fields: [['accessLogSettings', 'destinationArn']],
    });
    expect(control('StageDrift.RestAccessLogging', httpStage()).status).toBe('NOT_APPLICABLE');
  });
});
