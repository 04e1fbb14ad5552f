import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const golden = (name: string) => join(__dirname, 'golden', name);

/**
 * Compares `actual` with `test/cli/golden/<name>`. Set UPDATE_GOLDEN=1 to rewrite the golden
 * files after an intended change, then review the git diff.
 */
export const expectGolden = (name: string, actual: string): void => {
  const path = golden(name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path))
    throw new Error(`missing golden file ${name}: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
};
