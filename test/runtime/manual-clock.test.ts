import { ManualClock } from '../../shared/runtime';

describe('ManualClock', () => {
  it('starts at 0, at the milliseconds given, or at a date string', () => {
    expect(new ManualClock().now()).toBe(0);
    expect(new ManualClock({ start: 1_000 }).now()).toBe(1_000);
    expect(new ManualClock({ start: '2024-06-01T00:00:00.000Z' }).now()).toBe(
      Date.parse('2024-06-01T00:00:00.000Z'),
    );
  });

  it('refuses a start it cannot read, saying what it takes', () => {
    expect(() => new ManualClock({ start: 'yesterday' })).toThrow(
      'ManualClock: "yesterday" is not a time: pass milliseconds or an ISO date.',
    );
  });

  it('moves only when told (advance, set) or by a sleep', () => {
    // Prepare
    const clock = new ManualClock({ start: 10_000 });

    // Act
    clock.advance(500);
    const afterAdvance = clock.now();
    clock.advance(-2_000);
    const afterBack = clock.now();
    clock.set('2025-01-01T00:00:00Z');

    // Assess
    expect([afterAdvance, afterBack]).toEqual([10_500, 8_500]);
    expect(clock.now()).toBe(Date.parse('2025-01-01T00:00:00Z'));
  });

  describe("mode 'when-idle' (the default)", () => {
    it('wakes concurrent sleeps in the order of their wake-ups, at their own time', async () => {
      // Prepare
      const clock = new ManualClock({ start: 1_000 });
      const woke: [string, number][] = [];
      const sleeper = async (name: string, ms: number) => {
        await clock.sleep(ms);
        woke.push([name, clock.now()]);
      };

      // Act
      await Promise.all([
        sleeper('slow', 300),
        sleeper('fast', 100),
        sleeper('tie-first', 200),
        sleeper('tie-second', 200),
      ]);

      // Assess
      expect(woke).toEqual([
        ['fast', 1_100],
        ['tie-first', 1_200],
        ['tie-second', 1_200],
        ['slow', 1_300],
      ]);
      expect(clock.sleeps).toEqual([300, 100, 200, 200]);
      expect(clock.pending).toBe(0);
    });

    it('lets a sleep started on waking wait from that time', async () => {
      // Prepare
      const clock = new ManualClock();

      // Act
      await clock.sleep(100);
      await clock.sleep(250);

      // Assess
      expect(clock.now()).toBe(350);
    });

    it('records a zero or negative sleep and passes it at once, without moving', async () => {
      const clock = new ManualClock({ start: 5 });
      await clock.sleep(0);
      await clock.sleep(-3);
      expect(clock.sleeps).toEqual([0, -3]);
      expect(clock.now()).toBe(5);
    });

    it('rejects a sleep whose signal is aborted, and forgets its wake-up', async () => {
      // Prepare
      const clock = new ManualClock();
      const controller = new AbortController();
      const aborted = clock.sleep(1_000, controller.signal);
      const other = clock.sleep(5_000);

      // Act
      controller.abort(new Error('stop'));

      // Assess
      await expect(aborted).rejects.toThrow('stop');
      await other;
      expect(clock.now()).toBe(5_000);
      expect(clock.pending).toBe(0);
    });

    it('rejects at once for a signal already aborted, without moving', async () => {
      const clock = new ManualClock();
      const controller = new AbortController();
      controller.abort(new Error('already'));
      await expect(clock.sleep(1_000, controller.signal)).rejects.toThrow('already');
      expect(clock.now()).toBe(0);
    });
  });

  describe("mode 'on-sleep'", () => {
    it('moves time by each sleep at once, in the order they are asked for', async () => {
      // Prepare
      const clock = new ManualClock({ start: '2026-11-21T10:00:00.000Z', mode: 'on-sleep' });
      const start = clock.now();

      // Act
      const first = clock.sleep(1_000);
      const afterFirst = clock.now();
      await first;
      await clock.sleep(2_000);
      await clock.sleep(0);

      // Assess
      expect(afterFirst - start).toBe(1_000);
      expect(clock.now() - start).toBe(3_000);
      expect(clock.sleeps).toEqual([1_000, 2_000, 0]);
      expect(clock.pending).toBe(0);
    });
  });
});
