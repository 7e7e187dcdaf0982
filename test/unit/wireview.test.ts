import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TcpOption, TcpSegment } from '../../src/decode/segment.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { isNewIsn, trackBases } from '../../src/flow/reuse.js';
import { ConnectionStore } from '../../src/flow/store.js';
import { ConnectionView } from '../../src/flow/view.js';
import { WireView } from '../../src/flow/wireview.js';
import { rowInfo } from '../../src/render/info.js';

/**
 * Each case is a packet script, `time dir flags seq ack win len [ws=N] [sack=L-R]`, with dir `c`
 * (10.0.0.1:1000 → 10.0.0.2:80) or `s`, absolute numbers, flags from FSRPAUEC ('-' none). Every
 * script was written to a pcap and run through tshark 4.0.17 with application dissectors off
 * (../shared/tools/tshark-oracle); the expected lines are tshark's Info column, verbatim.
 */
const FLAG: Record<string, number> = { F: TcpFlag.FIN, S: TcpFlag.SYN, R: TcpFlag.RST, P: TcpFlag.PSH, A: TcpFlag.ACK, U: TcpFlag.URG, E: TcpFlag.ECE, C: TcpFlag.CWR, N: TcpFlag.AE };

function parse(line: string, no: number): TcpSegment {
  const [t = '0', dir, flags = '-', seq = '0', ack = '0', win = '0', len = '0', ...opts] = line.trim().split(/\s+/);
  let bits = 0;
  for (const ch of flags) bits |= FLAG[ch] ?? 0;
  const options: TcpOption[] = [];
  for (const o of opts) {
    const [k, v = ''] = o.split('=');
    if (k === 'ws') options.push({ kind: 'ws', shift: Number(v) });
    if (k === 'sack') {
      const [l = '0', r = '0'] = v.split('-');
      options.push({ kind: 'sack', blocks: [[Number(l) >>> 0, Number(r) >>> 0]] });
    }
  }
  const sec = Math.floor(Number(t));
  const c = dir === 'c';
  return {
    no, tsSec: sec, tsNsec: Math.round((Number(t) - sec) * 1e6) * 1000, ipVersion: 4,
    src: c ? '10.0.0.1' : '10.0.0.2', dst: c ? '10.0.0.2' : '10.0.0.1', srcPort: c ? 1000 : 80, dstPort: c ? 80 : 1000,
    seq: Number(seq) >>> 0, ack: Number(ack) >>> 0, flags: bits, window: Number(win), urgent: 0,
    payloadLen: Number(len), options,
  };
}

/**
 * One connection as the pipeline keeps it for Wireshark's view: its bases in a store slot (reuse.ts
 * trackBases, run before each segment's WireView.add, as analysis/analyze.ts does) and a WireView.
 */
class Wire {
  private readonly store = new ConnectionStore();
  readonly conn = new ConnectionView(this.store, this.store.allocate());
  private readonly view = new WireView();

  add(seg: TcpSegment, reused: boolean): ReturnType<WireView['add']> {
    const dir = seg.srcPort === 1000 ? 0 : 1;
    const bits = trackBases(this.store, this.conn.slot, seg, dir);
    return this.view.add(seg, dir, reused, this.conn, bits);
  }
}

/** Wireshark's port-reuse rule asked of a connection: its sender's base sequence number, if any. */
function startsNewConnection(wire: Wire, seg: TcpSegment): boolean {
  return isNewIsn((seg.srcPort === 1000 ? wire.conn.client : wire.conn.server).base, seg);
}

/** Runs a script through one Wire per connection (split with reuse.ts); returns the Info lines. */
function infos(script: string): string[] {
  let wire = new Wire();
  const out: string[] = [];
  const lines = script.trim().split('\n');
  lines.forEach((line, i) => {
    const seg = parse(line, i + 1);
    const reused = i > 0 && startsNewConnection(wire, seg);
    if (reused) wire = new Wire();
    const shown = wire.add(seg, reused);
    out.push(rowInfo({
      no: seg.no, time: { sec: seg.tsSec, nsec: seg.tsNsec }, fromClient: seg.srcPort === 1000, flags: seg.flags, seq: shown.relSeq, ack: shown.relAck,
      len: seg.payloadLen, win: shown.win, client: 'CLOSED', server: 'CLOSED', notes: [],
      wire: { srcPort: seg.srcPort, dstPort: seg.dstPort, urgent: seg.urgent, options: seg.options, analysis: shown.analysis, dupAckFrame: shown.dupAckFrame, dupAckNum: shown.dupAckNum, sackBase: shown.sackBase },
    }));
  });
  return out;
}

