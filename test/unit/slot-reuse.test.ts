import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { FlowReport } from '../../src/analysis/report.js';
import { TcpFlag } from '../../src/decode/segment.js';
import type { TcpSegment } from '../../src/decode/segment.js';

/**
 * A finished connection's slot in the store (store.ts) is reused by the next connection: whatever
 * the first left in the columns must not reach the second. These tests go through the Analyzer (the
 * public surface) and see the store only as its typed arrays, enumerated generically: they name no
 * column, so they hold however the store's columns are declared. A column's stride (1 per slot, 2
 * per side, 6 per side and list...) is its length over the store's capacity (the shortest column).
 */

type Tuple = { client: string; clientPort: number; server: string; serverPort: number };
/** `[from, flags, relSeq, relAck, len]`, numbers relative to the connection's ISNs. */
type Step = [from: 'c' | 's', flags: string, seq: number, ack: number, len?: number];

const FLAG: Record<string, number> = { S: TcpFlag.SYN, F: TcpFlag.FIN, R: TcpFlag.RST, P: TcpFlag.PSH, A: TcpFlag.ACK };
const v4 = (text: string): number => text.split('.').reduce((n, p) => (n << 8) | Number(p), 0) | 0;

/**
 * Feeds a connection's steps to the analyzer: one packet a second (and a microsecond) from `t0`, packet numbers from
 * `no0`, IPv4 addresses as the decoder gives them (so the connection is found through the slot index).
 */
function feed(a: Analyzer, t: Tuple, isn: { c: number; s: number }, steps: Step[], t0: number, no0: number): number {
  steps.forEach(([from, flags, seq, ack, len = 0], i) => {
    let bits = 0;
    for (const ch of flags) bits |= FLAG[ch] ?? 0;
    const c = from === 'c';
    const src = c ? t.client : t.server;
    const dst = c ? t.server : t.client;
    const seg: TcpSegment = {
      no: no0 + i, tsSec: t0 + i, tsNsec: 1000 * (i + 1), ipVersion: 4, src, dst, srcV4: v4(src), dstV4: v4(dst),
      srcPort: c ? t.clientPort : t.serverPort, dstPort: c ? t.serverPort : t.clientPort,
      seq: ((c ? isn.c : isn.s) + seq) >>> 0, ack: bits & TcpFlag.ACK ? ((c ? isn.s : isn.c) + ack) >>> 0 : 0,
      flags: bits, window: 512, urgent: 0, payloadLen: len, options: [],
    };
    a.onSegment(seg, { sec: seg.tsSec, nsec: seg.tsNsec });
  });
  return no0 + steps.length;
}

const HANDSHAKE: Step[] = [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'A', 1, 1]];

/**
 * A connection that sets every fact it can: handshake, data both ways, the client's FIN and its ACK,
 * trailing data from the server after it (half-close), the server's FIN and its ACK, then a RST from
 * each side (evidence lists on both sides, states reset).
 */
const EVERY_FACT: Step[] = [
  ...HANDSHAKE,
  ['c', 'PA', 1, 1, 100], ['s', 'A', 1, 101], ['s', 'PA', 1, 101, 200], ['c', 'A', 101, 201],
  ['c', 'FA', 101, 201], ['s', 'A', 201, 102], ['s', 'PA', 201, 102, 50], ['s', 'PA', 251, 102, 7],
  ['s', 'FA', 258, 102], ['c', 'A', 102, 259],
  ['c', 'R', 102, 0], ['s', 'RA', 259, 102],
];
const GRACEFUL: Step[] = [...HANDSHAKE, ['c', 'PA', 1, 1, 10], ['s', 'A', 1, 11], ['c', 'FA', 11, 1], ['s', 'FA', 1, 12], ['c', 'A', 12, 2]];
const HALF_CLOSE: Step[] = [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'PA', 1, 2, 3], ['c', 'A', 2, 4], ['s', 'FA', 4, 2], ['c', 'A', 2, 5]];
/** Shapes of the second connection: each leaves most facts unset, so a fact not reset shows. */
const SHAPES: Record<string, Step[]> = {
  graceful: GRACEFUL,
  'half-close': HALF_CLOSE,
  refused: [['c', 'S', 0, 0], ['s', 'RA', 0, 1]],
  'open (SYN only)': [['c', 'S', 0, 0]],
  abort: [...HANDSHAKE, ['c', 'PA', 1, 1, 5], ['s', 'RA', 1, 6]],
  midstream: [['c', 'PA', 1, 1, 20], ['s', 'A', 1, 21]],
};

