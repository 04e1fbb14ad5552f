import { DiffConfigError, validateDiffOptions } from '../../shared/diff';
import { OPTIONS } from './fixtures';

describe('validateDiffOptions', () => {
  it('accepts complete, valid options', () => {
    expect(() =>
      validateDiffOptions({
        fingerprintKey: OPTIONS.fingerprintKey,
        revealVariables: ['logLevel'],
        severityOverrides: [
          { path: 'tags.**', severity: 'INFO' },
          { path: 'webAclArn', severity: 'CRITICAL', kind: 'removed' },
        ],
        ignore: {
          paths: ['methodSettings.*.metricsEnabled'],
          stages: [{ stageName: 'dev-*' }],
          tag: { key: 'skip' },
        },
      }),
    ).not.toThrow();
  });

  it.each<[string, unknown, RegExp]>([
    [
      'a missing fingerprint key',
      { fingerprintKey: undefined },
      /^fingerprintKey: must be a non-empty secret string/,
    ],
    [
      'an empty fingerprint key',
      { fingerprintKey: '' },
      /^fingerprintKey: must be a non-empty secret string/,
    ],
    [
      'reveal names that are not a list',
      { revealVariables: 'dbHost' },
      /^revealVariables: must be an array of stage variable names/,
    ],
    ['overrides that are not a list', { severityOverrides: {} }, /^severityOverrides: must be an array/],
    [
      'an override that is not an object',
      { severityOverrides: ['tags.**'] },
      /^severityOverrides\[0\]: must be an object/,
    ],
    [
      'an override with a bad pattern',
      { severityOverrides: [{ path: 'tags..x', severity: 'LOW' }] },
      /^severityOverrides\[0\]\.path: bad path pattern "tags\.\.x": segment 2 is empty/,
    ],
    [
      'an override without a path',
      { severityOverrides: [{ severity: 'LOW' }] },
      /^severityOverrides\[0\]\.path: a path pattern must be a non-empty string/,
    ],
    [
      'an unknown severity',
      {
        severityOverrides: [
          { path: 'tags.**', severity: 'LOW' },
          { path: 'webAclArn', severity: 'SEVERE' },
        ],
      },
      /^severityOverrides\[1\]\.severity: "SEVERE" is not a severity; use one of CRITICAL, HIGH, MEDIUM, LOW, INFO/,
    ],
    [
      'a lower-case severity',
      { severityOverrides: [{ path: 'tags.**', severity: 'low' }] },
      /^severityOverrides\[0\]\.severity: "low" is not a severity/,
    ],
    [
      'an unknown change kind',
      { severityOverrides: [{ path: 'webAclArn', severity: 'HIGH', kind: 'deleted' }] },
      /^severityOverrides\[0\]\.kind: "deleted" is not a change kind; use one of added, removed, changed/,
    ],
  ])('rejects %s with a DiffConfigError naming the field and the fix', (_what, patch, message) => {
    const options = { ...OPTIONS, ...(patch as object) };

    expect(() => validateDiffOptions(options)).toThrow(message);
  });

  it('throws an error that is an Error, named DiffConfigError, with the field', () => {
    let caught: unknown;
    try {
      validateDiffOptions({ ...OPTIONS, severityOverrides: [{ path: 'a', severity: 'NOPE' as never }] });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(Error);
    expect(caught).toBeInstanceOf(DiffConfigError);
    expect(caught).toMatchObject({ name: 'DiffConfigError', field: 'severityOverrides[0].severity' });
  });
});
