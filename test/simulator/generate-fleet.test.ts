import { generateFleet } from '../support/simulator';

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe('generateFleet', () => {
  it('gives the same fleet for the same seed and a different one for another seed', () => {
    const options = { restApis: 20, httpApis: 10, websocketApis: 5, stagesPerApi: 4, seed: 42 };
    expect(generateFleet(options)).toEqual(generateFleet(options));
    expect(generateFleet({ ...options, seed: 43 })).not.toEqual(generateFleet(options));
  });

  it('generates 600 REST and 600 HTTP APIs with 10 stages each, quickly', () => {
    // Act
    const started = performance.now();
    const fleet = generateFleet({ restApis: 600, httpApis: 600, stagesPerApi: 10 });
    const elapsedMs = performance.now() - started;
    // Assess
    expect(fleet.restApis).toHaveLength(600);
    expect(fleet.v2Apis).toHaveLength(600);
    expect(fleet.v2Apis.every((api) => api.protocolType === 'HTTP')).toBe(true);
    expect([...fleet.restApis, ...fleet.v2Apis].every((api) => api.stages.length === 10)).toBe(true);
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('gives every API a distinct id and every stage of an API a distinct name', () => {
    const fleet = generateFleet({
      restApis: 300,
      httpApis: 200,
      websocketApis: 100,
      stagesPerApi: 10,
      seed: 3,
    });
    const ids = [...fleet.restApis.map((api) => api.id), ...fleet.v2Apis.map((api) => api.apiId)];
    expect(new Set(ids).size).toBe(600);
    expect(ids.every((id) => /^[a-z0-9]{10}$/.test(id))).toBe(true);
    for (const api of [...fleet.restApis, ...fleet.v2Apis]) {
      expect(new Set(api.stages.map((stage) => stage.stageName)).size).toBe(api.stages.length);
    }
  });

  it.each([
    [0, 0],
    [1, 1],
    [3, 3],
    [7, 7],
  ])('writes %i method settings per REST stage, the first being */*', (count, expected) => {
    const fleet = generateFleet({ restApis: 5, httpApis: 5, methodSettingsPerStage: count });
    for (const stage of fleet.restApis.flatMap((api) => api.stages)) {
      const keys = Object.keys(stage.methodSettings as object);
      expect(keys).toHaveLength(expected);
      if (expected > 0) expect(keys[0]).toBe('*/*');
      for (const key of keys.slice(1)) expect(key).toMatch(/^[^/]+\/(GET|POST|PUT|DELETE|PATCH)$/);
    }
    for (const stage of fleet.v2Apis.flatMap((api) => api.stages)) {
      expect(Object.keys(stage.routeSettings as object)).toHaveLength(Math.max(0, expected - 1));
    }
  });

  it('generates realistic stages: prod first, log-group ARNs, WAF and canaries on some, v1 and v2 date formats', () => {
    const fleet = generateFleet({
      restApis: 200,
      httpApis: 100,
      websocketApis: 100,
      stagesPerApi: 3,
      seed: 8,
    });
    const restStages = fleet.restApis.flatMap((api) => api.stages);
    const v2Stages = fleet.v2Apis.flatMap((api) => api.stages);

    expect(fleet.restApis.every((api) => api.stages[0]!.stageName === 'prod')).toBe(true);
    expect(restStages.every((stage) => typeof stage.createdDate === 'number')).toBe(true);
    expect(v2Stages.every((stage) => ISO_SECONDS.test(stage.createdDate as string))).toBe(true);
    expect(restStages.filter((stage) => stage.canarySettings).length).toBeGreaterThan(5);
    expect(restStages.filter((stage) => stage.webAclArn).length).toBeGreaterThan(20);
    expect(restStages.some((stage) => stage.clientCertificateId)).toBe(true);
    const arns = [...restStages, ...v2Stages].flatMap((stage) => {
      const settings = stage.accessLogSettings as { destinationArn: string } | undefined;
      return settings ? [settings.destinationArn] : [];
    });
    expect(arns.length).toBeGreaterThan(200);
    expect(arns.every((arn) => arn.startsWith('arn:aws:logs:us-east-1:123456789012:log-group:'))).toBe(true);
  });

  it('keys HTTP route settings like "GET /pets" and WebSocket ones like "$connect"', () => {
    const fleet = generateFleet({
      restApis: 0,
      httpApis: 20,
      websocketApis: 20,
      methodSettingsPerStage: 5,
      seed: 2,
    });
    for (const api of fleet.v2Apis) {
      const keys = api.stages.flatMap((stage) => Object.keys(stage.routeSettings as object));
      const pattern =
        api.protocolType === 'HTTP' ? /^(\$default|(GET|POST|PUT|DELETE|PATCH) \/\S*)$/ : /^\$?\w+$/;
      expect(keys.every((key) => pattern.test(key))).toBe(true);
      if (api.protocolType === 'WEBSOCKET') {
        // Logging level and data trace are WebSocket-only route settings.
        for (const stage of api.stages) expect(stage.defaultRouteSettings).toHaveProperty('loggingLevel');
      }
    }
    expect(fleet.v2Apis.filter((api) => api.protocolType === 'WEBSOCKET')).toHaveLength(20);
  });

  it.each([
    [{ restApis: 1, httpApis: 0, stagesPerApi: 11 }, /stagesPerApi must be an integer from 0 to 10/],
    [{ restApis: -1, httpApis: 0 }, /restApis must be an integer/],
    [{ restApis: 1, httpApis: 0, methodSettingsPerStage: 1.5 }, /methodSettingsPerStage/],
  ])('refuses %j, saying what to fix', (options, message) => {
    expect(() => generateFleet(options)).toThrow(message);
  });
});
