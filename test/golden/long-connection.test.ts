import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeInProcess } from './run-analyze.js';
import { headerPcap } from '../unit/writer.js';
import type { HeaderPacket } from '../unit/writer.js';

/**
 * One connection of 150,000 packets (docs/testing.md, "Hostile input"): every renderer of its
 * rows must draw them without passing them all as arguments of one call (`push(...rows)`,
 * `Math.max(...widths)` overflow the stack past about 120,000). The client closes, then the server
 * keeps sending: every other row carries a note, so the ladder folds nothing.
 */

const PACKETS = 150_000;

function longConnection(): Buffer {
  let usec = 0;
  function* packets(): Generator<HeaderPacket> {
    const packet = (fromClient: boolean, flags: number, seq: number, ack: number, len: number): HeaderPacket => {
      usec += 10;
      return {
        sec: 1000 + Math.floor(usec / 1e6), usec: usec % 1e6, src: fromClient ? 0x0a000001 : 0x0a000002, dst: fromClient ? 0x0a000002 : 0x0a000001,
        srcPort: fromClient ? 40000 : 80, dstPort: fromClient ? 80 : 40000, seq, ack, flags, len,
      };
    };
    let c = 1000;
    let s = 5000;
    yield packet(true, 0x02, c++, 0, 0);
    yield packet(false, 0x12, s++, c, 0);
    yield packet(true, 0x10, c, s, 0);
    yield packet(true, 0x11, c++, s, 0);
    for (let i = 4; i < PACKETS - 1; i++) {
      if (i % 2) {
        yield packet(false, 0x18, s, c, 100);
        s += 100;
      } else yield packet(true, 0x10, c, s, 0);
    }
    yield packet(true, 0x14, c, s, 0);
  }
  return headerPcap(packets(), PACKETS);
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
