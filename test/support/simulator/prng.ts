/** A small seeded pseudo-random generator (mulberry32): same seed, same sequence. */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items in random order (count is capped at items.length). */
  sample<T>(items: readonly T[], count: number): T[];
  /** A lowercase alphanumeric string, like API Gateway resource ids. */
  id(length: number): string;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const createPrng = (seed: number): Prng => {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick() needs at least one item');
    return items[int(0, items.length - 1)] as T;
  };
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const pool = [...items];
    const n = Math.min(count, pool.length);
    for (let i = 0; i < n; i++) {
      const j = int(i, pool.length - 1);
      [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
    }
    return pool.slice(0, n);
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    sample,
    id: (length) => {
      let out = '';
      for (let i = 0; i < length; i++) out += ID_ALPHABET[int(0, ID_ALPHABET.length - 1)];
      return out;
    },
  };
};
