import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient as Client } from '@aws-sdk/client-dynamodb';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { tableDefinition } from '../shared/store';
import { UsageError } from './io';

type DynaliteFactory = (options: { path: string; createTableMs: number }) => Server;

/** The table name inside the embedded store. */
export const EMBEDDED_TABLE = 'stage-drift';

export interface EmbeddedStore {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly dir: string;
  close(): Promise<void>;
}

/**
 * The laptop store: dynalite (DynamoDB on LevelDB) on disk in `dir`, served on a loopback port
 * for the lifetime of one command, with the same table layout as a deployed monitor.
 */
export const openEmbeddedStore = async (dir: string): Promise<EmbeddedStore> => {
  const path = resolve(dir);
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new UsageError(`--store ${dir}: cannot create the directory (${(error as Error).message})`, {
      cause: error,
    });
  }
  const dynalite = createRequire(__filename)('dynalite') as DynaliteFactory;
  const server = dynalite({ path, createTableMs: 0 });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const client = new Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
  });
  const close = async () => {
    client.destroy();
    server.closeAllConnections?.();
    await new Promise<void>((ok) => server.close(() => ok()));
  };
  try {
    await ensureTable(client, EMBEDDED_TABLE);
  } catch (error) {
    await close();
    const message = (error as Error).message ?? String(error);
    if (/LOCK|lock/.test(message)) {
      throw new UsageError(
        `--store ${dir}: in use by another stage-drift command; wait for it or use another directory`,
        {
          cause: error,
        },
      );
    }
    throw new UsageError(`--store ${dir}: cannot open the embedded store (${message})`, { cause: error });
  }
  return { client, tableName: EMBEDDED_TABLE, dir: path, close };
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
