import { ConfigError, DEFAULT_CONFIG, resolveConfig } from '../../shared/config';
import type { StageDriftConfig } from '../../shared/config';

type Input = Parameters<typeof resolveConfig>[0];

const errorOf = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config resolved');
};

/** How a caller with its own option names (the CDK construct's props) names the settings. */
const PROP_NAMES: Partial<Record<keyof StageDriftConfig, string>> = {
  regions: 'props.regions',
  burst: 'props.burst',
  ignore: 'props.ignore',
  severityOverrides: 'props.severityOverrides',
  revealVariables: 'props.revealVariables',
};

describe('resolveConfig', () => {
  it('fills the defaults', () => {
    expect(resolveConfig({ regions: ['eu-west-1'] })).toEqual({ ...DEFAULT_CONFIG, regions: ['eu-west-1'] });
  });

  it('takes an option given as undefined (an unset flag or prop) as its default', () => {
    // Act
    const config = resolveConfig({
      regions: ['eu-west-1'],
      requestsPerSecond: undefined,
      burst: undefined,
      ignore: undefined,
      revealVariables: undefined,
    });

    // Assess
    expect(config).toEqual({ ...DEFAULT_CONFIG, regions: ['eu-west-1'] });
  });

  it('keeps valid settings and removes repeated regions', () => {
    const config = resolveConfig({
      regions: ['eu-west-1', 'us-east-1', 'eu-west-1'],
      burst: 40,
      requestsPerSecond: 0.1,
      revealVariables: ['logLevel'],
      ignore: { stages: [{ apiId: 'a1*' }], tag: { key: 'skip' } },
    });
    expect(config).toMatchObject({
      regions: ['eu-west-1', 'us-east-1'],
      burst: 40,
      requestsPerSecond: 0.1,
      revealVariables: ['logLevel'],
      ignore: { stages: [{ apiId: 'a1*' }], tag: { key: 'skip' } },
    });
  });

  it.each([
    ['no region', { regions: [] }, 'regions', 'give at least one region'],
    ['regions as a string', { regions: 'eu-west-1' }, 'regions', 'expected a list of region codes'],
    ['an unknown region', { regions: ['eu-west-1', 'EU-WEST-1'] }, 'regions', 'such as eu-west-1'],
    ['a region that is not a string', { regions: [42] }, 'regions', 'such as eu-west-1'],
    [
      'a rate that is not a number',
      { regions: ['eu-west-1'], requestsPerSecond: '3' },
      'requestsPerSecond',
      'default 3',
    ],
    ['a NaN burst', { regions: ['eu-west-1'], burst: Number.NaN }, 'burst', 'got NaN'],
    [
      'a fractional concurrency',
      { regions: ['eu-west-1'], concurrency: 1.5 },
      'concurrency',
      'set an integer',
    ],
    [
      'a negative deadline',
      { regions: ['eu-west-1'], throttleDeadlineSeconds: -1 },
      'throttleDeadlineSeconds',
      'from 1 to 840',
    ],
    [
      'an endless retention',
      { regions: ['eu-west-1'], retentionDays: Infinity },
      'retentionDays',
      'default 365',
    ],
    [
      'reveal variables as a string',
      { regions: ['eu-west-1'], revealVariables: 'logLevel' },
      'revealVariables',
      'e.g. ["logLevel"]',
    ],
    [
      'an empty variable name',
      { regions: ['eu-west-1'], revealVariables: [''] },
      'revealVariables[0]',
      'use letters, digits and underscores, e.g. "logLevel"',
    ],
    [
      'a variable name API Gateway does not allow',
      { regions: ['eu-west-1'], revealVariables: ['logLevel', 'log-level'] },
      'revealVariables[1]',
      '"log-level" is not a stage variable name',
    ],
    [
      'overrides as an object',
      { regions: ['eu-west-1'], severityOverrides: {} },
      'severityOverrides',
      'JSON array like',
    ],
    [
      'an override path with a bad wildcard',
      { regions: ['eu-west-1'], severityOverrides: [{ path: 'tags.', severity: 'LOW' }] },
      'severityOverrides[0].path',
      'e.g.',
    ],
    ['ignore as a list', { regions: ['eu-west-1'], ignore: [] }, 'ignore', 'JSON object like'],
    [
      'an ignore stage glob that is empty',
      { regions: ['eu-west-1'], ignore: { stages: [{ stageName: '' }] } },
      'ignore.stages[0].stageName',
      "e.g. 'dev-*'",
    ],
  ])('fails, naming the setting and the fix, on %s', (_label, input, setting, fix) => {
    const error = errorOf(() => resolveConfig(input as unknown as Input));
    expect(error.setting).toBe(setting);
    expect(error.message.startsWith(`${setting}: `)).toBe(true);
    expect(error.message).toContain(fix);
  });

  it.each([
    ['regions', { regions: ['nowhere-1'] }, 'props.regions'],
    ['burst', { regions: ['eu-west-1'], burst: 0 }, 'props.burst'],
    ['an ignore path', { regions: ['eu-west-1'], ignore: { paths: ['a..b'] } }, 'props.ignore.paths[0]'],
    [
      'an override severity',
      { regions: ['eu-west-1'], severityOverrides: [{ path: 'x', severity: 'BAD' }] },
      'props.severityOverrides[0].severity',
    ],
    ['reveal variables', { regions: ['eu-west-1'], revealVariables: [7] }, 'props.revealVariables[0]'],
  ])('names %s by the caller’s own name for it', (_label, input, setting) => {
    expect(errorOf(() => resolveConfig(input as unknown as Input, PROP_NAMES)).setting).toBe(setting);
  });
});
