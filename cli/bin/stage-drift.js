#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI straight from a checkout: tsx transpiles on the fly (no build step).
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
