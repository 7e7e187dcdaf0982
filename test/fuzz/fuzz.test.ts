import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as index from '../../src/index.js';
import { flowText } from '../unit/text-oracle.js';
import { summaryText } from '../../src/render/summary-table.js';
import { ByteLines } from '../../src/render/byte-lines.js';
import { writeFlowJson } from '../../src/render/json-columns.js';
import { writeFlowBlock } from '../../src/render/text-columns.js';
// The harness is the one `npm run fuzz` runs (scripts/fuzz.mjs), plain JavaScript typed by its .d.mts files.
import { loadCorpus, regressionFiles } from '../../scripts/fuzz/seeds.mjs';
import { fuzzRange, runInput, signature } from '../../scripts/fuzz/run.mjs';
import { chunksOf } from '../../scripts/fuzz/mutate.mjs';
import { ROOT } from '../golden/run-cli.js';

const lib = { ...index, flowText, summaryText, ByteLines, writeFlowJson, writeFlowBlock };
/** No memory check here: other test files run in the same process and would be counted. */
const OPTS = { timeLimitMs: 2000, checkMemory: false };
const REGRESSIONS = join(ROOT, 'test', 'fuzz', 'regressions');

describe('fuzz (docs/testing.md, "Hostile input"): bad input never crashes, hangs or allocates without bound', () => {
  it('a short seeded run (2,000 inputs, seed 1) through the same mutations as npm run fuzz has no failures', () => {
    const found: string[] = [];
    const stats = fuzzRange({
      lib, corpus: loadCorpus(ROOT), seed: 1, from: 0, to: 2000, step: 1, opts: OPTS,
      onFailure: (input, f) => found.push(`input ${input.index} (${input.seed}: ${input.ops.join('; ')}): ${signature(f)}\n${f.stack ?? ''}`),
    });
    expect(found).toEqual([]);
    expect(stats.inputs).toBe(2000);
  });

  const regressions = regressionFiles(ROOT);
  const stem = (name: string): string => name.replace(/\.[^.]+$/, '');

  it('every saved regression input has a note (NAME.txt) saying what it found and what fixed it', () => {
    const notes = readdirSync(REGRESSIONS).filter((n) => n.endsWith('.txt')).map(stem).sort();
    expect(notes).toEqual(regressions.map((r) => stem(r.name)).sort());
  });

  it.each(regressions.map((r) => [r.name, r.bytes] as const))('regression %s: byte by byte, in 7- and 61-byte chunks and whole, no failure', (name, bytes) => {
    const plans = [1, 7, 61, bytes.length].map((size) => chunksOf(bytes.length, size));
    for (const chunks of plans) {
      const r = runInput(lib, { bytes, chunks }, OPTS);
      expect(r.failure, `${name} in ${chunks.length} chunk(s)`).toBeUndefined();
    }
  });
});
