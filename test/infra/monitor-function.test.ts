import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ESM_REQUIRE_BANNER, NODE_TARGET } from '../../infra/bundle/bundle-function';
import { FUNCTION_RUNTIME, MonitorFunction } from '../../infra/monitor-function';

const HANDLERS = path.join(__dirname, 'support', 'handlers');

let outdir = '';
beforeEach(async () => {
  outdir = await mkdtemp(path.join(tmpdir(), 'stage-drift-monitor-function-'));
});
afterEach(async () => {
  await rm(outdir, { recursive: true, force: true });
});

/** Synthesizes one stack with a MonitorFunction per entry, bundling for real (local esbuild). */
const synthesize = (entries: readonly string[], into = outdir) => {
  const app = new App({ outdir: into, context: { 'aws:cdk:bundling-stacks': ['*'] } });
  const stack = new Stack(app, 'Bundled');
  entries.forEach(
    (entry, i) =>
      new MonitorFunction(stack, `Function${i}`, {
        entry,
        description: `bundling test ${i}`,
        serviceName: 'stage-drift-test',
        timeout: Duration.seconds(10),
        memorySize: 128,
        environment: {},
        logRetention: RetentionDays.ONE_DAY,
      }),
  );
  app.synth();
  return Template.fromStack(stack);
};

describe('MonitorFunction bundling (local esbuild, in a child process)', () => {
  it('bundles for the runtime the functions run on', () => {
    expect(FUNCTION_RUNTIME.name).toBe(`nodejs${NODE_TARGET.replace('node', '')}.x`);
  });

  it('stages one bundle per function: index.mjs with the banner, its source map, handler index.handler', () => {
    // Act
    const template = synthesize([path.join(HANDLERS, 'hello.ts'), path.join(HANDLERS, 'goodbye.ts')]);

    // Assess
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (r) => r.Properties as { Handler: string; Code: { S3Key: string } },
    );
    expect(functions.map((f) => f.Handler)).toEqual(['index.handler', 'index.handler']);
    const assets = functions.map((f) => path.join(outdir, `asset.${f.Code.S3Key.replace(/\.zip$/, '')}`));
    expect(new Set(assets).size).toBe(2);
    const code = assets.map((dir) => readFileSync(path.join(dir, 'index.mjs'), 'utf8'));
    expect(code[0]!.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code[0]).toContain('"hello"');
    expect(code[1]).toContain('"goodbye"');
    expect(code[0]).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\n?$/);
    const map = JSON.parse(readFileSync(path.join(assets[0]!, 'index.mjs.map'), 'utf8')) as {
      sourcesContent?: unknown;
    };
    expect(map.sourcesContent).toBeUndefined();
  });

  it('gives the same code the same asset hash whatever the output directory (-o)', () => {
    // Act: the construct's bundling once per directory, at two depths.
    const [near, far] = [path.join(outdir, 'a'), path.join(outdir, 'b', 'c', 'd')].map((dir) => {
      const template = synthesize([path.join(HANDLERS, 'hello.ts')], dir);
      const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
      const key = (fn!.Properties as { Code: { S3Key: string } }).Code.S3Key;
      return {
        key,
        map: readFileSync(path.join(dir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs.map'), 'utf8'),
      };
    });

    // Assess: the source map names the sources from the project root, not from the output directory.
    expect(far!.key).toBe(near!.key);
    expect((JSON.parse(near!.map) as { sources: string[] }).sources).toEqual([
      'test/infra/support/handlers/hello.ts',
    ]);
  });

  it("fails the synth with esbuild's message when an entry cannot be bundled", () => {
    const missing = path.join(HANDLERS, 'no-such-handler.ts');
    expect(() => synthesize([missing])).toThrow(
      /bundling .*no-such-handler\.ts failed \(exit 1\):\n.*Could not resolve/s,
    );
    expect(existsSync(path.join(outdir, 'Bundled.template.json'))).toBe(false);
  });
});
