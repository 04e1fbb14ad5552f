import { spawn } from 'node:child_process';
import { ScanProgress, showProgress } from '../../cli/progress';
import type { MotoServer } from '../support/moto';
import { startMoto } from '../support/moto';
import type { ControlPlaneSimulator } from '../support/simulator';
import { generateFleet, startSimulator } from '../support/simulator';
import { BIN, runBin, tempDir } from './bin-process';

/** A terminal that records what was written to it, and a clock moved by hand. */
const fakeTerminal = (columns = 120) => {
  const writes: string[] = [];
  let time = 0;
  return {
    writes,
    advance: (ms: number) => {
      time += ms;
    },
    options: { write: (text: string) => writes.push(text), columns, now: () => time, requestsPerSecond: 3 },
  };
};

describe('ScanProgress', () => {
  it('shows nothing during the first second', () => {
    const term = fakeTerminal();
    const progress = new ScanProgress(term.options);
    progress.listed(40);
    term.advance(999);
    progress.stagesRead(2);
    progress.done();
    expect(term.writes).toEqual([]);
  });

  it('then shows the APIs listed, the stages read of the total, throttled retries and the ETA at the budget', () => {
    const term = fakeTerminal();
    const progress = new ScanProgress(term.options);
    progress.listed(30);
    for (let i = 0; i < 12; i += 1) progress.stagesRead(2);
    progress.throttled();
    term.advance(1000);
    progress.tick();
    expect(term.writes).toEqual([
      '\r\u001b[Kscanning: 30 APIs listed, stages of 12/30 APIs read (24 stages), 1 throttled retry, ETA 6s at 3 req/s',
    ]);
    progress.done();
    expect(term.writes.at(-1)).toBe('\r\u001b[K');
  });

  it('redraws at most ten times a second and fits the terminal width', () => {
    const term = fakeTerminal(40);
    const progress = new ScanProgress(term.options);
    term.advance(1500);
    progress.listed(5);
    progress.stagesRead(1);
    progress.stagesRead(1);
    term.advance(100);
    progress.stagesRead(1);
    expect(term.writes).toHaveLength(2);
    for (const line of term.writes) expect(line.replace('\r\u001b[K', '').length).toBeLessThan(40);
  });

  it.each([
    ['stderr is piped', false, { stderrIsTty: false, env: {} }, {}],
    ['--format json', false, { stderrIsTty: true, env: {} }, { format: 'json' }],
    ['--quiet', false, { stderrIsTty: true, env: {} }, { quiet: true }],
    ['NO_COLOR', false, { stderrIsTty: true, env: { NO_COLOR: '1' } }, {}],
    ['a terminal', true, { stderrIsTty: true, env: {} }, { format: 'text' }],
  ])('with %s, is shown: %s', (_name, shown, io, options: { format?: string; quiet?: boolean }) => {
    expect(showProgress(io, options)).toBe(shown);
  });
});

describe('stage-drift scan progress', () => {
  let moto: MotoServer;
  let sim: ControlPlaneSimulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    moto = await startMoto();
    // Slow answers: the scan takes a few seconds.
    sim = await startSimulator({
      fleet: generateFleet({ restApis: 14, httpApis: 0, stagesPerApi: 1, seed: 3 }),
      latencyMs: 150,
    });
    env = {
      AWS_ENDPOINT_URL_API_GATEWAY: sim.endpoint,
      AWS_ENDPOINT_URL_APIGATEWAYV2: sim.endpoint,
      AWS_ENDPOINT_URL_STS: moto.endpoint,
    };
  });

  afterAll(async () => {
    await sim?.close();
    await moto?.stop();
  });

  /** Runs the bin with stderr on a pseudo-terminal (stdout piped), as python's pty module allows. */
  const runOnTerminal = (args: string[], extraEnv: Record<string, string> = {}) => {
    const script = `
import fcntl, json, os, pty, struct, subprocess, sys, termios
m, s = pty.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 160, 0, 0))
p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=s)
os.close(s)
err = b''
while True:
    try:
        chunk = os.read(m, 65536)
    except OSError:
        break
    if not chunk:
        break
    err += chunk
out = p.stdout.read()
print(json.dumps({'code': p.wait(), 'stdout': out.decode(), 'stderr': err.decode()}))
`;
    // Not spawnSync: the simulator answers from this process's event loop.
    const child = spawn('python3', ['-c', script, process.execPath, BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tempDir('sd-home-'),
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
        ...env,
        ...extraEnv,
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      child.on('close', () => resolve(JSON.parse(out) as { code: number; stdout: string; stderr: string })),
    );
  };

  const slowScan = (store: string) => ['scan', '--store', store, '--concurrency', '1'];

  it('shows what a long scan is doing on a terminal, on stderr only', async () => {
    const run = await runOnTerminal(slowScan(tempDir()));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/scanning: 14 APIs listed, stages of \d+\/14 APIs read/);
    expect(run.stderr).toMatch(/ETA \d+s at 3 req\/s/);
    expect(run.stdout).not.toMatch(/scanning:/);
  }, 60_000);

  it.each([
    ['--format json', ['--format', 'json'], {}],
    ['--quiet', ['--quiet'], {}],
    ['NO_COLOR', [], { NO_COLOR: '1' }],
  ])(
    'shows none with %s',
    async (_name, flags: string[], extraEnv: Record<string, string>) => {
      const run = await runOnTerminal([...slowScan(tempDir()), ...flags], extraEnv);
      expect(run.code).toBe(0);
      expect(run.stderr + run.stdout).not.toMatch(/scanning:/);
    },
    60_000,
  );

  it('shows none when stderr is piped', async () => {
    const run = await runBin(slowScan(tempDir()), env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  }, 60_000);
});
