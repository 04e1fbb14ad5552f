import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stdout is a terminal: colour (unless NO_COLOR) is allowed. */
  readonly isTty?: boolean;
  /** stderr is a terminal: the progress line of a long scan is allowed (see `showProgress`). */
  readonly stderrIsTty?: boolean;
  /** Width of the stderr terminal, for the progress line. @default 80 */
  readonly stderrColumns?: number;
  /** Terminal width for tables; piped output passes none and is never cut. @default no limit */
  readonly columns?: number;
  /** The clock for `--since 24h`, the default `--at` and `--until`; tests pin it. @default the system clock */
  readonly now?: () => Date;
  /**
   * Asks a yes/no question on the terminal; absent when stdin or stdout is not one, so a command
   * that needs consent (`revert` without `--yes`) refuses instead of writing.
   */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** A yes/no question on the process's terminal: only an answer starting with `y` is a yes. */
const askOnTerminal = async (question: string): Promise<boolean> => {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^\s*y/i.test(await terminal.question(question));
  } finally {
    terminal.close();
  }
};

/** The current time as the commands see it: `io.now` when given, else the system clock. */
export const nowOf = (io: CliIo): Date => io.now?.() ?? new Date();

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export const useColour = (io: CliIo): boolean => io.isTty === true && !io.env.NO_COLOR;

/** How tables are drawn for this output: colour on a terminal, cut to its width (never when piped). */
export const tableStyle = (io: CliIo): { readonly colour: boolean; readonly columns: number } => ({
  colour: useColour(io),
  columns: io.columns ?? Number.POSITIVE_INFINITY,
});

export const processIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  env: process.env,
  isTty: process.stdout.isTTY === true,
  // Tables fit a terminal; piped output is never cut.
  columns: process.stdout.isTTY ? (process.stdout.columns ?? 100) : Number.POSITIVE_INFINITY,
  stderrIsTty: process.stderr.isTTY === true,
  ...(process.stderr.isTTY && process.stderr.columns ? { stderrColumns: process.stderr.columns } : {}),
  ...(process.stdin.isTTY && process.stdout.isTTY ? { confirm: askOnTerminal } : {}),
});

/** Exit codes, documented in the README and `--help`. */
export const EXIT = {
  ok: 0,
  drift: 1,
  usage: 2,
  /** The scan finished but some API or region could not be read (see the failures). */
  partial: 3,
  /** Some alerts could not be delivered: they stay pending for the next run (or `stage-drift publish`). */
  notDelivered: 4,
  unexpected: 70,
} as const;
