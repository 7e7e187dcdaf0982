import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { FlowReport } from '../../src/analysis/report.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { trackBases } from '../../src/flow/reuse.js';
import { isNewIsn } from '../../src/flow/reuse.js';
import { ConnectionStore, K } from '../../src/flow/store.js';
import type { Step } from './segments.js';
import { HANDSHAKE, analyzeSteps, segment } from './segments.js';

/**
 * The verdict rules (analysis/teardown.ts) at their edges, each row what one wrong comparison or
 * missing branch would change: which side closed first, RSTs around a FIN, the handshake test of an
 * abort, whether the last ACK was seen, evidence order, and the whole verdict of an open connection.
 */
const only = (steps: Step[]): FlowReport => {
  const r = analyzeSteps(steps);
  expect(r.flows).toHaveLength(1);
  return r.flows[0] as FlowReport;
};

const ROWS: Array<{ name: string; steps: Step[]; want: Record<string, unknown>; lastAckSeen?: boolean }> = [
  {
    name: 'the server closes first: four-way with the server as closer, last ACK seen',
    steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'A', 1, 2], ['c', 'FA', 1, 2], ['s', 'A', 2, 2]],
    want: { class: 'graceful', detail: 'four-way', closer: 'server', evidence: [4, 5, 6, 7] }, lastAckSeen: true,
  },
  {
    name: 'four-way without the last ACK',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'FA', 1, 2]],
    want: { class: 'graceful', detail: 'four-way', closer: 'client', evidence: [4, 5, 6] }, lastAckSeen: false,
  },
  {
    name: 'simultaneous, the first FIN never ACKed: only the second FIN\'s ACK seen',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'FA', 1, 1], ['c', 'A', 2, 2]],
    want: { class: 'graceful', detail: 'simultaneous', closer: 'both', evidence: [4, 5, 6] }, lastAckSeen: false,
  },
  {
    name: 'half-close with the last ACK, closed by the server',
    steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'PA', 1, 2, 5], ['s', 'A', 2, 6], ['c', 'FA', 6, 2], ['s', 'A', 2, 7]],
    want: { class: 'half-close', closer: 'server', trailingBytes: 5, evidence: [4, 5, 7, 8] }, lastAckSeen: true,
  },
  {
    name: 'rst-after-close by the server, after its own FIN',
    steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'A', 1, 2], ['s', 'R', 2, 0]],
    want: { class: 'rst-after-close', detail: 'other', closer: 'server', resetBy: 'server', evidence: [4, 5, 6] },
  },
  {
    name: 'a RST before the FIN and one after it: rst-after-close, both RSTs cited in order',
    steps: [...HANDSHAKE, ['c', 'R', 1, 0], ['c', 'FA', 1, 1], ['c', 'R', 2, 0]],
    want: { class: 'rst-after-close', detail: 'other', closer: 'client', resetBy: 'client', evidence: [4, 5, 6] },
  },
  {
    name: 'abort in the handshake: SYN, SYN-ACK, then the client resets',
    steps: [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'R', 1, 0]],
    want: { class: 'abort', detail: 'handshake', closer: 'client', resetBy: 'client', evidence: [3] },
  },
  {
    name: 'not in the handshake once data was sent, though the handshake ACK was not seen',
    steps: [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['s', 'PA', 1, 1, 4], ['c', 'R', 1, 0]],
    want: { class: 'abort', detail: 'established' },
  },
  {
    name: 'not in the handshake without a SYN (a capture that starts mid-connection)',
    steps: [['c', 'A', 1, 1], ['s', 'R', 1, 0]],
    want: { class: 'abort', detail: 'established', closer: 'server', resetBy: 'server' },
  },
  {
    name: 'the peer\'s FIN after the RST does not make it peer-had-closed',
    steps: [...HANDSHAKE, ['s', 'R', 1, 0], ['c', 'FA', 1, 1]],
    want: { class: 'abort', detail: 'established', closer: 'client', resetBy: 'server', trailingBytes: 0, evidence: [4, 5] },
  },
  {
    name: 'peer-had-closed keeps the data sent after the peer\'s FIN as trailing bytes',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 2, 3], ['s', 'R', 4, 0]],
    want: { class: 'abort', detail: 'peer-had-closed', closer: 'client', resetBy: 'server', trailingBytes: 3, evidence: [4, 5, 6] },
  },
  {
    name: 'the RSTs of both sides, the earlier decides who aborted',
    steps: [...HANDSHAKE, ['s', 'R', 1, 0], ['c', 'R', 1, 0]],
    want: { class: 'abort', detail: 'established', closer: 'server', resetBy: 'both', evidence: [4, 5] },
  },
  {
    name: 'a RST before its sender\'s FIN is an abort, not rst-after-close; trailing data after that FIN is not counted',
    steps: [...HANDSHAKE, ['c', 'R', 1, 0], ['c', 'FA', 1, 1], ['s', 'PA', 1, 2, 3]],
    want: { class: 'abort', detail: 'established', closer: 'client', resetBy: 'client', trailingBytes: 0 }, lastAckSeen: false,
  },
  {
    name: 'rst-after-close names the first FIN\'s sender as closer, though the other side reset',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'FA', 1, 2], ['s', 'R', 2, 0]],
    want: { class: 'rst-after-close', closer: 'client', resetBy: 'server' },
  },
  {
    name: 'not in the handshake once the client sent data, though the handshake ACK was not seen',
    steps: [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'PA', 1, 7, 5], ['c', 'R', 6, 0]],
    want: { class: 'abort', detail: 'established' },
  },
  {
    name: 'refused: the evidence cites the SYN, not the connection\'s first packet',
    steps: [['c', 'A', 0, 0], ['c', 'S', 0, 0], ['s', 'RA', 0, 1]],
    want: { class: 'refused', evidence: [2, 3] }, lastAckSeen: false,
  },
  {
    name: 'the whole verdict of an open connection',
    steps: [...HANDSHAKE, ['c', 'PA', 1, 1, 5], ['s', 'A', 1, 6]],
    want: { class: 'open', detail: null, closer: null, resetBy: null, trailingBytes: 0, stuckFor: null, evidence: [] }, lastAckSeen: false,
  },
];

