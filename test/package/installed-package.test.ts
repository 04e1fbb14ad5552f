/**
 * The package as users get it: `npm run package`, `npm pack`, then installed from the tarball
 * into fresh apps in temporary directories (the npm registry is the only network this needs):
 * a JavaScript CDK app and a TypeScript app run by tsx with TypeScript 7 (what `cdk init` makes
 * today) synthesize a `StageDriftMonitor` with the package's prebuilt function code; the
 * installed CLI runs `--help`, `diff` and a baseline `scan` against moto; the Python wheel holds
 * the `stage_drift` module. Slow by nature (one build, one install): about two minutes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { AWS_TEST_CREDENTIALS, startMoto, type MotoServer } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';

const ROOT = path.join(__dirname, '..', '..');
const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const installed = (name: string): string =>
  (
    JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

const BUNDLES = ['snapshot', 'planner', 'rescan', 'publish'] as const;
/** Offline synth: no version check, no notices, no telemetry. */
const CDK_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  CDK_DISABLE_VERSION_CHECK: 'true',
  NO_COLOR: '1',
  CI: 'true',
};
const CDK_JSON_CONTEXT = { 'cli-telemetry': false };

const run = (command: string, args: readonly string[], cwd: string, env = CDK_ENV) => {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const mustRun = (command: string, args: readonly string[], cwd: string, env = CDK_ENV): string => {
  const result = run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (exit ${String(result.code)}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
};

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

let work: string;
let tarball: string;
let tarballFiles: string[];
let consumer: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'sd-package-'));
  mustRun('npm', ['run', 'package'], ROOT);
  const packed = JSON.parse(
    mustRun('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT),
  ) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, packed[0]!.filename);
  tarballFiles = packed[0]!.files.map((f) => f.path);

  consumer = path.join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  mustRun(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      tarball,
      `aws-cdk-lib@${installed('aws-cdk-lib')}`,
      `constructs@${installed('constructs')}`,
      `aws-cdk@${installed('aws-cdk')}`,
      'typescript@7',
      'tsx@4',
    ],
    consumer,
  );
}, 900_000);

describe('the tarball', () => {
  it('holds what a user needs and nothing of the repository', () => {
    expect(tarballFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        '.jsii',
        'dist/infra/index.js',
        'dist/infra/index.d.ts',
        'dist/cli/bin/run.js',
        'dist/shared/notify/drift-event.schema.json',
        ...BUNDLES.map((name) => `dist/assets/${name}/index.mjs`),
      ]),
    );
    const foreign = tarballFiles.filter(
      (f) =>
        /^(test|bench|examples|lambdas|infra|shared|cli|build)\//.test(f) ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
        f.includes('fixtures') ||
        f.includes('golden'),
    );
    expect(foreign).toEqual([]);
  });

  it('needs no TypeScript, tsx or esbuild at run time: only its CLI dependencies and the CDK as peers', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(consumer, 'node_modules', 'stage-drift', 'package.json'), 'utf8'),
    ) as {
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      private?: boolean;
    };
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
    for (const tool of ['typescript', 'tsx', 'esbuild', 'aws-cdk-lib', 'constructs']) {
      expect(manifest.dependencies).not.toHaveProperty(tool);
    }
    expect(manifest.dependencies).toHaveProperty('dynalite');
  });
});

interface Template {
  Resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, string> }
  >;
}

/** Synthesizes the app in `dir` and returns its one stack's template and the cloud assembly dir. */
const synth = (dir: string): { template: Template; out: string } => {
  const out = path.join(dir, 'cdk.out');
  mustRun(path.join(consumer, 'node_modules', '.bin', 'cdk'), ['synth', '-q', '-o', out], dir);
  const file = readdirSync(out).find((f) => f.endsWith('.template.json'));
  if (!file) throw new Error(`no template in ${out}`);
  return { template: JSON.parse(readFileSync(path.join(out, file), 'utf8')) as Template, out };
};

/** Each Lambda function's asset directory in the cloud assembly (`aws:asset:path` metadata). */
const functionAssets = (template: Template, out: string): string[] =>
  Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((r) => path.join(out, r.Metadata?.['aws:asset:path'] ?? '<no asset path>'));

const prebuilt = (name: string): string =>
  sha256(path.join(consumer, 'node_modules', 'stage-drift', 'dist', 'assets', name, 'index.mjs'));

