import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FlowReport } from '../../src/analysis/report.js';
import type { PacketRow } from '../../src/flow/connection.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { FOLD_MIN, ladderLines, ladderSteps } from '../../src/render/ladder.js';
import { analyzeInProcess } from '../golden/run-analyze.js';
import { runCli } from '../golden/run-cli.js';
import { FIXTURES, golden, loadFixture } from '../report/load.js';
import { VERDICT_KEYS } from '../../src/analysis/verdict-keys.js';
import { newFacts } from '../../src/analysis/explain-facts.js';

/**
 * `analyze --ladder` end to end (in this process: run-analyze.ts), against fixtures/NAME.ladder.txt.
 * Regenerate: `npm run golden:update`; review the diff.
 */
const LADDER_FIXTURES = ['course-close-then-data', 'course-half-close', 'graceful-four-way', 'handbuilt-simultaneous-close', 'refused', 'abort-linger0'];

describe('analyze --ladder: golden files', () => {
  for (const name of LADDER_FIXTURES) {
    it(name, async () => {
      const r = await analyzeInProcess(`fixtures/${name}.pcap`, { ladder: true });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      golden(join(FIXTURES, `${name}.ladder.txt`), r.stdout);
    });
  }
  for (const name of ['course-close-then-data', 'course-half-close']) {
    it(`${name} in Chinese`, async () => {
      const r = await analyzeInProcess(`fixtures/${name}.pcap`, { ladder: true, lang: 'zh' });
      expect([r.code, r.stderr]).toEqual([0, '']);
      golden(join(FIXTURES, `${name}.zh.ladder.txt`), r.stdout);
    });
  }
});

const textOpts = { color: false, lang: 'en' as const, time: 'relative' as const, origin: { sec: 0, nsec: 0 }, digits: 6 as const };

/** A connection made of the given rows (the rest of the report does not matter to the ladder). */
function flowOf(rows: PacketRow[]): FlowReport {
  return {
    id: 1, client: { ip: '10.0.0.1', port: 40000 }, server: { ip: '10.0.0.2', port: 80 }, handshake: 'complete',
    firstPacket: 1, lastPacket: rows.length, startTime: 0, endTime: 1, bytes: { client: 0, server: 0 }, history: '',
    teardown: { class: 'open', detail: null, closer: null, resetBy: null, trailingBytes: 0, stuckFor: null, evidence: [], causes: [], explain: { keyNo: VERDICT_KEYS.indexOf('open/-'), facts: newFacts(), unsure: false } },
    finalState: { client: 'ESTABLISHED', server: 'ESTABLISHED' }, rows,
  };
}

function row(no: number, fromClient: boolean, flags: number, len: number, over: Partial<PacketRow> = {}): PacketRow {
  return { no, time: { sec: 0, nsec: no * 1000 }, fromClient, flags, seq: 1, ack: 1, len, win: 100, wire: { srcPort: 1, dstPort: 2, urgent: 0, options: [], analysis: 0, dupAckFrame: 0, dupAckNum: 0, sackBase: 0 }, client: 'ESTABLISHED', server: 'ESTABLISHED', notes: [], ...over };
}

describe('ladder steps', () => {
  it('folds a long run of data and ACKs into one arrow, keeps short runs', () => {
    const data = Array.from({ length: 8 }, (_, i) => row(i + 2, i % 2 === 0, i % 2 === 0 ? TcpFlag.PSH | TcpFlag.ACK : TcpFlag.ACK, i % 2 === 0 ? 100 : 0));
    const rows = [row(1, true, TcpFlag.ACK, 0), ...data, row(10, true, TcpFlag.FIN | TcpFlag.ACK, 0, { client: 'FIN_WAIT_1', notes: [{ id: 'fin', params: { side: 'client' } }] })];
    const steps = ladderSteps(flowOf(rows), 'en');
    expect(steps.map((s) => s.kind)).toEqual(['packet', 'fold', 'packet']);
    const fold = steps[1];
    expect(fold?.kind === 'fold' && [fold.segments, fold.bytes, fold.toServer, fold.toClient, fold.first.no, fold.last.no]).toEqual([8, 400, 4, 4, 2, 9]);
    expect(ladderLines(flowOf(rows), textOpts).some((l) => l.includes('◀') && l.includes('8 segments, 400 bytes') && l.includes('▶'))).toBe(true);

    const short = [row(1, true, TcpFlag.ACK, 0), ...data.slice(0, FOLD_MIN - 1)];
    expect(ladderSteps(flowOf(short), 'en').every((s) => s.kind === 'packet')).toBe(true);
  });

  it('a state change, a SYN or a note breaks a run', () => {
    const rows = [row(1, true, TcpFlag.SYN, 0, { client: 'SYN_SENT' }), ...Array.from({ length: 6 }, (_, i) => row(i + 2, true, TcpFlag.ACK, 10, i === 3 ? { notes: [{ id: 'trailing-ack', params: {} }] } : {}))];
    // #1 SYN; #2 changes the client state (SYN_SENT → ESTABLISHED); #3–#4, then the note on #5, then #6–#7: no run reaches FOLD_MIN.
    expect(ladderSteps(flowOf(rows), 'en').every((s) => s.kind === 'packet')).toBe(true);
  });

  it('writes a state only where it changes, and colours by tone', async () => {
    const { report, origin, digits } = await loadFixture('course-half-close.pcap');
    const f = report.flows[0] as FlowReport;
    const steps = ladderSteps(f, 'en');
    const packets = steps.flatMap((s) => (s.kind === 'packet' ? [s] : []));
    expect(packets[0]?.clientState).toBe('SYN_SENT');
    expect(packets.find((s) => s.row.no === 10)?.clientState).toBeUndefined(); // retransmitted FIN: no change
    expect(packets.find((s) => s.row.no === 9)?.label).toBe('FIN, ACK  Seq=9 Ack=20 Len=0');
    const lines = ladderLines(f, { ...textOpts, color: true, origin, digits });
    expect(lines.find((l) => l.includes('#9 '))).toContain('\x1b[31m');
    expect(lines.find((l) => l.includes('#12 '))).toContain('\x1b[33m');
    expect(ladderLines(f, { ...textOpts, origin, digits }).join('\n')).not.toContain('\x1b[');
  });

  it('--ladder honours NO_COLOR and --color always', () => {
    expect(runCli(['analyze', 'fixtures/refused.pcap', '--ladder']).stdout).not.toContain('\x1b[');
    expect(runCli(['analyze', 'fixtures/refused.pcap', '--ladder', '--color', 'always']).stdout).toContain('\x1b[7;31m');
  });
});
