import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { ENDED_LINGER_S } from '../../src/analysis/expiry.js';
import { IDLE_LIMIT_S } from '../../src/flow/reuse.js';
import type { AnalyzeOptions } from '../../src/analysis/analyze.js';
import type { Verdict } from '../../src/analysis/teardown.js';
import type { CaptureRecord } from '../../src/capture/record.js';
import type { PacketRow } from '../../src/flow/connection.js';
import { A_REUSED_PORTS } from '../../src/flow/wireshark-flags.js';
import type { ConnectionView } from '../../src/flow/view.js';
import { hex } from './bytes.js';
import { IPV4_SYN, record } from './decoding.js';
import type { Step } from './segments.js';
import { HANDSHAKE, segment } from './segments.js';

/**
 * The Analyzer's wiring (analyze.ts): what it counts, when it releases a connection (sweeping),
 * what it hands to its hooks, and the report it finishes with. Connections are fed as segments
 * (segments.ts: client 10.0.0.1:40000, server 10.0.0.2:80), each step at its own capture time.
 */

/** Feeds steps at the given times (seconds, with a fraction) as packets `no0`, `no0 + 1`, ... on client port `port`. */
function feed(a: Analyzer, steps: Step[], times: number[], no0 = 1, port = 40000): void {
  steps.forEach((s, i) => {
    const seg = segment(s, no0 + i);
    const t = times[i] as number;
    const sec = Math.floor(t);
    const nsec = Math.round((t - sec) * 1e9);
    const fromClient = s[0] === 'c';
    a.onSegment({ ...seg, srcPort: fromClient ? port : 80, dstPort: fromClient ? 80 : port, tsSec: sec, tsNsec: nsec }, { sec, nsec });
  });
}

/** An analyzer that logs each connection it releases (id and class) as it does. */
function logged(opts: Partial<AnalyzeOptions> = {}): { a: Analyzer; log: string[] } {
  const log: string[] = [];
  const a = new Analyzer('test', { packets: false, ...opts, onFlow: (c, v) => log.push(`${c.id} ${v.class}`) });
  return { a, log };
}

const RESET: Step[] = [...HANDSHAKE, ['c', 'R', 1, 0]];
const INFO = { format: 'pcap' as const, linkTypes: [1] };

describe('the Analyzer: counting records', () => {
  it('counts records, TCP segments and skips by reason; first and last time with their fractions', () => {
    const a = new Analyzer('x.pcap', { packets: false });
    const at = (r: CaptureRecord, sec: number, nsec: number): CaptureRecord => ({ ...r, tsSec: sec, tsNsec: nsec });
    const arp = record(1, hex('ffff ffff ffff 0200 0000 0001 0806 0001'));
    a.onRecord(at(arp, 100, 250_000_000));
    a.onRecord(at(record(101, IPV4_SYN), 101, 500_000_000));
    a.onRecord(at(arp, 102, 0));
    a.onRecord(at(record(101, IPV4_SYN.subarray(0, 10)), 103, 750_000_000));
    const r = a.finish({ format: 'pcapng', linkTypes: [1, 101] }, undefined);
    expect(r.capture).toEqual({
      file: 'x.pcap', format: 'pcapng', linkTypes: [1, 101], packets: 4, tcpPackets: 1,
      skipped: { 'not-ip': 2, truncated: 1 }, firstTime: 100.25, lastTime: 103.75,
    });
    expect(a.firstTime).toEqual({ sec: 100, nsec: 250_000_000 });
    expect(a.relative({ sec: 101, nsec: 0 })).toBe(0.75);
    // One SYN and nothing else: unanswered (docs/contract.md, "Classes").
    expect(r.summary).toEqual({ flows: 1, byClass: { unanswered: 1 }, byCause: {} });
    expect(r.errors).toEqual([]);
  });

  it('an empty capture: no times, no format, no link types; a damaged one lists its damage', () => {
    const a = new Analyzer('y', { packets: false });
    expect(a.relative({ sec: 5, nsec: 0 })).toBe(0);
    const damage = { file: 'y', offset: 24, packet: 1, message: 'cut short' };
    const r = a.finish(undefined, damage);
    expect(r.capture).toEqual({ file: 'y', format: null, linkTypes: [], packets: 0, tcpPackets: 0, skipped: {}, firstTime: null, lastTime: null });
    expect(r.errors).toEqual([damage]);
    expect(r.summary).toEqual({ flows: 0, byClass: {}, byCause: {} });
  });

  it('nine decimals once a record shows sub-microsecond time, six before', () => {
    const a = new Analyzer('z', { packets: false });
    a.onRecord({ ...record(101, IPV4_SYN), tsNsec: 123_456_000 });
    expect(a.digits).toBe(6);
    a.onRecord({ ...record(101, IPV4_SYN), tsNsec: 123_456_001 });
    expect(a.digits).toBe(9);
    a.onRecord({ ...record(101, IPV4_SYN), tsNsec: 0 });
    expect(a.digits).toBe(9);
  });
});

