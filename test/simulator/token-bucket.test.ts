import fc from 'fast-check';
import { createTokenBucket } from '../support/simulator/token-bucket';

describe('createTokenBucket', () => {
  it('grants the burst at once, then one token per 1/rate seconds', () => {
    // Prepare
    let now = 0;
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 4, now: () => now });
    // Act
    const burst = Array.from({ length: 5 }, () => bucket.tryTake());
    now += 99;
    const tooEarly = bucket.tryTake();
    now += 1;
    const onTime = bucket.tryTake();
    // Assess
    expect(burst).toEqual([true, true, true, true, false]);
    expect(tooEarly).toBe(false);
    expect(onTime).toBe(true);
  });

  it('adds nothing when the clock goes backwards', () => {
    let now = 1000;
    const bucket = createTokenBucket({ ratePerSecond: 1, burst: 1, now: () => now });
    expect(bucket.tryTake()).toBe(true);
    now = 0;
    expect(bucket.tryTake()).toBe(false);
    now = 1000;
    expect(bucket.tryTake()).toBe(false);
    now = 2000;
    expect(bucket.tryTake()).toBe(true);
  });

  it('never grants more than burst + rate * elapsed seconds', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 200 }),
        (rate, burst, steps) => {
          let now = 0;
          const bucket = createTokenBucket({ ratePerSecond: rate, burst, now: () => now });
          let granted = 0;
          for (const step of steps) {
            now += step;
            if (bucket.tryTake()) granted += 1;
          }
          expect(granted).toBeLessThanOrEqual(burst + (rate * now) / 1000 + 1e-9);
        },
      ),
    );
  });

  it.each([
    [{ ratePerSecond: 0, burst: 1 }, /ratePerSecond/],
    [{ ratePerSecond: 1, burst: 0 }, /burst/],
  ])('refuses %j', (options, message) => {
    expect(() => createTokenBucket({ ...options, now: () => 0 })).toThrow(message);
  });
});
