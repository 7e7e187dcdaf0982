import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { Step } from './segments.js';
import { HANDSHAKE, analyzeSteps, segment } from './segments.js';
import type { FlowReport } from '../../src/analysis/report.js';

/**
 * The notes tracking adds to each packet row (analysis/track.ts; their words: render/notes.ts), row
 * by row, with their parameters: which side, how many bytes. Each case is a short script
 * (segments.ts: client ISN 1000, server ISN 5000, numbers relative); a row is written as its notes,
 * `id side bytes`, joined by `; `.
 */
function notes(steps: Step[]): string[] {
  const a = new Analyzer('n', { packets: true });
  steps.forEach((s, i) => {
    const seg = segment(s, i + 1);
    a.onSegment(seg, { sec: seg.tsSec, nsec: 0 });
  });
  const flows = a.finish({ format: 'pcap', linkTypes: [1] }, undefined).flows;
  expect(flows).toHaveLength(1);
  return (flows[0]?.rows ?? []).map((r) => r.notes.map((n) => [n.id, n.params.side, n.params.bytes].filter((x) => x !== undefined).join(' ')).join('; '));
}

const CASES: Array<{ name: string; steps: Step[]; want: string[] }> = [
  {
    name: 'handshake and a four-way close: each FIN and its ACK, by side',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'A', 1, 2], ['s', 'FA', 1, 2], ['c', 'A', 2, 2]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', 'fin client', 'fin-ack client', 'fin server', 'fin-ack server'],
  },
  {
    name: 'a retransmitted SYN and FIN',
    steps: [['c', 'S', 0, 0], ['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'A', 1, 1], ['s', 'FA', 1, 1], ['s', 'FA', 1, 1]],
    want: ['syn client', 'syn-retransmitted client', 'syn-ack server', 'handshake-ack', 'fin server', 'fin-retransmitted server'],
  },
  {
    name: 'the handshake ACK carrying data, or a FIN, is not noted as the handshake ACK',
    steps: [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'PA', 1, 1, 5]],
    want: ['syn client', 'syn-ack server', ''],
  },
  {
    name: 'the handshake ACK with a FIN',
    steps: [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'FA', 1, 1]],
    want: ['syn client', 'syn-ack server', 'fin client'],
  },
  {
    name: 'an ACK from the server or of another number does not complete the handshake',
    steps: [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['s', 'A', 1, 1], ['c', 'A', 1, 7], ['c', 'A', 1, 1]],
    want: ['syn client', 'syn-ack server', '', '', 'handshake-ack'],
  },
  {
    name: 'half-close: data after the FIN that acknowledges it is trailing data; the closer\'s ACK of it is noted',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 2, 7], ['c', 'A', 2, 8], ['c', 'A', 2, 8], ['s', 'FA', 8, 2], ['c', 'A', 2, 9]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', 'fin client', 'fin-ack client; trailing-data client 7', 'trailing-ack', '', 'fin server', 'fin-ack server'],
  },
  {
    name: 'a retransmission of trailing data is noted again, bytes and all; the ACK of part of it is not the trailing ACK',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 2, 7], ['s', 'PA', 1, 2, 7], ['c', 'A', 2, 5], ['c', 'A', 2, 8]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', 'fin client', 'fin-ack client; trailing-data client 7', 'trailing-data client 7', '', 'trailing-ack'],
  },
  {
    name: 'data after the FIN that does not acknowledge it: data after FIN',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 1, 4]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', 'fin client', 'data-after-fin client 4'],
  },
  {
    name: 'refused: the server\'s RST to the SYN',
    steps: [['c', 'S', 0, 0], ['s', 'RA', 0, 1]],
    want: ['syn client', 'rst-refused server'],
  },
  {
    name: 'not refused once the server answered, or for a second RST',
    steps: [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['s', 'R', 1, 0], ['s', 'R', 1, 0]],
    want: ['syn client', 'syn-ack server', 'rst-abort server', 'rst-abort server'],
  },
  {
    name: 'not refused when the client sent the RST, or after the client\'s FIN',
    steps: [['c', 'S', 0, 0], ['c', 'FA', 1, 0], ['s', 'R', 0, 0], ['c', 'R', 2, 0]],
    want: ['syn client', 'fin client', 'rst-abort server', 'rst-after-fin client'],
  },
  {
    name: 'a RST after its own FIN, the peer having sent data after it: closed socket',
    steps: [...HANDSHAKE, ['c', 'FA', 1, 1], ['s', 'PA', 1, 1, 4], ['c', 'R', 2, 0]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', 'fin client', 'data-after-fin client 4', 'rst-closed-socket client'],
  },
  {
    name: 'a RST after its own FIN, no data from the peer: RST after FIN',
    steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['s', 'R', 2, 0]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', 'fin server', 'rst-after-fin server'],
  },
  {
    name: 'a RST with ACK is noted once, as a RST, not as an ACK',
    steps: [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'RA', 1, 2]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', 'fin server', 'rst-abort client'],
  },
  {
    name: 'a second ACK of the SYN-ACK is not the handshake ACK again',
    steps: [...HANDSHAKE, ['c', 'A', 1, 1]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', ''],
  },
  {
    name: 'the closer\'s data segment that acknowledges trailing data is not the trailing ACK',
    steps: [...HANDSHAKE, ['c', 'PA', 1, 1, 5], ['c', 'FA', 6, 1], ['s', 'PA', 1, 7, 3], ['c', 'PA', 1, 4, 5]],
    want: ['syn client', 'syn-ack server', 'handshake-ack', '', 'fin client', 'fin-ack client; trailing-data client 3', ''],
  },
  {
    // The second RST's sequence number (0) is below what the client last acknowledged (1): its receiver cannot accept it (RFC 5961).
    name: 'a server RST before the SYN (the capture starting mid-connection), then the SYN and another RST: not a refusal',
    steps: [['c', 'A', 1, 1], ['s', 'R', 1, 0], ['c', 'S', 0, 0], ['s', 'R', 0, 0]],
    want: ['', 'rst-abort server', 'syn client', 'rst-unacknowledged-syn server'],
  },
  {
    name: 'a bare RST racing the SYN-ACK: the client in SYN-SENT drops it (RFC 9293 §3.10.7.3), the handshake completes',
    steps: [['c', 'S', 0, 0], ['s', 'R', 77, 0], ...HANDSHAKE.slice(1)],
    want: ['syn client', 'rst-unacknowledged-syn server', 'syn-ack server', 'handshake-ack'],
  },
  {
    name: 'a split handshake: the server answers the SYN with a SYN, the client with a SYN-ACK, the server ACKs',
    steps: [['c', 'S', 0, 0], ['s', 'S', 0, 0], ['c', 'SA', 0, 1], ['s', 'A', 1, 1]],
    want: ['syn client', 'syn server', 'syn-ack client', 'handshake-ack'],
  },
];

describe('row notes (analysis/track.ts)', () => {
  it.each(CASES)('$name', ({ steps, want }) => {
    expect(notes(steps)).toEqual(want);
  });
});

/** The one connection of a script, as a report. */
function flowOf(steps: Step[]): FlowReport {
  const r = analyzeSteps(steps);
  expect(r.flows).toHaveLength(1);
  return r.flows[0] as FlowReport;
}

describe('the facts tracking keeps (analysis/track.ts)', () => {
  it('an acknowledgment number without the ACK flag acknowledges nothing', () => {
    const a = new Analyzer('n', { packets: true });
    const steps: Step[] = [...HANDSHAKE, ['s', 'FA', 1, 1], ['c', 'F', 1, 0], ['c', 'P', 1, 0, 4]];
    steps.forEach((s, i) => {
      const seg = segment(s, i + 1);
      // The ACK field as a stack may leave it when the flag is off: covering the server's FIN.
      const ack = s[1].includes('A') ? seg.ack : 5002;
      a.onSegment({ ...seg, ack }, { sec: seg.tsSec, nsec: 0 });
    });
    const f = a.finish({ format: 'pcap', linkTypes: [1] }, undefined).flows[0];
    expect(f?.rows?.map((r) => r.notes.map((n) => n.id).join('; '))).toEqual(['syn', 'syn-ack', 'handshake-ack', 'fin', 'fin', 'data-after-fin']);
    expect(f?.teardown.trailingBytes).toBe(0);
  });

  it('without rows no note is built, whatever the packets (nothing to put them in)', () => {
    const a = new Analyzer('n', { packets: false });
    const steps: Step[] = [
      ['c', 'S', 0, 0], ['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'A', 1, 1], ['c', 'FA', 1, 1], ['c', 'FA', 1, 1],
      ['s', 'PA', 1, 2, 3], ['c', 'A', 2, 4], ['s', 'PA', 4, 1, 2], ['s', 'FA', 6, 2], ['c', 'A', 2, 7], ['c', 'R', 2, 0],
    ];
    steps.forEach((s, i) => {
      const seg = segment(s, i + 1);
      a.onSegment(seg, { sec: seg.tsSec, nsec: 0 });
    });
    // The client's RST comes after both FINs were acknowledged: it ends nothing (docs/contract.md, "Causes").
    expect(a.finish({ format: 'pcap', linkTypes: [1] }, undefined).flows.map((f) => f.teardown.class)).toEqual(['half-close']);
  });

  it('payload bytes are counted once: retransmissions and overlaps add only what is new', () => {
    const f = flowOf([...HANDSHAKE, ['c', 'PA', 1, 1, 10], ['c', 'PA', 11, 1, 10], ['c', 'PA', 11, 1, 10], ['c', 'PA', 1, 1, 5], ['c', 'PA', 16, 1, 10], ['s', 'PA', 1, 26, 3]]);
    expect(f.bytes).toEqual({ client: 25, server: 3 });
  });

  it('evidence lists keep the first eight packets', () => {
    const rsts: Step[] = Array.from({ length: 10 }, () => ['c', 'R', 1, 0] as Step);
    const f = flowOf([...HANDSHAKE, ...rsts]);
    expect(f.teardown.evidence).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('trailing data: its bytes once, its packets once, a retransmission adding neither', () => {
    const f = flowOf([...HANDSHAKE, ['s', 'PA', 1, 1, 2], ['c', 'FA', 1, 3], ['s', 'PA', 3, 2, 7], ['s', 'PA', 3, 2, 7], ['s', 'PA', 10, 2, 1], ['c', 'A', 2, 11], ['s', 'FA', 11, 2], ['c', 'A', 2, 12]]);
    expect(f.teardown).toMatchObject({ class: 'half-close', closer: 'client', trailingBytes: 8 });
    expect(f.teardown.explain.facts.data).toEqual([6, 8]);
  });

  it('data before the peer\'s FIN is not data after it', () => {
    const f = flowOf([...HANDSHAKE, ['s', 'PA', 1, 1, 2], ['c', 'FA', 1, 3], ['c', 'R', 2, 0]]);
    expect(f.teardown).toMatchObject({ class: 'rst-after-close', detail: 'other' });
  });

  it('a retransmitted SYN keeps the first SYN\'s number (a refusal cites it)', () => {
    const f = flowOf([['c', 'S', 0, 0], ['c', 'S', 0, 0], ['s', 'RA', 0, 1]]);
    expect(f.teardown).toMatchObject({ class: 'refused', evidence: [1, 3] });
  });
});
