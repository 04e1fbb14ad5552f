import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');
const SCANNED = ['shared', 'lambdas', 'cli', 'infra'];

const sourceFilesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFilesUnder(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });

/**
 * The relative module specifiers a file imports statically: `import ... from`, `import type ...
 * from`, `export ... from` and `import x = require(...)`. A dynamic `import()` (the CLI's lazy
 * commands) is not an edge: it runs after every module has loaded.
 */
const staticImportsOf = (file: string): string[] => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)
        ? statement.moduleSpecifier
        : ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)
          ? statement.moduleReference.expression
          : undefined;
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      specifiers.push(specifier.text);
    }
  }
  return specifiers;
};

/** `./x` from `dir`: `x.ts`, `x/index.ts`, or `x` itself; undefined for anything else (a `.json`). */
const resolveImport = (dir: string, specifier: string): string | undefined => {
  const base = resolve(dir, specifier.replace(/\.js$/, ''));
  return [`${base}.ts`, join(base, 'index.ts'), base].find(
    (path) => path.endsWith('.ts') && existsSync(path) && statSync(path).isFile(),
  );
};

type Graph = ReadonlyMap<string, readonly string[]>;

const buildGraph = (): Graph => {
  const files = SCANNED.flatMap((dir) => sourceFilesUnder(join(ROOT, dir)));
  return new Map(
    files.map((file) => [
      file,
      staticImportsOf(file).flatMap((specifier) => resolveImport(dirname(file), specifier) ?? []),
    ]),
  );
};

/** Tarjan's strongly connected components with more than one file, or one that imports itself. */
const circularComponents = (graph: Graph): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) components.push(component);
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return components;
};

/** One cycle through the component's first file (by name), as `a -> b -> a`. */
const describeCycle = (graph: Graph, component: readonly string[]): string => {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const path = [start];
  const seen = new Set([start]);
  const walk = (file: string): boolean => {
    for (const target of graph.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) return true;
      if (seen.has(target)) continue;
      seen.add(target);
      path.push(target);
      if (walk(target)) return true;
      path.pop();
    }
    return false;
  };
  walk(start);
  return [...path, start].map((file) => relative(ROOT, file)).join(' -> ');
};

describe('import graph', () => {
  it('has no import circle in shared/, lambdas/, cli/ or infra/', () => {
    // Prepare
    const graph = buildGraph();

    // Act
    const cycles = circularComponents(graph).map((component) => describeCycle(graph, component));

    // Assess
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles).toEqual([]);
  });

  it('sees a circle when there is one', () => {
    // Prepare
    const graph: Graph = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/c.ts']],
      ['/c.ts', ['/a.ts', '/d.ts']],
      ['/d.ts', []],
    ]);

    // Act
    const components = circularComponents(graph);

    // Assess
    expect(components.map((c) => [...c].sort())).toEqual([['/a.ts', '/b.ts', '/c.ts']]);
    expect(describeCycle(graph, components[0]!)).toBe(
      [
        relative(ROOT, '/a.ts'),
        relative(ROOT, '/b.ts'),
        relative(ROOT, '/c.ts'),
        relative(ROOT, '/a.ts'),
      ].join(' -> '),
    );
  });
});
