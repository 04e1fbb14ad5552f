import { ConcurrencyLimitError, createLimiter, forEachLimit } from '../../shared/runtime';

/** One turn of the event loop: lets every promise chain that can run, run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createLimiter', () => {
  it('never runs more than its concurrency and starts waiting tasks in arrival order', async () => {
    // Prepare
    const limiter = createLimiter(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];

    // Act
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          running += 1;
          peak = Math.max(peak, running);
          await tick();
          running -= 1;
        }),
      ),
    );

    // Assess
    expect(peak).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(limiter.active).toBe(0);
    expect(limiter.waiting).toBe(0);
  });

  it('passes a task error to its caller and frees the slot', async () => {
    // Prepare
    const limiter = createLimiter(1);

    // Act
    const failed = limiter.run(() => Promise.reject(new Error('boom')));
    const next = limiter.run(() => Promise.resolve('next'));

    // Assess
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(limiter.active).toBe(0);
  });

  it('reports the tasks running and waiting while they are', async () => {
    // Prepare
    const limiter = createLimiter(2);
    const gates: (() => void)[] = [];
    const task = () => new Promise<void>((resolve) => gates.push(resolve));

    // Act
    const all = Promise.all([limiter.run(task), limiter.run(task), limiter.run(task)]);
    await tick();

    // Assess
    expect({ active: limiter.active, waiting: limiter.waiting }).toEqual({ active: 2, waiting: 1 });
    gates.shift()!();
    await tick();
    expect({ active: limiter.active, waiting: limiter.waiting }).toEqual({ active: 2, waiting: 0 });
    gates.splice(0).forEach((open) => open());
    await tick();
    gates.splice(0).forEach((open) => open());
    await all;
    expect(limiter.active).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a concurrency of %p',
    (concurrency) => {
      expect(() => createLimiter(concurrency)).toThrow(ConcurrencyLimitError);
      expect(() => createLimiter(concurrency)).toThrow(
        /concurrency must be an integer >= 1, got .*: pass e\.g\. 4\./,
      );
    },
  );
});

describe('forEachLimit', () => {
  const run = async (count: number, limit: number) => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await forEachLimit(
      Array.from({ length: count }, (_, i) => i),
      limit,
      async (i) => {
        started.push(i);
        running += 1;
        peak = Math.max(peak, running);
        await tick();
        running -= 1;
      },
    );
    return { peak, started };
  };

  it.each([
    ['a limit of 4', 10, 4, 4],
    ['a limit of 1', 5, 1, 1],
    ['a limit above the item count', 3, 16, 3],
    ['an unbounded limit', 3, Number.POSITIVE_INFINITY, 3],
    ['a limit of 0 (one at a time)', 4, 0, 1],
    ['a negative limit (one at a time)', 4, -2, 1],
    ['a fractional limit (rounded down)', 6, 2.7, 2],
  ])('runs every item in order, at most as many at once as %s allows', async (_label, count, limit, peak) => {
    // Act
    const result = await run(count, limit);

    // Assess
    expect(result.peak).toBe(peak);
    expect(result.started).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it('does nothing for no items', async () => {
    const fn = jest.fn(() => Promise.resolve());
    await forEachLimit([], 4, fn);
    expect(fn).not.toHaveBeenCalled();
  });

  it('refuses a NaN limit instead of running nothing', async () => {
    await expect(forEachLimit([1], Number.NaN, () => Promise.resolve())).rejects.toThrow(
      ConcurrencyLimitError,
    );
  });

  it('rejects with the first error once it is thrown, and still runs the other items', async () => {
    // Prepare
    const done: number[] = [];

    // Act
    const result = forEachLimit([0, 1, 2, 3], 2, async (i) => {
      await tick();
      if (i === 1) throw new Error(`item ${i} failed`);
      done.push(i);
    });

    // Assess
    await expect(result).rejects.toThrow('item 1 failed');
    await tick();
    await tick();
    expect(done.sort()).toEqual([0, 2, 3]);
  });
});
