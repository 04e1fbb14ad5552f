import fc from 'fast-check';
import { RequestBudgetError, TokenBucket } from '../../shared/collect';
import { FakeClock } from './fake-clock';

/** Starts `count` acquires at once and returns the virtual time at which each was granted. */
const grantTimes = async (bucket: TokenBucket, clock: FakeClock, count: number): Promise<number[]> => {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      await bucket.acquire();
      times.push(clock.now());
    }),
  );
  return times;
};

describe('TokenBucket', () => {
  it('lets a full burst through at once, then spaces requests at the rate', async () => {
    // Prepare
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 3, clock });

    // Act
    const times = await grantTimes(bucket, clock, 6);

    // Assess
    expect(times).toEqual([0, 0, 0, 250, 500, 750]);
  });

  it('serves waiting callers first come, first served', async () => {
    // Prepare
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1, clock });
    const order: number[] = [];

    // Act
    await Promise.all([0, 1, 2, 3, 4].map((i) => bucket.acquire().then(() => order.push(i))));

    // Assess
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(clock.now()).toBe(400);
  });

  it('refills while idle but never beyond the burst', async () => {
    // Prepare
    const clock = new FakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 5, clock });
    await grantTimes(bucket, clock, 5);

    // Act
    clock.advance(60_000);

    // Assess
    expect(bucket.available()).toBe(5);
    const start = clock.now();
    const times = await grantTimes(bucket, clock, 7);
    expect(times.map((t) => t - start)).toEqual([0, 0, 0, 0, 0, 500, 1000]);
  });

  it('adds nothing when the clock steps backwards', () => {
    // Prepare
    const clock = new FakeClock(10_000);
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 2, clock });
    bucket.reserve();
    bucket.reserve();

    // Act
    clock.advance(-5_000);

    // Assess
    expect(bucket.available()).toBe(0);
  });

  it.each([
    [{ ratePerSecond: 0, burst: 1 }, /ratePerSecond must be a positive number/],
    [{ ratePerSecond: Number.NaN, burst: 1 }, /ratePerSecond/],
    [{ ratePerSecond: 1, burst: 0 }, /burst must be a number >= 1/],
  ])('refuses %o with a message that says how to fix it', (options, message) => {
    expect(() => new TokenBucket(options)).toThrow(RequestBudgetError);
    expect(() => new TokenBucket(options)).toThrow(message);
  });

  it('never lets more than burst + rate * t requests through in any window of t', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 1, max: 8 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (ratePerSecond, burst, waves) => {
          const clock = new FakeClock();
          const bucket = new TokenBucket({ ratePerSecond, burst, clock });
          const times: number[] = [];
          for (const [gap, count] of waves) {
            clock.advance(gap);
            times.push(...(await grantTimes(bucket, clock, count)));
          }
          times.sort((a, b) => a - b);
          for (let i = 0; i < times.length; i++) {
            for (let j = i; j < times.length; j++) {
              const window = (times[j]! - times[i]!) / 1000;
              expect(j - i + 1).toBeLessThanOrEqual(burst + ratePerSecond * window + 1e-6);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