describe('WireView: relative numbers and windows', () => {
  it('scales windows only once both SYNs carried WS, never on the SYNs', () => {
    expect(infos(`
      1.0 c S 1000 0 1000 0 ws=1
      1.1 s SA 5000 1001 1000 0 ws=1
      1.2 c A 1001 5001 1000 0`)).toEqual([
      '1000 → 80 [SYN] Seq=0 Win=1000 Len=0 WS=2',
      '80 → 1000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0 WS=2',
      '1000 → 80 [ACK] Seq=1 Ack=1 Win=2000 Len=0',
    ]);
  });

  it('does not scale when the SYN-ACK has no WS (tcp-exp-option-tarr.pcap)', () => {
    expect(infos(`
      1.0 c S 1000 0 65535 0 ws=6
      1.1 s SA 5000 1001 32767 0
      1.2 c A 1001 5001 65535 0`)[2]).toBe('1000 → 80 [ACK] Seq=1 Ack=1 Win=65535 Len=0');
  });

  it('scales by the one WS seen when only the SYN was captured (ssh.client-side-half-duplex.pcap)', () => {
    expect(infos(`
      1.0 c S 1000 0 65535 0 ws=3
      1.1 c A 1001 5001 65535 0`)[1]).toBe('1000 → 80 [ACK] Seq=1 Ack=1 Win=524280 Len=0');
  });

  it('starts midstream numbers at 1 and SACK edges in the peer\'s space', () => {
    expect(infos(`
      1.0 c PA 7000 9000 100 10
      1.1 s A 9000 7005 100 0 sack=7008-7010`)).toEqual([
      '1000 → 80 [PSH, ACK] Seq=1 Ack=1 Win=100 Len=10',
      '80 → 1000 [ACK] Seq=1 Ack=6 Win=100 Len=0 SLE=9 SRE=11',
    ]);
  });
});

