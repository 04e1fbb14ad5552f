import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// One error root (STYLE.md section 5): `StageDriftError` in shared/model/errors.ts is the only
// class that extends `Error` directly; every other error extends it or one of its families.

const ROOT = resolve(__dirname, '..', '..');
const SCANNED = ['shared', 'lambdas', 'cli', 'infra'];
const THE_ROOT = 'shared/model/errors.ts';
const EXTENDS_ERROR = /\bextends\s+Error\b/g;

const sourceFilesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFilesUnder(path);
    return name.endsWith('.ts') ? [path] : [];
  });

/** `path:line` of every `extends Error` in the scanned source. */
const extendsErrorSites = (): string[] =>
  SCANNED.flatMap((dir) => sourceFilesUnder(join(ROOT, dir))).flatMap((file) => {
    const path = relative(ROOT, file).split('\\').join('/');
    return readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        [...line.matchAll(EXTENDS_ERROR)].map(() => `${path}:${index + 1}: ${line.trim()}`),
      );
  });

describe('the error root', () => {
  it(`is the one class extending Error directly (${THE_ROOT})`, () => {
    const sites = extendsErrorSites();
    const offending = sites.filter((site) => !site.startsWith(`${THE_ROOT}:`));
    if (offending.length > 0) {
      throw new Error(
        `${offending.length} error class(es) extend Error directly; extend StageDriftError or one of ` +
          `its families (InputError, DeliveryError) from shared/model/errors.ts instead, in the ` +
          `module's errors.ts:\n  ${offending.join('\n  ')}`,
      );
    }
    expect(sites).toHaveLength(1);
    expect(sites[0]).toMatch(
      /^shared\/model\/errors\.ts:\d+: export class StageDriftError extends Error \{$/,
    );
  });

  it('every error class below the root names itself literally (minified bundles would log `e`)', () => {
    const CLASS = /^export class (\w+) extends (\w+)\b[^{\n]*\{/gm;
    const unnamed = SCANNED.flatMap((dir) => sourceFilesUnder(join(ROOT, dir))).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(CLASS)]
        .filter(([, name, base]) => name !== 'StageDriftError' && /Error$/.test(base ?? ''))
        .filter(([, name]) => !new RegExp(`name\\s*=\\s*'${name}'`).test(text))
        .map(([, name]) => `${relative(ROOT, file)}: ${name}`);
    });
    expect(unnamed).toEqual([]);
  });
});
