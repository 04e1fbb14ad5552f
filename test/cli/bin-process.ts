import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS_TEST_CREDENTIALS } from '../support/moto';

// `stage-drift` as a user runs it: the real bin in a child process, credentials and endpoints
// from the environment (AWS_ENDPOINT_URL honoured), the embedded store on disk.

export const BIN = join(__dirname, '..', '..', 'cli', 'bin', 'stage-drift.js');
export const TEST_REGION = 'us-east-1';
/** The account moto answers for the test credentials. */
export const MOTO_ACCOUNT = '123456789012';

export interface BinRun {
  readonly code: number | null;
  /** Set when the process was killed (`SIGKILL`). */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface BinOptions {
  /** Run as this user and group (root only): e.g. 65534 (nobody) to meet a read-only directory. */
  readonly uid?: number;
  readonly gid?: number;
  /** Called once the child is started (fault injection: kill it). */
  readonly onSpawn?: (child: ChildProcess) => void;
  /** Kills the child (SIGKILL) if it is still running after this long: a hang fails, not blocks. */
  readonly killAfterMs?: number;
}

/** A fresh, empty directory under the system temp dir. */
export const tempDir = (prefix = 'sd-store-'): string => mkdtempSync(join(tmpdir(), prefix));

export const runBin = (
  args: readonly string[],
  env: Record<string, string>,
  options: BinOptions = {},
): Promise<BinRun> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tempDir('sd-home-'), // no ~/.aws of the machine
        AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
        AWS_REGION: TEST_REGION,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...env,
      },
      ...(options.uid === undefined ? {} : { uid: options.uid }),
      ...(options.gid === undefined ? {} : { gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      options.killAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
