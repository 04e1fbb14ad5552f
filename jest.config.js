// Keep test output readable: the SDK's notice about its future Node requirement is not ours to act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // FC_SEED (set and printed by .ci/run) seeds every fast-check property, so a failure replays.
  setupFiles: ['<rootDir>/test/support/fast-check-seed.ts'],
  // `import('./x.js')` (NodeNext spelling, for code split into its own bundle chunk) finds x.ts.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { module: 'commonjs', moduleResolution: 'bundler' } },
    ],
  },
  // Emulators (moto) are started once per run by globalSetup and shared by suites.
  testTimeout: 60000,
};
