import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const golden = (name: string) => join(__dirname, 'golden', name);

/** Compares with `test/notify/golden/<name>`; UPDATE_GOLDEN=1 rewrites it (then review the git diff). */
export const expectGolden = (name: string, actual: string): void => {
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden(name), actual);
  if (!existsSync(golden(name))) {
    throw new Error(`missing golden file test/notify/golden/${name}: run with UPDATE_GOLDEN=1 and review it`);
  }
  expect(actual).toBe(readFileSync(golden(name), 'utf8'));
};
