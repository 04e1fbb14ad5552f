import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleFunction } from '../../../infra/bundle/bundle-function';
import { PROJECT_ROOT } from '../../../infra/runtime-contract';

/**
 * The project files a handler's bundle keeps (esbuild's metafile: inputs with bytes in the
 * output, node_modules left out), relative to the project root: exactly the code the function
 * runs. Nothing is written; without the size plugins, as they change only SDK files.
 */
export const bundledSources = async (entry: string): Promise<string[]> => {
  const { metafile } = await bundleFunction({
    entry,
    outdir: path.join(tmpdir(), 'stage-drift-sdk-calls'),
    write: false,
    sizePlugins: [],
  });
  // Every file of the bundle: the entry and its chunks (code loaded by `import()` runs too).
  const files = Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([file, input]) => input.bytesInOutput > 0 && !file.split('/').includes('node_modules'))
      .map(([file]) => file),
  );
  if (files.length === 0) throw new Error(`esbuild reported no output for ${entry}`);
  return [...new Set(files)].sort();
};

const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/gm;

/**
 * The commands of `sdkPackage` a source file sends: each `new <Name>(` of a name it imports
 * (as a value, aliases followed) from the package and that ends in `Command`. Returns the
 * commands' own names (`QueryCommand`), sorted.
 */
export const commandsSent = (source: string, sdkPackage: string): string[] => {
  const sent = new Set<string>();
  for (const [, specifiers, from] of source.matchAll(IMPORT)) {
    if (from !== sdkPackage) continue;
    for (const specifier of (specifiers ?? '').split(',')) {
      const [name, local] = specifier.trim().split(/\s+as\s+/);
      if (!name || name.startsWith('type ') || !name.endsWith('Command')) continue;
      if (new RegExp(`\\bnew\\s+${local ?? name}\\s*\\(`).test(source)) sent.add(name);
    }
  }
  return [...sent].sort();
};

/** Every file of `files` (relative to the project root) with its text. */
export const readSources = (files: readonly string[]): { file: string; text: string }[] =>
  files.map((file) => ({ file, text: readFileSync(path.join(PROJECT_ROOT, file), 'utf8') }));
