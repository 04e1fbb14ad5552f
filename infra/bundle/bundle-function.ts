/**
 * How every monitor Lambda is bundled, in one place: esbuild's API (only the API takes plugins)
 * with the house settings and the two SDK size plugins. `MonitorFunction` runs it at synth
 * through bundle-cli.ts; bench/bundle-breakdown.ts and test/infra/bundle imports it directly.
 * No CDK import here: the bundling child process loads esbuild and this module only.
 */
import type { BuildOptions, LogLevel, Metafile } from 'esbuild';
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { BUNDLE_FILE, PROJECT_ROOT } from '../runtime-contract';
import type { SchemaKeyRewrites } from './sdk-size-plugins';
import { envOnlyCredentials, literalSchemaKeys } from './sdk-size-plugins';
import { docsOutOfBundles } from './docs-out-of-bundles';

/** esbuild's target for `FUNCTION_RUNTIME` (Node.js 24; test/infra/bundle checks the two agree). */
export const NODE_TARGET = 'node24';

/**
 * ESM bundles keep CommonJS dependencies that call `require` working (esbuild's documented
 * banner); `node:module` is a built-in, so the banner adds no bytes to load.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __stageDriftCreateRequire } from 'node:module'; const require = __stageDriftCreateRequire(import.meta.url);";

/**
 * The settings of every function: one minified ESM file for Node.js 24 with the SDK bundled
 * (it loads faster than the runtime's copy), ESM entry points of dependencies first, and an
 * external source map without the sources (`NODE_OPTIONS=--enable-source-maps` maps stack
 * traces; the code stays out of the asset twice).
 */
const SETTINGS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: NODE_TARGET,
  format: 'esm',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  banner: { js: ESM_REQUIRE_BANNER },
};

/** The two SDK size plugins, by name. */
export const SIZE_PLUGINS = ['env-only-credentials', 'literal-schema-keys'] as const;
export type SizePlugin = (typeof SIZE_PLUGINS)[number];

export interface BundleOptions {
  /** The handler file (it exports `handler`). */
  readonly entry: string;
  /** Where `index.mjs` and `index.mjs.map` go. */
  readonly outdir: string;
  /**
   * The SDK size plugins (sdk-size-plugins.ts) to run; fewer only to measure what each saves.
   * @default SIZE_PLUGINS (both)
   */
  readonly sizePlugins?: readonly SizePlugin[];
  /** Write the files; off, only the metafile and the sizes come back. @default true */
  readonly write?: boolean;
  /** esbuild's own reporting on stderr. @default 'silent' (errors still reject) */
  readonly logLevel?: LogLevel;
}

export interface BundleResult {
  /** Path of `index.mjs` (not written when `write` is false). */
  readonly outfile: string;
  /** Bytes a function loads at init: `index.mjs` and the chunks it imports statically (not `import()`ed ones). */
  readonly bytes: number;
  /** The sources in those files (the metafile's input paths). */
  readonly initInputs: readonly string[];
  /** esbuild's metafile: every input and how many of its bytes are in the output. */
  readonly metafile: Metafile;
  /** What the schema-key plugin rewrote (zeros without the plugins). */
  readonly schemaKeys: SchemaKeyRewrites;
}

/**
 * Where esbuild is told the bundle goes: the project root, next to the sources, so the source map
 * names them from there (`shared/store/keys.ts`, and `/var/task/shared/store/keys.ts` in a stack
 * trace). The files are then written to the real output directory, whichever it is: the bundle
 * and its map, and so the asset hash, do not depend on `cdk synth -o`.
 */
const LAID_OUT_AT = path.join(PROJECT_ROOT, BUNDLE_FILE);

/** The output files a function loads at init: the entry and the chunks it imports statically. */
const staticClosure = (outputs: Metafile['outputs'], entry: string): string[] => {
  const seen = new Set<string>([entry]);
  for (const file of seen) {
    for (const imported of outputs[file]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) seen.add(imported.path);
    }
  }
  return [...seen];
};

/** Bundles one handler as it is deployed. Rejects with esbuild's errors. */
export const bundleFunction = async (options: BundleOptions): Promise<BundleResult> => {
  const schemaKeys: SchemaKeyRewrites = { files: 0, keys: 0 };
  const outfile = path.join(options.outdir, BUNDLE_FILE);
  const plugins = options.sizePlugins ?? SIZE_PLUGINS;
  const result = await build({
    ...SETTINGS,
    metafile: true,
    entryPoints: { index: options.entry },
    absWorkingDir: PROJECT_ROOT,
    // Code a function loads only when a setting turns it on (`await import(...)`, e.g. the Security
    // Hub export) goes to its own chunk next to index.mjs: not parsed at init when the setting is off.
    splitting: true,
    outdir: path.dirname(LAID_OUT_AT),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    write: false,
    logLevel: options.logLevel ?? 'silent',
    plugins: [
      docsOutOfBundles(PROJECT_ROOT),
      ...(plugins.includes('env-only-credentials') ? [envOnlyCredentials()] : []),
      ...(plugins.includes('literal-schema-keys') ? [literalSchemaKeys(schemaKeys)] : []),
    ],
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint !== undefined);
  if (entry === undefined) throw new Error(`esbuild reported no output for ${options.entry}`);
  const loadedAtInit = staticClosure(outputs, entry);
  if (options.write ?? true) {
    await mkdir(options.outdir, { recursive: true });
    for (const file of result.outputFiles) {
      await writeFile(path.join(options.outdir, path.basename(file.path)), file.contents);
    }
  }
  return {
    outfile,
    bytes: loadedAtInit.reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0),
    initInputs: loadedAtInit.flatMap((file) => Object.keys(outputs[file]?.inputs ?? {})),
    metafile: result.metafile,
    schemaKeys,
  };
};
