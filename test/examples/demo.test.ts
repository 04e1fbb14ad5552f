import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `npm run demo` as a newcomer runs it after `npm ci`: no AWS account, no credentials, stdout
// piped. The script is run with the tsx binary that `npm run demo` uses.

const root = join(__dirname, '..', '..');
const DEMO_SECRET = 'hunter2-do-not-print';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const scratch = mkdtempSync(join(tmpdir(), 'stage-drift-demo-test-'));
let demo: Run;

beforeAll(async () => {
  demo = await new Promise<Run>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'examples/demo/run-demo.ts')],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: scratch, // no ~/.aws of the machine
          TMPDIR: scratch, // where the demo puts (and removes) its store
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}, 30_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The text of one `━━ title ━━━` section, up to the next one. */
const section = (title: string): string => {
  const start = demo.stdout.indexOf(`━━ ${title}`);
  if (start < 0) throw new Error(`no section "${title}" in the demo output:\n${demo.stdout}`);
  const next = demo.stdout.indexOf('\n━━ ', start + 1);
  return demo.stdout.slice(start, next < 0 ? undefined : next);
};

describe('npm run demo', () => {
  it('exits 0 without a word on stderr', () => {
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
  });

  it('says plainly that it is a sandbox', () => {
    expect(demo.stdout.split('\n')[0]).toMatch(
      /a SANDBOX: a simulated API Gateway account and a local store/,
    );
    expect(demo.stdout).toContain('nothing in AWS is');
  });

  it('scans a baseline of REST, HTTP and WebSocket APIs, then finds the drift', () => {
    expect(section('1. Baseline scan')).toMatch(/2 REST APIs, 2 HTTP APIs, 1 WebSocket API; 8 stages/);
    expect(section('3. Second scan')).toMatch(/7 stages read, 3 changed, 3 drift events/);
  });

  it('prints the HIGH alert as Slack renders it, with the Security Hub controls', () => {
    const slack = section('4. The alerts, as Slack shows them');
    expect(slack).toContain('┃ 🔴 HIGH: prod of orders-api drifted');
    expect(slack).toMatch(/┃ \[HIGH\] Execution logging level \(\*\/\*\): INFO -> OFF {2}\[APIGateway\.1\]/);
    expect(slack).toMatch(/┃ \[HIGH\] WAF web ACL: arn:aws:wafv2:\S+ -> \(none\) {2}\[APIGateway\.4\]/);
    expect(slack).toContain('┃ 🔴 HIGH: staging of payments-api was deleted');
    expect(slack).toMatch(
      /Stage variable backendUrl: \[hidden hmac-sha256:[0-9a-f]+\] -> \[hidden hmac-sha256:/,
    );
  });

  it('prints the SNS message as JSON with MessageAttributes for filter policies', () => {
    const sns = section('5. The same alert on SNS');
    const json = JSON.parse(sns.slice(sns.indexOf('{'))) as {
      Subject: string;
      Message: { severity: string; changes: { control?: string }[] };
      MessageAttributes: Record<string, { DataType: string; StringValue: string }>;
    };
    expect(json.Subject).toBe('[HIGH] prod of orders-api (a1b2c3d4e5) drifted in eu-west-1');
    expect(json.MessageAttributes.severity).toEqual({ DataType: 'String', StringValue: 'HIGH' });
    expect(json.MessageAttributes.apiId).toEqual({ DataType: 'String', StringValue: 'a1b2c3d4e5' });
    expect(json.Message.changes.map((c) => c.control)).toEqual(['APIGateway.1', 'APIGateway.4']);
  });

  it('prints the events table and the history of the drifted stage', () => {
    const events = section('6. stage-drift events').split('\n');
    expect(events[1]).toMatch(/^ID +DETECTED +SEVERITY +CHANGE +STATUS +REGION +API +STAGE +WHAT$/);
    expect(events.slice(2).filter((l) => / (HIGH|MEDIUM) /.test(l))).toHaveLength(3);
    expect(events.join('\n')).toMatch(
      /HIGH +DELETED +open +eu-west-1 +payments-api \(f6g7h8i9j0\) +staging +stage deleted/,
    );
    // Piped, the table is not cut to a terminal width: every cell is whole.
    expect(events.filter((l) => l.includes('…'))).toEqual([]);
    expect(events.join('\n')).toMatch(/Execution logging level \(\*\/\*\) \(\+1 more\)/);
    const history = section('7. stage-drift history a1b2c3d4e5 prod');
    expect(history).toContain('REST API a1b2c3d4e5 stage prod in 123456789012/eu-west-1: 2 versions');
    expect(history).toContain('HIGH     Execution logging level (*/*): INFO -> OFF');
    expect(history).toMatch(/hash [0-9a-f]{12} \(first seen\)/);
  });

  it('ends with how to run the same commands against a real account', () => {
    const real = section('Against a real account');
    expect(real).toContain('npx stage-drift scan --region eu-west-1');
    expect(real).toContain('npx stage-drift events --since 24h');
    expect(real).toContain('npx cdk deploy');
  });

  it('never prints the value of a stage variable', () => {
    expect(demo.stdout).not.toContain(DEMO_SECRET);
    expect(demo.stderr).not.toContain(DEMO_SECRET);
  });

  it('removes its sandbox store', () => {
    expect(section('6. stage-drift events')).toContain(`--store ${join(scratch, 'stage-drift-demo-')}`);
    expect(readdirSync(scratch).filter((name) => name.startsWith('stage-drift-demo-'))).toEqual([]);
  });
});
