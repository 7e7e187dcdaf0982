import { describe, expect, it } from 'vitest';
import { SMALL_CAPTURE_BYTES, outputPath, rowsWanted } from '../../src/cli/commands/analyze.js';
import type { ViewOptions } from '../../src/cli/options.js';
import { viewOptionsOf } from '../golden/run-analyze.js';

/** The options analyze sees with no flag given (docs/contract.md, "Common options"). */
const DEFAULTS = viewOptionsOf();
const SMALL = SMALL_CAPTURE_BYTES - 1;
const LARGE = SMALL_CAPTURE_BYTES;

/**
 * How analyze writes a report (docs/design.md, "Output paths"), case by case: the flags, the
 * capture's size (undefined: standard input), whether rows are kept, and the route.
 */
const CASES: Array<[string, Partial<ViewOptions>, number | undefined, boolean, ReturnType<typeof outputPath>]> = [
  ['text of a small file keeps rows', {}, SMALL, true, 'text-rows'],
  ['text of a large file streams verdicts', {}, LARGE, false, 'text-streamed'],
  ['standard input counts as small', {}, undefined, true, 'text-rows'],
  ['--packets forces rows on a large file', { packetsForced: true }, LARGE, true, 'text-rows'],
  ['--flow brings rows back on a large file', { flow: [3] }, LARGE, true, 'text-rows'],
  ['--port alone does not', { port: [80] }, LARGE, false, 'text-streamed'],
  ['--no-packets on a small file', { packets: false }, SMALL, false, 'text-streamed'],
  ['--no-packets wins over --flow', { packets: false, flow: [1] }, SMALL, false, 'text-streamed'],
  ['--ladder needs rows, even with --no-packets', { ladder: true, packets: false }, LARGE, true, 'text-rows'],
  ['ndjson streams, with rows when kept', { format: 'ndjson' }, SMALL, true, 'ndjson'],
  ['ndjson of a large file, no rows', { format: 'ndjson' }, LARGE, false, 'ndjson'],
  ['ndjson --no-packets', { format: 'ndjson', packets: false }, SMALL, false, 'ndjson'],
  ['json is one document', { format: 'json' }, SMALL, true, 'json'],
  ['json of a large file, no rows', { format: 'json' }, LARGE, false, 'json'],
  ['zeek streams records, never rows', { format: 'zeek', packetsForced: true }, SMALL, false, 'records'],
  ['zeek-json likewise', { format: 'zeek-json' }, SMALL, false, 'records'],
  ['csv likewise, even with --ladder', { format: 'csv', ladder: true }, SMALL, false, 'records'],
];

describe('analyze: rows and output path (rowsWanted, outputPath)', () => {
  it.each(CASES)('%s', (_name, flags, size, rows, route) => {
    const o = { ...DEFAULTS, ...flags };
    expect(rowsWanted(o, size)).toBe(rows);
    expect(outputPath(o.format, rowsWanted(o, size))).toBe(route);
  });
});