describe('the Analyzer: releasing connections (docs/contract.md, "Memory")', () => {
  it(`an ended connection is released ${ENDED_LINGER_S} s after its last packet, not a moment before`, () => {
    const { a, log } = logged();
    feed(a, RESET, [100, 100, 100, 100]);
    feed(a, [['c', 'S', 0, 0]], [159], 10, 41000);
    feed(a, [['c', 'S', 0, 0]], [159.999], 11, 41001);
    expect(log).toEqual([]);
    feed(a, [['c', 'S', 0, 0]], [160], 12, 41002);
    expect(log).toEqual(['1 abort']);
    a.finish(INFO, undefined);
    // Lone SYNs: unanswered.
    expect(log).toEqual(['1 abort', '2 unanswered', '3 unanswered', '4 unanswered']);
  });

  it('a connection released at once when a second has passed since the last sweep', () => {
    const { a, log } = logged();
    feed(a, RESET, [100, 100, 100, 100.5]);
    feed(a, [['c', 'S', 0, 0]], [160], 10, 41000); // sweeps: 59.5 s, not yet
    feed(a, [['c', 'S', 0, 0]], [160.6], 11, 41001); // no sweep within the second
    expect(log).toEqual([]);
    feed(a, [['c', 'S', 0, 0]], [161], 12, 41002); // sweeps again: 60.5 s
    expect(log).toEqual(['1 abort']);
  });

  it(`an open connection is released after ${IDLE_LIMIT_S} s idle, not after ${ENDED_LINGER_S} s`, () => {
    const { a, log } = logged();
    feed(a, HANDSHAKE, [100, 100, 100]);
    feed(a, [['c', 'S', 0, 0]], [100 + ENDED_LINGER_S + 5], 10, 41000);
    feed(a, [['c', 'S', 0, 0]], [100 + IDLE_LIMIT_S - 0.5], 11, 41001);
    expect(log).toEqual([]);
    feed(a, [['c', 'S', 0, 0]], [100 + IDLE_LIMIT_S], 12, 41002);
    expect(log).toEqual(['1 open']);
  });

  it('the report lists flows by id, though they were released out of order', () => {
    const { a, log } = logged({ keepFlows: true });
    feed(a, HANDSHAKE, [100, 100, 100]);
    feed(a, [['c', 'S', 0, 0], ['c', 'R', 1, 0]], [101, 101], 10, 41000);
    feed(a, [['c', 'S', 0, 0]], [170], 20, 41001);
    const r = a.finish(INFO, undefined);
    expect(log).toEqual(['2 abort', '1 open', '3 unanswered']);
    expect(r.flows.map((f) => f.id)).toEqual([1, 2, 3]);
    expect(r.summary).toEqual({ flows: 3, byClass: { unanswered: 1, abort: 1, open: 1 }, byCause: {} });
    expect(Object.keys(r.summary.byClass)).toEqual(['unanswered', 'abort', 'open']);
  });

  it('keepFlows: false keeps no report, but counts', () => {
    const { a, log } = logged({ keepFlows: false });
    feed(a, RESET, [1, 1, 1, 1]);
    const r = a.finish(INFO, undefined);
    expect([r.flows, r.summary.flows, log]).toEqual([[], 1, ['1 abort']]);
  });

  it('a statistics end time between the FIN and the last record does not shorten a stuck close', () => {
    const a = new Analyzer('s', { packets: false });
    feed(a, [...HANDSHAKE, ['c', 'FA', 1, 1]], [100, 100, 100, 100]);
    feed(a, [['c', 'S', 0, 0]], [120], 10, 41000);
    const f = a.finish({ ...INFO, endTime: { sec: 110, nsec: 0 } }, undefined).flows[0];
    expect(f?.teardown).toMatchObject({ class: 'stuck', stuckFor: 20 });
  });

  it('a stuck close counts to the statistics end time when it is later than the last record, else to the last record', () => {
    const stuck: Step[] = [...HANDSHAKE, ['c', 'FA', 1, 1]];
    for (const [endTime, want] of [[{ sec: 110, nsec: 500_000_000 }, 10.5], [{ sec: 90, nsec: 0 }, 0], [undefined, 0]] as const) {
      const a = new Analyzer('s', { packets: false });
      feed(a, stuck, [100, 100, 100, 100]);
      const f = a.finish({ ...INFO, ...(endTime ? { endTime } : {}) }, undefined).flows[0];
      expect(f?.teardown).toMatchObject({ class: 'stuck', detail: 'fin-wait-1', stuckFor: want });
    }
  });
});

