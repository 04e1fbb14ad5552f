/**
 * The jsii assembly (`.jsii`) of the construct library, for jsii-pacmak's Python package `stage_drift`:
 * `npx tsx infra/package/jsii.ts [--out build/jsii]`, or `npm run package` ({@link buildJsiiAssembly}).
 * See ARCHITECTURE.md, "Design notes: Staging the jsii package".
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** The library's entry, relative to the project root: the package's `main` (as .js) and `types`. */
export const JSII_ENTRY = 'infra/index.ts';
export const DEFAULT_JSII_DIR = path.join(ROOT, 'build', 'jsii');
export const JSII_TSCONFIG = 'tsconfig.jsii.json';

/** The only packages the library may import: jsii assemblies, peer dependencies of the package. */
const PEER_PACKAGES = ['aws-cdk-lib', 'constructs'] as const;
/** Where the library's sources may live; infra/package and infra/bundle are build tools. */
const SOURCE_DIRS = ['infra', 'shared'];
const TOOL_DIRS = ['infra/package', 'infra/bundle'];

export interface JsiiAssemblyOptions {
  /** The staging directory; wiped first. @default build/jsii */
  readonly outDir?: string;
  /** A directory copied to `<outDir>/assets` (the Lambda bundles). @default - no assets */
  readonly assetsDir?: string;
}

const posix = (file: string): string => file.split(path.sep).join('/');
const relative = (file: string): string => posix(path.relative(ROOT, file));

const packageName = (specifier: string): string => {
  const [first = '', second = ''] = specifier.split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
};

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');

/**
 * The module specifiers a file imports for types only (`import type`, `export type ... from`, or
 * every named binding marked `type`): TypeScript erases them, so they load nothing at run time.
 */
const typeOnlySpecifiers = (file: string, text: string): Set<string> => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const typeOnly = new Set<string>();
  const valued = new Set<string>();
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    let isTypeOnly = false;
    if (ts.isImportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      isTypeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((element) => element.isTypeOnly)));
    } else if (ts.isExportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      const clause = statement.exportClause;
      isTypeOnly =
        statement.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((element) => element.isTypeOnly));
    }
    if (specifier === undefined || !ts.isStringLiteral(specifier)) continue;
    (isTypeOnly ? typeOnly : valued).add(specifier.text);
  }
  for (const specifier of valued) typeOnly.delete(specifier);
  return typeOnly;
};

export interface EntryClosure {
  /** The project files the entry imports, directly or not (the entry first), relative to the project root. */
  readonly files: string[];
  /**
   * Imports of other packages for types only (erased at run time, but their declarations are
   * compiled, and the library's .d.ts refer to them), as import chains.
   */
  readonly typeOnlyPackageImports: string[];
}

/**
 * Follows the entry's imports. Throws, naming the import chain, when a file imports (for more
 * than types) a package other than the peer dependencies, or a file outside infra/ and shared/.
 */
export const entryClosure = (entry: string = JSII_ENTRY): EntryClosure => {
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    resolveJsonModule: true,
  };
  const start = path.join(ROOT, entry);
  /** Each file, with the file that first imported it. */
  const importedBy = new Map<string, string | undefined>([[start, undefined]]);
  const typeOnlyPackageImports: string[] = [];
  const chain = (file: string): string => {
    const files: string[] = [];
    for (let f: string | undefined = file; f !== undefined; f = importedBy.get(f)) files.unshift(relative(f));
    return files.join(' -> ');
  };
  const queue = [start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (file.endsWith('.json')) continue;
    const text = readFileSync(file, 'utf8');
    const typeOnly = typeOnlySpecifiers(file, text);
    const { importedFiles } = ts.preProcessFile(text, true, false);
    for (const { fileName: specifier } of importedFiles) {
      if (!specifier.startsWith('.')) {
        if (isBuiltin(specifier) || (PEER_PACKAGES as readonly string[]).includes(packageName(specifier))) {
          continue;
        }
        if (typeOnly.has(specifier)) {
          typeOnlyPackageImports.push(`${chain(file)} imports types from ${specifier}`);
          continue;
        }
        throw new Error(
          `jsii: ${chain(file)} imports ${specifier}: the construct library may import only ` +
            `${PEER_PACKAGES.join(' and ')} (and Node.js built-ins); keep runtime code out of infra/index.ts's imports`,
        );
      }
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule
        ?.resolvedFileName;
      if (resolved === undefined)
        throw new Error(`jsii: ${chain(file)} imports ${specifier}, which does not resolve`);
      const rel = relative(resolved);
      const inSources = SOURCE_DIRS.some((dir) => rel.startsWith(`${dir}/`));
      const inTools = TOOL_DIRS.some((dir) => rel.startsWith(`${dir}/`));
      if (!inSources || inTools || rel.endsWith('.d.ts')) {
        throw new Error(
          `jsii: ${chain(file)} imports ${rel}: the construct library is built from ${SOURCE_DIRS.join('/ and ')}/ ` +
            `only (not ${TOOL_DIRS.join('/, ')}/, lambdas/, cli/)`,
        );
      }
      if (!importedBy.has(resolved)) {
        importedBy.set(resolved, file);
        queue.push(resolved);
      }
    }
  }
  return { files: [...importedBy.keys()].map(relative), typeOnlyPackageImports };
};

