import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { TcpFlag } from '../../src/decode/segment.js';
import type { TcpSegment } from '../../src/decode/segment.js';
import { ConnectionTable } from '../../src/flow/table.js';
import type { RowPolicy } from '../../src/flow/table.js';
import type { ConnectionView } from '../../src/flow/view.js';

/**
 * The table of open connections (table.ts), placing segments by hand: which connection a segment
 * belongs to, how a new one is set up (its sides, its address kind, its Extra), port reuse, and the
 * order connections are handed over in.
 */

const v4 = (text: string): number => text.split('.').reduce((n, p) => (n << 8) | Number(p), 0) | 0;
const FLAG: Record<string, number> = { S: TcpFlag.SYN, F: TcpFlag.FIN, R: TcpFlag.RST, A: TcpFlag.ACK };

interface Ends {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** Integer addresses: both (as the decoder gives IPv4), none (IPv6, built by hand) or one. */
  v4?: 'both' | 'none' | 'src' | 'dst';
}

let no = 0;
function seg(e: Ends, flags: string, seq = 0, ack = 0, len = 0): TcpSegment {
  let bits = 0;
  for (const ch of flags) bits |= FLAG[ch] ?? 0;
  const kind = e.v4 ?? 'both';
  const ipv6 = e.src.includes(':');
  no++;
  return {
    no, tsSec: 1_700_000_000 + no, tsNsec: 0, ipVersion: ipv6 ? 6 : 4, src: e.src, dst: e.dst,
    srcV4: !ipv6 && (kind === 'both' || kind === 'src') ? v4(e.src) : undefined,
    dstV4: !ipv6 && (kind === 'both' || kind === 'dst') ? v4(e.dst) : undefined,
    srcPort: e.srcPort, dstPort: e.dstPort, seq, ack, flags: bits, window: 512, urgent: 0, payloadLen: len, options: [],
  };
}

const reverse = (e: Ends): Ends => ({ ...e, src: e.dst, dst: e.src, srcPort: e.dstPort, dstPort: e.srcPort });
const C2S: Ends = { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 40000, dstPort: 80 };

/** A table that records what it hands over (id, client, server, port reuse), as values. */
function table(rows: RowPolicy = { streamRows: false }): { t: ConnectionTable; done: string[]; place: (s: TcpSegment) => ConnectionView } {
  const done: string[] = [];
  const t = new ConnectionTable(rows, (c) => done.push(`${c.id} ${c.client.ip}:${c.client.port} ${c.server.ip}:${c.server.port}${c.portReused ? ' reused' : ''}`));
  return { t, done, place: (s) => t.place(s, { sec: s.tsSec, nsec: s.tsNsec }) };
}

/** Gives every open connection a deadline at second 1 and sweeps at 1, releasing the ones `pick` picks. */
function releaseWhere(t: ConnectionTable, pick: (c: ConnectionView) => boolean): void {
  for (const c of t.connections()) t.setDeadline(c, 1);
  t.expire(1, (c) => (pick(c) ? 1 : 2));
}

describe('the connection table (table.ts)', () => {
  it('a segment and its reply are one connection; the client is the SYN\'s sender, or the SYN-ACK\'s receiver', () => {
    const { t, done, place } = table();
    expect(place(seg(C2S, 'S')).id).toBe(1);
    expect(place(seg(reverse(C2S), 'SA')).id).toBe(1);
    const other: Ends = { src: '10.0.0.3', dst: '10.0.0.4', srcPort: 443, dstPort: 50000 };
    const c = place(seg(other, 'SA'));
    expect([c.id, c.client.ip, c.client.port, c.server.ip, c.server.port]).toEqual([2, '10.0.0.4', 50000, '10.0.0.3', 443]);
    expect(c.fromClient(seg(reverse(other), 'A'))).toBe(true);
    t.finishAll();
    expect(done).toEqual(['1 10.0.0.1:40000 10.0.0.2:80', '2 10.0.0.4:50000 10.0.0.3:443']);
  });

  it('IPv6 and hand-built segments are keyed by text: addresses kept as text, both directions found', () => {
    const { t, done, place } = table();
    const v6: Ends = { src: '2001:db8::1', dst: '2001:db8::2', srcPort: 5000, dstPort: 5000 };
    const c = place(seg(v6, 'S'));
    expect([c.client.addressId, c.server.addressId, c.client.ip]).toEqual(['2001:db8::1', '2001:db8::2', '2001:db8::1']);
    expect(place(seg(reverse(v6), 'SA')).id).toBe(1);
    // Same ports both ways: only the address tells the sides apart.
    expect(c.fromClient(seg(reverse(v6), 'A'))).toBe(false);
    expect(c.fromClient(seg(v6, 'A'))).toBe(true);
    // A segment with one integer address only is keyed by text too, and finds its reply.
    const half: Ends = { src: '10.0.0.7', dst: '10.0.0.8', srcPort: 1, dstPort: 2, v4: 'src' };
    const h = place(seg(half, 'S'));
    expect([h.id, h.client.ip, h.server.ip]).toEqual([2, '10.0.0.7', '10.0.0.8']);
    expect(place(seg({ ...reverse(half), v4: 'dst' }, 'SA')).id).toBe(2);
    expect(place(seg({ ...half, v4: 'none' }, 'A')).id).toBe(2);
    // Likewise with the destination's only.
    const dstOnly: Ends = { src: '10.0.0.9', dst: '10.0.0.10', srcPort: 3, dstPort: 4, v4: 'dst' };
    const d = place(seg(dstOnly, 'S'));
    expect([d.id, d.client.addressId, d.server.addressId]).toEqual([3, '10.0.0.9', '10.0.0.10']);
    t.finishAll();
    expect(done).toEqual(['1 2001:db8::1:5000 2001:db8::2:5000', '2 10.0.0.7:1 10.0.0.8:2', '3 10.0.0.9:3 10.0.0.10:4']);
  });

  it('a released connection leaves the index: its 4-tuple\'s next segment opens a new one (IPv4 and text keys)', () => {
    for (const ends of [C2S, { src: '2001:db8::1', dst: '2001:db8::2', srcPort: 1, dstPort: 2 }]) {
      const { t, done, place } = table();
      place(seg(ends, 'S'));
      releaseWhere(t, () => true);
      expect(done).toHaveLength(1);
      expect(place(seg(ends, 'A')).id).toBe(2);
      expect(place(seg(reverse(ends), 'A')).id).toBe(2);
    }
  });

  it('no Extra unless rows are kept or streamed; rows only when kept', () => {
    const none = table().place(seg(C2S, 'S'));
    expect([none.view, none.rows]).toEqual([undefined, undefined]);
    const asked: number[] = [];
    const kept = table({ streamRows: false, keepRows: (c) => (asked.push(c.id), c.id === 1) });
    const first = kept.place(seg(C2S, 'S'));
    expect(first.view).toBeDefined();
    expect(first.rows).toEqual([]);
    const second = kept.place(seg({ ...C2S, srcPort: 40001 }, 'S'));
    expect([second.view, second.rows]).toEqual([undefined, undefined]);
    expect(asked).toEqual([1, 2]);
    const streamed = table({ streamRows: true }).place(seg(C2S, 'S'));
    expect(streamed.view).toBeDefined();
    expect(streamed.rows).toBeUndefined();
    // IPv6: the Extra that holds the addresses gets the view as well.
    const v6 = table({ streamRows: true }).place(seg({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 1, dstPort: 2 }, 'S'));
    expect([v6.view !== undefined, v6.client.ip]).toEqual([true, '2001:db8::1']);
  });

  it('hands connections over in id order, whatever slots they sit in', () => {
    const { t, done, place } = table();
    place(seg(C2S, 'S')); // id 1, slot 0
    place(seg({ ...C2S, srcPort: 40001 }, 'S')); // id 2, slot 1
    releaseWhere(t, (c) => c.id === 1); // slot 0 free
    place(seg({ ...C2S, srcPort: 40002 }, 'S')); // id 3, slot 0
    place(seg({ ...C2S, srcPort: 40003 }, 'S')); // id 4, slot 2
    expect([...t.connections()].map((c) => c.id)).toEqual([2, 3, 4]);
    releaseWhere(t, (c) => c.id !== 4);
    t.finishAll();
    expect(done.map((d) => d.split(' ')[0])).toEqual(['1', '2', '3', '4']);
  });
});

