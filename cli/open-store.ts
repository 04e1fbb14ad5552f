import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoSnapshotStore } from '../shared/store';
import { DEFAULT_STORE_DIR } from './defaults';
import { openEmbeddedStore } from './embedded-store';
import type { CliIo } from './io';
import { UsageError } from './errors';
import { nowOf } from './io';

export interface StoreOptions {
  readonly store?: string;
  readonly table?: string;
  /** Region of a deployed table. */
  readonly tableRegion?: string;
}

export interface OpenedStore {
  readonly store: DynamoSnapshotStore;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly describe: string;
  close(): Promise<void>;
}

/** `--store DIR` (embedded, the default) or `--table NAME` (deployed). */
export const openStore = async (
  options: StoreOptions,
  io: CliIo,
  mode: 'read' | 'write',
): Promise<OpenedStore> => {
  if (options.store !== undefined && options.table !== undefined) {
    throw new UsageError('--store and --table are exclusive: use a local store or a deployed table');
  }
  // The store's "now" (default event window, expiry) follows the CLI's clock.
  const clock = { now: () => nowOf(io).getTime() };
  if (options.table !== undefined) {
    const region = options.tableRegion ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    const client = new DynamoDBClient(region ? { region } : {});
    return {
      store: new DynamoSnapshotStore(client, { tableName: options.table, clock }),
      client,
      tableName: options.table,
      describe: `table ${options.table}`,
      close: () => Promise.resolve(client.destroy()),
    };
  }
  const dir = options.store ?? DEFAULT_STORE_DIR;
  // A read never turns a directory that is not a store (a typo, the home directory) into one:
  // the embedded store is a LevelDB directory, which always holds a CURRENT file.
  if (mode === 'read' && !existsSync(join(dir, 'CURRENT'))) {
    throw new UsageError(
      `no store at ${dir}: run \`stage-drift scan\` first, or pass --store DIR or --table NAME`,
    );
  }
  const embedded = await openEmbeddedStore(dir);
  return {
    store: new DynamoSnapshotStore(embedded.client, { tableName: embedded.tableName, clock }),
    client: embedded.client,
    tableName: embedded.tableName,
    describe: `store ${dir}`,
    close: () => embedded.close(),
  };
};
