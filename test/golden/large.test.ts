import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMALL_CAPTURE_BYTES } from '../../src/cli/commands/analyze.js';
import { golden } from './golden.js';
import { analyzeInProcess } from './run-analyze.js';
import { ROOT } from './run-cli.js';

/**
 * The output paths only large captures take (src/cli/commands/analyze.ts), pinned by golden files:
 * the fixtures have a few connections each, so they never reach them.
 *
 * - thousands of connections: a summary table of thousands of rows (SummaryTable, fed FlowReports
 *   or the store's columns) in text with rows (`--packets`: the whole report kept), text without
 *   rows (`--no-packets`: streamed from the store's columns), ndjson without rows (the columns writer);
 * - a file of SMALL_CAPTURE_BYTES or more: the default text drops the rows.
 *
 * The captures are generated here, into a temporary directory, by the benchmark's seeded generator
 * (scripts/bench/generate.mjs: the same seed gives the same bytes; the capture's hash is a golden
 * file too, so a change of the generator shows as such). The large file is the small one followed by
 * records that are not IP (skipped, counted), so it crosses 10 MB in a fraction of a second and its
 * report stays as small. The outputs are megabytes of text: their golden files are gzip-compressed
 * (test/golden/large/*.gz, compared decompressed; golden.ts). `npm run golden:update` rewrites them.
 */
const GOLDEN = join(ROOT, 'test', 'golden', 'large');
const tmp = mkdtempSync(join(tmpdir(), 'teardown-large-'));
const small = join(tmp, 'gen9000.pcap');
const large = join(tmp, 'gen9000-padded.pcap');
/** The temporary directory is named in the reports (the capture's file): shown as $TMP. */
const stable = (s: string): string => s.split(tmp).join('$TMP');

/** Appends `count` non-IP records of `bytes` each (Ethernet, ARP's type), at the last record's time. */
function pad(pcap: Buffer, count: number, bytes: number): Buffer {
  expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
  let last = 24;
  for (let pos = 24; pos < pcap.length; pos += 16 + pcap.readUInt32LE(pos + 8)) last = pos;
  const record = Buffer.alloc(16 + bytes);
  pcap.copy(record, 0, last, last + 8); // the last record's seconds and microseconds
  record.writeUInt32LE(bytes, 8);
  record.writeUInt32LE(bytes, 12);
  record.fill(0xff, 16, 22); // broadcast
  record.writeUInt16BE(0x0806, 28); // ARP
  return Buffer.concat([pcap, ...Array.from({ length: count }, () => record)]);
}

beforeAll(() => {
  const g = spawnSync(process.execPath, ['scripts/bench/generate.mjs', small, '--packets', '9000', '--seed', '11'], { cwd: ROOT, encoding: 'utf8' });
  expect(g.status, g.stderr).toBe(0);
  const bytes = readFileSync(small);
  writeFileSync(large, pad(bytes, 45, 200_000));
}, 60_000);

describe('large captures: the paths the fixtures never take', () => {
  it('the generated capture is the one the golden files were made from', () => {
    golden(join(GOLDEN, 'gen9000.pcap.sha256'), `${createHash('sha256').update(readFileSync(small)).digest('hex')}\n`);
    expect(statSync(small).size).toBeLessThan(SMALL_CAPTURE_BYTES);
    expect(statSync(large).size).toBeGreaterThanOrEqual(SMALL_CAPTURE_BYTES);
  });

  it('ndjson --no-packets (the columns writer), more than 1,000 connections', async () => {
    const r = await analyzeInProcess(small, { format: 'ndjson', packets: false });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const last = JSON.parse(r.stdout.trimEnd().split('\n').pop() ?? '{}') as { summary: { flows: number } };
    expect(last.summary.flows).toBeGreaterThan(1000);
    golden(join(GOLDEN, 'gen9000.no-packets.ndjson.gz'), stable(r.stdout));
  });

  it('text --no-packets (streamed from the store, summary from its columns)', async () => {
    const r = await analyzeInProcess(small, { packets: false });
    expect([r.code, r.stderr]).toEqual([0, '']);
    golden(join(GOLDEN, 'gen9000.no-packets.txt.gz'), stable(r.stdout));
  });

  it('text --packets (rows kept, the whole report, summary from the FlowReports)', async () => {
    const r = await analyzeInProcess(small, { packetsForced: true });
    expect([r.code, r.stderr]).toEqual([0, '']);
    golden(join(GOLDEN, 'gen9000.packets.txt.gz'), stable(r.stdout));
  });

  it('a file over 10 MB: the default text has no rows, as with --no-packets', async () => {
    const r = await analyzeInProcess(large);
    expect([r.code, r.stderr]).toEqual([0, '']);
    golden(join(GOLDEN, 'gen9000-padded.txt.gz'), stable(r.stdout));
    expect(r.stdout).toBe((await analyzeInProcess(large, { packets: false })).stdout);
  });
});
