import { parseRetryAfter } from '../../shared/runtime';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['delta-seconds', '3', 3000],
    ['delta-seconds as a number (the v1 SDK models it so)', 3, 3000],
    ['fractional seconds', '1.5', 1500],
    ['zero', '0', 0],
    ['a negative number of seconds, as no wait', '-4', 0],
    ['seconds with white space around them', '  2 ', 2000],
    ['an HTTP date, from now', 'Wed, 01 Jan 2025 00:00:05 GMT', 5000],
    ['an HTTP date with white space around it', ' Wed, 01 Jan 2025 00:00:05 GMT\n', 5000],
    ['an HTTP date in the past, as no wait', 'Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['an absent header (fetch answers null)', null, undefined],
    ['an absent field', undefined, undefined],
    ['a blank value', '   ', undefined],
    ['words', 'soon', undefined],
    ['a NaN', Number.NaN, undefined],
  ])('reads %s', (_label, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([
    ['seconds', '120', 10_000],
    ['an HTTP date', 'Wed, 01 Jan 2025 01:00:00 GMT', 10_000],
    ['a wait under the cap, unchanged', '3', 3000],
  ])('caps %s at maxMs', (_label, value, expected) => {
    expect(parseRetryAfter(value, NOW, 10_000)).toBe(expected);
  });
});
