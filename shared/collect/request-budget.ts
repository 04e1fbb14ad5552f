import type { Clock } from '../runtime';
import { systemClock } from '../runtime';
import { RequestBudgetError } from './errors';

/** Something every control-plane request must pass through before it is sent. */
export interface RequestBudget {
  /** Resolves when one request may be sent. */
  acquire(): Promise<void>;
  /** Told when a request sent under this budget came back (an answer or an error). */
  answered?(): void;
}

export interface TokenBucketOptions {
  /** Sustained requests per second. Must be > 0. */
  readonly ratePerSecond: number;
  /** Bucket size: requests that may go out back to back after an idle period. Must be >= 1. */
  readonly burst: number;
  /**
   * Refill only from the first `answered()` on (plus {@link FIRST_ANSWER_MARGIN_MS}): until a
   * request has come back, only the tokens the bucket started with go out, and a request beyond
   * them waits for that first answer, at most {@link FIRST_ANSWER_WAIT_MS} after the bucket's first
   * token (a request that never comes back must not stall every other caller).
   * @default false (refills from construction)
   */
  readonly refillFromFirstAnswer?: boolean;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * Added to the first answer's time before a `refillFromFirstAnswer` bucket starts refilling:
 * clock granularity (a service may count whole milliseconds) and the difference between our
 * clock and the service's. Costs 10 ms once per bucket.
 */
export const FIRST_ANSWER_MARGIN_MS = 10;

/**
 * How long a `refillFromFirstAnswer` bucket waits for its first answer, from its first token:
 * then it refills as if the answer had come. Longer than any connection set-up it guards against.
 */
export const FIRST_ANSWER_WAIT_MS = 2_000;

/**
 * A token bucket that starts full (`burst` tokens) and refills
 * at `ratePerSecond`, up to `burst`.
 *
 * `acquire()` reserves a token at once, going into debt when the bucket is empty, and sleeps
 * until the reserved token is due. Reservations are therefore served first come, first
 * served, and over any window of `t` seconds at most `burst + rate * t` requests go out,
 * however many callers wait concurrently.
 */
export class TokenBucket implements RequestBudget {
  private readonly ratePerMs: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;
  /** Set while the refill waits for the first answer (`refillFromFirstAnswer`). */
  private firstAnswer?: { readonly promise: Promise<void>; readonly resolve: () => void };
  /** When the first token was taken (the start of the wait for the first answer). */
  private firstTokenAt?: number;
  /** The timer that gives up waiting for the first answer, once someone waits. */
  private givingUp?: Promise<void>;

  constructor(options: TokenBucketOptions) {
    if (!Number.isFinite(options.ratePerSecond) || options.ratePerSecond <= 0) {
      throw new RequestBudgetError(
        `ratePerSecond must be a positive number, got ${String(options.ratePerSecond)}: ` +
          'pass e.g. 3 (requests per second).',
      );
    }
    if (!Number.isFinite(options.burst) || options.burst < 1) {
      throw new RequestBudgetError(
        `burst must be a number >= 1, got ${String(options.burst)}: pass e.g. 10 (requests).`,
      );
    }
    this.ratePerMs = options.ratePerSecond / 1000;
    this.burst = options.burst;
    this.clock = options.clock ?? systemClock;
    this.tokens = options.burst;
    this.last = this.clock.now();
    if (options.refillFromFirstAnswer) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.firstAnswer = { promise, resolve };
    }
  }

  async acquire(): Promise<void> {
    // Before the first answer, a request beyond the starting tokens waits for it (callers
    // resume in the order they came, so reservations stay first come, first served).
    if (this.firstAnswer && this.tokens < 1) {
      // One timer per bucket, shared by every waiter: it starts the refill if no answer came.
      const givenUpAt = (this.firstTokenAt ?? this.clock.now()) + FIRST_ANSWER_WAIT_MS;
      this.givingUp ??= this.clock
        .sleep(Math.max(0, givenUpAt - this.clock.now()))
        .then(() => this.startRefill(givenUpAt));
      await Promise.race([this.firstAnswer.promise, this.givingUp]);
    }
    const waitMs = this.reserve();
    if (waitMs > 0) await this.clock.sleep(waitMs);
  }

  /** Takes one token (possibly on credit) and returns the milliseconds until it is due. */
  private reserve(): number {
    this.refill();
    this.firstTokenAt ??= this.clock.now();
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    // `last` is ahead of the clock only while a refill is yet to start (FIRST_ANSWER_MARGIN_MS).
    const refillStartsIn = Math.max(0, this.last - this.clock.now());
    return refillStartsIn + -this.tokens / this.ratePerMs;
  }

  /** The first call starts the refill of a `refillFromFirstAnswer` bucket; later calls do nothing. */
  answered(): void {
    this.startRefill(this.clock.now() + FIRST_ANSWER_MARGIN_MS);
  }

  private startRefill(at: number): void {
    if (!this.firstAnswer) return;
    const { resolve } = this.firstAnswer;
    this.firstAnswer = undefined;
    this.last = at;
    resolve();
  }

  /** Tokens in the bucket now; negative while reservations are waiting. */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.clock.now();
    if (this.firstAnswer) {
      this.last = now;
      return;
    }
    // A clock that steps backwards adds nothing rather than removing tokens (and neither does
    // the time before a refill starts).
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerMs);
  }
}
