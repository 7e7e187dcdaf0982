import { expect } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import type { FlowReport } from '../../src/analysis/report.js';
import { HANDSHAKE, segment } from './segments.js';
import type { Step } from './segments.js';

/**
 * Connections written step by step for the cause tests (cause-rules.test.ts, cause-conditions.test.ts):
 * a step may set its time (seconds from the start), its TTL and its window. Run inside each test (a
 * mutation run counts code run at import as reached by every test).
 */
export type Timed = [...step: Step, more?: { at?: number; ttl?: number; win?: number }];

export function run(steps: Timed[]): FlowReport[] {
  const a = new Analyzer('causes', { packets: false });
  let t = 0;
  steps.forEach((s, i) => {
    const [from, flags, seq, ack, len, more] = s as [Step[0], Step[1], Step[2], Step[3], number | undefined, Timed[5]];
    const seg = segment([from, flags, seq, ack, len ?? 0], i + 1);
    t = more?.at ?? t + 0.001;
    seg.tsSec = 1_700_000_000 + Math.floor(t);
    seg.tsNsec = Math.round((t % 1) * 1e9);
    seg.ttl = more?.ttl ?? (from === 'c' ? 64 : 63);
    seg.window = more?.win ?? 512;
    a.onSegment(seg, { sec: seg.tsSec, nsec: seg.tsNsec });
  });
  return a.finish({ format: 'pcap', linkTypes: [1] }, undefined).flows;
}

/** Each flow's causes as `id:side`. */
export const causesOf = (steps: Timed[]): string[] => run(steps).flatMap((f) => f.teardown.causes.map((c) => `${c.id}:${c.side}`));

/** The one flow of `steps`. */
export const only = (steps: Timed[]): FlowReport => {
  const flows = run(steps);
  expect(flows).toHaveLength(1);
  return flows[0] as FlowReport;
};

/** Handshake, a request and its reply: packets 1–6, ending at 0.006 s. */
export const TALK: Timed[] = [...HANDSHAKE, ['c', 'PA', 1, 1, 10], ['s', 'PA', 1, 11, 20], ['c', 'A', 11, 21]];
