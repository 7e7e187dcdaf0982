import { describe, expect, it } from 'vitest';
import type { FlowReport } from '../../src/analysis/report.js';
import type { Step } from './segments.js';
import { HANDSHAKE, analyzeSteps, segment } from './segments.js';
import { Analyzer } from '../../src/analysis/analyze.js';
import { STUCK_UNSURE_BELOW, stuckUnsure } from '../../src/analysis/explain-facts.js';
import { newVerdict } from '../../src/analysis/teardown.js';
import type { Verdict } from '../../src/analysis/teardown.js';

/**
 * The facts a verdict's explanation names (analysis/explain-facts.ts), class by class: which side
 * closed, the FINs and their ACKs, the RST the text cites, the data packets and byte count, the
 * port, how long a close was stuck and whether that is too short to tell.
 */
const ROWS: Array<{ name: string; steps: Step[]; facts: Record<string, unknown>; unsure?: boolean }> = [
  {
    name: 'refused: the RST that answered the SYN, and the port',
    steps: [['c', 'S', 0, 0], ['s', 'RA', 0, 1]],
    facts: { closer: 'server', other: 'client', port: 80, rst: 2, fin: undefined, data: [], bytes: 0 },
  },
  {
    name: 'rst-after-close: the data that reached the closed socket and its bytes, the closer\'s RST after its FIN',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'PA', 1, 2, 3], ['s', 'PA', 4, 2, 2], ['c', 'R', 2, 0]],
    facts: { closer: 'client', other: 'server', fin: 4, finAck: 5, peerFin: undefined, rst: 8, data: [6, 7], bytes: 5 },
  },
  {
    name: 'rst-after-close: data sent before the FIN arrived counts for it (not trailing data)',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 1, 3], ['c', 'R', 2, 0]],
    facts: { closer: 'client', fin: 4, rst: 6, data: [5], bytes: 3 },
  },
  {
    name: 'rst-after-close where the closer also reset before its FIN: the RST after the FIN is cited',
    steps: [...HANDSHAKE, ['c', 'R', 1, 0], ['c', 'FA', 1, 1], ['c', 'R', 2, 0]],
    facts: { closer: 'client', fin: 5, rst: 6, data: [], bytes: 0 },
  },
  {
    name: 'abort: the first RST of either side',
    steps: [...HANDSHAKE, ['s', 'R', 1, 0], ['c', 'R', 1, 0]],
    facts: { closer: 'server', other: 'client', rst: 4, fin: undefined },
  },
  {
    name: 'abort peer-had-closed: the closer\'s FIN, the other\'s RST',
    steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'A', 1, 2], ['c', 'R', 1, 0]],
    facts: { closer: 'server', other: 'client', fin: 4, finAck: 5, rst: 6 },
  },
  {
    name: 'half-close: the trailing data and its bytes, both FINs and their ACKs',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'PA', 1, 2, 3], ['c', 'A', 2, 4], ['s', 'FA', 4, 2], ['c', 'A', 2, 5]],
    facts: { closer: 'client', other: 'server', fin: 4, finAck: 5, peerFin: 8, peerFinAck: 9, rst: undefined, data: [6], bytes: 3, lastAckSeen: true },
  },
  {
    name: 'half-close: only the data sent after the FIN arrived is trailing, not what crossed it',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 1, 2], ['c', 'A', 2, 3], ['s', 'PA', 3, 2, 3], ['s', 'FA', 6, 2], ['c', 'A', 2, 7]],
    facts: { closer: 'client', fin: 4, peerFin: 8, data: [7], bytes: 3 },
  },
  {
    name: 'graceful without a RST: no RST named, no data',
    steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'FA', 1, 2], ['s', 'A', 2, 2]],
    facts: { closer: 'server', other: 'client', fin: 4, finAck: 5, peerFin: 5, peerFinAck: 6, rst: undefined, data: [], bytes: 0, lastAckSeen: true }, unsure: false,
  },
  {
    name: 'stuck close-wait for 2 s: sure',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'A', 1, 2], ['s', 'A', 1, 2]],
    facts: { closer: 'client', fin: 4, finAck: 5, stuckFor: 2 }, unsure: false,
  },
];

describe('explanation facts (docs/contract.md, "Explanations")', () => {
  it('a close stuck for less than a second is too short to tell', () => {
    const a = new Analyzer('t', { packets: false });
    const steps: Step[] = [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'A', 1, 2]];
    steps.forEach((step, i) => a.onSegment({ ...segment(step, i + 1), tsSec: 100, tsNsec: i * 100_000_000 }, { sec: 100, nsec: i * 100_000_000 }));
    const t = (a.finish({ format: 'pcap', linkTypes: [1] }, undefined).flows[0] as FlowReport).teardown;
    expect(t).toMatchObject({ class: 'stuck', detail: 'close-wait', stuckFor: 0.1 });
    expect(t.explain.unsure).toBe(true);
  });

  it.each(ROWS)('$name', ({ steps, facts, unsure }) => {
    const r = analyzeSteps(steps);
    const t = (r.flows[0] as FlowReport).teardown;
    expect(t.explain.facts).toMatchObject(facts);
    if (unsure !== undefined) expect(t.explain.unsure).toBe(unsure);
  });
});

describe('stuckUnsure: a stuck close seen for less than a second', () => {
  const verdict = (cls: Verdict['class'], stuckFor: number | null): Verdict => ({ ...newVerdict(), class: cls, stuckFor });
  it('below 1 s unsure, from exactly 1 s on sure; only for stuck verdicts', () => {
    expect(STUCK_UNSURE_BELOW).toBe(1);
    expect(stuckUnsure(verdict('stuck', 0.999999))).toBe(true);
    expect(stuckUnsure(verdict('stuck', 1))).toBe(false);
    expect(stuckUnsure(verdict('stuck', 0))).toBe(true);
    expect(stuckUnsure(verdict('graceful', 0.5))).toBe(false);
    expect(stuckUnsure(verdict('open', null))).toBe(false);
  });
});