describe('WireView: Wireshark sequence analysis', () => {
  const handshake = `
      1.0 c S 1000 0 1000 0 ws=1
      1.1 s SA 5000 1001 1000 0 ws=1
      1.2 c A 1001 5001 1000 0`;

  it('flags a retransmitted SYN, and a new ISN as port reuse in a new connection', () => {
    const out = infos(`${handshake}
      1.3 c FA 1001 5001 1000 0
      1.4 s FA 5001 1002 1000 0
      1.5 c A 1002 5002 1000 0
      3.0 c S 1000 0 1000 0 ws=1
      3.1 c S 9000 0 1000 0 ws=1`);
    expect(out[6]).toBe('[TCP Retransmission] 1000 → 80 [SYN] Seq=0 Win=1000 Len=0 WS=2');
    expect(out[7]).toBe('[TCP Port numbers reused] 1000 → 80 [SYN] Seq=0 Win=1000 Len=0 WS=2');
  });

  it('previous segment not captured, ACKed unseen, spurious retransmission, zero window, window update, window full', () => {
    expect(infos(`${handshake}
      1.3 c PA 1201 5001 1000 100
      1.31 s A 5001 1401 1000 0
      1.32 c PA 1001 5001 1000 100
      1.4 s A 5001 1401 0 0
      1.5 c A 1401 5001 1000 1
      1.6 s A 5001 1401 0 0
      1.7 s A 5001 1401 500 0
      1.8 c PA 1401 5001 1000 1000
      1.9 c FA 2401 5001 1000 0
      2.0 s FA 5001 2402 1000 0`).slice(3)).toEqual([
      '[TCP Previous segment not captured] 1000 → 80 [PSH, ACK] Seq=201 Ack=1 Win=2000 Len=100',
      '[TCP ACKed unseen segment] 80 → 1000 [ACK] Seq=1 Ack=401 Win=2000 Len=0',
      '[TCP Spurious Retransmission] 1000 → 80 [PSH, ACK] Seq=1 Ack=1 Win=2000 Len=100',
      '[TCP ZeroWindow] [TCP ACKed unseen segment] 80 → 1000 [ACK] Seq=1 Ack=401 Win=0 Len=0',
      '[TCP Previous segment not captured] 1000 → 80 [ACK] Seq=401 Ack=1 Win=2000 Len=1',
      '[TCP ZeroWindow] [TCP ACKed unseen segment] 80 → 1000 [ACK] Seq=1 Ack=401 Win=0 Len=0',
      '[TCP Window Update] 80 → 1000 [ACK] Seq=1 Ack=401 Win=1000 Len=0',
      '[TCP Window Full] 1000 → 80 [PSH, ACK] Seq=401 Ack=1 Win=2000 Len=1000',
      '1000 → 80 [FIN, ACK] Seq=1401 Ack=1 Win=2000 Len=0',
      '[TCP ACKed unseen segment] 80 → 1000 [FIN, ACK] Seq=1 Ack=1402 Win=2000 Len=0',
    ]);
  });

  it('keep-alive and keep-alive ACK', () => {
    expect(infos(`${handshake}
      1.4 c A 1000 5001 1000 0
      1.5 s A 5001 1001 1000 0`).slice(3)).toEqual([
      '[TCP Keep-Alive] 1000 → 80 [ACK] Seq=0 Ack=1 Win=2000 Len=0',
      '[TCP Keep-Alive ACK] 80 → 1000 [ACK] Seq=1 Ack=1 Win=2000 Len=0',
    ]);
  });

  it('duplicate ACKs count from the ACK they repeat, and ACKed-unseen restarts the count', () => {
    expect(infos(`
      1.0 c S 1000 0 1000 0
      1.1 s SA 5000 1001 1000 0
      1.2 c A 1001 5001 1000 0
      1.3 c PA 1001 5001 1000 100
      1.4 s A 5001 1201 1000 0
      1.5 s A 5001 1201 2000 0
      1.6 s A 5001 1201 0 0
      1.7 s A 5001 1201 1000 0
      1.8 s A 5001 1201 1000 0
      1.9 c PA 1101 5001 1000 100
      2.0 s A 5001 1301 1000 0
      2.1 s A 5001 1301 1000 0
      2.2 c PA 1201 5001 1000 100
      2.3 s A 5001 1401 1000 0
      2.4 c A 1301 5001 1000 0
      2.5 s A 5001 1401 1000 0
      2.6 c A 1301 5001 1000 0`).slice(4)).toEqual([
      '[TCP ACKed unseen segment] 80 → 1000 [ACK] Seq=1 Ack=201 Win=1000 Len=0',
      '[TCP Window Update] 80 → 1000 [ACK] Seq=1 Ack=201 Win=2000 Len=0',
      '[TCP ZeroWindow] 80 → 1000 [ACK] Seq=1 Ack=201 Win=0 Len=0',
      '[TCP Window Update] 80 → 1000 [ACK] Seq=1 Ack=201 Win=1000 Len=0',
      '[TCP Dup ACK 5#1] 80 → 1000 [ACK] Seq=1 Ack=201 Win=1000 Len=0',
      '[TCP Spurious Retransmission] 1000 → 80 [PSH, ACK] Seq=101 Ack=1 Win=1000 Len=100',
      '80 → 1000 [ACK] Seq=1 Ack=301 Win=1000 Len=0',
      '[TCP Dup ACK 11#1] 80 → 1000 [ACK] Seq=1 Ack=301 Win=1000 Len=0',
      '[TCP Spurious Retransmission] 1000 → 80 [PSH, ACK] Seq=201 Ack=1 Win=1000 Len=100',
      '80 → 1000 [ACK] Seq=1 Ack=401 Win=1000 Len=0',
      '[TCP Dup ACK 3#1] 1000 → 80 [ACK] Seq=301 Ack=1 Win=1000 Len=0',
      '[TCP Dup ACK 14#1] 80 → 1000 [ACK] Seq=1 Ack=401 Win=1000 Len=0',
      '[TCP Dup ACK 3#1] 1000 → 80 [ACK] Seq=301 Ack=1 Win=1000 Len=0',
    ]);
  });

  it('a SYN-ACK with a new ISN restarts its side in the same connection', () => {
    const out = infos(`
      1.0 c S 1000 0 1000 0
      1.1 s SA 5000 1001 1000 0
      1.2 s SA 5001 1001 600 0`);
    expect(out[2]).toBe('[TCP Port numbers reused] 80 → 1000 [SYN, ACK] Seq=0 Ack=1 Win=600 Len=0');
  });
});

/** Three segments, the first acknowledged, then two duplicate ACKs of it (frames 7 to 9). */
/**
 * test/unit/wireview-cases/*.txt: one case a file, `# title`, the script, `---`, then tshark 4.0.17's Info
 * column for it, verbatim (the script written to a pcap and read by tshark-oracle). Each holds a
 * sequence-analysis rule of wireshark-seq.ts or wireview.ts at its edges.
 */
const CASES = join(dirname(fileURLToPath(import.meta.url)), 'wireview-cases');

