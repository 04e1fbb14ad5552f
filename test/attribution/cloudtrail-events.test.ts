import fc from 'fast-check';
import type { EventPattern } from '../../shared/attribution';
import {
  API_GATEWAY_STAGE_CALLS_PATTERN,
  STAGE_CHANGE_EVENT_PATTERN,
  UnsupportedEventPatternError,
  WAF_STAGE_ASSOCIATION_PATTERN,
  matchesEventPattern,
} from '../../shared/attribution';
import { eventOf, FIXTURE_NAMES, OTHER_FIXTURES, STAGE_CHANGE_FIXTURES } from './fixtures';

describe('STAGE_CHANGE_EVENT_PATTERN against CloudTrail fixtures', () => {
  it('covers every fixture in exactly one of the two lists', () => {
    expect([...STAGE_CHANGE_FIXTURES, ...OTHER_FIXTURES].sort()).toEqual(FIXTURE_NAMES);
  });

  it.each(STAGE_CHANGE_FIXTURES)('routes %s to the snapshot Lambda', (name) => {
    expect(matchesEventPattern(STAGE_CHANGE_EVENT_PATTERN, eventOf(name))).toBe(true);
  });

  it.each(OTHER_FIXTURES)('leaves %s alone', (name) => {
    expect(matchesEventPattern(STAGE_CHANGE_EVENT_PATTERN, eventOf(name))).toBe(false);
  });

  it.each(FIXTURE_NAMES)('agrees with its two halves (one CDK rule each) on %s', (name) => {
    const event = eventOf(name);
    const either =
      matchesEventPattern(API_GATEWAY_STAGE_CALLS_PATTERN, event) ||
      matchesEventPattern(WAF_STAGE_ASSOCIATION_PATTERN, event);
    expect(matchesEventPattern(STAGE_CHANGE_EVENT_PATTERN, event)).toBe(either);
  });

  it('routes WAF changes only through the WAF half, and API Gateway calls only through the other', () => {
    const waf = eventOf('waf-associate-stage-terraform');
    const apiGateway = eventOf('rest-update-stage-console');
    expect(matchesEventPattern(WAF_STAGE_ASSOCIATION_PATTERN, waf)).toBe(true);
    expect(matchesEventPattern(API_GATEWAY_STAGE_CALLS_PATTERN, waf)).toBe(false);
    expect(matchesEventPattern(API_GATEWAY_STAGE_CALLS_PATTERN, apiGateway)).toBe(true);
    expect(matchesEventPattern(WAF_STAGE_ASSOCIATION_PATTERN, apiGateway)).toBe(false);
  });

  it('matches a WAF association in the China and GovCloud partitions too', () => {
    for (const partition of ['aws-cn', 'aws-us-gov']) {
      const event = eventOf('waf-associate-stage-terraform');
      event.detail.requestParameters = {
        resourceArn: `arn:${partition}:apigateway:cn-north-1::/restapis/a1b2c3d4e5/stages/prod`,
      };
      expect(matchesEventPattern(STAGE_CHANGE_EVENT_PATTERN, event)).toBe(true);
    }
  });

  it('does not match a stage call delivered under another detail-type', () => {
    const event = { ...eventOf('rest-update-stage-console'), 'detail-type': 'APIGateway CRL Processing' };
    expect(matchesEventPattern(STAGE_CHANGE_EVENT_PATTERN, event)).toBe(false);
  });

  it('does not match an API Gateway event name spelled in another case', () => {
    const event = eventOf('rest-update-stage-console');
    event.detail.eventName = 'updatestage';
    expect(matchesEventPattern(STAGE_CHANGE_EVENT_PATTERN, event)).toBe(false);
  });
});

describe('matchesEventPattern', () => {
  it.each<[string, EventPattern, unknown, boolean]>([
    ['an exact value', { a: ['x'] }, { a: 'x' }, true],
    ['another value', { a: ['x'] }, { a: 'y' }, false],
    ['any of several values', { a: ['x', 'y'] }, { a: 'y' }, true],
    ['a missing field', { a: ['x'] }, { b: 'x' }, false],
    ['a number exactly', { n: [5] }, { n: 5 }, true],
    ['a number given as text', { n: [5] }, { n: '5' }, false],
    ['null', { a: [null] }, { a: null }, true],
    ['a prefix', { a: [{ prefix: 'arn:aws:' }] }, { a: 'arn:aws:apigateway' }, true],
    ['a prefix on a non-string', { a: [{ prefix: '1' }] }, { a: 12 }, false],
    ['a nested field', { d: { e: ['x'] } }, { d: { e: 'x', f: 'y' } }, true],
    ['a nested pattern against a leaf', { d: { e: ['x'] } }, { d: 'x' }, false],
    ['a leaf pattern against an object', { d: ['x'] }, { d: { e: 'x' } }, false],
    ['an array field with a matching element', { a: ['x'] }, { a: ['w', 'x'] }, true],
    ['an array field without one', { a: ['x'] }, { a: ['w', 'v'] }, false],
    ['every field (AND)', { a: ['x'], b: ['y'] }, { a: 'x', b: 'z' }, false],
    ['$or with one branch matching', { $or: [{ a: ['x'] }, { b: ['y'] }] }, { b: 'y' }, true],
    ['$or with none matching', { $or: [{ a: ['x'] }, { b: ['y'] }] }, { c: 'z' }, false],
    ['anything but an object', { a: ['x'] }, 'x', false],
  ])('matches %s: %j vs %j -> %s', (_label, pattern, event, expected) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });

  it('refuses operators it does not implement instead of guessing', () => {
    expect(() => matchesEventPattern({ a: [{ suffix: '.png' } as never] }, { a: 'x.png' })).toThrow(
      UnsupportedEventPatternError,
    );
    expect(() => matchesEventPattern({ $or: [{ a: ['x'] }] }, { a: 'x' })).toThrow(
      UnsupportedEventPatternError,
    );
  });

  it('matches a flat exact pattern exactly when every field is equal (property)', () => {
    const record = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(record, record, (pattern, event) => {
        const asPattern: EventPattern = Object.fromEntries(Object.entries(pattern).map(([k, v]) => [k, [v]]));
        const expected = Object.entries(pattern).every(([k, v]) => event[k] === v);
        expect(matchesEventPattern(asPattern, event)).toBe(expected);
      }),
    );
  });
});
