import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, runCli } from '../golden/run-cli.js';

/**
 * Errors a person can act on (docs/contract.md, "Damaged input"), beyond those test/golden/cli.test.ts covers: one line on
 * standard error, no stack trace, what came before the damage analysed and printed, exit 3 for
 * damage and 2 for input that cannot be read.
 */
const tmp = mkdtempSync(join(tmpdir(), 'teardown-errors-'));
const fixture = (name: string): Buffer => readFileSync(join(ROOT, 'fixtures', name));

/** Byte offsets of the records of a little-endian pcap (the fixtures' form). */
function pcapRecordOffsets(b: Buffer): number[] {
  const out: number[] = [];
  for (let at = 24; at + 16 <= b.length; at += 16 + b.readUInt32LE(at + 8)) out.push(at);
  return out;
}

/** Byte offsets of the blocks of a little-endian pcapng. */
function pcapngBlockOffsets(b: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + 12 <= b.length; at += b.readUInt32LE(at + 4)) out.push(at);
  return out;
}

interface JsonReport { capture: { packets: number; linkTypes: number[]; skipped: Record<string, number> }; flows: unknown[]; errors: unknown[] }

describe('damaged input: one line naming the file, offset and packet; the packets before it analysed; exit 3', () => {
  it('a pcapng block longer than the data left', () => {
    const b = Buffer.from(fixture('graceful-pcapng.pcapng'));
    const at = pcapngBlockOffsets(b)[5] ?? 0; // SHB, IDB, then EPBs: the fourth packet
    b.writeUInt32LE(0x100000, at + 4);
    const file = join(tmp, 'long-block.pcapng');
    writeFileSync(file, b);
    const left = b.length - at;
    const message = `record cut short: header says 1048576 bytes, ${left} left`;
    const r = runCli(['analyze', file, '--format', 'json', '--no-packets']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`teardown: ${file}: damaged at byte offset ${at} (packet 4): ${message}; the packets before it were analysed\n`);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.capture.packets).toBe(3);
    expect(report.flows).toHaveLength(1);
    expect(report.errors).toEqual([{ file, offset: at, packet: 4, message }]);
  });

  it('a pcapng block whose total length is less than 12', () => {
    const b = Buffer.from(fixture('graceful-pcapng.pcapng'));
    const at = pcapngBlockOffsets(b)[4] ?? 0; // the third packet
    b.writeUInt32LE(8, at + 4);
    const file = join(tmp, 'short-block.pcapng');
    writeFileSync(file, b);
    const r = runCli(['analyze', file, '--no-packets']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`teardown: ${file}: damaged at byte offset ${at} (packet 3): block total length 8 is less than 12; the packets before it were analysed\n`);
    expect(r.stdout).toContain('Connection 1:');
  });

  it('a pcap record whose captured length is beyond 256 KiB (allocating it would trust the file)', () => {
    const b = Buffer.from(fixture('course-half-close.pcap'));
    const at = pcapRecordOffsets(b)[6] ?? 0; // the seventh packet
    b.writeUInt32LE(262145, at + 8);
    const file = join(tmp, 'big-caplen.pcap');
    writeFileSync(file, b);
    const message = 'record header says 262145 captured bytes, more than the 262144 allowed (snaplen 262144)';
    const r = runCli(['analyze', file, '--format', 'json', '--no-packets']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`teardown: ${file}: damaged at byte offset ${at} (packet 7): ${message}; the packets before it were analysed\n`);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.capture.packets).toBe(6);
    expect(report.errors).toEqual([{ file, offset: at, packet: 7, message }]);
  });

  it('a caplen of 0xffffffff in text mode: the table of what came before, then the one line', () => {
    const b = Buffer.from(fixture('course-half-close.pcap'));
    const at = pcapRecordOffsets(b)[3] ?? 0;
    b.writeUInt32LE(0xffffffff, at + 8);
    const file = join(tmp, 'huge-caplen.pcap');
    writeFileSync(file, b);
    const r = runCli(['analyze', file]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Summary: 1 connection');
    expect(r.stderr.split('\n')).toEqual([
      `teardown: ${file}: damaged at byte offset ${at} (packet 4): record header says 4294967295 captured bytes, more than the 262144 allowed (snaplen 262144); the packets before it were analysed`, '',
    ]);
  });
});

describe('unreadable input: one line, exit 2', () => {
  it('permission denied', (ctx) => {
    const file = join(tmp, 'secret.pcap');
    writeFileSync(file, fixture('refused.pcap'));
    chmodSync(file, 0o000);
    // Root reads any file: as root, run the CLI as nobody (65534) instead, when that user can run it at all.
    const root = process.getuid?.() === 0;
    const r = root ? runAsNobody(['analyze', file]) : runCli(['analyze', file]);
    if (r === undefined) {
      console.log('errors.test.ts: skipping "permission denied": running as root, and user nobody cannot run the CLI here');
      ctx.skip();
      return;
    }
    expect([r.code, r.stderr, r.stdout]).toEqual([2, `teardown: cannot read ${file}: permission denied\n`, '']);
  });
});

/** The built CLI as user nobody; undefined when nobody cannot start it (no such user, repository not readable). */
function runAsNobody(args: string[]): { code: number; stdout: string; stderr: string } | undefined {
  chmodSync(tmp, 0o755);
  const env = { ...process.env, LANG: 'C.UTF-8', NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, uid: 65534, gid: 65534 });
  if (r.error !== undefined || r.status === null) return undefined;
  const run = { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  return run.stderr.startsWith('teardown: ') ? run : undefined;
}

describe('an unsupported link type is named (docs/contract.md, "Damaged input")', () => {
  const b = Buffer.from(fixture('refused.pcap'));
  b.writeUInt32LE(147, 20); // LINKTYPE_USER0
  const file = join(tmp, 'linktype-147.pcap');
  writeFileSync(file, b);

  it('the records are read, counted as skipped, and JSON names the link type', () => {
    const r = runCli(['analyze', file, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.capture).toMatchObject({ packets: 2, linkTypes: [147], skipped: { 'unsupported-link': 2 } });
  });

  it('text output says that link type 147 is not supported', () => {
    const r = runCli(['analyze', file]);
    expect(r.stdout + r.stderr).toMatch(/link type 147\b.*not supported/);
  });
});
