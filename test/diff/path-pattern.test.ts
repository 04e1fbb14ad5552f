import fc from 'fast-check';
import {
  comparePaths,
  DiffConfigError,
  formatPathAsPattern,
  matchesPathPattern,
  parsePathPattern,
} from '../../shared/diff';

const matches = (pattern: string, path: readonly string[]): boolean =>
  matchesPathPattern(parsePathPattern(pattern), path);

describe('parsePathPattern and matchesPathPattern', () => {
  it.each<[string, readonly string[], boolean]>([
    ['webAclArn', ['webAclArn'], true],
    ['webAclArn', ['webAclArnX'], false],
    ['tags.*', ['tags', 'team'], true],
    ['tags.*', ['tags'], false],
    ['tags.**', ['tags'], true],
    ['tags.**', ['tags', 'team'], true],
    ['tags.**', ['tagsX', 'team'], false],
    ['methodSettings.*.loggingLevel', ['methodSettings', '*/*', 'loggingLevel'], true],
    ['methodSettings.*.loggingLevel', ['methodSettings', 'pets/GET', 'loggingLevel'], true],
    ['methodSettings.*.loggingLevel', ['methodSettings', 'pets/GET'], false],
    ['methodSettings.\\*/\\*.loggingLevel', ['methodSettings', '*/*', 'loggingLevel'], true],
    ['methodSettings.\\*/\\*.loggingLevel', ['methodSettings', 'pets/GET', 'loggingLevel'], false],
    ['methodSettings.*/GET.loggingLevel', ['methodSettings', 'pets/GET', 'loggingLevel'], true],
    ['methodSettings.*/GET.loggingLevel', ['methodSettings', 'pets/POST', 'loggingLevel'], false],
    [
      'routeSettings.GET /pets.throttlingRateLimit',
      ['routeSettings', 'GET /pets', 'throttlingRateLimit'],
      true,
    ],
    ['routeSettings.GET /v1\\.0/pets', ['routeSettings', 'GET /v1.0/pets'], true],
    ['tags.aws:*', ['tags', 'aws:cloudformation:stack-name'], true],
    ['tags.aws:*', ['tags', 'team'], false],
    ['tags.env?', ['tags', 'env2'], true],
    ['tags.env?', ['tags', 'env'], false],
    ['**.throttlingRateLimit', ['routeSettings', 'GET /pets', 'throttlingRateLimit'], true],
    ['**.throttlingRateLimit', ['defaultRouteSettings', 'throttlingRateLimit'], true],
    ['**', [], true],
    ['**', ['a', 'b', 'c'], true],
    ['a.**.z', ['a', 'z'], true],
    ['a.**.z', ['a', 'b', 'c', 'z'], true],
    ['a.**.z', ['a', 'b', 'c'], false],
  ])('matches %s against %j: %s', (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it.each([
    ['', /must be a non-empty string/],
    ['tags..team', /segment 2 is empty/],
    ['.tags', /segment 1 is empty/],
    ['tags.', /segment 2 is empty/],
    ['tags.a**', /'\*\*' must be a whole segment/],
    ['tags\\', /ends with a lone '\\'/],
    ['tags\\n', /'\\n' is not an escape/],
  ])('rejects %j with a message that says how to write a pattern', (pattern, reason) => {
    expect(() => parsePathPattern(pattern)).toThrow(DiffConfigError);
    expect(() => parsePathPattern(pattern)).toThrow(reason);
    expect(() => parsePathPattern(pattern)).toThrow(/e\.g\. 'tags\.\*\*'/);
  });

  it('names the field it was given in the error', () => {
    expect(() => parsePathPattern('a..b', 'ignore.paths[3]')).toThrow(
      /^ignore\.paths\[3\]: bad path pattern "a\.\.b"/,
    );
  });

  it('writes any path as a pattern that matches exactly that path', () => {
    const segment = fc.string({
      minLength: 1,
      maxLength: 6,
      unit: fc.constantFrom('a', '.', '*', '?', '\\', '/', ' '),
    });
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        fc.array(segment, { maxLength: 4 }),
        (path, other) => {
          const pattern = parsePathPattern(formatPathAsPattern(path));
          expect(matchesPathPattern(pattern, path)).toBe(true);
          expect(matchesPathPattern(pattern, other)).toBe(comparePaths(path, other) === 0);
        },
      ),
    );
  });
});

describe('comparePaths', () => {
  it.each<[readonly string[], readonly string[], number]>([
    [['a'], ['a'], 0],
    [['a'], ['a', 'b'], -1],
    [['a', 'b'], ['a'], 1],
    [['methodSettings', '*/*'], ['methodSettings', 'orders/POST'], -1],
    [['tags', 'z'], ['variables', 'a'], -1],
  ])('orders %j against %j as %d', (a, b, sign) => {
    expect(Math.sign(comparePaths(a, b))).toBe(sign);
  });
});
