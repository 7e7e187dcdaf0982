import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAnalyze } from '../../src/cli/commands/analyze.js';
import { CLI, ROOT } from './run-cli.js';
import { viewOptionsOf } from './run-analyze.js';

/**
 * Bounded memory (docs/contract.md, "Output into a pipe") when the reader is slower than the analysis: the report waits in the
 * pipe, the writer blocked, rather than queued in memory (src/cli.ts makes a piped stdout's writes
 * blocking). A generated capture whose text report is about 35 MB is analysed twice, into a file and
 * into a pipe whose reader starts 2 s late. A preloaded module writes, at exit, the most bytes
 * stdout ever held queued after a write (its writableLength: what a non-blocking pipe piles up) and
 * the CLI's own peak memory (maxRSS). The queue must stay near empty, and the two runs' peaks close.
 */
const tmp = mkdtempSync(join(tmpdir(), 'teardown-pipe-'));
const capture = join(tmp, 'generated.pcap');
const peakFile = join(tmp, 'peak.txt');
const preload = join(tmp, 'peak.mjs');
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The CLI's peak resident memory and most bytes queued in stdout, run through `sh -c` with `redirect` after it. */
function peakOf(redirect: string): { rss: number; queued: number } {
  const cmd = `${q(process.execPath)} --import ${q(pathToFileURL(preload).href)} ${q(CLI)} analyze ${q(capture)} --color never ${redirect}`;
  const r = spawnSync('sh', ['-c', cmd], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' } });
  expect(r.status, r.stderr).toBe(0);
  const [rssKb, queued] = readFileSync(peakFile, 'utf8').split(' ').map(Number);
  return { rss: (rssKb ?? NaN) * 1024, queued: queued ?? NaN };
}

beforeAll(() => {
  const g = spawnSync(process.execPath, ['scripts/bench/generate.mjs', capture, '--packets', '300000'], { cwd: ROOT, encoding: 'utf8' });
  expect(g.status, g.stderr).toBe(0);
  writeFileSync(preload, [
    `import { writeFileSync } from 'node:fs';`,
    `let queued = 0;`,
    `const write = process.stdout.write;`,
    `process.stdout.write = function (...args) { const r = write.apply(this, args); queued = Math.max(queued, this.writableLength); return r; };`,
    `process.on('exit', () => writeFileSync(${JSON.stringify(peakFile)}, process.resourceUsage().maxRSS + ' ' + queued));`,
  ].join('\n'));
}, 60_000);

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The report as runAnalyze writes it into a plain stream: one that is handed copies, never reused memory. */
async function referenceReport(): Promise<string> {
  const hash = createHash('sha256');
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (hash.update(chunk), done()) });
  const o = viewOptionsOf();
  await runAnalyze(capture, o, sink, new Writable({ write: (_c, _e, done) => done() }));
  return hash.digest('hex');
}

describe('a slow reader (bounded memory: docs/contract.md, "Output into a pipe")', () => {
  it('the report waits in the pipe, not in memory: peak memory as when writing a file', async () => {
    const report = join(tmp, 'report.txt');
    const intoFile = peakOf(`> ${q(report)}`);
    const size = statSync(report).size;
    expect(size).toBeGreaterThan(30e6);
    const piped = join(tmp, 'piped.txt');
    const intoSlowPipe = peakOf(`| (sleep 2; cat > ${q(piped)})`);
    // Measured here with the pipe left non-blocking: the whole report (35 MB) queued, and a peak 11 MB
    // above the file's; blocking: nothing queued. The peaks alone differ by a few MB from run to run
    // (when the collector runs: up to 7.7 MB more into the pipe under the full test run's load), so
    // the queue is the sharp test, the peaks a loose one.
    expect(intoSlowPipe.queued).toBeLessThan(1024 * 1024);
    expect(intoSlowPipe.rss - intoFile.rss).toBeLessThan(size / 3);
    // Into a file or a pipe, stdout's buffers are written again once the kernel has their bytes
    // (ByteLines.writeTo): both reports must be the one written into a stream that keeps copies.
    const reference = await referenceReport();
    expect(sha256(readFileSync(report))).toBe(reference);
    expect(sha256(readFileSync(piped))).toBe(reference);
  }, 60_000);
});
