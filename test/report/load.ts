import { join } from 'node:path';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { Report } from '../../src/analysis/report.js';
import { readCaptureFile } from '../../src/capture/read.js';
import type { Instant } from '../../src/flow/connection.js';
import { ROOT } from '../golden/run-cli.js';

export const FIXTURES = join(ROOT, 'fixtures');

/** A fixture analysed with rows kept, and the origin and digits its times are shown with. */
export async function loadFixture(name: string): Promise<{ report: Report; origin: Instant; digits: 6 | 9 }> {
  const analyzer = new Analyzer(name, { packets: true });
  const result = await readCaptureFile(join(FIXTURES, name), analyzer.onRecord.bind(analyzer));
  const report = analyzer.finish(result.info, result.damage);
  return { report, origin: analyzer.firstTime ?? { sec: 0, nsec: 0 }, digits: analyzer.digits };
}

/** Golden files (golden.ts): a missing one fails; `npm run golden:update` writes them. */
export { golden } from '../golden/golden.js';