/** The connections an analysis hands over, by id, with whether each was a port reuse. */
function connectionsOf(steps: Array<[from: 'c' | 's', flags: string, seq: number, ack: number]>): string[] {
  const out: string[] = [];
  const a = new Analyzer('test', { packets: false, keepFlows: false, onFlow: (c) => out.push(`${c.id}${c.portReused ? ' reused' : ''} #${c.firstPacket}-#${c.lastPacket}`) });
  steps.forEach(([from, flags, seq, ack], i) => {
    const s = seg(from === 'c' ? C2S : reverse(C2S), flags, seq, ack);
    const n = { ...s, no: i + 1, tsSec: 1_700_000_000 + i };
    a.onSegment(n, { sec: n.tsSec, nsec: 0 });
  });
  a.finish({ format: 'pcap', linkTypes: [1] }, undefined);
  return out;
}

describe('port reuse in the table (docs/contract.md, "Port reuse")', () => {
  const open: Array<[from: 'c' | 's', flags: string, seq: number, ack: number]> = [['c', 'S', 1000, 0], ['s', 'SA', 5000, 1001], ['c', 'A', 1001, 5001]];
  const closed = [...open, ['c', 'FA', 1001, 5001], ['s', 'FA', 5001, 1002], ['c', 'A', 1002, 5002]] as typeof open;

  it('a pure SYN with a new ISN after both FINs starts a new connection, flagged as a reuse', () => {
    expect(connectionsOf([...closed, ['c', 'S', 90000, 0]])).toEqual(['1 #1-#6', '2 reused #7-#7']);
  });

  it('after a RST, likewise', () => {
    expect(connectionsOf([...open, ['c', 'R', 1001, 0], ['c', 'S', 90000, 0]])).toEqual(['1 #1-#4', '2 reused #5-#5']);
  });

  it('after a refusal (RST answering the SYN), likewise', () => {
    expect(connectionsOf([['c', 'S', 1000, 0], ['s', 'RA', 0, 1001], ['c', 'S', 90000, 0]])).toEqual(['1 #1-#2', '2 reused #3-#3']);
  });

  it('not while the connection is open, nor after the other side\'s FIN; after the SYN sender\'s own FIN, yes (its peer may sit in CLOSE_WAIT)', () => {
    expect(connectionsOf([...open, ['c', 'S', 90000, 0]])).toEqual(['1 #1-#4']);
    expect(connectionsOf([...open, ['s', 'FA', 5001, 1001], ['c', 'S', 90000, 0]])).toEqual(['1 #1-#5']);
    expect(connectionsOf([...open, ['c', 'FA', 1001, 5001], ['c', 'S', 90000, 0]])).toEqual(['1 #1-#4', '2 reused #5-#5']);
  });

  it('not for a SYN-ACK with a new ISN, nor for the same ISN again (a retransmitted SYN)', () => {
    expect(connectionsOf([...closed, ['s', 'SA', 70000, 1001]])).toEqual(['1 #1-#7']);
    expect(connectionsOf([...closed, ['c', 'S', 1000, 0]])).toEqual(['1 #1-#7']);
  });
});
