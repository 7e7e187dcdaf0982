import type { TcpSegment } from '../../src/decode/segment.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { Report } from '../../src/analysis/report.js';

/**
 * A tiny script language for connections in tests: each step is
 * `[from, flags, relSeq, relAck, len]` with from 'c' (client 10.0.0.1:40000) or 's' (server 10.0.0.2:80),
 * flags a string of S F R P A, numbers relative to ISNs 1000 (client) and 5000 (server).
 */
export type Step = [from: 'c' | 's', flags: string, seq: number, ack: number, len?: number];

const ISN = { c: 1000, s: 5000 };
const FLAG: Record<string, number> = { S: TcpFlag.SYN, F: TcpFlag.FIN, R: TcpFlag.RST, P: TcpFlag.PSH, A: TcpFlag.ACK };

export function segment(step: Step, no: number): TcpSegment {
  const [from, flags, seq, ack, len = 0] = step;
  const other = from === 'c' ? 's' : 'c';
  let bits = 0;
  for (const ch of flags) bits |= FLAG[ch] ?? 0;
  return {
    no, tsSec: 1_700_000_000 + no, tsNsec: 0, ipVersion: 4,
    src: from === 'c' ? '10.0.0.1' : '10.0.0.2', dst: from === 'c' ? '10.0.0.2' : '10.0.0.1',
    srcPort: from === 'c' ? 40000 : 80, dstPort: from === 'c' ? 80 : 40000,
    seq: (ISN[from] + seq) >>> 0, ack: bits & TcpFlag.ACK ? (ISN[other] + ack) >>> 0 : 0,
    flags: bits, window: 512, urgent: 0, payloadLen: len, options: [],
  };
}

/** Runs steps through the analyzer; the capture ends `tail` seconds after the last step. */
export function analyzeSteps(steps: Step[]): Report {
  const a = new Analyzer('test', { packets: true });
  steps.forEach((s, i) => {
    const seg = segment(s, i + 1);
    a.onSegment(seg, { sec: seg.tsSec, nsec: 0 });
  });
  return a.finish({ format: 'pcap', linkTypes: [1] }, undefined);
}

/** The usual handshake, client ISN 1000, server ISN 5000. */
export const HANDSHAKE: Step[] = [['c', 'S', 0, 0], ['s', 'SA', 0, 1], ['c', 'A', 1, 1]];
