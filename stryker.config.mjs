// @ts-check
/**
 * Mutation testing of the pipeline's core stages (docs/mutation.md says how to run it and what the
 * scores were). The vitest runner runs the in-process unit tests of vitest.stryker.config.ts against
 * each mutant; perTest coverage runs only the tests that reach the mutated code.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: ['src/{flow,tcp,analysis,capture}/**/*.ts'],
  coverageAnalysis: 'perTest',
  // The machine's two cores are shared with other work: one test runner at a time.
  concurrency: 1,
  // A mutant that loops forever is stopped after 5 s plus 1.5 times the tests' own time (Stryker's
  // default, stated here because each timeout also restarts the test runner: several seconds).
  timeoutMS: 5_000,
  reporters: ['clear-text', 'json', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  // --incremental reruns reuse the previous results for unchanged source and tests.
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
