import fc from 'fast-check';
import type { BackoffPolicy } from '../../shared/runtime';
import { backoffCeilingMs, backoffDelayMs, fitToDeadline } from '../../shared/runtime';
import { createPrng } from '../support/simulator/prng';

const COLLECTOR: BackoffPolicy = { baseDelayMs: 200, maxDelayMs: 10_000 };
const almostOne = () => 0.999999;

describe('backoffDelayMs', () => {
  it('draws full jitter below a ceiling that doubles from the base up to the cap', () => {
    const waits = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((retry) => backoffDelayMs(retry, COLLECTOR, almostOne));
    expect(waits).toEqual([199, 399, 799, 1599, 3199, 6399, 9999, 9999, 9999]);
    expect(backoffDelayMs(5, COLLECTOR, () => 0)).toBe(0);
  });

  it('keeps the ceiling at the cap however many retries there were (no overflow to Infinity or NaN)', () => {
    expect(backoffCeilingMs(1_000, COLLECTOR)).toBe(10_000);
    expect(backoffCeilingMs(1_000, { baseDelayMs: 1, maxDelayMs: Number.POSITIVE_INFINITY })).toBe(2 ** 30);
    expect(backoffDelayMs(1_000, COLLECTOR, almostOne)).toBe(9999);
  });

  it('waits the ceiling itself without jitter, and draws no random number for it', () => {
    // Prepare: the Slack sender's shape (1 s doubling up to 8 s).
    const slack: BackoffPolicy = { baseDelayMs: 1000, maxDelayMs: 8000, jitter: 'none' };
    const random = jest.fn(() => 0.5);

    // Act
    const waits = [0, 1, 2, 3, 4].map((retry) => backoffDelayMs(retry, slack, random));

    // Assess
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(random).not.toHaveBeenCalled();
  });

  it('draws one random number per wait, so a seeded source gives the same waits every run', () => {
    const waits = (seed: number) => {
      const prng = createPrng(seed);
      return [0, 1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, COLLECTOR, () => prng.next()));
    };
    expect(waits(42)).toEqual(waits(42));
    expect(waits(42)).not.toEqual(waits(43));
  });

  it('always waits a whole number of ms in [0, ceiling) with full jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, baseDelayMs, extra, draw) => {
          const policy = { baseDelayMs, maxDelayMs: baseDelayMs + extra };
          const wait = backoffDelayMs(retry, policy, () => draw);
          const ceiling = backoffCeilingMs(retry, policy);
          return Number.isInteger(wait) && wait >= 0 && wait < ceiling && ceiling <= policy.maxDelayMs;
        },
      ),
    );
  });
});

describe('fitToDeadline', () => {
  it.each([
    ['keeps a wait that ends before the deadline', 300, 10_000, 0, 300],
    ['raises a wait to what the service asked for', 300, 10_000, 2_000, 2_000],
    ['keeps a wait longer than what the service asked for', 3_000, 10_000, 2_000, 3_000],
    ['cuts a wait to the time left', 3_000, 1_000, 0, 1_000],
    ['waits exactly the time left when the service asks for all of it', 300, 1_000, 1_000, 1_000],
    ['gives up once the deadline has passed', 300, 0, 0, undefined],
    ['gives up after the deadline too', 300, -5, 0, undefined],
    ['gives up when the service asks for more than is left', 300, 1_000, 1_001, undefined],
  ])('%s', (_label, delay, remaining, atLeast, expected) => {
    expect(fitToDeadline(delay, remaining, atLeast)).toBe(expected);
  });

  it('never waits past the deadline', () => {
    fc.assert(
      fc.property(
        fc.nat(100_000),
        fc.integer({ min: 1, max: 100_000 }),
        fc.nat(100_000),
        (delay, left, hint) => {
          const wait = fitToDeadline(delay, left, hint);
          return wait === undefined
            ? hint > left
            : wait <= left && wait >= Math.min(delay, left) && wait >= hint;
        },
      ),
    );
  });
});
