import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { TEARDOWN_CLASSES, type TeardownClass, type TeardownDetail } from '../../src/analysis/verdict-keys.js';
import { TcpFlag, type TcpSegment } from '../../src/decode/segment.js';
import { TCP_STATES, type TcpState } from '../../src/tcp/states.js';

/** docs/contract.md, "Classes": the details each class may carry. */
const DETAILS: Record<TeardownClass, ReadonlyArray<TeardownDetail | null>> = {
  refused: [null],
  unanswered: [null],
  'rst-after-close': ['data-after-close', 'other'],
  abort: ['peer-had-closed', 'established', 'handshake'],
  'half-close': [null],
  graceful: ['four-way', 'three-way', 'simultaneous'],
  stuck: ['close-wait', 'fin-wait-1'],
  open: [null],
};
const STATES: readonly string[] = TCP_STATES;
const WHO = ['client', 'server', 'both', null];

/**
 * One packet: who sends it, its flags (any mix of SYN FIN RST ACK PSH), sequence and acknowledgement
 * numbers near the two ISNs, a payload length, the time since the previous packet (gaps past the
 * 60 s linger and the 1 h idle limit release connections) and which of two client ports it uses
 * (port reuse and two connections interleaved).
 */
const step = fc.record({
  fromClient: fc.boolean(),
  flags: fc.subarray([TcpFlag.SYN, TcpFlag.FIN, TcpFlag.RST, TcpFlag.ACK, TcpFlag.PSH]).map((fs) => fs.reduce((a, f) => a | f, 0)),
  seqOffset: fc.oneof(fc.integer({ min: -3, max: 40 }), fc.integer({ min: -70000, max: 70000 })),
  ackOffset: fc.oneof(fc.integer({ min: -3, max: 40 }), fc.integer({ min: -70000, max: 70000 })),
  len: fc.constantFrom(0, 0, 0, 1, 3, 1448),
  gapMs: fc.constantFrom(0, 1, 200, 1000, 61_000, 3_700_000),
  port: fc.constantFrom(40000, 40000, 40000, 40001),
});
/** ISNs anywhere, and often just below the wrap. */
const isn = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0xffffffe0, max: 0xffffffff }));

describe('the endpoint state machine, given any sequence of segments (docs/contract.md, "Endpoint states", "Classes")', () => {
  it('never throws, only yields RFC 9293 states, and gives every connection exactly one class of docs/contract.md', () => {
    fc.assert(fc.property(isn, isn, fc.array(step, { minLength: 1, maxLength: 40 }), (clientIsn, serverIsn, steps) => {
      const a = new Analyzer('prop', { packets: true });
      let ms = 0;
      steps.forEach((s, i) => {
        ms += s.gapMs;
        const [mine, theirs] = s.fromClient ? [clientIsn, serverIsn] : [serverIsn, clientIsn];
        const seg: TcpSegment = {
          no: i + 1, tsSec: 1_700_000_000 + Math.floor(ms / 1000), tsNsec: (ms % 1000) * 1_000_000, ipVersion: 4,
          src: s.fromClient ? '10.0.0.1' : '10.0.0.2', dst: s.fromClient ? '10.0.0.2' : '10.0.0.1',
          srcPort: s.fromClient ? s.port : 80, dstPort: s.fromClient ? 80 : s.port,
          seq: (mine + s.seqOffset) >>> 0, ack: s.flags & TcpFlag.ACK ? (theirs + s.ackOffset) >>> 0 : 0,
          flags: s.flags, window: 512, urgent: 0, payloadLen: s.len, options: [],
        };
        a.onSegment(seg, { sec: seg.tsSec, nsec: seg.tsNsec });
      });
      const report = a.finish({ format: 'pcap', linkTypes: [1] }, undefined);

      const seen: number[] = [];
      for (const f of report.flows) {
        expect(TEARDOWN_CLASSES).toContain(f.teardown.class);
        expect(DETAILS[f.teardown.class]).toContain(f.teardown.detail);
        expect(WHO).toContain(f.teardown.closer);
        expect(WHO).toContain(f.teardown.resetBy);
        expect(STATES).toContain(f.finalState.client);
        expect(STATES).toContain(f.finalState.server);
        for (const r of f.rows ?? []) {
          expect(STATES).toContain(r.client satisfies TcpState);
          expect(STATES).toContain(r.server satisfies TcpState);
          seen.push(r.no);
        }
      }
      // Every packet belongs to exactly one connection, and every connection is counted once.
      expect(seen.sort((x, y) => x - y)).toEqual(steps.map((_, i) => i + 1));
      expect(new Set(report.flows.map((f) => f.id)).size).toBe(report.flows.length);
      expect(Object.values(report.summary.byClass).reduce((n, k) => n + (k ?? 0), 0)).toBe(report.flows.length);
    }), { numRuns: 2000 });
  });
});
