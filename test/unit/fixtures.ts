import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Analyzer } from '../../src/analysis/analyze.js';
import type { ReadResult } from '../../src/capture/read.js';
import { readCaptureFile } from '../../src/capture/read.js';

/** The fixture captures, read into analyzers for the tests that hold two renderers side by side. */
export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** The names of the fixture captures (pcap and pcapng). */
export const fixtureCaptures = (): string[] => readdirSync(FIXTURES).filter((n) => /\.pcap(ng)?$/.test(n));

/** Reads one fixture into every analyzer given, record by record (undefined if it cannot be read). */
export function readFixture(name: string, ...analyzers: Analyzer[]): Promise<ReadResult | undefined> {
  return readCaptureFile(join(FIXTURES, name), (rec) => {
    for (const a of analyzers) a.onRecord(rec);
  }).catch(() => undefined);
}
