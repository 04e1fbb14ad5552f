import fc from 'fast-check';

/**
 * The seed every fast-check property of a run uses, from `FC_SEED` (`.ci/run` sets it from the
 * commit and prints it, so a failure replays with `FC_SEED=<n> npm test`); `undefined` when the
 * variable is not set (fast-check then draws one, and prints it with any counterexample).
 */
export const fastCheckSeedFromEnv = (env: NodeJS.ProcessEnv): number | undefined => {
  const text = env.FC_SEED;
  if (text === undefined || text === '') return undefined;
  const seed = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(seed) || Math.abs(seed) > 0x7fffffff) {
    throw new Error(
      `FC_SEED=${text} is not a 32-bit integer; set it to the seed CI printed, e.g. FC_SEED=1234567`,
    );
  }
  return seed;
};

const seed = fastCheckSeedFromEnv(process.env);
if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