const A: Tuple = { client: '10.0.0.1', clientPort: 40000, server: '10.0.0.2', serverPort: 80 };
const B: Tuple = { client: '10.0.0.3', clientPort: 41000, server: '10.0.0.4', serverPort: 443 };
const C: Tuple = { client: '10.0.0.5', clientPort: 42000, server: '10.0.0.6', serverPort: 8080 };
const ISN1 = { c: 1000, s: 5000 };
const ISN2 = { c: 3_000_000_000, s: 77 };
/** The first connection's steps start here; the second's after its slot was freed. */
const T1 = 1_700_000_000;
const T2 = T1 + 1000;
const NO2 = 100;

/** The store's typed arrays by name, and its capacity in slots (the shortest column's length). */
function columns(store: object): { arrays: Array<[string, ArrayLike<number>]>; capacity: number } {
  const arrays = Object.entries(store).filter(([, v]) => ArrayBuffer.isView(v)) as Array<[string, ArrayLike<number>]>;
  const capacity = Math.min(...arrays.map(([, v]) => v.length));
  return { arrays, capacity };
}

/** Every cell of `slot` in every typed array: `name[i]` → value (NaN-safe through Object.is later). */
function cellsOf(store: object, slot: number): Map<string, number> {
  const { arrays, capacity } = columns(store);
  const cells = new Map<string, number>();
  for (const [name, v] of arrays) {
    const stride = v.length / capacity;
    expect(Number.isInteger(stride), `${name}: ${v.length} cells over ${capacity} slots`).toBe(true);
    for (let k = 0; k < stride; k++) cells.set(`${name}[${k}]`, v[slot * stride + k] as number);
  }
  return cells;
}

/** Overwrites every cell of `slot` in every typed array with the byte `fill`. */
function poison(store: object, slot: number, fill: number): void {
  const { arrays, capacity } = columns(store);
  for (const [, v] of arrays) {
    const view = v as unknown as ArrayBufferView;
    const stride = v.length / capacity;
    const bytesPer = view.byteLength / v.length;
    new Uint8Array(view.buffer, view.byteOffset + slot * stride * bytesPer, stride * bytesPer).fill(fill);
  }
}

/** The open connections' stores, slots and first packets, in slot order. */
function openOf(a: Analyzer): Array<{ store: object; slot: number; firstPacket: number }> {
  const open: Array<{ store: object; slot: number; firstPacket: number }> = [];
  a.eachOpenConnection((c) => open.push({ store: c.store, slot: c.slot, firstPacket: c.firstPacket }));
  return open;
}

/** The one open connection's store and slot. */
function openSlot(a: Analyzer): { store: object; slot: number } {
  const open = openOf(a);
  expect(open).toHaveLength(1);
  const c = open[0];
  if (c === undefined) throw new Error('no open connection');
  return c;
}

/**
 * A first connection on tuple A (`first`), released by the sweep once it has been over for longer
 * than the linger time, then `second` on tuple B, which takes the freed slot. `between` runs on the
 * freed slot before the second connection opens. Returns the analyzer, the slot, and the second
 * connection's cells after its last packet.
 */
function run(first: Step[], second: Step[], between?: (store: object, slot: number) => void) {
  const a = new Analyzer('test', { packets: true });
  feed(a, A, ISN1, first, T1, 1);
  const { store, slot } = openSlot(a);
  const firstCells = cellsOf(store, slot);
  a.sweep({ sec: T2 - 1, nsec: 0 });
  expect(openOf(a)).toHaveLength(0);
  between?.(store, slot);
  feed(a, B, ISN2, second, T2, NO2);
  const now = openSlot(a);
  expect(now.slot, 'the second connection reuses the first one\'s slot').toBe(slot);
  return { a, slot, cells: cellsOf(now.store, slot), first: firstCells };
}

/** A first connection that leaves nearly nothing: a SYN refused by a RST (same id sequence, same slot). */
const BARELY: Step[] = [['c', 'S', 0, 0], ['s', 'RA', 0, 1]];

