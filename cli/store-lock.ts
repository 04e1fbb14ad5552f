import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors';

/** The lock file in a store directory: `{"pid":…,"host":…,"startedAt":…}` of the command holding it. */
export const LOCK_FILE = 'stage-drift.lock';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export interface StoreLockOptions {
  /** How long to wait for another command to release the store. @default 5000 */
  readonly waitMs?: number;
  /** @default 100 */
  readonly pollMs?: number;
  /** @default the system clock */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** A lock file left empty or garbled (its writer died between creating and writing it) this long ago is stale. */
const UNREADABLE_STALE_MS = 10_000;

const WRITE_REFUSED = new Set(['EACCES', 'EPERM', 'EROFS']);

const readHolder = (path: string): { text: string; holder?: LockHolder } | undefined => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // released meanwhile
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (
      typeof value.pid === 'number' &&
      typeof value.host === 'string' &&
      typeof value.startedAt === 'string'
    )
      return { text, holder: { pid: value.pid, host: value.host, startedAt: value.startedAt } };
  } catch {
    // fall through: unreadable
  }
  return { text };
};

/** A process on this host that no longer runs; one on another host is taken to be alive. */
const isGone = (holder: LockHolder): boolean => {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

const isStale = (path: string, found: { holder?: LockHolder }, now: number): boolean => {
  if (found.holder) return isGone(found.holder);
  try {
    return now - statSync(path).mtimeMs > UNREADABLE_STALE_MS;
  } catch {
    return false;
  }
};

/** Removes the lock file if it still holds `text` (never a lock another command took since). */
const removeIfUnchanged = (path: string, text: string): void => {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    // gone already
  }
};

/**
 * Takes the store's lock file, created atomically (`wx`), with this process's pid, host and start
 * time. A lock whose process is gone (same host, pid not alive) is taken over; a live one is
 * waited for (bounded), then refused naming its holder. Returns the release, which removes the
 * file only while it is still this process's, and runs on exit if the caller never gets to it.
 */
export const acquireStoreLock = async (
  dir: string,
  label: string,
  options: StoreLockOptions = {},
): Promise<() => void> => {
  const path = join(dir, LOCK_FILE);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  const deadline = now() + (options.waitMs ?? 5000);
  const mine = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    startedAt: new Date(now()).toISOString(),
  });
  for (;;) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      const release = () => {
        process.off('exit', release);
        removeIfUnchanged(path, mine);
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (WRITE_REFUSED.has(code)) {
        throw new UsageError(
          `--store ${label} is read-only (${code}): stage-drift writes its lock and data there; ` +
            'make it writable for you or pass another --store',
          { cause: error },
        );
      }
      if (code !== 'EEXIST') throw error;
    }
    const found = readHolder(path);
    if (!found) continue;
    if (isStale(path, found, now())) {
      removeIfUnchanged(path, found.text);
      continue;
    }
    if (now() >= deadline) {
      const who = found.holder
        ? `pid ${found.holder.pid} on ${found.holder.host}, started ${found.holder.startedAt}`
        : `see ${path}`;
      throw new UsageError(
        `--store ${label} is in use by another stage-drift process (${who}); ` +
          'wait for it to finish or pass another --store',
      );
    }
    await sleep(options.pollMs ?? 100);
  }
};
