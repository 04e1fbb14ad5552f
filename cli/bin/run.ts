#!/usr/bin/env node
// The `stage-drift` command: compiled to dist/cli/bin/run.js for the package's `bin`; in a checkout,
// cli/bin/stage-drift.js runs this file through tsx.
import { main } from '../main';

// The SDK's notice about its own future Node requirement is not actionable for CLI users (the SDK
// is loaded lazily, by the commands that call AWS, after this line).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `stage-drift events | head`: the reader went away. Stop quietly, as Unix tools do, instead of an
// unhandled EPIPE (the store's writes are crash-safe, so stopping mid-scan loses nothing).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `stage-drift: unexpected error: ${error instanceof Error && error.stack ? error.stack : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
