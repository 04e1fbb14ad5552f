import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { StageKey } from '../../shared/model';
import { API_TYPES } from '../../shared/model';
import type { LatestEntry } from '../../shared/store';
import { eventIdFor } from '../../shared/store';
import { restKey } from './fixtures';

const hash = fc.stringMatching(/^[0-9a-f]{64}$/);
const iso = fc
  .integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') })
  .map((ms) => new Date(ms).toISOString());
const stageKey: fc.Arbitrary<StageKey> = fc.record({
  account: fc.stringMatching(/^\d{12}$/),
  region: fc.constantFrom('eu-west-1', 'us-east-1'),
  apiType: fc.constantFrom(...API_TYPES),
  apiId: fc.stringMatching(/^[a-z0-9]{10}$/),
  stageName: fc.stringMatching(/^[A-Za-z0-9_$-]{1,20}$/),
});
const entry = (key: StageKey, h: string, capturedAt: string): LatestEntry => ({
  key,
  hash: h,
  capturedAt,
  versionSk: `V#${capturedAt}`,
  apiName: 'api',
});

describe('eventIdFor', () => {
  it('is 32 lowercase hex digits', () => {
    fc.assert(
      fc.property(stageKey, hash, iso, hash, (key, before, at, after) => {
        expect(eventIdFor(key, entry(key, before, at), after)).toMatch(/^[0-9a-f]{32}$/);
      }),
    );
  });

  it('gives a replay of the same change the same id', () => {
    fc.assert(
      fc.property(stageKey, hash, iso, fc.option(hash, { nil: undefined }), (key, before, at, after) => {
        expect(eventIdFor(key, entry(key, before, at), after)).toBe(
          eventIdFor({ ...key }, entry(key, before, at), after),
        );
      }),
    );
  });

  it('gives the same change from a different previous capture (a flap) a different id', () => {
    fc.assert(
      fc.property(stageKey, hash, iso, iso, hash, (key, before, at1, at2, after) => {
        fc.pre(at1 !== at2);
        expect(eventIdFor(key, entry(key, before, at1), after)).not.toBe(
          eventIdFor(key, entry(key, before, at2), after),
        );
      }),
    );
  });

  it('tells apart creations, deletions and modifications of the same stage', () => {
    const key = restKey();
    const h = 'a'.repeat(64);
    const previous = entry(key, h, '2024-06-01T00:00:00.000Z');
    const ids = [
      eventIdFor(key, undefined, h),
      eventIdFor(key, previous, undefined),
      eventIdFor(key, previous, 'b'.repeat(64)),
      eventIdFor(key, undefined, h, 'V#2024-06-02T00:00:00.000Z'),
    ];
    expect(new Set(ids).size).toBe(4);
  });

  it('counts an earlier tombstone only for a stage without a previous entry', () => {
    const key = restKey();
    const previous = entry(key, 'a'.repeat(64), '2024-06-01T00:00:00.000Z');
    expect(eventIdFor(key, previous, undefined, 'V#x')).toBe(eventIdFor(key, previous, undefined));
  });

  it('is the documented formula, so ids already stored keep matching across releases', () => {
    const key = restKey();
    const previous = entry(key, 'a'.repeat(64), '2024-06-01T00:00:00.000Z');
    const input = [
      '123456789012/eu-west-1/REST/a1b2c3d4e5/prod',
      'a'.repeat(64),
      '2024-06-01T00:00:00.000Z',
      'b'.repeat(64),
    ];
    const expected = createHash('sha256').update(input.join('\n')).digest('hex').slice(0, 32);
    expect(eventIdFor(key, previous, 'b'.repeat(64))).toBe(expected);
    expect(expected).toBe('92b0ad29292c80072ec1f3b34f623c46');
    const deleted = ['123456789012/eu-west-1/REST/a1b2c3d4e5/prod', '-', '-', 'DELETED'].join('\n');
    expect(eventIdFor(key, undefined, undefined)).toBe(
      createHash('sha256').update(deleted).digest('hex').slice(0, 32),
    );
  });
});