const writeApp = (name: string, files: Record<string, string>, app: string): string => {
  const dir = path.join(consumer, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  writeFileSync(
    path.join(dir, 'cdk.json'),
    JSON.stringify({ app, versionReporting: false, notices: false, context: CDK_JSON_CONTEXT }),
  );
  return dir;
};

describe('a CDK app that installed the package', () => {
  it('JavaScript: require("stage-drift") synthesizes the default monitor with the prebuilt snapshot, rescan and publish code', () => {
    const dir = writeApp(
      'js-app',
      {
        'app.js': [
          "const { App, Stack } = require('aws-cdk-lib');",
          "const { StageDriftMonitor } = require('stage-drift');",
          'const app = new App();',
          "new StageDriftMonitor(new Stack(app, 'Monitor'), 'StageDrift');",
          'app.synth();',
        ].join('\n'),
      },
      'node app.js',
    );
    const { template, out } = synth(dir);
    const code = functionAssets(template, out).map((asset) => sha256(path.join(asset, 'index.mjs')));
    expect(code.sort()).toEqual([prebuilt('snapshot'), prebuilt('rescan'), prebuilt('publish')].sort());
  }, 180_000);

  it('a package without its prebuilt bundle fails at synth, saying what is missing and what to do', () => {
    const assets = path.join(consumer, 'node_modules', 'stage-drift', 'dist', 'assets');
    renameSync(path.join(assets, 'publish'), path.join(assets, 'publish.moved'));
    try {
      const dir = path.join(consumer, 'js-app');
      const result = run(
        path.join(consumer, 'node_modules', '.bin', 'cdk'),
        ['synth', '-q', '-o', path.join(dir, 'cdk.out.broken')],
        dir,
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('the prebuilt bundle of the publish function is missing');
      expect(result.stderr).toContain('npm run package');
    } finally {
      renameSync(path.join(assets, 'publish.moved'), path.join(assets, 'publish'));
    }
  }, 180_000);

  it('JavaScript, fan-out: the planner function joins them, with its prebuilt code', () => {
    const dir = writeApp(
      'js-fanout-app',
      {
        'app.js': [
          "const { App, Stack } = require('aws-cdk-lib');",
          "const { StageDriftMonitor } = require('stage-drift');",
          'const app = new App();',
          "new StageDriftMonitor(new Stack(app, 'Monitor'), 'StageDrift', { targetAccounts: ['111111111111'], externalId: 'stage-drift-test' });",
          'app.synth();',
        ].join('\n'),
      },
      'node app.js',
    );
    const { template, out } = synth(dir);
    const code = functionAssets(template, out).map((asset) => sha256(path.join(asset, 'index.mjs')));
    expect(code.sort()).toEqual(BUNDLES.map(prebuilt).sort());
  }, 180_000);

  it('TypeScript 7 run by tsx (as `cdk init` makes it): import { StageDriftMonitor } from "stage-drift" synthesizes', () => {
    const dir = writeApp(
      'ts-app',
      {
        'app.ts': [
          "import { App, Stack } from 'aws-cdk-lib';",
          "import { StageDriftMonitor, StageDriftReaderRole } from 'stage-drift';",
          'const app = new App();',
          "const monitor = new StageDriftMonitor(new Stack(app, 'Monitor'), 'StageDrift');",
          "new StageDriftReaderRole(new Stack(app, 'Reader'), 'Reader', { monitorAccountId: '111111111111', externalId: 'stage-drift-test', trustMonitorAccount: true });",
          'void monitor.topic;',
          'app.synth();',
        ].join('\n'),
      },
      'npx tsx app.ts',
    );
    const tsVersion = mustRun(path.join(consumer, 'node_modules', '.bin', 'tsc'), ['--version'], dir);
    expect(tsVersion).toMatch(/Version 7\./);
    const out = path.join(dir, 'cdk.out');
    mustRun(path.join(consumer, 'node_modules', '.bin', 'cdk'), ['synth', '-q', '-o', out, 'Monitor'], dir);
    const template = JSON.parse(readFileSync(path.join(out, 'Monitor.template.json'), 'utf8')) as Template;
    expect(functionAssets(template, out)).toHaveLength(3);
  }, 180_000);
});

describe('the installed CLI', () => {
  const cli = (): string => path.join(consumer, 'node_modules', '.bin', 'stage-drift');
  const examples = path.join(ROOT, 'examples', 'rest');
  let moto: MotoServer;

  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(() => moto?.stop());

  it('prints its help', () => {
    expect(mustRun(cli(), ['--help'], consumer)).toContain('Usage: stage-drift');
  });

  it('diffs two stage documents: drift found, exit 1', () => {
    const result = run(
      cli(),
      ['diff', path.join(examples, 'before.json'), path.join(examples, 'after.json')],
      consumer,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('MODIFIED');
  });

  it('scans moto into an embedded store (the baseline), with dynalite from its own dependencies', async () => {
    const rest = new APIGatewayClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: AWS_TEST_CREDENTIALS,
    });
    await createRestApiWithStage(rest, { name: 'installed' }, { stageName: 'prod' });
    const store = mkdtempSync(path.join(tmpdir(), 'sd-installed-store-'));
    const result = run(cli(), ['scan', '--store', store, '--region', 'us-east-1'], consumer, {
      ...CDK_ENV,
      HOME: mkdtempSync(path.join(tmpdir(), 'sd-home-')),
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(result.stdout).toMatch(/baseline/i);
  }, 120_000);
});

describe('the Python wheel', () => {
  it('holds the stage_drift module with both constructs and the npm tarball it runs', () => {
    const wheels = readdirSync(path.join(ROOT, 'dist', 'python')).filter((f) => f.endsWith('.whl'));
    expect(wheels).toEqual([`stage_drift-${rootPackage.version}-py3-none-any.whl`]);
    const listing = execFileSync(
      'python3',
      [
        '-c',
        [
          'import sys, zipfile, json',
          'z = zipfile.ZipFile(sys.argv[1])',
          "init = z.read('stage_drift/__init__.py').decode()",
          'print(json.dumps({"names": z.namelist(), "init": init}))',
        ].join('\n'),
        path.join(ROOT, 'dist', 'python', wheels[0]!),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const wheel = JSON.parse(listing) as { names: string[]; init: string };
    expect(wheel.names).toContain(`stage_drift/_jsii/${rootPackage.name}@${rootPackage.version}.jsii.tgz`);
    expect(wheel.init).toMatch(/^class StageDriftMonitor\(/m);
    expect(wheel.init).toMatch(/^class StageDriftReaderRole\(/m);
    expect(wheel.init).toMatch(/^class StageDriftMonitorProps\b/m);
  });
});
