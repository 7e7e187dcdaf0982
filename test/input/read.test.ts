import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runAnalyze } from '../../src/cli/commands/analyze.js';
import { CLI, ROOT } from '../golden/run-cli.js';
import type { CliRun } from '../golden/run-cli.js';
import { viewOptionsOf } from '../golden/run-analyze.js';

/**
 * How captures come in (docs/contract.md, "Sources", "Several captures", "Capture filter", "Packet
 * count and output file"), through the built CLI on real files: a rotated set written by tcpdump -G 1 while a
 * second tcpdump wrote the whole capture (scripts/fixtures/rotated.sh), gzip, -c, -o, and filters
 * run by the real tcpdump.
 */

const DIR = 'test/input/rotated';
const PARTS = readdirSync(join(ROOT, DIR)).filter((f) => f.startsWith('part-')).sort((a, b) => Number(a.slice(5, -5)) - Number(b.slice(5, -5))).map((f) => `${DIR}/${f}`);
const WHOLE = `${DIR}/whole.pcap`;
const tmp = mkdtempSync(join(tmpdir(), 'teardown-read-'));
const hasTcpdump = spawnSync('tcpdump', ['--version']).status === 0;

interface Flow { id: number; client: { port: number }; firstPacket: number; lastPacket: number; history: string; teardown: { class: string; detail: string | null; closer: string | null; evidence: number[] }; packets?: { no: number; flags: string; seq: number; ack: number }[] }
interface Doc { capture: { file: string; files?: string[]; packets: number }; flows: Flow[] }
/**
 * What the two tcpdumps agree on: each stamps packets through its own socket, a microsecond apart
 * at times, so times are left out; numbers, verdicts, history and rows must be the same.
 */
const agreed = (d: Doc) => d.flows.map((f) => ({
  id: f.id, firstPacket: f.firstPacket, lastPacket: f.lastPacket, history: f.history,
  verdict: [f.teardown.class, f.teardown.detail, f.teardown.closer, f.teardown.evidence],
  rows: f.packets?.map((p) => [p.no, p.flags, p.seq, p.ack]),
}));
const hasMergecap = spawnSync('mergecap', ['-v']).status === 0;
/** The built CLI, run asynchronously: the tests here run side by side (each run is mostly start-up). */
function runCli(args: string[], input?: Buffer): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' } });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.on('error', () => undefined);
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })));
}

/** `analyze --format json` of `paths`, in process (runAnalyze): the reading is under test here, not the command line. */
async function json(paths: string[], count?: number): Promise<Doc> {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => new Writable({ write: (chunk: Buffer, _e, done) => (add(chunk.toString('utf8')), done()) });
  const o = viewOptionsOf({ format: 'json' });
  const input = { paths: paths.map((p) => (p.startsWith('/') ? p : join(ROOT, p))), filter: [], ...(count !== undefined ? { count } : {}) };
  const code = await runAnalyze(input, o, sink((t) => (out += t)), sink((t) => (err += t)));
  expect(code, err).toBe(0);
  return JSON.parse(out) as Doc;
}
/** The whole capture's report, text and JSON, run once for every test that compares with it. */
const wholeText = runCli(['analyze', WHOLE]);
const wholeJson = json([WHOLE]);

const stdoutOf = async (args: string[], input?: Buffer): Promise<string> => (await runCli(args, input)).stdout;

describe('several captures read as one (a rotated set)', () => {
  it.concurrent('the parts give the whole capture\'s connections, verdicts, packet numbers and rows', async () => {
    expect(PARTS.length).toBeGreaterThanOrEqual(4);
    // Given in any order (here backwards): read in time order.
    const [whole, merged, third] = await Promise.all([wholeJson, json([...PARTS].reverse()), json([PARTS[2] as string])]);
    expect(agreed(merged)).toEqual(agreed(whole));
    expect(merged.flows.map((f) => f.teardown.class)).toEqual(['graceful', 'graceful', 'abort', 'graceful', 'graceful', 'abort']);
    expect(merged.capture.files).toEqual([...PARTS].reverse().map((p) => join(ROOT, p)));
    expect(merged.capture.packets).toBe(whole.capture.packets);
    // A part alone sees connections cut in two: open ones.
    expect(third.flows.some((f) => f.teardown.class === 'open')).toBe(true);
  });

  it.concurrent('a glob the shell did not expand is expanded; the report is mergecap\'s merge\'s, byte for byte', async () => {
    const [globbed, listed] = await Promise.all([stdoutOf(['analyze', `${DIR}/part-*.pcap`]), stdoutOf(['analyze', ...PARTS])]);
    expect(globbed).toBe(listed);
    if (!hasMergecap) return;
    const merged = join(tmp, 'merged.pcap');
    expect(spawnSync('mergecap', ['-F', 'pcap', '-w', merged, ...PARTS.map((p) => join(ROOT, p))]).status).toBe(0);
    expect(listed).toBe(await stdoutOf(['analyze', merged]));
  });
});

