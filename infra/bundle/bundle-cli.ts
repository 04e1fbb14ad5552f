/**
 * `node --import tsx infra/bundle/bundle-cli.ts <entry> <outdir>`: bundles one handler into
 * `<outdir>/index.mjs`. `MonitorFunction`'s local bundling runs it in a child process, because
 * CDK's `tryBundle` is synchronous and esbuild runs plugins only in its asynchronous `build()`.
 * Exits 1 with esbuild's errors on stderr.
 */
import * as path from 'node:path';
import { bundleFunction } from './bundle-function';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  process.stderr.write('usage: node --import tsx infra/bundle/bundle-cli.ts <handler entry> <output dir>\n');
  process.exit(2);
}

bundleFunction({ entry, outdir, logLevel: 'warning' }).then(
  (result) => {
    process.stdout.write(
      `${path.basename(path.dirname(entry))}/${path.basename(entry)}: ${result.bytes} bytes, ` +
        `${result.schemaKeys.keys} schema keys written as literals\n`,
    );
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
