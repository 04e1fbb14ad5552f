import type { Clock } from './clock';
import { abortableWait } from './clock';

/**
 * How a `ManualClock`'s sleeps pass:
 * - `when-idle`: a sleep waits; once every promise chain that can run has run (a `setImmediate`
 *   turn), time jumps to the earliest wake-up and wakes it (and any due with it). Concurrent
 *   waits (a token bucket and its callers) then interleave in the order of their wake-ups.
 * - `on-sleep`: time moves on by `ms` and the sleep resolves at once. Enough for code that waits
 *   one thing at a time (a sender's pacing and backoff, a retry loop).
 */
export type ManualClockMode = 'when-idle' | 'on-sleep';

export interface ManualClockOptions {
  /** Where time starts: milliseconds, or a date string `Date.parse` reads. @default 0 */
  readonly start?: number | string;
  /** @default 'when-idle' */
  readonly mode?: ManualClockMode;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

const toMs = (at: number | string): number => {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) {
    throw new RangeError(
      `ManualClock: ${JSON.stringify(at)} is not a time: pass milliseconds or an ISO date.`,
    );
  }
  return ms;
};

/**
 * Virtual time for tests: `sleep` never waits on the wall clock, and `sleeps` lists every wait
 * asked for, in order (a zero or negative one too, which passes at once).
 */
export class ManualClock implements Clock {
  /** Every `sleep` asked for, in order. */
  readonly sleeps: number[] = [];
  private readonly mode: ManualClockMode;
  private time: number;
  private seq = 0;
  private timers: Timer[] = [];
  private scheduled = false;

  constructor(options: ManualClockOptions = {}) {
    this.time = toMs(options.start ?? 0);
    this.mode = options.mode ?? 'when-idle';
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal) return abortableWait(signal, (done) => this.wait(ms, done));
    return new Promise((resolve) => this.wait(ms, resolve));
  }

  /** Moves time on by hand (e.g. an idle gap between two bursts); a negative `ms` moves it back. */
  advance(ms: number): void {
    this.time += ms;
  }

  /** Sets the time: milliseconds, or a date string `Date.parse` reads. */
  set(at: number | string): void {
    this.time = toMs(at);
  }

  /** Sleeps not woken yet (`when-idle` only). */
  get pending(): number {
    return this.timers.length;
  }

  /** Starts one wait; returns how to drop it. */
  private wait(ms: number, done: () => void): () => void {
    if (ms <= 0) {
      done();
      return () => undefined;
    }
    if (this.mode === 'on-sleep') {
      this.time += ms;
      done();
      return () => undefined;
    }
    const timer: Timer = { at: this.time + ms, seq: this.seq++, resolve: done };
    this.timers.push(timer);
    this.schedule();
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
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
