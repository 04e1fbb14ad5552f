#!/usr/bin/env node
'use strict';
// Runs the TypeScript CLI straight from a checkout: tsx transpiles on the fly (no build step).
// The installed package runs the compiled dist/cli/bin/run.js instead (`npm run package`).
require('tsx/cjs');
require('./run.ts');
