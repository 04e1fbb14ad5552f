/**
 * An esbuild plugin that leaves documentation out of the Lambda bundles: the settings table's
 * `doc`, `defaultDoc` and `context` (the README and synth read them, a function never does) and
 * the severity rules' `description`. Build-time only, like the SDK size plugins; code that runs in
 * a function reads a doc through `docOf` (shared/config/settings.ts), which allows it to be absent.
 */
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as ts from 'typescript';

/** The files whose object literals lose these properties, relative to the project root. */
export const DOC_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'shared/config/settings.ts': ['doc', 'defaultDoc', 'context'],
  'shared/diff/severity-rule-table.ts': ['description'],
};

/** TypeScript `source` without the property assignments named `names` (with their comments and commas). */
export const stripDocProperties = (
  source: string,
  fileName: string,
  names: readonly string[],
): { readonly code: string; readonly stripped: number } => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const ranges: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAssignment(node) &&
      ts.isObjectLiteralExpression(node.parent) &&
      ts.isIdentifier(node.name) &&
      names.includes(node.name.text)
    ) {
      const comma = /^\s*,/.exec(source.slice(node.end));
      ranges.push([node.getFullStart(), node.end + (comma?.[0].length ?? 0)]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let code = source;
  for (const [start, end] of ranges.reverse()) code = code.slice(0, start) + code.slice(end);
  return { code, stripped: ranges.length };
};

/** The plugin. A listed file that loses nothing fails the build, so a rename cannot turn it off silently. */
export const docsOutOfBundles = (projectRoot: string): Plugin => ({
  name: 'stage-drift-docs-out-of-bundles',
  setup(build) {
    const files = new Map(
      Object.entries(DOC_PROPERTIES).map(([file, names]) => [path.join(projectRoot, file), names]),
    );
    build.onLoad({ filter: /[\\/]shared[\\/](config|diff)[\\/][^\\/]+\.ts$/ }, async (args) => {
      const names = files.get(args.path);
      if (names === undefined) return undefined;
      const { code, stripped } = stripDocProperties(await readFile(args.path, 'utf8'), args.path, names);
      if (stripped === 0) {
        return {
          errors: [
            { text: `${args.path}: no ${names.join('/')} property to leave out; update DOC_PROPERTIES` },
          ],
        };
      }
      return { contents: code, loader: 'ts' };
    });
  },
});
