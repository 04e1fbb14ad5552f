/**
 * Where the snapshot bundle's bytes go, and what it would weigh with each of the changes that
 * could shrink it. Built with esbuild's API and the settings of infra/monitor-function.ts
 * mirrored (ESM, node24, minified, `mainFields: module,main`, SDK bundled; without the banner and
 * source map comment, a few hundred bytes), because only the API takes plugins:
 *
 * - `literal schema keys`: the SDK's generated schemas written with literal instead of computed
 *   keys (`{ [_ht]: ... }` -> `{ "http": ... }`), as smithy-lang/smithy-typescript#1889 proposes
 *   for aws/aws-sdk-js-v3#7607: esbuild keeps every schema object with a computed key, so each
 *   REST-style client carries the schemas of all its operations.
 * - `env-only credentials`: `@aws-sdk/credential-provider-node` (the default chain: SSO, INI,
 *   process, web identity, IMDS, ... and the nested SSO/STS clients) replaced by
 *   `@aws-sdk/credential-provider-env`, which is where a Lambda function's credentials are.
 * - `no Organizations client`: the OU lookup moved out of the snapshot function.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { PROJECT_ROOT, SNAPSHOT_ENTRY } from '../infra/runtime-contract';

export interface BundleBreakdown {
  /** Bytes in the minified output per package (or source folder), largest first. */
  readonly packages: readonly { readonly name: string; readonly bytes: number }[];
  readonly variants: readonly { readonly label: string; readonly bytes: number }[];
}

interface Variant {
  readonly label: string;
  readonly literalSchemaKeys?: boolean;
  readonly envOnlyCredentials?: boolean;
  readonly withoutOrganizations?: boolean;
}

const VARIANTS: readonly Variant[] = [
  { label: 'as built (esbuild API, the same settings)' },
  { label: 'literal schema keys (SDK fix, upstream)', literalSchemaKeys: true },
  { label: 'env-only credentials (build alias)', envOnlyCredentials: true },
  { label: 'no Organizations client in this function', withoutOrganizations: true },
  {
    label: 'env-only credentials + no Organizations client',
    envOnlyCredentials: true,
    withoutOrganizations: true,
  },
  { label: 'literal schema keys + env-only credentials', literalSchemaKeys: true, envOnlyCredentials: true },
  { label: 'all three', literalSchemaKeys: true, envOnlyCredentials: true, withoutOrganizations: true },
];

const variantPlugin = (variant: Variant): Plugin => ({
  name: 'bench-variant',
  setup(builder) {
    if (variant.envOnlyCredentials) {
      builder.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
        path: 'env-only-credentials',
        namespace: 'bench',
      }));
    }
    if (variant.withoutOrganizations) {
      builder.onResolve({ filter: /^@aws-sdk\/client-organizations$/ }, () => ({
        path: 'no-organizations',
        namespace: 'bench',
      }));
    }
    builder.onLoad({ filter: /.*/, namespace: 'bench' }, (args) => ({
      contents:
        args.path === 'env-only-credentials'
          ? "export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';"
          : 'export class OrganizationsClient {} export class ListAccountsForParentCommand {}',
      loader: 'js',
      resolveDir: path.join(PROJECT_ROOT, 'node_modules', '@aws-sdk', 'credential-provider-node'),
    }));
    if (variant.literalSchemaKeys) {
      builder.onLoad({ filter: /[/\\]schemas[/\\]schemas_\d+\.js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const strings = new Map(
          [...source.matchAll(/^const (_\w+) = ("[^"\n]*");$/gm)].map((m) => [m[1]!, m[2]!]),
        );
        return {
          contents: source.replace(/\[(_\w+)\]:/g, (key, name: string) => {
            const literal = strings.get(name);
            return literal === undefined ? key : `${literal}:`;
          }),
          loader: 'js',
        };
      });
    }
  },
});

const bundle = async (variant: Variant): Promise<Metafile['outputs'][string]> => {
  const result = await build({
    entryPoints: [SNAPSHOT_ENTRY],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    outfile: path.join(PROJECT_ROOT, 'bench-breakdown.mjs'),
    write: false,
    metafile: true,
    logLevel: 'error',
    plugins: [variantPlugin(variant)],
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) throw new Error('esbuild reported no entry point output');
  return output;
};

const packageOf = (input: string): string => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1]! : input.split('/').slice(0, 2).join('/');
};

export const breakDownSnapshotBundle = async (): Promise<BundleBreakdown> => {
  const [first, ...rest] = await Promise.all(VARIANTS.map(bundle));
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(first!.inputs)) {
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  return {
    packages: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
    variants: [first!, ...rest].map((output, i) => ({ label: VARIANTS[i]!.label, bytes: output.bytes })),
  };
};