/**
 * Columns EVERY_FACT's graceful connection leaves zero: the TTLs (segments built by hand carry
 * none), a RST's TTL, a retransmitted FIN. The poisoned-cell tests below cover their reset: a
 * report's causes read every one of them.
 */
const CAUSE_ONLY = new Set(['state', 'ttlMin', 'ttlMax', 'rstTtl', 'finAgainNo']);

function differing(x: Map<string, number>, y: Map<string, number>): string[] {
  return [...x.keys()].filter((k) => !Object.is(x.get(k), y.get(k)));
}

describe('a reused slot starts clean (store.ts allocate)', () => {
  it('every typed-array cell of the slot equals the same connection\'s in a fresh table', () => {
    // The second connection sets every fact, as the first did: whatever allocate leaves in place is
    // overwritten, so the cells must match exactly; counters and lists not reset would add up.
    const reused = run(EVERY_FACT, EVERY_FACT);
    // Fresh: the same connection (id 2, same packets) in a slot never used, while a first one (a lone
    // SYN, left open) holds another.
    const a = new Analyzer('test', { packets: true });
    feed(a, C, ISN1, [['c', 'S', 0, 0]], T1, 1);
    a.sweep({ sec: T2 - 1, nsec: 0 });
    feed(a, B, ISN2, EVERY_FACT, T2, NO2);
    const open = openOf(a);
    const second = open.find((c) => c.firstPacket === NO2);
    if (second === undefined) throw new Error('the second connection is not open');
    expect(open.map((c) => c.slot)).toEqual([0, 1]);
    expect(differing(reused.cells, cellsOf(second.store, second.slot))).toEqual([]);
  });

  it('the first connection did dirty the slot (else the comparison above proves nothing)', () => {
    const { first, cells } = run(EVERY_FACT, EVERY_FACT);
    const column = (k: string): string => k.replace(/\[.*/, '');
    const names = new Set([...first.keys()].map(column));
    // Columns the first connection left other than zero (a never-used slot's value): all but the
    // endpoint states, which its RSTs leave CLOSED (the poisoned-cell tests below cover those) ...
    const written = new Set([...first].filter(([, v]) => !Object.is(v, 0)).map(([k]) => column(k)));
    const unwritten = [...names].filter((n) => !written.has(n) && !CAUSE_ONLY.has(n));
    expect(unwritten.length, `columns left zero: ${unwritten.join(', ')}`).toBeLessThanOrEqual(1);
    // ... and cells that differ between the two connections (tuple, ISNs, times, packet numbers).
    expect(differing(first, cells).length).toBeGreaterThan(first.size / 3);
  });

  for (const [shape, steps] of Object.entries(SHAPES)) {
    it(`${shape}: the report is the same whatever the freed slot held (poisoned cells)`, () => {
      // Cells that a verdict reads only behind a "set" bit may keep old values; cells it reads
      // directly must be reset. Filling the freed slot with junk shows any that are not.
      const report = (fill?: number): FlowReport | undefined => {
        const { a } = run(BARELY, steps, fill === undefined ? undefined : (store, slot) => poison(store, slot, fill));
        return a.finish({ format: 'pcap', linkTypes: [1] }, undefined).flows.find((f) => f.firstPacket === NO2);
      };
      const clean = report();
      expect(clean).toBeDefined();
      for (const fill of [0x01, 0x5a, 0xff]) expect({ fill, flow: report(fill) }).toEqual({ fill, flow: clean });
      expect(report(0x5a)).toEqual(report(0xff));
    });
  }
});

describe('port reuse: a second connection on the same 4-tuple (docs/verdicts.md)', () => {
  it('half-close with trailing data, then a graceful close: the second is graceful, 0 trailing bytes', () => {
    const a = new Analyzer('test', { packets: true });
    const no = feed(a, A, ISN1, HALF_CLOSE, T1, 1);
    // A new SYN with a new ISN after the first closed: a new connection, in the first one's slot.
    feed(a, A, ISN2, GRACEFUL, T1 + 20, no);
    const flows = a.finish({ format: 'pcap', linkTypes: [1] }, undefined).flows;
    expect(flows.map((f) => [f.id, f.teardown.class, f.teardown.trailingBytes])).toEqual([[1, 'half-close', 3], [2, 'graceful', 0]]);
    expect(flows[1]?.bytes).toEqual({ client: 10, server: 0 });
  });
});
