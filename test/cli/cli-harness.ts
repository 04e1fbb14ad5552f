import { readFile } from 'node:fs/promises';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRunOptions {
  /** Added to the fixed environment (which holds only a fingerprint key). */
  readonly env?: Record<string, string>;
  /** Pretend stdout is a terminal. @default false (piped) */
  readonly isTty?: boolean;
  /** Terminal width. @default none: piped output is never cut */
  readonly columns?: number;
  /** The CLI's clock. @default the system clock */
  readonly now?: Date;
  /** Answers the CLI's yes/no questions, as on a terminal. @default none: not a terminal */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** Runs the CLI in-process with captured output, a fixed environment and, if given, a fixed clock. */
export const runCli = async (argv: readonly string[], options: CliRunOptions = {}): Promise<CliRun> => {
  let stdout = '';
  let stderr = '';
  const { now } = options;
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readFile: (path) => readFile(path, 'utf8'),
    env: { STAGE_DRIFT_FINGERPRINT_KEY: 'golden-test-key', ...options.env },
    ...(options.isTty === undefined ? {} : { isTty: options.isTty }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(now === undefined ? {} : { now: () => new Date(now) }),
    ...(options.confirm === undefined ? {} : { confirm: options.confirm }),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
};
