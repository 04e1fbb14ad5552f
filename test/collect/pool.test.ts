import { ConcurrencyLimitError, createLimiter } from '../../shared/collect';

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

  it.each([0, -1, 1.5, Number.NaN])('refuses a concurrency of %p', (concurrency) => {
    expect(() => createLimiter(concurrency)).toThrow(ConcurrencyLimitError);
  });
});
