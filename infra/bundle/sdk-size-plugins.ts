/**
 * Two esbuild plugins that take out of a Lambda bundle what the AWS SDK for JavaScript v3 brings
 * but a Lambda function never runs. Both are build-time only: the handlers' code does not change.
 * docs/deploy.md ("Bundles") says why each is safe, and when to drop it.
 */
import type { Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as ts from 'typescript';

const CREDENTIAL_PROVIDER_NODE = '@aws-sdk/credential-provider-node';
const ENV_CREDENTIALS_NAMESPACE = 'stage-drift-env-credentials';

/**
 * Every client's default credential chain (`defaultProvider` of `@aws-sdk/credential-provider-node`:
 * environment, SSO, INI files, credential process, web identity, container and instance metadata,
 * with the nested SSO, SSO-OIDC and STS clients they need) replaced by its first link,
 * `fromEnv` of `@aws-sdk/credential-provider-env`. Lambda puts the execution role's credentials in
 * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, so the chain always stops
 * there (aws/aws-sdk-js-v3#5516). Clients given explicit `credentials` (the member-account
 * clients) never call it.
 */
export const envOnlyCredentials = (): Plugin => ({
  name: 'stage-drift-env-only-credentials',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, async (args) => {
      if ((args.pluginData as { real?: boolean } | undefined)?.real) return undefined;
      // Where the real package is, so its own dependency on credential-provider-env resolves.
      const real = await build.resolve(CREDENTIAL_PROVIDER_NODE, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: { real: true },
      });
      if (real.errors.length > 0) return { errors: real.errors };
      return {
        path: CREDENTIAL_PROVIDER_NODE,
        namespace: ENV_CREDENTIALS_NAMESPACE,
        pluginData: { resolveDir: path.dirname(real.path) },
      };
    });
    build.onLoad({ filter: /.*/, namespace: ENV_CREDENTIALS_NAMESPACE }, (args) => ({
      // The SDK imports only `defaultProvider` from the package; any other import fails the build.
      contents: "export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';",
      loader: 'js',
      resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
    }));
  },
});

/** What `literalSchemaKeys` did, for the build's report and for tests. */
export interface SchemaKeyRewrites {
  /** Schema files read. */
  files: number;
  /** Computed keys written as string literals, over all files. */
  keys: number;
}

/** The generated schema modules of an SDK client (`dist-es/schemas/schemas_0.js`, ...). */
const SCHEMA_FILE = /[\\/]node_modules[\\/].+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/;

/**
 * The names declared anywhere in the file, with how often, and the module-level
 * `const name = "string"` among them.
 */
const declarations = (file: ts.SourceFile) => {
  const count = new Map<string, number>();
  const strings = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    if (
      name !== undefined &&
      ts.isIdentifier(name) &&
      (ts.isVariableDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isBindingElement(node) ||
        ts.isFunctionLike(node) ||
        ts.isClassLike(node) ||
        ts.isImportClause(node) ||
        ts.isImportSpecifier(node) ||
        ts.isNamespaceImport(node))
    ) {
      count.set(name.text, (count.get(name.text) ?? 0) + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (
        ts.isIdentifier(declaration.name) &&
        declaration.initializer &&
        ts.isStringLiteral(declaration.initializer)
      )
        strings.set(declaration.name.text, declaration.initializer.text);
    }
  }
  return { count, strings };
};

/**
 * Rewrites `{ [_ht]: ... }` to `{ "http": ... }` where `_ht` is a module-level `const` of the same
 * file initialized with a plain string literal and declared nowhere else in the file (so nothing
 * shadows it). Any other computed key is left as it is, and so is `__proto__` (as a literal key it
 * would set the prototype, not an own property). Returns the new source and how many keys it wrote.
 */
export const rewriteSchemaKeys = (
  source: string,
  fileName = 'schemas_0.js',
): { code: string; keys: number } => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const { count, strings } = declarations(file);
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isComputedPropertyName(node) &&
      ts.isObjectLiteralElementLike(node.parent) &&
      ts.isObjectLiteralExpression(node.parent.parent) &&
      ts.isIdentifier(node.expression)
    ) {
      const value = strings.get(node.expression.text);
      if (value !== undefined && value !== '__proto__' && count.get(node.expression.text) === 1)
        edits.push({ start: node.getStart(file), end: node.end, text: JSON.stringify(value) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let code = source;
  for (const edit of edits.reverse()) code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  return { code, keys: edits.length };
};

/**
 * The SDK's generated schemas write their trait keys as computed keys of same-file constants
 * (`{ [_ht]: ["GET", "/restapis", 200] }`). esbuild treats a computed key as a possible side
 * effect, so it keeps every operation's schema, used or not (aws/aws-sdk-js-v3#7607). Written as
 * literals, the unused ones tree-shake away. smithy-lang/smithy-typescript#1889 makes the code
 * generator emit literals; once a released SDK has it, this plugin finds nothing to rewrite and
 * can go. `rewrites` is incremented as files are loaded.
 */
export const literalSchemaKeys = (rewrites: SchemaKeyRewrites): Plugin => ({
  name: 'stage-drift-literal-schema-keys',
  setup(build) {
    build.onLoad({ filter: SCHEMA_FILE }, async (args) => {
      const { code, keys } = rewriteSchemaKeys(await readFile(args.path, 'utf8'), args.path);
      rewrites.files += 1;
      rewrites.keys += keys;
      return { contents: code, loader: 'js' };
    });
  },
});