describe('WireView: each rule at its edges, against tshark 4.0.17', () => {
  for (const name of readdirSync(CASES).sort()) {
    const [head = '', body = ''] = readFileSync(join(CASES, name), 'utf8').split('\n---\n');
    const [title = name, ...script] = head.split('\n');
    it(`${name}: ${title.replace(/^# /, '')}`, () => {
      expect(infos(script.join('\n'))).toEqual(body.trimEnd().split('\n'));
    });
  }

  /** The handshake, `n` client segments of 10 bytes, and what follows them. */
  const many = (n: number, tail: string[]): string => [
    '1.0 c S 1000 0 1000 0', '1.1 s SA 5000 1001 1000 0', '1.2 c A 1001 5001 1000 0',
    ...Array.from({ length: n }, (_, i) => `${(2 + i * 0.01).toFixed(3)} c PA ${1001 + 10 * i} 5001 1000 10`), ...tail,
  ].join('\n');
  it('999 segments unacknowledged, then a FIN: its ACK covers it', () => {
    expect(infos(many(999, ['20.0 c FA 10991 5001 1000 0', '20.1 s A 5001 10992 1000 0'])).slice(-2)).toEqual([
      '1000 → 80 [FIN, ACK] Seq=9991 Ack=1 Win=1000 Len=0',
      '80 → 1000 [ACK] Seq=1 Ack=9992 Win=1000 Len=0',
    ]);
  });
  it('1000 segments acknowledged, then a FIN: its ACK covers it', () => {
    expect(infos(many(1000, ['15.0 s A 5001 11001 1000 0', '20.0 c FA 11001 5001 1000 0', '20.1 s A 5001 11002 1000 0'])).slice(-3)).toEqual([
      '80 → 1000 [ACK] Seq=1 Ack=10001 Win=1000 Len=0',
      '1000 → 80 [FIN, ACK] Seq=10001 Ack=1 Win=1000 Len=0',
      '80 → 1000 [ACK] Seq=1 Ack=10002 Win=1000 Len=0',
    ]);
  });
  it('995 segments and five pure ACKs unacknowledged, then a FIN: pure ACKs take no place in the list', () => {
    const acks = Array.from({ length: 5 }, (_, i) => [`${(15 + i * 0.1).toFixed(1)} s PA ${5001 + 10 * i} 1001 1000 10`, `${(15.05 + i * 0.1).toFixed(2)} c A 10951 ${5011 + 10 * i} 1000 0`]).flat();
    expect(infos(many(995, [...acks, '20.0 c FA 10951 5051 1000 0', '20.1 s A 5051 10952 1000 0'])).slice(-2)).toEqual([
      '1000 → 80 [FIN, ACK] Seq=9951 Ack=51 Win=1000 Len=0',
      '80 → 1000 [ACK] Seq=51 Ack=9952 Win=1000 Len=0',
    ]);
  });
  // Known difference: with 1000 or more of its segments unacknowledged, a FIN does not count its byte here
  // (MAX_UNACKED_SEGMENTS in wireshark-seq.ts), while tshark 4.0.17 still counts it: the ACK of the FIN is
  // shown as "ACKed unseen segment" and the next ACK as "Previous segment not captured". tshark's lines below.
  it.fails('1000 segments unacknowledged, then a FIN: tshark still counts its byte', () => {
    expect(infos(many(1000, ['20.0 c FA 11001 5001 1000 0', '20.1 s A 5001 11002 1000 0', '20.2 c A 11002 5001 1000 0'])).slice(-3)).toEqual([
      '1000 → 80 [FIN, ACK] Seq=10001 Ack=1 Win=1000 Len=0',
      '80 → 1000 [ACK] Seq=1 Ack=10002 Win=1000 Len=0',
      '[TCP Dup ACK 3#1] 1000 → 80 [ACK] Seq=10002 Ack=1 Win=1000 Len=0',
    ]);
  });
});

describe('isNewIsn (Wireshark 4.0 port reuse)', () => {
  it('only a pure SYN with another ISN than its sender\'s base', () => {
    const v = new Wire();
    v.add(parse('1.0 c S 1000 0 100 0', 1), false);
    v.add(parse('1.1 s SA 5000 1001 100 0', 2), false);
    expect(startsNewConnection(v, parse('2.0 c S 1000 0 100 0', 3))).toBe(false);
    expect(startsNewConnection(v, parse('2.0 c S 2000 0 100 0', 3))).toBe(true);
    expect(startsNewConnection(v, parse('2.0 s SA 7000 1001 100 0', 3))).toBe(false);
    expect(startsNewConnection(v, parse('2.0 s S 7000 0 100 0', 3))).toBe(true);
  });
});
