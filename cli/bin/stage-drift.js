#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI straight from a checkout: tsx transpiles on the fly (no build step).
// The SDK's notice about its own future Node requirement is not actionable for CLI users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
const { main } = require('../main.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(
      `stage-drift: unexpected error: ${error && error.stack ? error.stack : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
