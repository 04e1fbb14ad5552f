import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';
import type { BinOptions, BinRun } from './bin-process';
import { runBin, tempDir, TEST_REGION } from './bin-process';

// A bad local store is one line on stderr and exit 2 (bad input), never a stack trace with
// exit 1 (which means "drift found").

let moto: MotoServer;
let env: Record<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  const rest = new APIGatewayClient({
    endpoint: moto.endpoint,
    region: TEST_REGION,
    credentials: AWS_TEST_CREDENTIALS,
  });
  await createRestApiWithStage(rest, { name: 'orders-api' }, { stageName: 'prod' });
  rest.destroy();
  env = { AWS_ENDPOINT_URL: moto.endpoint };
});

afterAll(async () => {
  await moto?.stop();
});

/** A store with a baseline in it. */
const scannedStore = async (): Promise<string> => {
  const store = tempDir();
  const run = await runBin(['scan', '--store', store], env);
  expect(run.code).toBe(0);
  return store;
};

const expectOneLineExit2 = (run: BinRun, message: RegExp): void => {
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.code).toBe(2);
};

const lockFile = (store: string) => join(store, 'stage-drift.lock');

/** How to meet the store as a user who may not write it: root passes every permission check. */
const readOnlyFor = (store: string): BinOptions => {
  chmodSync(store, 0o555);
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
};

describe('a bad local store', () => {
  it('names a read-only store', async () => {
    const store = await scannedStore();
    const run = await runBin(['scan', '--store', store], env, readOnlyFor(store));
    expectOneLineExit2(run, /--store .* is read-only \(EACCES\)/);
  });

  it('waits for a store another stage-drift process holds, then names the holder', async () => {
    const store = await scannedStore();
    // This test's own process stands in for the other command: it is alive.
    const startedAt = '2026-11-13T09:00:00.000Z';
    writeFileSync(lockFile(store), JSON.stringify({ pid: process.pid, host: hostname(), startedAt }));
    const run = await runBin(['scan', '--store', store], env);
    expectOneLineExit2(
      run,
      new RegExp(
        `in use by another stage-drift process \\(pid ${process.pid} on ${hostname()}, started ${startedAt}\\)`,
      ),
    );
    expect(existsSync(lockFile(store))).toBe(true); // not ours to remove
  });

  it('takes over the lock of a process that is gone, and releases its own', async () => {
    const store = await scannedStore();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      lockFile(store),
      JSON.stringify({ pid: Number(gone.stdout), host: hostname(), startedAt: '2026-11-13T09:00:00.000Z' }),
    );
    const run = await runBin(['scan', '--store', store], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(lockFile(store))).toBe(false);
  });

  it.each(['scan', 'events'])(
    'says a corrupt store is corrupt and how to move it aside (%s)',
    async (command) => {
      const store = await scannedStore();
      for (const name of readdirSync(store).filter((n) => n.startsWith('MANIFEST-')))
        writeFileSync(join(store, name), 'not a manifest');
      const run = await runBin([command, '--store', store], env);
      expectOneLineExit2(run, /--store .* is corrupt .*: move it aside \(mv .*\)/);
    },
  );

  it('refuses --store pointing at a file', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, 'x');
    expectOneLineExit2(
      await runBin(['scan', '--store', file], env),
      /--store .*not-a-dir is a file, not a directory/,
    );
  });

  it('refuses a directory with other files in it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expectOneLineExit2(await runBin(['scan', '--store', dir], env), /is not a stage-drift store/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('leaves no store directory behind when the scan fails', async () => {
    const store = join(tempDir(), 'new-store');
    const run = await runBin(['scan', '--store', store], { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' });
    expectOneLineExit2(run, /cannot reach http:\/\/127\.0\.0\.1:1/);
    expect(existsSync(store)).toBe(false);
  });

  it('refuses a --store under /proc up front instead of hanging', async () => {
    const run = await runBin(['scan', '--store', '/proc/self/stage-drift'], env, { killAfterMs: 15_000 });
    expect(run.signal).toBeNull();
    expectOneLineExit2(run, /--store \/proc\/self\/stage-drift is on a virtual filesystem/);
  });

  it('creates a new store private to its owner, with a marker', async () => {
    const store = join(tempDir(), 'fresh');
    expect((await runBin(['scan', '--store', store], env)).code).toBe(0);
    expect(existsSync(join(store, '.stage-drift-store'))).toBe(true);
    expect(spawnSync('stat', ['-c', '%a', store], { encoding: 'utf8' }).stdout.trim()).toBe('700');
  });
});
