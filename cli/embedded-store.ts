import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient as Client } from '@aws-sdk/client-dynamodb';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { tableDefinition } from '../shared/store';
import { UsageError } from './errors';
import { acquireStoreLock, LOCK_FILE } from './store-lock';

type DynaliteFactory = (options: { path: string; createTableMs: number }) => Server;
/** The part of LevelDB (`level`, dynalite's own copy) used to check a store before dynalite opens it. */
type LevelFactory = new (path: string) => { open(): Promise<void>; close(): Promise<void> };

/** The table name inside the embedded store. */
export const EMBEDDED_TABLE = 'stage-drift';

/** The file that says a directory is a stage-drift store (written when the store is created). */
export const STORE_MARKER = '.stage-drift-store';

export interface EmbeddedStore {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly dir: string;
  /** This command created the directory. */
  readonly created: boolean;
  /**
   * Stops the store and releases its lock. `discard`: the command failed, so a directory it
   * created is removed rather than left behind as an empty store.
   */
  close(options?: { readonly discard?: boolean }): Promise<void>;
}

/** Filesystems where a store makes no sense and file calls may hang (procfs, sysfs, ...), by `statfs` type. */
const VIRTUAL_FS_TYPES = new Set([
  0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x73636673, 0x6165676c,
]);
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/** The nearest directory of `path` (itself or a parent) that exists. */
const nearestExisting = (path: string): string => {
  let at = path;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  return at;
};

/** Refuses a store on procfs, sysfs and the like before anything touches it. */
const refuseVirtualFs = (path: string, label: string): void => {
  const existing = realpathSync(nearestExisting(path));
  const root = VIRTUAL_ROOTS.find((r) => existing === r || existing.startsWith(`${r}/`));
  const onShm = existing === '/dev/shm' || existing.startsWith('/dev/shm/');
  if ((root && !onShm) || VIRTUAL_FS_TYPES.has(statfsSync(existing).type)) {
    throw new UsageError(
      `--store ${label} is on a virtual filesystem (${root ?? existing}): pass a directory on a disk`,
    );
  }
};

/** Creates the store directory (private to its owner), or checks that an existing one is a store. */
const prepareDirectory = (path: string, label: string): boolean => {
  let isDirectory: boolean | undefined;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (isDirectory === false) {
    throw new UsageError(
      `--store ${label} is a file, not a directory: pass a directory (it is created if missing)`,
    );
  }
  if (isDirectory === undefined) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      mkdirSync(path, { mode: 0o700 });
      chmodSync(path, 0o700);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new UsageError(
        `--store ${label}: cannot create the directory (${code}): pass a directory you can write`,
        {
          cause: error,
        },
      );
    }
    return true;
  }
  const entries = readdirSync(path).filter((name) => name !== LOCK_FILE);
  // A store of an older stage-drift has LevelDB's CURRENT but no marker: it is adopted.
  const isStore = entries.length === 0 || entries.includes(STORE_MARKER) || entries.includes('CURRENT');
  if (!isStore) {
    throw new UsageError(
      `--store ${label} holds other files and is not a stage-drift store (no ${STORE_MARKER}): pass a new or empty directory`,
    );
  }
  return false;
};

/** One line for a LevelDB that will not open: corrupt, locked by a process that took no lock file, or unreadable. */
const openProblem = (error: unknown, label: string): UsageError => {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  const detail = cause?.message ?? (error as Error).message ?? String(error);
  if (/lock/i.test(detail) && /held|resource temporarily unavailable|already/i.test(detail))
    return new UsageError(
      `--store ${label} is in use by another process (${detail}); wait for it or pass another --store`,
      {
        cause: error,
      },
    );
  if (/permission denied|read-only file system/i.test(detail))
    return new UsageError(
      `--store ${label} is read-only (${detail}): make it writable for you or pass another --store`,
      {
        cause: error,
      },
    );
  return new UsageError(
    `--store ${label} is corrupt (${detail}): move it aside (mv ${label} ${label}.corrupt) and rerun; ` +
      'the next scan records a new baseline',
    { cause: error },
  );
};

/** Opens and closes the LevelDB once, so a store that will not open is one line, not a crash inside dynalite. */
const checkOpens = async (path: string, label: string): Promise<void> => {
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const { Level } = fromDynalite('level') as { Level: LevelFactory };
  const db = new Level(path);
  try {
    await db.open();
  } catch (error) {
    throw openProblem(error, label);
  }
  await db.close();
};

/**
 * The laptop store: dynalite (DynamoDB on LevelDB) on disk in `dir`, served on a loopback port
 * for the lifetime of one command, with the same table layout as a deployed monitor. The
 * directory is created private to its owner (0700) with a marker file, locked for the command
 * (`stage-drift.lock`), and checked before dynalite opens it; every problem is one UsageError.
 */
export const openEmbeddedStore = async (dir: string): Promise<EmbeddedStore> => {
  const path = resolve(dir);
  refuseVirtualFs(path, dir);
  const created = prepareDirectory(path, dir);
  const discardIfCreated = () => {
    if (created) rmSync(path, { recursive: true, force: true });
  };
  let release: () => void;
  try {
    release = await acquireStoreLock(path, dir);
  } catch (error) {
    discardIfCreated();
    throw error;
  }
  let server: Server | undefined;
  let client: DynamoDBClient | undefined;
  const close = async (options: { readonly discard?: boolean } = {}) => {
    client?.destroy();
    if (server) {
      const stopping = server;
      stopping.closeAllConnections?.();
      await new Promise<void>((ok) => stopping.close(() => ok()));
    }
    release();
    if (options.discard) discardIfCreated();
  };
  try {
    if (!existsSync(join(path, STORE_MARKER)))
      writeFileSync(join(path, STORE_MARKER), `${JSON.stringify({ store: 'stage-drift', version: 1 })}\n`, {
        mode: 0o600,
      });
    await checkOpens(path, dir);
    const dynalite = createRequire(__filename)('dynalite') as DynaliteFactory;
    const started = dynalite({ path, createTableMs: 0 });
    server = started;
    await new Promise<void>((ok, fail) => {
      started.once('error', fail);
      started.listen(0, '127.0.0.1', () => ok());
    });
    const address = started.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const opened = new Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'local',
      credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
    });
    client = opened;
    await ensureTable(opened, EMBEDDED_TABLE);
    return { client: opened, tableName: EMBEDDED_TABLE, dir: path, created, close };
  } catch (error) {
    await close({ discard: true });
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `--store ${dir}: cannot open the embedded store (${(error as Error).message ?? String(error)})`,
      {
        cause: error,
      },
    );
  }
};

const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((ok) => setImmediate(ok));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
};
