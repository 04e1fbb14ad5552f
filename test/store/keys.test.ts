import fc from 'fast-check';
import type { StageKey } from '../../shared/model';
import { API_TYPES } from '../../shared/model';
import { latestSk, scopePk, stagePk } from '../../shared/store';
import { driftMonthPk, isPartSk, parseLatestSk, partSk, versionSk } from '../../shared/store/keys';

const stageKey: fc.Arbitrary<StageKey> = fc.record({
  account: fc.stringMatching(/^\d{12}$/),
  region: fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-2'),
  apiType: fc.constantFrom(...API_TYPES),
  apiId: fc.stringMatching(/^[a-z0-9]{10}$/),
  stageName: fc.stringMatching(/^[A-Za-z0-9_$#-]{1,128}$/),
});

describe('table keys', () => {
  it('parses every latest sort key back into its stage key', () => {
    fc.assert(
      fc.property(stageKey, (key) => {
        expect(parseLatestSk(key.account, key.region, latestSk(key))).toEqual(key);
      }),
    );
  });

  it.each(['STAGE#REST#abc', 'STAGE#SOAP#abc#prod', 'LATEST#REST#abc#prod', 'STAGE#REST##prod'])(
    'rejects the malformed latest sort key %s',
    (sk) => {
      expect(parseLatestSk('123456789012', 'eu-west-1', sk)).toBeUndefined();
    },
  );

  it('builds the documented keys', () => {
    const key: StageKey = {
      account: '123456789012',
      region: 'eu-west-1',
      apiType: 'HTTP',
      apiId: 'abc123defg',
      stageName: '$default',
    };
    expect(scopePk(key.account, key.region)).toBe('SCOPE#123456789012#eu-west-1');
    expect(latestSk(key)).toBe('STAGE#HTTP#abc123defg#$default');
    expect(stagePk(key)).toBe('STAGE#123456789012#eu-west-1#HTTP#abc123defg#$default');
    expect(driftMonthPk('2024-06-05T10:00:00.000Z')).toBe('DRIFT#2024-06');
  });

  it('sorts the parts of a version after its head and before the next version', () => {
    const head = versionSk('2024-06-01T00:00:00.000Z');
    const parts = Array.from({ length: 12 }, (_, index) => partSk(head, index));
    const next = versionSk('2024-06-01T00:00:00.001Z');
    expect([next, ...parts, head].sort()).toEqual([head, ...parts, next]);
    expect(parts.every(isPartSk)).toBe(true);
    expect(isPartSk(head)).toBe(false);
  });
});
