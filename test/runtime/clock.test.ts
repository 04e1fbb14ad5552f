import { systemClock } from '../../shared/runtime';

// The system clock's timers run on Jest's fake timers: nothing here waits on the wall clock.
beforeEach(() => {
  jest.useFakeTimers({ now: Date.parse('2025-01-01T00:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Whether `promise` has settled, after the microtasks that can run have run. */
const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await jest.advanceTimersByTimeAsync(0);
  return done;
};

describe('systemClock', () => {
  it('tells Date.now()', () => {
    expect(systemClock.now()).toBe(Date.parse('2025-01-01T00:00:00Z'));
  });

  it('resolves a sleep once its time has passed, not before', async () => {
    // Act
    const sleep = systemClock.sleep(1000);

    // Assess
    expect(await settled(sleep)).toBe(false);
    await jest.advanceTimersByTimeAsync(999);
    expect(await settled(sleep)).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(sleep).resolves.toBeUndefined();
  });

  it.each([0, -5])('resolves a sleep of %p ms at once, with no timer', async (ms) => {
    const sleep = systemClock.sleep(ms);
    expect(jest.getTimerCount()).toBe(0);
    await expect(sleep).resolves.toBeUndefined();
  });

  it('rejects a sleep with the reason of its signal once it is aborted, and drops the timer', async () => {
    // Prepare
    const controller = new AbortController();
    const sleep = systemClock.sleep(60_000, controller.signal);
    const outcome = sleep.catch((error: unknown) => error);

    // Act
    await jest.advanceTimersByTimeAsync(10);
    controller.abort(new Error('stopping'));

    // Assess
    expect(await outcome).toEqual(new Error('stopping'));
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects at once for a signal already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('already stopped'));
    await expect(systemClock.sleep(1000, controller.signal)).rejects.toThrow('already stopped');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves a sleep whose signal is never aborted, and stops listening to it', async () => {
    // Prepare
    const controller = new AbortController();
    const removed = jest.spyOn(controller.signal, 'removeEventListener');

    // Act
    const sleep = systemClock.sleep(500, controller.signal);
    await jest.advanceTimersByTimeAsync(500);

    // Assess
    await expect(sleep).resolves.toBeUndefined();
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
  });
});
