import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMerge } from '../../src/cli/commands/merge.js';
import { shardValue } from '../../src/cli/options.js';
import type { ViewOptions } from '../../src/cli/options.js';
import { analyzeInProcess } from './run-analyze.js';
import { ROOT, runCli } from './run-cli.js';

/**
 * `analyze --shard K/N` and `teardown merge` (docs/distributed.md): the shards of a capture,
 * merged, are the whole run's ndjson byte for byte: the same lines in the same order, the same ids,
 * the same summary line. In this process (run-analyze.ts, runMerge); one case through the built CLI.
 */
const FIXTURES = join(ROOT, 'fixtures');
const captures = readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?$/.test(f)).sort();
const dir = mkdtempSync(join(tmpdir(), 'teardown-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function merge(files: string[]): { code: number; stdout: string } {
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      out.push(Buffer.from(chunk));
      done();
    },
  });
  const code = runMerge(files, sink);
  return { code, stdout: Buffer.concat(out).toString('utf8') };
}

let written = 0;
/** Each shard's ndjson of `capture` in a file, as the distributed job leaves them. */
async function shardFiles(capture: string, n: number, o: Partial<ViewOptions>): Promise<string[]> {
  const files: string[] = [];
  for (let index = 0; index < n; index++) {
    const r = await analyzeInProcess(capture, { ...o, format: 'ndjson', shard: { index, of: n } });
    expect(r.code).toBe(0);
    const file = join(dir, `${written++}.ndjson`);
    writeFileSync(file, r.stdout);
    files.push(file);
  }
  return files;
}

async function expectMergeIsWhole(capture: string, shards: number[], o: Partial<ViewOptions> = {}): Promise<void> {
  const whole = await analyzeInProcess(capture, { ...o, format: 'ndjson' });
  for (const n of shards) {
    const merged = merge(await shardFiles(capture, n, o));
    expect(merged.code).toBe(0);
    expect(merged.stdout, `${capture}, ${n} shards`).toBe(whole.stdout);
  }
}

describe('teardown merge of analyze --shard K/N', () => {
  it('gives every fixture\'s whole run (packet rows, tunnels, IPv6, port reuse), in 3 shards', async () => {
    expect(captures.length).toBeGreaterThan(15);
    for (const file of captures) await expectMergeIsWhole(`fixtures/${file}`, [3]);
  });

  describe('a generated capture with connections released over two minutes', () => {
    const capture = join(dir, 'gen.pcap');
    beforeAll(() => {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/bench/generate.mjs'), capture, '--packets', '24000', '--long-lived', '6', '--span', '120']);
      expect(r.status).toBe(0);
    });

    it('gives the whole run in 1 to 4 shards, each shard a fair part of it', async () => {
      await expectMergeIsWhole(capture, [1, 2, 3, 4], { packets: false });
      const flows = (text: string): number => text.split('\n').filter((l) => l.startsWith('{"id"')).length;
      const total = flows((await analyzeInProcess(capture, { format: 'ndjson', packets: false })).stdout);
      for (const file of await shardFiles(capture, 4, { packets: false })) {
        expect(Math.abs(flows(readFileSync(file, 'utf8')) - total / 4)).toBeLessThan(total / 4 * 0.15);
      }
    });
  });

  it('runs through the built CLI: --shard K/N parsed, merge -o FILE', () => {
    const capture = 'fixtures/abort-linger0.pcap';
    const whole = runCli(['analyze', capture, '--format', 'ndjson']);
    const files = [1, 2].map((k) => {
      const file = join(dir, `cli-${k}.ndjson`);
      expect(runCli(['analyze', capture, '--format', 'ndjson', '--shard', `${k}/2`, '-o', file]).code).toBe(0);
      return file;
    });
    const out = join(dir, 'cli-merged.ndjson');
    expect(runCli(['merge', ...files.reverse(), '-o', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(whole.stdout);
    const r = runCli(['analyze', capture, '--shard', '3/2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--shard takes K/N, shard K (from 1) of N shards');
    for (const wrong of ['0/2', '2', 'a/b', '1/0', '1/65537', '-1/2']) expect(() => shardValue(wrong)).toThrow('--shard takes K/N');
    expect(shardValue(' 2/3')).toEqual({ index: 1, of: 3 });
  });

  it('puts several captures one after the other: ids counted on, counts added up, every file named', async () => {
    const [a, b] = ['fixtures/abort-linger0.pcap', 'fixtures/cause-capture-gap.pcap'];
    const files = [...(await shardFiles(a as string, 2, {})), ...(await shardFiles(b as string, 1, {}))];
    const merged = merge(files).stdout.trim().split('\n');
    const wholeA = (await analyzeInProcess(a as string, { format: 'ndjson' })).stdout.trim().split('\n');
    const wholeB = (await analyzeInProcess(b as string, { format: 'ndjson' })).stdout.trim().split('\n');
    const lines = (l: string[]) => l.slice(0, -1).map((x) => JSON.parse(x) as { id: number });
    const summary = (l: string[]) => JSON.parse(l[l.length - 1] as string) as { capture: { packets: number; tcpPackets: number; files?: string[] }; summary: { flows: number } };
    expect(lines(merged).map((f) => f.id)).toEqual(lines(merged).map((_, i) => i + 1));
    expect(lines(merged)).toEqual([...lines(wholeA), ...lines(wholeB).map((f) => ({ ...f, id: f.id + lines(wholeA).length }))]);
    const m = summary(merged);
    expect(m.capture.files).toEqual([a, b]);
    expect(m.capture.packets).toBe(summary(wholeA).capture.packets + summary(wholeB).capture.packets);
    expect(m.capture.tcpPackets).toBe(summary(wholeA).capture.tcpPackets + summary(wholeB).capture.tcpPackets);
    expect(m.summary.flows).toBe(summary(wholeA).summary.flows + summary(wholeB).summary.flows);
  });

  it('refuses a missing or a doubled shard', async () => {
    const [one, two, three] = await shardFiles('fixtures/abort-linger0.pcap', 3, {});
    let refusal: unknown;
    try { merge([one as string, three as string]); } catch (e) { refusal = e; }
    expect(refusal).toMatchObject({ name: 'CliError', message: 'shard 2/3 of fixtures/abort-linger0.pcap missing', code: 2 });
    expect(() => merge([one as string, two as string, three as string, two as string])).toThrow(/both shard 2\/3/);
  });
});
