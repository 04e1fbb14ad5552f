import type { AttributeValue, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tableDefinition } from '../../shared/store';

/** The part of dynalite's (untyped) API that tests use. */
type DynaliteFactory = (options?: {
  readonly path?: string;
  readonly createTableMs?: number;
  readonly deleteTableMs?: number;
  readonly updateTableMs?: number;
}) => Server;

const dynalite = createRequire(__filename)('dynalite') as DynaliteFactory;

export const DYNALITE_REGION = 'us-east-1';

/** An in-process dynalite server (DynamoDB on an in-memory LevelDB) owned by one test suite. */
export interface DynaliteServer {
  readonly endpoint: string;
  /** A DynamoDB client for this server; destroyed by `stop()`. */
  client(config?: Omit<DynamoDBClientConfig, 'endpoint' | 'region' | 'credentials'>): DynamoDBClient;
  /** Creates a table from `tableDefinition(name)` and resolves once it is ACTIVE. */
  createTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts dynalite on a free loopback port (port 0: the OS picks it). Tables become ACTIVE at
 * once (`createTableMs: 0`); `createTable` polls DescribeTable without timers until they are.
 */
export const startDynalite = async (options: { readonly path?: string } = {}): Promise<DynaliteServer> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not report its port');
  const endpoint = `http://127.0.0.1:${address.port}`;
  const clients: DynamoDBClient[] = [];
  const client: DynaliteServer['client'] = (config = {}) => {
    const created = new DynamoDBClient({
      ...config,
      endpoint,
      region: DYNALITE_REGION,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    clients.push(created);
    return created;
  };
  const admin = client();
  return {
    endpoint,
    client,
    createTable: async (name) => {
      await admin.send(new CreateTableCommand(tableDefinition(name)));
      for (let attempt = 0; attempt < 1000; attempt += 1) {
        const { Table } = await admin.send(new DescribeTableCommand({ TableName: name }));
        if (Table?.TableStatus === 'ACTIVE') return;
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error(`dynalite table ${name} did not become ACTIVE`);
    },
    stop: async () => {
      for (const created of clients) created.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

/** Command names (`PutItem`, `Query`, ...) as sent, in order, and a way to fail one write. */
export interface ClientProbe {
  readonly calls: readonly string[];
  /** How many commands named `name` were sent (all commands when omitted). */
  count(name?: string): number;
  reset(): void;
  /**
   * Makes the `n`th write command (PutItem, UpdateItem, DeleteItem, BatchWriteItem) from now
   * on fail once. `before`: the request never reaches the table (a crash before the call).
   * `after`: the table applies it, then the caller sees an error (a crash before the reply).
   */
  failWrite(n: number, when?: 'before' | 'after'): void;
}

const WRITE_COMMANDS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** The error an injected fault throws. */
export class InjectedFaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InjectedFaultError';
  }
}

/**
 * Records every command a client sends (once per command, not per SDK retry) through an
 * `initialize` middleware, and injects write failures on demand.
 */
export const probeClient = (client: DynamoDBClient): ClientProbe => {
  const calls: string[] = [];
  let fault: { remaining: number; when: 'before' | 'after' } | undefined;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      calls.push(name);
      if (fault && WRITE_COMMANDS.has(name)) {
        fault.remaining -= 1;
        if (fault.remaining === 0) {
          const { when } = fault;
          fault = undefined;
          if (when === 'before') throw new InjectedFaultError(`injected fault before ${name}`);
          await next(args);
          throw new InjectedFaultError(`injected fault after ${name}`);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'testProbe' },
  );
  return {
    calls,
    count: (name) => (name === undefined ? calls.length : calls.filter((call) => call === name).length),
    reset: () => {
      calls.length = 0;
      fault = undefined;
    },
    failWrite: (n, when = 'before') => {
      fault = { remaining: n, when };
    },
  };
};

const numberSize = (text: string): number => {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
};

const valueSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if (value.NS) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + 1 + valueSize(v), 0);
  if (value.M) {
    return (
      3 +
      Object.entries(value.M).reduce(
        (sum, [k, v]) => sum + 1 + Buffer.byteLength(k, 'utf8') + valueSize(v),
        0,
      )
    );
  }
  return 0;
};

/**
 * An item's size as DynamoDB bills and limits it: attribute name lengths plus value sizes
 * (UTF-8 bytes, numbers ~1 byte per 2 digits + 1, binary length).
 */
export const itemSizeBytes = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueSize(value),
    0,
  );
