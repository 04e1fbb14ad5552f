/**
 * `npm run package`: builds what the npm package ships and the Python wheel, from this checkout.
 *
 *   dist/assets/<function>/index.mjs   the Lambda bundles, prebuilt (infra/bundle, with the SDK size
 *                                      plugins: they run here, never in a consumer's app)
 *   dist/{infra,shared,cli}/**.js      the construct library and the CLI, compiled (CommonJS + .d.ts)
 *   .jsii                              the jsii assembly of the construct library (infra/package/jsii.ts)
 *   dist/python/*.whl                  the Python distribution `stage-drift` (module `stage_drift`)
 *
 * Flags: `--skip-python` builds the npm side only (what `npm pack` needs: its `prepack` runs that).
 * Every step prints its wall time; a failing step stops the build with its tool's output.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundleFunction } from '../bundle/bundle-function';
import { FUNCTION_BUNDLES, PROJECT_ROOT } from '../runtime-contract';
import { buildJsiiAssembly } from './jsii';
import { buildPythonWheel } from './python-wheel';

export const DIST_DIR = path.join(PROJECT_ROOT, 'dist');
export const ASSETS_DIR = path.join(DIST_DIR, 'assets');
export const PYTHON_DIST_DIR = path.join(DIST_DIR, 'python');
export const JSII_STAGING_DIR = path.join(PROJECT_ROOT, 'build', 'jsii');

const step = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
  const started = Date.now();
  const result = await run();
  process.stdout.write(`package: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return result;
};

const bin = (name: string): string => path.join(PROJECT_ROOT, 'node_modules', '.bin', name);

export interface PackageOptions {
  /** Build the Python wheel too. @default true */
  readonly python?: boolean;
}

export const buildPackage = async (options: PackageOptions = {}): Promise<void> => {
  rmSync(DIST_DIR, { recursive: true, force: true });
  rmSync(path.join(PROJECT_ROOT, '.jsii'), { force: true });

  await step('Lambda bundles', async () => {
    for (const { name, entry } of FUNCTION_BUNDLES) {
      const result = await bundleFunction({
        entry,
        outdir: path.join(ASSETS_DIR, name),
        logLevel: 'warning',
      });
      process.stdout.write(`  ${name}: ${result.bytes} bytes\n`);
    }
  });

  await step('compile (tsc -p tsconfig.package.json)', () => {
    execFileSync(bin('tsc'), ['-p', path.join(PROJECT_ROOT, 'tsconfig.package.json')], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
    // JSON the compiled code reads or that the package exports as a subpath.
    for (const name of ['drift-event.schema.json', 'posture-summary.schema.json']) {
      const schema = path.join('shared', 'notify', name);
      mkdirSync(path.dirname(path.join(DIST_DIR, schema)), { recursive: true });
      copyFileSync(path.join(PROJECT_ROOT, schema), path.join(DIST_DIR, schema));
    }
    // The compiled code finds its bundles at <dist>/assets (runtime-contract.ts, PREBUILT_ASSETS_DIR).
    writeFileSync(path.join(DIST_DIR, 'README.md'), 'Build output of `npm run package`; do not edit.\n');
  });

  const assembly = await step('jsii assembly', () =>
    buildJsiiAssembly({ outDir: JSII_STAGING_DIR, assetsDir: ASSETS_DIR }),
  );
  copyFileSync(assembly, path.join(PROJECT_ROOT, '.jsii'));

  if (options.python ?? true) {
    const wheel = await step('Python wheel (jsii-pacmak + setuptools)', () =>
      buildPythonWheel({ jsiiDir: JSII_STAGING_DIR, outDir: PYTHON_DIST_DIR }),
    );
    process.stdout.write(`  ${path.relative(PROJECT_ROOT, wheel)}\n`);
  }
  const files = readdirSync(ASSETS_DIR).length;
  if (files !== FUNCTION_BUNDLES.length || !existsSync(path.join(DIST_DIR, 'infra', 'index.js'))) {
    throw new Error('package: the build is incomplete (bundles or compiled construct missing)');
  }
};

if (require.main === module) {
  buildPackage({ python: !process.argv.includes('--skip-python') }).catch((error: unknown) => {
    process.stderr.write(`package: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
