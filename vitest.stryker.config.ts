import { defineConfig } from 'vitest/config';

/**
 * The tests a mutation run (stryker.config.mjs) uses: the in-process unit tests. Stryker mutates
 * src/ through vitest's transform, so a test counts only if it imports src/ in this process; the
 * golden, fuzz-error, ladder, report and live tests run the built CLI (dist/) or a browser and would
 * cost minutes per run while killing nothing.
 *
 * Left out as well: the unit tests that hold two renderers of the same analysis side by side (box,
 * json-columns, text-columns, explanation-bytes). A mutant in the mutated stages changes what both
 * renderers are given alike, so these cannot tell it apart, and reading every fixture for them cost
 * most of each mutant's run (about 9 s a mutant with them on this machine).
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: [
      'test/unit/box.test.ts',
      'test/unit/json-columns.test.ts',
      'test/unit/text-columns.test.ts',
      'test/unit/explanation-bytes.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
