import fc from 'fast-check';
import { fastCheckSeedFromEnv } from './fast-check-seed';

describe('the fast-check seed of a run', () => {
  it('reads FC_SEED, and leaves the seed to fast-check when it is not set', () => {
    expect(fastCheckSeedFromEnv({ FC_SEED: '1734219' })).toBe(1734219);
    expect(fastCheckSeedFromEnv({ FC_SEED: '-42' })).toBe(-42);
    expect(fastCheckSeedFromEnv({})).toBeUndefined();
  });

  it.each(['abc', '1.5', '99999999999'])('refuses FC_SEED=%s, naming the variable and the fix', (text) => {
    expect(() => fastCheckSeedFromEnv({ FC_SEED: text })).toThrow(
      /^FC_SEED=.* is not a 32-bit integer; set it/,
    );
  });

  it('is the global seed of every property in this run when FC_SEED is set', () => {
    const seed = fastCheckSeedFromEnv(process.env);
    expect(fc.readConfigureGlobal().seed).toBe(seed);
  });

  it('gives the same values for the same seed (a failure replays)', () => {
    const draw = (seed: number) => fc.sample(fc.string(), { seed, numRuns: 5 });
    expect(draw(7)).toEqual(draw(7));
  });
});
