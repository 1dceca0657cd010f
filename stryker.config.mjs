// Mutation testing (`npm run mutation`, docs/TESTING.md): Stryker plants small bugs in core and
// shared code one at a time and the unit tests must fail for each. Stryker 9.6 with mocha 11:
// Stryker 10 needs Node 22 and its mocha runner cannot load mocha 12 (.cjs internals), while 9.6
// runs on the project's Node 20 with per-test coverage; see docs/TESTING.md for the choice.
// MUTATE (comma list of globs) narrows the run, e.g. MUTATE='src/core/tools/**/*.ts'.
// MUTATION_SPEC (comma list of test globs) narrows the tests too: static mutants (module-level
// values such as zod schemas) run every test, so a narrowed run of src/shared finishes in minutes.
// A score measured that way is a lower bound (fewer tests can only kill fewer mutants).
const spec = process.env.MUTATION_SPEC ? process.env.MUTATION_SPEC.split(',') : ['test/unit/**/*.test.ts'];
// toolJsonSchemas.ts is generated data whose test compares file text (see NOT_MUTATED in scripts/mutation.mjs).
const mutate = process.env.MUTATE ? process.env.MUTATE.split(',') : ['src/core/**/*.ts', 'src/shared/**/*.ts', '!src/**/index.ts', '!src/core/tools/toolJsonSchemas.ts'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  mochaOptions: {
    spec,
    require: ['tsx/cjs'],
    extension: ['ts'],
  },
  coverageAnalysis: 'perTest',
  // tsx runs the tests without type checks, so no `// @ts-nocheck` is needed; Stryker's default
  // would add one to every file, and the test that compares the generated toolJsonSchemas.ts with
  // its committed copy would then fail the dry run.
  disableTypeChecks: false,
  mutate,
  // Only what the unit tests load is copied to Stryker's sandbox (test/e2e/support/canaryScan.ts is
  // shared with a unit test).
  ignorePatterns: ['dist', 'out', '.vscode-test', 'test-results', 'reports', 'bench/results', '.sandbox', 'test/e2e/*', '!test/e2e/support', 'test/integration', 'test/browser', 'test/mutation', 'docs'],
  incremental: process.env.STRYKER_INCREMENTAL === '1',
  // `npm run mutation:security` points this at a copy of its committed baseline (scripts/mutation.mjs).
  incrementalFile: process.env.STRYKER_INCREMENTAL_FILE ?? 'reports/mutation/stryker-incremental.json',
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 10000,
  reporters: ['html', 'clear-text', 'progress', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // STRYKER_BREAK: the security run fails below 95 % overall; scripts/mutation.mjs also holds each file to its target.
  thresholds: { high: 95, low: 85, break: process.env.STRYKER_BREAK ? Number(process.env.STRYKER_BREAK) : null },
};