interface RootPackageJson {
  readonly version?: string;
  readonly description?: string;
  readonly license?: string;
  readonly author?: unknown;
  readonly repository?: unknown;
  readonly homepage?: string;
  readonly keywords?: readonly string[];
}

/**
 * Placeholders for what jsii requires and the root package.json does not have yet. Replace them
 * there (the staged package.json takes the root's values when present).
 */
export const PLACEHOLDERS = {
  author: { name: 'stage-drift contributors' },
  repository: { type: 'git', url: 'https://github.com/stage-drift/stage-drift.git' },
  keywords: ['aws-cdk', 'cdk-construct', 'api-gateway', 'drift-detection', 'jsii'],
} as const;

const installedVersion = (name: string): string => {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return manifest.version;
};

/** The staged package's package.json: the root's metadata, the peer dependencies, the jsii config. */
export const stagedPackageJson = (files: readonly string[]): Record<string, unknown> => {
  const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as RootPackageJson;
  const peers = Object.fromEntries(PEER_PACKAGES.map((name) => [name, installedVersion(name)]));
  return {
    name: 'stage-drift',
    version: root.version ?? '0.0.0',
    description: root.description,
    license: root.license ?? 'Apache-2.0',
    author: root.author ?? PLACEHOLDERS.author,
    repository: root.repository ?? PLACEHOLDERS.repository,
    ...(root.homepage ? { homepage: root.homepage } : {}),
    keywords: root.keywords ?? PLACEHOLDERS.keywords,
    main: JSII_ENTRY.replace(/\.ts$/, '.js'),
    types: JSII_ENTRY.replace(/\.ts$/, '.d.ts'),
    // What jsii-pacmak packs (npm pack) into the Python package: the compiled library, its assembly
    // and the bundles; not the TypeScript sources.
    files: [
      ...SOURCE_DIRS.flatMap((dir) => [`${dir}/**/*.js`, `${dir}/**/*.d.ts`]),
      ...files.filter((file) => file.endsWith('.json')),
      '.jsii',
      'assets/**',
    ],
    // jsii wants each peer dependency in devDependencies too, at the lowest version of its range.
    peerDependencies: Object.fromEntries(
      Object.entries(peers).map(([name, version]) => [name, `^${version}`]),
    ),
    devDependencies: peers,
    jsii: {
      outdir: 'dist',
      targets: { python: { distName: 'stage-drift', module: 'stage_drift' } },
      tsconfig: JSII_TSCONFIG,
      validateTsconfig: 'minimal',
    },
  };
};

/** Compiled as CommonJS with declarations; the options otherwise follow the root tsconfig.json. */
export const JSII_COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'commonjs',
  moduleResolution: 'bundler',
  rootDir: '.',
  declaration: true,
  strict: true,
  experimentalDecorators: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  noEmitOnError: true,
  forceConsistentCasingInFileNames: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noImplicitOverride: true,
  noUncheckedIndexedAccess: true,
  types: ['node'],
} as const;

