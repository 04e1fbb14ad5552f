import { ConfigError, DEFAULT_CONFIG, ENV, loadConfigFromEnv } from '../../shared/config';

/** The smallest environment that loads. */
const BASE = { STAGE_DRIFT_TABLE: 'StageDrift', AWS_REGION: 'eu-west-1' } as const;

const errorOf = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config loaded');
};

describe('loadConfigFromEnv', () => {
  it('names where a JSON setting breaks and how to fix it, never the text around the error', () => {
    const error = errorOf(() =>
      loadConfigFromEnv({ ...BASE, [ENV.ignore]: '{"stages":[{"stageName":pr0d-S3cr3t}]}' }),
    );
    expect(error.message).toBe(
      `${ENV.ignore}: not valid JSON at line 1, column 25: check for a missing quote or comma near there ` +
        '(keys and strings take double quotes), or unset it',
    );
    expect([error.message, error.stack, String(error.cause)].join('\n')).not.toContain('S3cr3t');
  });

  it('fills every default and scans the current region when only the table is set', () => {
    // Act
    const config = loadConfigFromEnv(BASE);

    // Assess
    expect(config).toEqual({ ...DEFAULT_CONFIG, regions: ['eu-west-1'], tableName: 'StageDrift' });
    expect(DEFAULT_CONFIG).toEqual({
      requestsPerSecond: 3,
      burst: 10,
      concurrency: 4,
      throttleDeadlineSeconds: 120,
      retentionDays: 365,
      severityOverrides: [],
      ignore: {},
      postureRules: [],
      revealVariables: [],
      outOfBand: 'off',
    });
  });

  it('falls back to AWS_DEFAULT_REGION when AWS_REGION is unset', () => {
    const config = loadConfigFromEnv({ STAGE_DRIFT_TABLE: 'StageDrift', AWS_DEFAULT_REGION: 'ap-south-1' });
    expect(config.regions).toEqual(['ap-south-1']);
  });

  it('reads every variable: lists trimmed and de-duplicated, numbers and JSON parsed', () => {
    // Act
    const config = loadConfigFromEnv({
      ...BASE,
      [ENV.regions]: ' us-east-1, eu-west-1 ,us-east-1,',
      [ENV.requestsPerSecond]: '2.5',
      [ENV.burst]: '20',
      [ENV.concurrency]: '8',
      [ENV.throttleDeadlineSeconds]: '300',
      [ENV.retentionDays]: '30',
      [ENV.severityOverrides]: '[{"path":"tags.**","severity":"INFO","kind":"added"}]',
      [ENV.ignore]: '{"paths":["description"],"stages":[{"stageName":"dev*"}],"tag":{"key":"drift:off"}}',
      [ENV.revealVariables]: 'logLevel, region',
    });

    // Assess
    expect(config).toEqual({
      tableName: 'StageDrift',
      regions: ['us-east-1', 'eu-west-1'],
      requestsPerSecond: 2.5,
      burst: 20,
      concurrency: 8,
      throttleDeadlineSeconds: 300,
      retentionDays: 30,
      severityOverrides: [{ path: 'tags.**', severity: 'INFO', kind: 'added' }],
      ignore: { paths: ['description'], stages: [{ stageName: 'dev*' }], tag: { key: 'drift:off' } },
      postureRules: [],
      revealVariables: ['logLevel', 'region'],
      outOfBand: 'off',
    });
  });

  it('takes a blank variable as unset', () => {
    const config = loadConfigFromEnv({ ...BASE, [ENV.burst]: '  ', [ENV.ignore]: '', [ENV.regions]: '' });
    expect(config.burst).toBe(10);
    expect(config.ignore).toEqual({});
    expect(config.regions).toEqual(['eu-west-1']);
  });

  it.each([
    ['the table is unset', { AWS_REGION: 'eu-west-1' }, ENV.table, 'set it to the name'],
    ['the table name is not one', { ...BASE, [ENV.table]: 'my table' }, ENV.table, 'use 3 to 255 letters'],
    ['no region is known', { [ENV.table]: 'StageDrift' }, ENV.regions, 'or AWS_REGION'],
    [
      'the regions list is all commas',
      { [ENV.table]: 'StageDrift', [ENV.regions]: ' , ' },
      ENV.regions,
      'set it',
    ],
    [
      'a listed region is unknown',
      { ...BASE, [ENV.regions]: 'eu-west-1,moon-1' },
      ENV.regions,
      'such as eu-west-1',
    ],
    ['the current region is unknown', { ...BASE, AWS_REGION: 'mars-1' }, 'AWS_REGION', 'such as eu-west-1'],
    [
      'the default region is unknown',
      { [ENV.table]: 'StageDrift', AWS_DEFAULT_REGION: 'eu-north-9' },
      'AWS_DEFAULT_REGION',
      'such as eu-west-1',
    ],
    ['a number is not a number', { ...BASE, [ENV.burst]: 'many' }, ENV.burst, 'set a plain number'],
    [
      'the rate is above the account budget',
      { ...BASE, [ENV.requestsPerSecond]: '50' },
      ENV.requestsPerSecond,
      'default 3',
    ],
    ['the rate is zero', { ...BASE, [ENV.requestsPerSecond]: '0' }, ENV.requestsPerSecond, 'from 0.1 to 10'],
    ['the burst is a fraction', { ...BASE, [ENV.burst]: '2.5' }, ENV.burst, 'default 10'],
    ['the burst is above 40', { ...BASE, [ENV.burst]: '41' }, ENV.burst, 'from 1 to 40'],
    ['the concurrency is zero', { ...BASE, [ENV.concurrency]: '0' }, ENV.concurrency, 'default 4'],
    [
      'the throttle deadline outlives a Lambda',
      { ...BASE, [ENV.throttleDeadlineSeconds]: '900' },
      ENV.throttleDeadlineSeconds,
      'from 1 to 840',
    ],
    ['the retention is zero', { ...BASE, [ENV.retentionDays]: '0' }, ENV.retentionDays, 'default 365'],
    [
      'the overrides are not JSON',
      { ...BASE, [ENV.severityOverrides]: '{bad' },
      ENV.severityOverrides,
      'double quotes',
    ],
    [
      'the overrides are not a list',
      { ...BASE, [ENV.severityOverrides]: '{}' },
      ENV.severityOverrides,
      'JSON array like',
    ],
    [
      'an override has no path',
      { ...BASE, [ENV.severityOverrides]: '[{"severity":"LOW"}]' },
      `${ENV.severityOverrides}[0].path`,
      'e.g. "tags.**"',
    ],
    [
      'an override path is not a pattern',
      { ...BASE, [ENV.severityOverrides]: '[{"path":"tags..x","severity":"LOW"}]' },
      `${ENV.severityOverrides}[0].path`,
      'separated by single dots',
    ],
    [
      'an override severity is unknown',
      { ...BASE, [ENV.severityOverrides]: '[{"path":"tags.**","severity":"URGENT"}]' },
      `${ENV.severityOverrides}[0].severity`,
      'use one of CRITICAL, HIGH, MEDIUM, LOW, INFO',
    ],
    [
      'an override kind is unknown',
      { ...BASE, [ENV.severityOverrides]: '[{"path":"tags.**","severity":"LOW","kind":"moved"}]' },
      `${ENV.severityOverrides}[0].kind`,
      'use added, removed or changed',
    ],
    ['the ignore rules are not an object', { ...BASE, [ENV.ignore]: '[]' }, ENV.ignore, 'JSON object like'],
    [
      'an ignore key is unknown',
      { ...BASE, [ENV.ignore]: '{"path":["x"]}' },
      `${ENV.ignore}.path`,
      'use paths, stages or tag',
    ],
    [
      'ignore paths are not a list',
      { ...BASE, [ENV.ignore]: '{"paths":"tags.**"}' },
      `${ENV.ignore}.paths`,
      'e.g. ["tags.**"]',
    ],
    [
      'an ignore path is not a pattern',
      { ...BASE, [ENV.ignore]: '{"paths":["a..b"]}' },
      `${ENV.ignore}.paths[0]`,
      'separated by single dots',
    ],
    [
      'ignore stages are not a list',
      { ...BASE, [ENV.ignore]: '{"stages":{}}' },
      `${ENV.ignore}.stages`,
      'globs',
    ],
    [
      'an ignore stage rule is empty',
      { ...BASE, [ENV.ignore]: '{"stages":[{}]}' },
      `${ENV.ignore}.stages[0]`,
      'set at least one of',
    ],
    [
      'an ignore stage rule has an unknown field',
      { ...BASE, [ENV.ignore]: '{"stages":[{"api":"x"}]}' },
      `${ENV.ignore}.stages[0]`,
      'use only account, region, apiId, stageName',
    ],
    [
      'the ignore tag has no key',
      { ...BASE, [ENV.ignore]: '{"tag":{}}' },
      `${ENV.ignore}.tag`,
      'stage-drift:ignore',
    ],
    [
      'the ignore tag value is not a string',
      { ...BASE, [ENV.ignore]: '{"tag":{"key":"k","value":1}}' },
      `${ENV.ignore}.tag.value`,
      'must be a string, or left out',
    ],
  ])('fails, naming the variable and the fix, when %s', (_label, env, setting, fix) => {
    // Act
    const error = errorOf(() => loadConfigFromEnv(env));

    // Assess
    expect(error.name).toBe('ConfigError');
    expect(error.setting).toBe(setting);
    expect(error.message.startsWith(`${setting}: `)).toBe(true);
    expect(error.message).toContain(fix);
  });
});
