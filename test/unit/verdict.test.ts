import { describe, expect, it } from 'vitest';
import type { Step } from './segments.js';
import { HANDSHAKE, analyzeSteps } from './segments.js';
import { explanationOf } from '../../src/render/explanations/string.js';
import type { FlowReport } from '../../src/analysis/report.js';

/** docs/contract.md, "Classes": one row per class and detail: the packets, then what the verdict must say. */
const CASES: Array<{ name: string; steps: Step[]; want: Record<string, unknown> }> = [
  {
    name: 'four-way: the client FIN is ACKed alone, the server closes later',
    steps: [...HANDSHAKE, ['c', 'PA', 1, 1, 4], ['s', 'A', 1, 5], ['c', 'FA', 5, 1], ['s', 'A', 1, 6], ['s', 'FA', 1, 6], ['c', 'A', 6, 2]],
    want: { class: 'graceful', detail: 'four-way', closer: 'client', resetBy: null, trailingBytes: 0, evidence: [6, 7, 8, 9] },
  },
  {
    name: 'three-way: the server FIN carries the first ACK of the client FIN',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'FA', 1, 2], ['c', 'A', 2, 2]],
    want: { class: 'graceful', detail: 'three-way', closer: 'client', evidence: [4, 5, 6] },
  },
  {
    name: 'simultaneous: neither FIN acknowledges the other',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'FA', 1, 1], ['c', 'A', 2, 2], ['s', 'A', 2, 2]],
    want: { class: 'graceful', detail: 'simultaneous', closer: 'both' },
  },
  {
    name: 'half-close: 3 bytes after the client FIN arrived (course example, shutdown(SHUT_WR))',
    steps: [...HANDSHAKE, ['c', 'PA', 1, 1, 4], ['s', 'PA', 1, 5, 19], ['c', 'FA', 5, 20], ['s', 'A', 20, 6], ['s', 'PA', 20, 6, 3], ['c', 'A', 6, 23], ['s', 'FA', 23, 6], ['c', 'A', 6, 24]],
    want: { class: 'half-close', detail: null, closer: 'client', trailingBytes: 3, evidence: [6, 7, 8, 10, 11] },
  },
  {
    name: 'half-close: a retransmitted trailing segment counts once',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 2, 3], ['s', 'PA', 1, 2, 3], ['c', 'A', 2, 4], ['s', 'FA', 4, 2], ['c', 'A', 2, 5]],
    want: { class: 'half-close', trailingBytes: 3 },
  },
  {
    name: 'rst-after-close: the reply reached a closed socket (course example, close())',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'PA', 1, 2, 3], ['c', 'R', 2, 0]],
    want: { class: 'rst-after-close', detail: 'data-after-close', closer: 'client', resetBy: 'client', trailingBytes: 3, evidence: [4, 5, 6, 7] },
  },
  {
    name: 'rst-after-close other: FIN, then RST with no data in between',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['c', 'RA', 2, 1]],
    want: { class: 'rst-after-close', detail: 'other', closer: 'client', resetBy: 'client' },
  },
  {
    name: 'abort established: RST with no FIN (SO_LINGER 0, unread data)',
    steps: [...HANDSHAKE, ['c', 'PA', 1, 1, 10], ['s', 'RA', 1, 11]],
    want: { class: 'abort', detail: 'established', closer: 'server', resetBy: 'server', evidence: [5] },
  },
  {
    name: 'abort peer-had-closed: the server FIN, then a client RST',
    steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'A', 1, 2], ['c', 'RA', 1, 2]],
    want: { class: 'abort', detail: 'peer-had-closed', closer: 'server', resetBy: 'client' },
  },
  {
    name: 'abort handshake: RST before the handshake completed',
    steps: [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'R', 1, 0]],
    want: { class: 'abort', detail: 'handshake', closer: 'client', resetBy: 'client' },
  },
  {
    name: 'refused: the SYN answered by RST',
    steps: [['c', 'S', 0, 0], ['s', 'RA', 0, 1]],
    want: { class: 'refused', detail: null, closer: 'server', resetBy: 'server', evidence: [1, 2] },
  },
  {
    name: 'stuck close-wait: the FIN ACKed, the server never closes',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'A', 1, 2], ['s', 'A', 1, 2]],
    want: { class: 'stuck', detail: 'close-wait', closer: 'client', stuckFor: 2 },
  },
  {
    name: 'stuck fin-wait-1: the FIN never ACKed, retransmitted',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['c', 'FA', 1, 1]],
    want: { class: 'stuck', detail: 'fin-wait-1', closer: 'client', stuckFor: 1 },
  },
  {
    name: 'open: no FIN, no RST',
    steps: [...HANDSHAKE, ['c', 'PA', 1, 1, 5], ['s', 'A', 1, 6]],
    want: { class: 'open', detail: null, closer: null, resetBy: null, stuckFor: null },
  },
];

