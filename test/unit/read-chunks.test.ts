import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { readCaptureFile } from '../../src/capture/read.js';
import { FIXTURES, fixtureCaptures } from './fixtures.js';

/** The whole analysis (rows, notes, verdicts) of a fixture read in chunks of `chunk` bytes. */
async function analysed(name: string, chunk?: number): Promise<string> {
  const analyzer = new Analyzer(name, { packets: true });
  const result = await readCaptureFile(join(FIXTURES, name), (r) => analyzer.onRecord(r), chunk);
  return JSON.stringify(analyzer.finish(result.info, result.damage));
}

// A file is read into two buffers in turn (capture/read.ts): a record's bytes are valid only during
// its callback. Anything the analysis kept of them past it would change with the chunk size, since
// later chunks overwrite the buffers.
describe('reading a file into reused buffers', () => {
  for (const name of fixtureCaptures()) {
    it(`${name}: the same analysis in chunks of 7, 100 and 4096 bytes as in one`, async () => {
      const whole = await analysed(name);
      // Rows, or (snap40-graceful) TCP packets in no connection: both read from the records' bytes.
      expect(whole).toMatch(/"rows":\[\{|"unplaced":\{"packets":\[\{/);
      for (const chunk of [7, 100, 4096]) expect(await analysed(name, chunk)).toBe(whole);
    });
  }
});
