import { stripNoise } from './arbitraries';

describe('stripNoise (the property tests helper)', () => {
  it('keeps a map key named __proto__ as an own member, as JSON.parse and the normalizer do', () => {
    const stage = JSON.parse(
      '{"stageName":"prod","variables":{"__proto__":"x","url":null},"tags":{"constructor":"y"}}',
    ) as Parameters<typeof stripNoise>[0];

    const stripped = stripNoise(stage) as unknown as Record<string, Record<string, unknown>>;

    expect(Object.keys(stripped.variables!)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(stripped.variables, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(stripped.variables)).toBe(Object.prototype);
    expect(stripped.tags).toEqual({ constructor: 'y' });
  });
});
