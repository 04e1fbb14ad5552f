export interface TokenBucketOptions {
  /** Tokens added per second. */
  readonly ratePerSecond: number;
  /** Capacity; the bucket starts full. */
  readonly burst: number;
  /** Clock in milliseconds. */
  readonly now: () => number;
}

/** A token bucket: each request takes one token, or is refused when none is left. */
export interface TokenBucket {
  /** Takes one token if there is one. */
  tryTake(): boolean;
}

export const createTokenBucket = ({ ratePerSecond, burst, now }: TokenBucketOptions): TokenBucket => {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
    throw new RangeError(`rateLimit.ratePerSecond must be a positive number (e.g. 10); got ${ratePerSecond}`);
  }
  if (!Number.isInteger(burst) || burst < 1) {
    throw new RangeError(`rateLimit.burst must be an integer of at least 1 (e.g. 40); got ${burst}`);
  }
  let tokens = burst;
  let last = now();
  return {
    tryTake: () => {
      const t = now();
      const elapsedMs = Math.max(0, t - last);
      last = Math.max(last, t);
      tokens = Math.min(burst, tokens + (elapsedMs / 1000) * ratePerSecond);
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
};
