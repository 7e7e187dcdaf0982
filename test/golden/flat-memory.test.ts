import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeInProcess } from './run-analyze.js';
import { headerPcap } from '../unit/writer.js';
import type { HeaderPacket } from '../unit/writer.js';
import { SpillFile } from '../../src/render/spill-file.js';
import { IdOrderSpill } from '../../src/render/id-order-spill.js';

/**
 * Memory follows the connections still open, not the capture (docs/performance.md, "Memory for
 * every format"): connection #1 opens first and stays open, so every later connection (released 60 s
 * after it ends: the capture spans 160 s) is released before it. The text report (written in id order) and the json document (whose `capture` comes
 * first) must park what waits in a temporary file, not in memory: the bytes that reach the spill
 * file are counted.
 */

const SHORT = 8000;

function heldOpen(): Buffer {
  function* packets(): Generator<HeaderPacket> {
    const at = (ms: number) => ({ sec: 1000 + Math.floor(ms / 1000), usec: (ms % 1000) * 1000 });
    const pair = (ms: number, port: number, fromClient: boolean, flags: number, seq: number, ack: number): HeaderPacket => ({
      ...at(ms), src: fromClient ? 0x0a000001 : 0x0a000002, dst: fromClient ? 0x0a000002 : 0x0a000001,
      srcPort: fromClient ? port : 80, dstPort: fromClient ? 80 : port, seq, ack, flags,
    });
    yield pair(0, 30000, true, 0x02, 100, 0);
    yield pair(0, 30000, false, 0x12, 900, 101);
    yield pair(0, 30000, true, 0x10, 101, 901);
    for (let i = 0; i < SHORT; i++) {
      const ms = 1 + i * 20;
      const port = 31000 + (i % 30000);
      yield pair(ms, port, true, 0x02, 100, 0);
      yield pair(ms, port, false, 0x12, 900, 101);
      yield pair(ms, port, true, 0x10, 101, 901);
      yield pair(ms + 1, port, true, 0x14, 101, 901);
      // #1 stays busy: an idle connection would be let go before the end.
      if (i % 100 === 99) yield pair(ms + 2, 30000, true, 0x10, 101, 901);
    }
    yield pair(SHORT * 20 + 10, 30000, true, 0x10, 101, 901);
  }
  return headerPcap(packets(), 4 + SHORT * 4 + SHORT / 100);
}

const dir = mkdtempSync(join(tmpdir(), 'teardown-flat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
const file = join(dir, 'held-open.pcap');
writeFileSync(file, heldOpen());

/** Runs `analyze` in this process, counting the bytes written to spill files. */
async function spilled(format: 'text' | 'json'): Promise<{ stdout: string; spilled: number }> {
  let bytes = 0;
  const append = SpillFile.prototype.append;
  vi.spyOn(SpillFile.prototype, 'append').mockImplementation(function (this: SpillFile, chunk: Buffer) {
    bytes += chunk.length;
    append.call(this, chunk);
  });
  const r = await analyzeInProcess(file, { format, packets: false });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { stdout: r.stdout, spilled: bytes };
}

describe('an early connection held open to the end', () => {
  it('parks the text report\'s later blocks in a file, and writes them in id order', async () => {
    const r = await spilled('text');
    const ids = [...r.stdout.matchAll(/^Connection (\d+):/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: SHORT + 1 }, (_, i) => i + 1));
    const blocks = r.stdout.slice(0, r.stdout.indexOf('\nSummary:'));
    // Those ended in the last 60 s are released at the end, after #1, in id order: they never wait.
    expect(r.spilled).toBeGreaterThan(blocks.length * 0.4);
  }, 30_000);

  it('parks the json document\'s flows in a file, and lays them out in id order', async () => {
    const r = await spilled('json');
    const doc = JSON.parse(r.stdout) as { flows: Array<{ id: number }> };
    expect(doc.flows.map((f) => f.id)).toEqual(Array.from({ length: SHORT + 1 }, (_, i) => i + 1));
    // The compact lines parked are about half the pretty document.
    expect(r.spilled).toBeGreaterThan(r.stdout.length * 0.3);
  }, 30_000);
});

describe('IdOrderSpill', () => {
  /** Items 1..n in a shuffled order, a third with nothing, of up to 3 KB each. */
  function items(n: number, seed: number): Array<{ id: number; bytes: Buffer | null }> {
    let s = seed;
    const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const all = Array.from({ length: n }, (_, i) => ({ id: i + 1, bytes: rand() < 0.33 ? null : Buffer.alloc(1 + Math.floor(rand() * 3000), `#${i + 1};`) }));
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [all[i], all[j]] = [all[j] as (typeof all)[number], all[i] as (typeof all)[number]];
    }
    return all;
  }

  /** Adds `list` to an IdOrderSpill, drains it, and gives what it handed on, with the marks. */
  function handedOn(list: Array<{ id: number; bytes: Buffer | null }>, hold: boolean): string[] {
    const out: string[] = [];
    const spill = new IdOrderSpill((b, mark) => out.push(`${Buffer.from(b).toString()}@${mark}`), hold);
    for (const { id, bytes } of list) spill.add(id, bytes, id % 7);
    if (hold) expect(out).toEqual([]);
    spill.drain();
    spill.close();
    return out;
  }

  const wanted = (list: Array<{ id: number; bytes: Buffer | null }>): string[] =>
    list.filter((x) => x.bytes !== null).sort((a, b) => a.id - b.id).map((x) => `${(x.bytes as Buffer).toString()}@${x.id % 7}`);

  it('hands items on in id order as they can go, or all at the end, through the file past 1 MiB', () => {
    for (const hold of [false, true]) {
      const list = items(5000, hold ? 7 : 3);
      expect(handedOn(list, hold)).toEqual(wanted(list));
    }
  });

  it('keeps them in memory when there is no temporary directory to spill to', () => {
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = '/nonexistent/teardown-tmp';
    try {
      const list = items(3000, 11);
      expect(handedOn(list, true)).toEqual(wanted(list));
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });
});
