/**
 * Where the snapshot bundle's bytes go, and what each SDK size plugin saves. Built with the
 * project's own bundling module (infra/bundle/bundle-function.ts: the settings and plugins every
 * function is deployed with), not a copy of its settings; nothing is written to disk.
 *
 * - `env-only credentials`: `@aws-sdk/credential-provider-node` (the default chain: SSO, INI,
 *   process, web identity, IMDS, ... and the nested SSO/STS clients) replaced by
 *   `@aws-sdk/credential-provider-env`, which is where a Lambda function's credentials are.
 * - `literal schema keys`: the SDK's generated schemas written with literal instead of computed
 *   keys (`{ [_ht]: ... }` -> `{ "http": ... }`), as smithy-lang/smithy-typescript#1889 makes the
 *   code generator do (aws/aws-sdk-js-v3#7607): esbuild keeps every schema object with a computed
 *   key, so each REST-style client carries the schemas of all its operations. Once a released SDK
 *   has the fix, its row saves nothing and the plugin can go.
 *
 * The Organizations client left this bundle with the planner function (lambdas/snapshot/planner-handler.ts).
 */
import { tmpdir } from 'node:os';
import type { BundleResult, SizePlugin } from '../infra/bundle/bundle-function';
import { bundleFunction } from '../infra/bundle/bundle-function';
import { SNAPSHOT_ENTRY } from '../infra/runtime-contract';

export interface BundleBreakdown {
  /** Bytes in the minified output per package (or source folder) as built, largest first. */
  readonly packages: readonly { readonly name: string; readonly bytes: number }[];
  readonly variants: readonly { readonly label: string; readonly bytes: number }[];
}

interface Variant {
  readonly label: string;
  readonly plugins: readonly SizePlugin[];
}

const AS_BUILT = 'as built: both plugins (the deployed bundle)';

const VARIANTS: readonly Variant[] = [
  { label: 'without the size plugins', plugins: [] },
  { label: 'env-only credentials only', plugins: ['env-only-credentials'] },
  { label: 'literal schema keys only', plugins: ['literal-schema-keys'] },
  { label: AS_BUILT, plugins: ['env-only-credentials', 'literal-schema-keys'] },
];

const packageOf = (input: string): string => {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1]! : input.split('/').slice(0, 2).join('/');
};

const byPackage = (result: BundleResult) => {
  const bytes = new Map<string, number>();
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined)!;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    bytes.set(packageOf(input), (bytes.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  return [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes);
};

export const breakDownSnapshotBundle = async (): Promise<BundleBreakdown> => {
  const results = await Promise.all(
    VARIANTS.map((variant) =>
      // Nothing is written: the sizes come from esbuild's metafile.
      bundleFunction({ entry: SNAPSHOT_ENTRY, outdir: tmpdir(), sizePlugins: variant.plugins, write: false }),
    ),
  );
  const asBuilt = results[VARIANTS.findIndex((v) => v.label === AS_BUILT)]!;
  return {
    packages: byPackage(asBuilt),
    variants: results.map((result, i) => {
      const { label, plugins } = VARIANTS[i]!;
      const keys = plugins.includes('literal-schema-keys')
        ? `; ${result.schemaKeys.keys.toLocaleString('en-US')} schema keys written as literals`
        : '';
      return { label: `${label}${keys}`, bytes: result.bytes };
    }),
  };
};