describe('the Analyzer: rows and hooks', () => {
  it('rows only with packets, and only for the connections rowsFor picks; each row\'s notes and states', () => {
    const none = new Analyzer('r', { packets: false });
    feed(none, RESET, [1, 1, 1, 1]);
    expect(none.finish(INFO, undefined).flows[0]?.rows).toBeUndefined();

    const some = new Analyzer('r', { packets: true, rowsFor: (c) => c.client.port === 40000 });
    feed(some, RESET, [1, 1, 1, 1]);
    feed(some, RESET, [2, 2, 2, 2], 10, 41000);
    const [kept, skipped] = some.finish(INFO, undefined).flows;
    expect(skipped?.rows).toBeUndefined();
    const rows = kept?.rows ?? [];
    expect(rows.map((r) => [r.no, r.fromClient, r.client, r.server])).toEqual([
      [1, true, 'SYN_SENT', 'LISTEN'], [2, false, 'SYN_SENT', 'SYN_RECEIVED'], [3, true, 'ESTABLISHED', 'ESTABLISHED'], [4, true, 'CLOSED', 'CLOSED'],
    ]);
    expect(rows.map((r) => r.notes.map((n) => n.id))).toEqual([['syn'], ['syn-ack'], ['handshake-ack'], ['rst-abort']]);
    expect(rows[0]).toMatchObject({ time: { sec: 1, nsec: 0 }, flags: 2, seq: 0, ack: 0, len: 0, win: 512, wire: { srcPort: 40000, dstPort: 80, urgent: 0, options: [], analysis: 0 } });
  });

  it('onRow: every row streamed as it comes, with its notes, none kept without packets', () => {
    const rows: PacketRow[] = [];
    const a = new Analyzer('o', { packets: false, onRow: (_c, row) => rows.push(row) });
    feed(a, RESET, [1, 1, 1, 1]);
    expect(rows.map((r) => [r.no, r.notes.map((n) => n.id)])).toEqual([[1, ['syn']], [2, ['syn-ack']], [3, ['handshake-ack']], [4, ['rst-abort']]]);
    expect(a.finish(INFO, undefined).flows[0]?.rows).toBeUndefined();
  });

  it('onEnded: once, when the connection is over on the wire, with its verdict then', () => {
    const ended: string[] = [];
    const a = new Analyzer('e', { packets: false, onEnded: (c: ConnectionView, v: Verdict) => ended.push(`${c.id} ${v.class} #${c.lastPacket}`) });
    feed(a, [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'FA', 1, 2]], [1, 1, 1, 1, 1]);
    expect(ended).toEqual([]);
    feed(a, [['c', 'A', 2, 2], ['c', 'A', 2, 2], ['s', 'R', 2, 0]], [2, 3, 4], 6);
    expect(ended).toEqual(['1 graceful #6']);
  });

  it('Wireshark\'s port-reuse flag on the first row of the new connection only', () => {
    const a = new Analyzer('p', { packets: true });
    feed(a, RESET, [1, 1, 1, 1]);
    feed(a, [['c', 'S', 90000, 0], ['s', 'SA', 0, 90001], ['c', 'A', 90001, 1]], [2, 2, 2], 5);
    const flows = a.finish(INFO, undefined).flows;
    expect(flows.map((f) => (f.rows ?? []).map((r) => (r.wire.analysis & A_REUSED_PORTS) !== 0))).toEqual([[false, false, false, false], [true, false, false]]);
  });

  // tcpflow's bug5.pcap: a connection left open, the same client port's next SYN (a new ISN) three hours later.
  it(`a new ISN's SYN after ${IDLE_LIMIT_S} s of silence starts a new connection, with the port-reuse flag; a moment sooner it does not`, () => {
    const reused = (gap: number): boolean[][] => {
      const a = new Analyzer('p', { packets: true });
      feed(a, HANDSHAKE, [1, 1, 1]);
      feed(a, [['c', 'S', 90000, 0]], [1 + gap], 4);
      return a.finish(INFO, undefined).flows.map((f) => (f.rows ?? []).map((r) => (r.wire.analysis & A_REUSED_PORTS) !== 0));
    };
    expect(reused(IDLE_LIMIT_S)).toEqual([[false, false, false], [true]]);
    expect(reused(IDLE_LIMIT_S - 0.001)).toEqual([[false, false, false, false]]);
  });

  it('reserve makes room without changing what is analysed', () => {
    const a = new Analyzer('v', { packets: false });
    a.reserve(5000);
    feed(a, RESET, [1, 1, 1, 1]);
    expect(a.finish(INFO, undefined).summary).toEqual({ flows: 1, byClass: { abort: 1 }, byCause: {} });
  });
});