describe('teardown verdicts (docs/contract.md, "Classes")', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const r = analyzeSteps(c.steps);
      expect(r.flows).toHaveLength(1);
      expect(r.flows[0]?.teardown).toMatchObject(c.want);
      expect(explanationOf((r.flows[0] as FlowReport).teardown.explain, 'en')).toMatch(/\w+.*\./);
    });
  }
});

describe('endpoint states after each packet (docs/contract.md, "Endpoint states")', () => {
  const states = (steps: Step[]): string[] => (analyzeSteps(steps).flows[0]?.rows ?? []).map((r) => `${r.client} ${r.server}`);

  it('four-way close', () => {
    expect(states([...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'FA', 1, 2], ['c', 'A', 2, 2]])).toEqual([
      'SYN_SENT LISTEN', 'SYN_SENT SYN_RECEIVED', 'ESTABLISHED ESTABLISHED',
      'FIN_WAIT_1 ESTABLISHED', 'FIN_WAIT_2 CLOSE_WAIT', 'FIN_WAIT_2 LAST_ACK', 'TIME_WAIT CLOSED',
    ]);
  });

  it('three-way close with a retransmitted FIN that does not move a state twice', () => {
    expect(states([...HANDSHAKE, ['c', 'FA', 1, 1], ['c', 'FA', 1, 1], ['s', 'FA', 1, 2], ['c', 'A', 2, 2]]).slice(3)).toEqual([
      'FIN_WAIT_1 ESTABLISHED', 'FIN_WAIT_1 ESTABLISHED', 'FIN_WAIT_2 LAST_ACK', 'TIME_WAIT CLOSED',
    ]);
  });

  it('simultaneous close goes through CLOSING on both sides to TIME_WAIT', () => {
    expect(states([...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'FA', 1, 1], ['c', 'A', 2, 2], ['s', 'A', 2, 2]]).slice(3)).toEqual([
      'FIN_WAIT_1 ESTABLISHED', 'FIN_WAIT_1 FIN_WAIT_1', 'CLOSING FIN_WAIT_2', 'TIME_WAIT TIME_WAIT',
    ]);
  });

  it('a RST closes both sides', () => {
    expect(states([...HANDSHAKE, ['c', 'R', 1, 0]]).at(-1)).toBe('CLOSED CLOSED');
  });

  it('a capture that starts mid-connection starts ESTABLISHED', () => {
    expect(states([['c', 'PA', 1, 1, 5], ['s', 'FA', 1, 6]])).toEqual(['ESTABLISHED ESTABLISHED', 'ESTABLISHED FIN_WAIT_1']);
  });
});

describe('connections (docs/contract.md, "Connections")', () => {
  it('a new SYN after a close starts a new connection on the same 4-tuple', () => {
    const r = analyzeSteps([...HANDSHAKE, ['c', 'R', 1, 0], ['c', 'S', 100000, 0], ['s', 'SA', 0, 100001]]);
    expect(r.flows.map((f) => [f.id, f.firstPacket, f.teardown.class])).toEqual([[1, 1, 'abort'], [2, 5, 'open']]);
  });

  it('a retransmitted SYN stays in its connection', () => {
    const r = analyzeSteps([['c', 'S', 0, 0], ['s', 'RA', 0, 1], ['c', 'S', 0, 0], ['s', 'RA', 0, 1]]);
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]?.teardown.class).toBe('refused');
  });

  it('the side that sent the SYN-ACK is the server even when the SYN was not captured', () => {
    const r = analyzeSteps([['s', 'SA', 0, 1], ['c', 'A', 1, 1]]);
    expect(r.flows[0]?.client).toEqual({ ip: '10.0.0.1', port: 40000 });
    expect(r.flows[0]?.handshake).toBe('partial');
  });
});
