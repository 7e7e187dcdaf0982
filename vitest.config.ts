import { defineConfig } from 'vitest/config';

/**
 * Two kinds of test files, run differently (CONTRIBUTING.md, "Tests"):
 * - `unit`: in-process tests of src/. They share one module graph per worker (isolate off):
 *   importing the pipeline once per worker instead of once per file took the unit run from 38 s to
 *   26 s on this 2-core machine. Each worker is a process of its own (forks), so a test that counts
 *   the process's open files sees only its own worker's; a unit test that changes process-wide
 *   state (an environment variable, the 4-tuple hash's key) puts it back before it ends.
 * - `cli`: everything that spawns the built CLI, tcpdump or a browser (golden, live, report, ladder,
 *   fuzz, package), each file in a fresh module graph, as before.
 */
const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // The JSON report lets .ci/run print CI's "N passed, N failed" line from the same run.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    pool: 'threads',
    // vitest's default is one worker fewer than the cores: one on this 2-core machine. Most files
    // wait on child processes (the CLI, tcpdump, a browser), so two run side by side well (the
    // suite: 112 s with one worker).
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/unit/**/*.test.ts'], pool: 'forks', isolate: false } },
      { test: { ...shared, name: 'cli', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'] } },
    ],
  },
});