describe('verdict rules at their edges (docs/contract.md, "Classes")', () => {
  it.each(ROWS)('$name', ({ steps, want, lastAckSeen }) => {
    const t = only(steps).teardown;
    expect(t).toMatchObject(want);
    if (lastAckSeen !== undefined) expect(t.explain.facts.lastAckSeen).toBe(lastAckSeen);
  });

  it('stuckFor counts to the capture\'s end with its fraction, from the FIN\'s ACK', () => {
    const a = new Analyzer('t', { packets: false });
    const steps: Step[] = [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'A', 1, 2]];
    const nsec = [0, 0, 0, 100_000_000, 250_000_000, 500_000_000];
    steps.forEach((s, i) => {
      const seg = { ...segment(s, i + 1), tsSec: 100, tsNsec: nsec[i] as number };
      a.onSegment(seg, { sec: seg.tsSec + (i >= 4 ? 1 : 0), nsec: seg.tsNsec });
    });
    const t = a.finish({ format: 'pcap', linkTypes: [1] }, undefined).flows[0]?.teardown;
    // ACK at 101.25, the capture ends at 101.5.
    expect(t).toMatchObject({ class: 'stuck', detail: 'close-wait', stuckFor: 0.25 });
  });
});

describe('trackBases: each side\'s base sequence number as Wireshark keeps it (flow/reuse.ts)', () => {
  const store = new ConnectionStore();
  const slot = store.allocate();
  const base = (side: 0 | 1): number | undefined => (((store.sideFlags[slot * 2 + side] as number) & K.BASE_SET) !== 0 ? store.base[slot * 2 + side] : undefined);

  it('a SYN sets its sender\'s base to its ISN and nothing for the receiver; the SYN-ACK sets the server\'s', () => {
    trackBases(store, slot, segment(['c', 'S', 0, 0], 1), 0);
    expect([base(0), base(1)]).toEqual([1000, undefined]);
    trackBases(store, slot, segment(['s', 'SA', 0, 1], 2), 1);
    expect([base(0), base(1)]).toEqual([1000, 5000]);
  });

  it('a SYN-ACK with a new ISN restarts its sender\'s base; a plain ACK changes nothing', () => {
    trackBases(store, slot, segment(['s', 'SA', 700, 1], 3), 1);
    expect(base(1)).toBe(5700);
    trackBases(store, slot, segment(['c', 'A', 1, 701], 4), 0);
    expect([base(0), base(1)]).toEqual([1000, 5700]);
  });

  it('without a SYN: the sender\'s base is one before its first sequence number, the receiver\'s one before the ACK', () => {
    const s = new ConnectionStore();
    const at = s.allocate();
    trackBases(s, at, segment(['c', 'PA', 10, 20, 5], 1), 0);
    expect([s.base[at * 2], s.base[at * 2 + 1]]).toEqual([1009, 5019]);
    expect([s.sideFlags[at * 2], s.sideFlags[at * 2 + 1]]).toEqual([K.BASE_SET, K.BASE_SET]);
  });

  it('once set, a base stays: later data and ACKs from either side move neither (connection in slot 2)', () => {
    const s = new ConnectionStore();
    s.allocate();
    s.allocate();
    const at = s.allocate();
    const bases = (): Array<number | undefined> => [0, 1].map((side) => (((s.sideFlags[at * 2 + side] as number) & K.BASE_SET) !== 0 ? s.base[at * 2 + side] : undefined));
    trackBases(s, at, segment(['s', 'PA', 10, 20, 5], 1), 1);
    expect(bases()).toEqual([1019, 5009]);
    trackBases(s, at, segment(['c', 'PA', 300, 400, 5], 2), 0);
    trackBases(s, at, segment(['s', 'PA', 500, 600, 5], 3), 1);
    expect(bases()).toEqual([1019, 5009]);
    // The neighbouring connections' cells are untouched.
    expect([...s.sideFlags.subarray(0, at * 2)]).toEqual([0, 0, 0, 0]);
    // A pure SYN sets its sender's base only.
    const t = new ConnectionStore();
    t.allocate();
    const one = t.allocate();
    trackBases(t, one, segment(['s', 'S', 0, 0], 1), 1);
    expect([t.sideFlags[one * 2], t.sideFlags[one * 2 + 1], t.base[one * 2 + 1]]).toEqual([0, K.BASE_SET, 5000]);
  });

  it('a SYN-ACK with a new ISN restarts its sender\'s base once set; the same ISN keeps it (on its own store)', () => {
    const s = new ConnectionStore();
    const at = s.allocate();
    const serverBase = (): number | undefined => (((s.sideFlags[at * 2 + 1] as number) & K.BASE_SET) !== 0 ? s.base[at * 2 + 1] : undefined);
    trackBases(s, at, segment(['c', 'S', 0, 0], 1), 0);
    trackBases(s, at, segment(['s', 'SA', 0, 1], 2), 1);
    expect(serverBase()).toBe(5000);
    trackBases(s, at, segment(['s', 'SA', 0, 1], 3), 1);
    expect(serverBase()).toBe(5000);
    trackBases(s, at, segment(['s', 'SA', 300, 1], 4), 1);
    expect(serverBase()).toBe(5300);
  });

  it('isNewIsn: only a pure SYN whose ISN differs from a base its sender has', () => {
    const syn = segment(['c', 'S', 0, 0], 1);
    expect(isNewIsn(undefined, syn)).toBe(false);
    expect(isNewIsn(1000, syn)).toBe(false);
    expect(isNewIsn(999, syn)).toBe(true);
    expect(isNewIsn(999, { ...syn, flags: TcpFlag.SYN | 0x10 })).toBe(false);
  });
});
