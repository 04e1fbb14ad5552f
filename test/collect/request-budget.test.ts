import fc from 'fast-check';
import type { RequestBudget } from '../../shared/collect';
import {
  createCollectorBudget,
  FIRST_ANSWER_MARGIN_MS,
  FIRST_ANSWER_WAIT_MS,
  RequestBudgetError,
  TokenBucket,
} from '../../shared/collect';
import { createTokenBucket } from '../support/simulator/token-bucket';
import { ManualClock } from '../../shared/runtime';

/** Starts `count` acquires at once and returns the virtual time at which each was granted. */
const grantTimes = async (bucket: TokenBucket, clock: ManualClock, count: number): Promise<number[]> => {
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
    const clock = new ManualClock();
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 3, clock });

    // Act
    const times = await grantTimes(bucket, clock, 6);

    // Assess
    expect(times).toEqual([0, 0, 0, 250, 500, 750]);
  });

  it('serves waiting callers first come, first served', async () => {
    // Prepare
    const clock = new ManualClock();
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
    const clock = new ManualClock();
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

  it('adds nothing when the clock steps backwards', async () => {
    // Prepare
    const clock = new ManualClock({ start: 10_000 });
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 2, clock });
    await bucket.acquire();
    await bucket.acquire();

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
          const clock = new ManualClock();
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

/**
 * How many of `count` requests, paced by `budget` from an idle start, an account's bucket of
 * 10/s, burst 40 (the simulator's model) refuses when nothing reaches it before the first
 * connection is up at `connectMs`, and each later request takes `latencyMs` to arrive (and its
 * answer as long to come back).
 */
const refusedByAccount = async (
  budget: RequestBudget,
  clock: ManualClock,
  count: number,
  connectMs = 50,
  latencyMs = 5,
): Promise<number> => {
  const account = createTokenBucket({ ratePerSecond: 10, burst: 40, now: () => clock.now() });
  const start = clock.now();
  let refused = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      await budget.acquire();
      await clock.sleep(Math.max(latencyMs, start + connectMs - clock.now()));
      if (!account.tryTake()) refused += 1;
      await clock.sleep(latencyMs); // the answer's way back
      budget.answered?.();
    }),
  );
  return refused;
};

describe('createCollectorBudget', () => {
  it('lets the full burst out, then refills from the first answer on, up to the full burst when idle', async () => {
    // Prepare
    const clock = new ManualClock();
    const budget = createCollectorBudget({ ratePerSecond: 10, burst: 40 }, clock) as TokenBucket;
    const granted: number[] = [];
    const acquireAll = Promise.all(
      Array.from({ length: 42 }, async () => {
        await budget.acquire();
        granted.push(clock.now());
      }),
    );

    // Act: no refill while nothing has come back (the 41st and 42nd wait for the first answer).
    for (let i = 0; i < 10; i++) await Promise.resolve(); // microtasks only: virtual time stays at 0
    clock.advance(500);
    const beforeAnswer = { tokens: budget.available(), granted: granted.length };
    budget.answered();
    budget.answered(); // later answers change nothing
    await acquireAll;
    clock.advance(60_000);

    // Assess
    expect(beforeAnswer).toEqual({ tokens: 0, granted: 40 });
    expect(granted.slice(0, 40).every((t) => t === 0)).toBe(true);
    expect(granted.slice(40)).toEqual([
      500 + FIRST_ANSWER_MARGIN_MS + 100,
      500 + FIRST_ANSWER_MARGIN_MS + 200,
    ]);
    expect(budget.available()).toBe(40);
  });

  it('stops waiting for a first answer that never comes, FIRST_ANSWER_WAIT_MS after its first token', async () => {
    // Prepare: a burst smaller than the requests in flight, and no request ever answered.
    const clock = new ManualClock();
    const budget = createCollectorBudget({ ratePerSecond: 10, burst: 2 }, clock) as TokenBucket;

    // Act
    const granted = await grantTimes(budget, clock, 4);

    // Assess
    expect(granted).toEqual([0, 0, FIRST_ANSWER_WAIT_MS + 100, FIRST_ANSWER_WAIT_MS + 200]);
  });

  it('meets an account bucket of its own burst without a 429 when the first request is slow to arrive', async () => {
    // Prepare: the collector at the account's full quota; a bucket that starts full for contrast.
    const clock = new ManualClock();
    const quota = { ratePerSecond: 10, burst: 40 };

    // Act
    const fromFirstAnswer = await refusedByAccount(createCollectorBudget(quota, clock), clock, 60, 250);
    const fromStart = await refusedByAccount(new TokenBucket({ ...quota, clock }), clock, 60, 250);

    // Assess: the request after the burst reaches the account before its token unless the
    // collector counts from the first answer.
    expect(fromFirstAnswer).toBe(0);
    expect(fromStart).toBeGreaterThan(0);
  });

  it('starts full, and hands back a shared budget as it is', () => {
    // Prepare
    const clock = new ManualClock();
    const shared = new TokenBucket({ ratePerSecond: 1, burst: 5, clock });

    // Act
    const single = createCollectorBudget({ ratePerSecond: 2, burst: 1 }, clock) as TokenBucket;

    // Assess
    expect(single.available()).toBe(1);
    expect(createCollectorBudget({ ratePerSecond: 2, burst: 1, budget: shared }, clock)).toBe(shared);
    expect((createCollectorBudget({}, clock) as TokenBucket).available()).toBe(10); // 3/s, burst 10
  });
});