describe('gzip', () => {
  const bytes = readFileSync(join(ROOT, WHOLE));

  it.concurrent('a gzip file, and gzip on standard input, read as the capture inside (recognised by its bytes, not its name)', async () => {
    const named = join(tmp, 'no-extension');
    writeFileSync(named, gzipSync(bytes));
    const [plain, file, stdin] = await Promise.all([wholeJson, json([named]), stdoutOf(['analyze', '-'], gzipSync(bytes))]);
    expect(file.flows).toEqual(plain.flows);
    expect(stdin).toBe((await wholeText).stdout);
  });

  it.concurrent('gzip cut short: what was inflated is analysed, the break is damage (exit 3)', async () => {
    const cut = join(tmp, 'cut.gz');
    writeFileSync(cut, gzipSync(bytes).subarray(0, 2000));
    const r = await runCli(['analyze', cut, '--no-packets']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Summary: \d+ connections?/);
    expect(r.stderr).toMatch(/damaged at byte offset \d+ \(packet \d+\): gzip data broke off: unexpected end of file; the packets before it were analysed/);
  });
});

describe('-c N and -o FILE', () => {
  it.concurrent('-c stops after N packets, in the merged order too', async () => {
    const [ten, tenMerged, zero] = await Promise.all([json([WHOLE], 10), json([...PARTS], 10), runCli(['analyze', WHOLE, '-c', '0'])]);
    expect(ten.capture.packets).toBe(10);
    expect(Math.max(...ten.flows.map((f) => f.lastPacket))).toBeLessThanOrEqual(10);
    expect(agreed(tenMerged)).toEqual(agreed(ten));
    expect(zero.code).toBe(2);
  });

  it.concurrent('-o writes what standard output would get; a run that fails leaves the file as it was, and no temporary file', async () => {
    const out = join(tmp, 'report.txt');
    const page = join(tmp, 'page.html');
    const check = join(tmp, 'check.txt');
    const [wrote, reported, checked] = await Promise.all([runCli(['analyze', WHOLE, '-o', out]), runCli(['report', ...PARTS, '-o', page]), runCli(['check', 'fixtures/refused.pcap', '-o', check])]);
    expect([wrote.code, reported.code, checked.code]).toEqual([0, 0, 0]);
    expect(readFileSync(out, 'utf8')).toBe((await wholeText).stdout);
    expect((await runCli(['analyze', WHOLE, '-o', out, '--class', 'refused'])).code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe((await wholeText).stdout);
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(readFileSync(page, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(readFileSync(check, 'utf8')).toContain('refused.pcap');
  });
});

describe.skipIf(!hasTcpdump)('a capture filter, through tcpdump', () => {
  it.concurrent('as tcpdump takes it: after the file, quoted or not, or after --; on every reader', async () => {
    const port = String((await wholeJson).flows[2]?.client.port);
    const filtered = join(tmp, 'filtered.pcap');
    expect(spawnSync('tcpdump', ['-r', join(ROOT, WHOLE), '-w', filtered, `tcp port ${port}`]).status).toBe(0);
    const runs = await Promise.all([
      stdoutOf(['analyze', filtered]),
      stdoutOf(['analyze', WHOLE, `tcp port ${port}`]),
      stdoutOf(['analyze', WHOLE, 'tcp', 'port', port]),
      stdoutOf(['analyze', WHOLE, '--', 'tcp', 'port', port]),
      stdoutOf(['analyze', '-', `tcp port ${port}`], readFileSync(join(ROOT, WHOLE))),
      stdoutOf(['analyze', ...PARTS, `tcp port ${port}`]),
    ]);
    const [expected, ...same] = runs;
    expect(expected).toContain('Summary: 1 connection (abort 1)');
    for (const r of same.slice(0, 4)) expect(r).toBe(expected);
    // The parts, filtered: the same connection (times aside: the two tcpdumps' stamps differ by a microsecond).
    const verdicts = (text: string | undefined): string[] => (text ?? '').split('\n').filter((l) => /^(Connection|Verdict|Summary)/.test(l));
    expect(verdicts(same[4])).toEqual(verdicts(expected));
  });

  it.concurrent('a filter tcpdump refuses: its words, exit 2', async () => {
    const r = await runCli(['analyze', WHOLE, 'tcp prot 80']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `teardown: capture filter 'tcp prot 80' on ${WHOLE}: can't parse filter expression: syntax error\n` });
  });
});
