import type { Clock } from './clock';
import { systemClock } from './clock';

/** Something every control-plane request must pass through before it is sent. */
export interface RequestBudget {
  /** Resolves when one request may be sent. */
  acquire(): Promise<void>;
}

export interface TokenBucketOptions {
  /** Sustained requests per second. Must be > 0. */
  readonly ratePerSecond: number;
  /** Bucket size: requests that may go out back to back after an idle period. Must be >= 1. */
  readonly burst: number;
  /** Tokens in the bucket at the start, from 0 to `burst`. @default burst (the bucket starts full) */
  readonly initialTokens?: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** Thrown for a budget that could never let a request through. */
export class RequestBudgetError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RequestBudgetError';
  }
}

/**
 * A token bucket that starts with `initialTokens` (by default full, `burst` tokens) and refills
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
    const initialTokens = options.initialTokens ?? options.burst;
    if (!Number.isFinite(initialTokens) || initialTokens < 0 || initialTokens > options.burst) {
      throw new RequestBudgetError(
        `initialTokens must be a number from 0 to burst (${String(options.burst)}), ` +
          `got ${String(initialTokens)}: leave it out to start full.`,
      );
    }
    this.ratePerMs = options.ratePerSecond / 1000;
    this.burst = options.burst;
    this.clock = options.clock ?? systemClock;
    this.tokens = initialTokens;
    this.last = this.clock.now();
  }

  async acquire(): Promise<void> {
    const waitMs = this.reserve();
    if (waitMs > 0) await this.clock.sleep(waitMs);
  }

  /** Takes one token (possibly on credit) and returns the milliseconds until it is due. */
  reserve(): number {
    this.refill();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : -this.tokens / this.ratePerMs;
  }

  /** Tokens in the bucket now; negative while reservations are waiting. */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.clock.now();
    // A clock that steps backwards adds nothing rather than removing tokens.
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerMs);
  }
}
