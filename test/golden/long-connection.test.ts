import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeInProcess } from './run-analyze.js';

/**
 * One connection of 150,000 packets (docs/testing.md, "Hostile input"): every renderer of its
 * rows must draw them without passing them all as arguments of one call (`push(...rows)`,
 * `Math.max(...widths)` overflow the stack past about 120,000). The client closes, then the server
 * keeps sending: every other row carries a note, so the ladder folds nothing.
 */

const PACKETS = 150_000;

function longConnection(): Buffer {
  const b = Buffer.alloc(24 + PACKETS * 70);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(65535, 16);
  b.writeUInt32LE(1, 20);
  let o = 24;
  let usec = 0;
  const packet = (fromClient: boolean, flags: number, seq: number, ack: number, len: number): void => {
    usec += 10;
    b.writeUInt32LE(1000 + Math.floor(usec / 1e6), o);
    b.writeUInt32LE(usec % 1e6, o + 4);
    b.writeUInt32LE(54, o + 8);
    b.writeUInt32LE(54 + len, o + 12);
    b.writeUInt16BE(0x0800, o + 28);
    b[o + 30] = 0x45;
    b.writeUInt16BE(40 + len, o + 32);
    b[o + 38] = 64;
    b[o + 39] = 6;
    b.writeUInt32BE(fromClient ? 0x0a000001 : 0x0a000002, o + 42);
    b.writeUInt32BE(fromClient ? 0x0a000002 : 0x0a000001, o + 46);
    b.writeUInt16BE(fromClient ? 40000 : 80, o + 50);
    b.writeUInt16BE(fromClient ? 80 : 40000, o + 52);
    b.writeUInt32BE(seq >>> 0, o + 54);
    b.writeUInt32BE(ack >>> 0, o + 58);
    b.writeUInt16BE((5 << 12) | flags, o + 62);
    b.writeUInt16BE(65535, o + 64);
    o += 70;
  };
  let c = 1000;
  let s = 5000;
  packet(true, 0x02, c++, 0, 0);
  packet(false, 0x12, s++, c, 0);
  packet(true, 0x10, c, s, 0);
  packet(true, 0x11, c++, s, 0);
  for (let i = 4; i < PACKETS - 1; i++) {
    if (i % 2) {
      packet(false, 0x18, s, c, 100);
      s += 100;
    } else packet(true, 0x10, c, s, 0);
  }
  packet(true, 0x14, c, s, 0);
  return b;
}

const dir = mkdtempSync(join(tmpdir(), 'teardown-long-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'long.pcap');
writeFileSync(file, longConnection());

describe('a connection of 150,000 packets', () => {
  it('prints its packet table', async () => {
    const r = await analyzeInProcess(file, { packetsForced: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\n150000 ');
    expect(r.stdout).toContain('Verdict: rst-after-close (data-after-close)');
  }, 60_000);

  it('draws its ladder, nothing folded', async () => {
    const r = await analyzeInProcess(file, { ladder: true });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#149999');
    expect(r.stdout).not.toMatch(/segments, \d+ bytes/);
  }, 60_000);

  it('writes it as JSON and ndjson, every row', async () => {
    for (const format of ['json', 'ndjson'] as const) {
      const r = await analyzeInProcess(file, { format, packetsForced: true });
      expect(r.code).toBe(0);
      const doc = JSON.parse(format === 'json' ? r.stdout : (r.stdout.split('\n')[0] ?? '')) as { flows?: Array<{ packets: unknown[] }>; packets?: unknown[] };
      expect((doc.flows?.[0] ?? doc).packets?.length).toBe(PACKETS);
    }
  }, 60_000);
});
