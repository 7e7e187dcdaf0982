import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPLIT_RUN } from '../../src/analysis/analyze.js';
import { ROOT, runCli } from './run-cli.js';

// `--jobs 2` (the default for a file over 64 MB on two or more cores) writes the ndjson of the
// connections left at the end in two threads (Analyzer.finishSplit). It must write the same bytes
// as one thread: checked on a generated capture with ~13,000 connections (runs of 4,096 go in turn
// to each thread), whole and cut short, in both languages.
describe('analyze --format ndjson --jobs 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teardown-split-'));
  const capture = join(dir, 'gen.pcap');
  const gen = spawnSync(process.execPath, ['scripts/bench/generate.mjs', capture, '--packets', '120000', '--seed', '7'], { cwd: ROOT });
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, readFileSync(capture).subarray(0, 10_000_001));

  it('the generator made the capture', () => {
    expect(gen.status).toBe(0);
  });

  for (const [name, file, code] of [['whole', capture, 0], ['cut short', cut, 3]] as const) {
    for (const lang of ['en', 'zh']) {
      it(`${name}, --lang ${lang}: the same output and exit status as one thread`, () => {
        const args = ['analyze', file, '--format', 'ndjson', '--no-packets', '--lang', lang];
        const one = runCli([...args, '--jobs', '1']);
        const two = runCli([...args, '--jobs', '2']);
        expect(one.code).toBe(code);
        // More lines than one run: the helper thread wrote some of them.
        expect(one.stdout.split('\n').length).toBeGreaterThan(SPLIT_RUN + 2);
        expect(two).toEqual(one);
      });
    }
  }

  it('--jobs takes 1 or 2', () => {
    const r = runCli(['analyze', capture, '--format', 'ndjson', '--jobs', '3']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'teardown: --jobs must be 1 or 2\n' });
  });
});