/** `child` is `parent` or below it. */
const within = (parent: string, child: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** The staging directory is wiped: never the project or above it, and in the project only under build/ or dist/. */
const checkStagingDir = (dir: string): void => {
  if (within(dir, ROOT)) {
    throw new Error(`jsii: refusing to wipe ${dir} for the staging directory: it holds the project`);
  }
  if (within(ROOT, dir) && !['build', 'dist'].some((top) => within(path.join(ROOT, top), dir))) {
    throw new Error(
      `jsii: refusing to wipe ${dir} for the staging directory: in the project, use build/ or dist/`,
    );
  }
};

/**
 * Stages the construct library in `outDir` (wiped first), compiles it with jsii and returns the
 * path of the assembly, `<outDir>/.jsii`. Throws with jsii's output if jsii fails.
 */
export const buildJsiiAssembly = (options: JsiiAssemblyOptions = {}): string => {
  const outDir = path.resolve(options.outDir ?? DEFAULT_JSII_DIR);
  checkStagingDir(outDir);
  const { files, typeOnlyPackageImports } = entryClosure();
  for (const chain of typeOnlyPackageImports) {
    process.stderr.write(`jsii: warning: ${chain} (erased at run time; its declarations are compiled)\n`);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const file of files) {
    mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    cpSync(path.join(ROOT, file), path.join(outDir, file));
  }
  // jsii puts the README in the assembly (and pacmak in the Python package's description).
  if (existsSync(path.join(ROOT, 'README.md')))
    cpSync(path.join(ROOT, 'README.md'), path.join(outDir, 'README.md'));
  if (options.assetsDir !== undefined) {
    if (!existsSync(options.assetsDir))
      throw new Error(`jsii: the assets directory ${options.assetsDir} does not exist`);
    cpSync(options.assetsDir, path.join(outDir, 'assets'), { recursive: true });
  }
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(stagedPackageJson(files), null, 2)}\n`);
  writeFileSync(
    path.join(outDir, JSII_TSCONFIG),
    `${JSON.stringify({ compilerOptions: JSII_COMPILER_OPTIONS, files: [JSII_ENTRY] }, null, 2)}\n`,
  );
  symlinkSync(
    path.relative(outDir, path.join(ROOT, 'node_modules')),
    path.join(outDir, 'node_modules'),
    'dir',
  );

  const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'jsii'), [], {
    cwd: outDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // The running Node's end-of-life banner, printed on every run, says nothing about the build.
    env: {
      ...process.env,
      JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0],
    },
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.error) throw new Error(`jsii: could not start jsii: ${run.error.message}`, { cause: run.error });
  const assembly = path.join(outDir, '.jsii');
  if (run.status !== 0 || !existsSync(assembly)) {
    throw new Error(`jsii failed (exit ${String(run.status)}) in ${outDir}:\n${output}`);
  }
  // Warnings, if any (jsii exits 0 with them); not its summary of a clean build.
  if (!/^Errors: 0 \| Warnings: 0\b/m.test(output)) process.stderr.write(`${output}\n`);
  checkAssembly(assembly);
  return assembly;
};

interface AssemblyTypes {
  readonly types?: Record<string, { readonly locationInModule?: { readonly filename?: string } }>;
}

/** The runtime stays out of the API: no type of the assembly may be declared under shared/. */
export const runtimeTypesIn = (assembly: string): string[] => {
  const { types = {} } = JSON.parse(readFileSync(assembly, 'utf8')) as AssemblyTypes;
  return Object.entries(types)
    .filter(([, type]) => !(type.locationInModule?.filename ?? '').startsWith('infra/'))
    .map(([fqn, type]) => `${fqn} (${type.locationInModule?.filename ?? 'unknown file'})`);
};

const checkAssembly = (assembly: string): void => {
  const leaked = runtimeTypesIn(assembly);
  if (leaked.length > 0) {
    throw new Error(`jsii: the assembly's API holds types declared outside infra/: ${leaked.join(', ')}`);
  }
};

if (require.main === module) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex === -1 ? undefined : args[outIndex + 1];
  if (outIndex !== -1 && outDir === undefined) {
    process.stderr.write('usage: tsx infra/package/jsii.ts [--out <staging dir>] [--assets <dir>]\n');
    process.exit(2);
  }
  const assetsIndex = args.indexOf('--assets');
  const assetsDir = assetsIndex === -1 ? undefined : args[assetsIndex + 1];
  const started = Date.now();
  try {
    const assembly = buildJsiiAssembly({ outDir, assetsDir });
    process.stdout.write(
      `jsii: ${within(process.cwd(), assembly) ? path.relative(process.cwd(), assembly) : assembly} ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
