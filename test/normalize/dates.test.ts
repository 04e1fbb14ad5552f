import { StageNormalizeError, toIsoTimestamp } from '../../shared/normalize';

describe('toIsoTimestamp', () => {
  it.each([
    ['a Date (SDK v3)', new Date('2016-04-15T17:38:08Z'), '2016-04-15T17:38:08.000Z'],
    ['an ISO string with Z (seed 002)', '2016-04-15T17:38:08Z', '2016-04-15T17:38:08.000Z'],
    ['an ISO string with +00:00 (AWS CLI)', '2016-04-15T17:38:08+00:00', '2016-04-15T17:38:08.000Z'],
    ['an ISO string with +0000', '2016-04-15T17:38:08+0000', '2016-04-15T17:38:08.000Z'],
    ['an ISO string in another zone', '2016-04-15T19:38:08+02:00', '2016-04-15T17:38:08.000Z'],
    ['an ISO string with a space for T', '2016-04-15 17:38:08+00:00', '2016-04-15T17:38:08.000Z'],
    ['an ISO string without seconds', '2016-04-15T17:38Z', '2016-04-15T17:38:00.000Z'],
    ['an ISO string with microseconds', '2016-04-15T17:38:08.123456Z', '2016-04-15T17:38:08.123Z'],
    ['a date only, read as UTC midnight', '2016-04-15', '2016-04-15T00:00:00.000Z'],
    ['epoch seconds (v1 wire form)', 1460741888, '2016-04-15T17:38:08.000Z'],
    ['fractional epoch seconds', 1460741888.123, '2016-04-15T17:38:08.123Z'],
    ['epoch milliseconds', 1460741888123, '2016-04-15T17:38:08.123Z'],
  ])('reads %s', (_form, value, expected) => {
    expect(toIsoTimestamp(value, 'createdDate')).toBe(expected);
  });

  it.each([
    ['an ISO string with milliseconds', '2016-04-15T17:38:08.999Z'],
    ['fractional epoch seconds', 1460741888.5],
    ['a Date with milliseconds', new Date('2016-04-15T17:38:08.123Z')],
    ['whole seconds', '2016-04-15T17:38:08+00:00'],
  ])('drops the fraction of %s at second precision', (_form, value) => {
    expect(toIsoTimestamp(value, 'createdDate', 'second')).toBe('2016-04-15T17:38:08.000Z');
  });

  it.each([null, undefined, ''])('treats %j as no date', (value) => {
    expect(toIsoTimestamp(value, 'createdDate')).toBeUndefined();
  });

  it.each([
    ['words', 'yesterday', '"yesterday"'],
    ['a time without a zone, which would depend on the host', '2016-04-15T17:38:08', '"2016-04-15T17:38:08"'],
    ['month 13', '2016-13-01T00:00:00Z', '"2016-13-01T00:00:00Z"'],
    ['a boolean', true, 'true'],
    ['an object', {}, 'an object'],
    ['an invalid Date', new Date(Number.NaN), 'an invalid Date'],
    ['NaN', Number.NaN, 'NaN'],
    ['a number out of range', 1e20, '100000000000000000000'],
  ])('rejects %s, naming the field', (_case, value, shown) => {
    expect(() => toIsoTimestamp(value, 'lastUpdatedDate')).toThrow(
      new StageNormalizeError(
        `lastUpdatedDate: expected a date (a Date, an ISO-8601 string with a time zone, or epoch seconds), got ${shown}`,
      ),
    );
  });
});
