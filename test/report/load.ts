import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { Report } from '../../src/analysis/report.js';
import { readCaptureFile } from '../../src/capture/read.js';
import type { Instant } from '../../src/flow/connection.js';
import { ROOT } from '../golden/run-cli.js';

export const FIXTURES = join(ROOT, 'fixtures');

/** A fixture analysed with rows kept, and the origin and digits its times are shown with. */
export async function loadFixture(name: string): Promise<{ report: Report; origin: Instant; digits: 6 | 9 }> {
  const analyzer = new Analyzer(name, { packets: true, lang: 'en' });
  const result = await readCaptureFile(join(FIXTURES, name), analyzer.onRecord.bind(analyzer));
  const report = analyzer.finish(result.info, result.damage);
  return { report, origin: analyzer.firstTime ?? { sec: 0, nsec: 0 }, digits: analyzer.digits };
}

/**
 * Compares with a golden file. UPDATE_GOLDEN=1 rewrites it; a missing one is written (review it,
 * then commit it), except under CI, where it fails.
 */
export function golden(path: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN'] || !existsSync(path)) {
    if (!existsSync(path) && process.env['CI']) throw new Error(`missing golden file ${path}: run UPDATE_GOLDEN=1 npx vitest run test/ladder test/report and commit it`);
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
