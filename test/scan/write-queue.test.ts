import { createWriteQueue } from '../../shared/scan/write-queue';

/** A write held until the test releases it (or fails it). */
interface Held {
  readonly item: number;
  release(): void;
  fail(error: Error): void;
}

/** A queue whose writes wait for the test, and the list of writes started so far. */
const heldQueue = (concurrency: number, highWater?: number) => {
  const started: Held[] = [];
  const queue = createWriteQueue<number>(
    concurrency,
    (item) =>
      new Promise<void>((resolve, reject) => {
        started.push({ item, release: resolve, fail: reject });
      }),
    highWater,
  );
  return { queue, started };
};

/** Lets every promise chain that can run, run. */
const settleMicrotasks = () => new Promise((resolve) => setImmediate(resolve));

describe('createWriteQueue', () => {
  it('runs at most `concurrency` writes at a time, in the order pushed', async () => {
    // Prepare
    const { queue, started } = heldQueue(2);

    // Act
    for (const item of [1, 2, 3, 4]) queue.push(item);
    await settleMicrotasks();
    const firstWave = started.map((w) => w.item);
    started[0]!.release();
    await settleMicrotasks();

    // Assess
    expect(firstWave).toEqual([1, 2]);
    expect(started.map((w) => w.item)).toEqual([1, 2, 3]);
    for (const write of started) write.release();
    await settleMicrotasks();
    started[3]!.release();
    await expect(queue.settle()).resolves.toBeUndefined();
  });

  it('makes a producer wait for room once highWater writes are queued or running', async () => {
    // Prepare
    const { queue, started } = heldQueue(1, 2);
    queue.push(1);
    queue.push(2);
    let roomGiven = false;

    // Act
    const room = queue.room().then(() => {
      roomGiven = true;
    });
    await settleMicrotasks();
    const waitedWhileFull = !roomGiven;
    started[0]!.release();
    await room;

    // Assess
    expect(waitedWhileFull).toBe(true);
    expect(roomGiven).toBe(true);
    await settleMicrotasks();
    started[1]!.release();
    await queue.settle();
  });

  it('starts no write after one fails, and rethrows the first error once the writes in flight settle', async () => {
    // Prepare
    const { queue, started } = heldQueue(2);
    for (const item of [1, 2, 3, 4]) queue.push(item);
    await settleMicrotasks();
    let settled = false;

    // Act
    started[0]!.fail(new Error('first'));
    await settleMicrotasks();
    queue.push(5);
    const settling = queue.settle().finally(() => {
      settled = true;
    });
    await settleMicrotasks();
    const settledWhileSecondInFlight = settled;
    started[1]!.fail(new Error('second'));

    // Assess
    await expect(settling).rejects.toThrow('first');
    expect(settledWhileSecondInFlight).toBe(false);
    expect(started.map((w) => w.item)).toEqual([1, 2]);
    expect(queue.failure).toEqual({ error: new Error('first') });
    await expect(queue.room()).resolves.toBeUndefined();
  });
});
