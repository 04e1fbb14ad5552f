import { readFile } from 'node:fs/promises';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output and a fixed environment. */
export const runCli = async (argv: readonly string[], env: Record<string, string> = {}): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readFile: (path) => readFile(path, 'utf8'),
    env: { STAGE_DRIFT_FINGERPRINT_KEY: 'golden-test-key', ...env },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
};
