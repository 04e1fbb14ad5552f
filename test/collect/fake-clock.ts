import type { Clock } from '../../shared/collect';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * Virtual time. `sleep` never waits on the wall clock: once every promise chain that can run
 * has run (a `setImmediate` turn), time jumps to the earliest pending timer and wakes it.
 * So code built only on promises and this clock runs as if time passed, in microseconds.
 */
export class FakeClock implements Clock {
  /** Every `sleep` asked for, in order. */
  readonly sleeps: number[] = [];
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.timers.push({ at: this.time + ms, seq: this.seq++, resolve });
      this.schedule();
    });
  }

  /** Moves time forward by hand (e.g. an idle gap between two bursts). */
  advance(ms: number): void {
    this.time += ms;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.fireEarliest();
    });
  }

  private fireEarliest(): void {
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const first = this.timers[0];
    if (!first) return;
    this.time = Math.max(this.time, first.at);
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const timer of due) timer.resolve();
    if (this.timers.length > 0) this.schedule();
  }
}
