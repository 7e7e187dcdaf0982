import { describe, expect, it } from 'vitest';
import type { TcpOption, TcpSegment } from '../../src/decode/segment.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { A_ACK_LOST_PACKET, A_ZERO_WINDOW } from '../../src/flow/wireshark-flags.js';
import { flagNames, rowInfo } from '../../src/render/info.js';

function seg(flags: number, options: TcpOption[] = [], extra: Partial<TcpSegment> = {}): TcpSegment {
  return {
    no: 1, tsSec: 0, tsNsec: 0, ipVersion: 4, src: '10.0.0.2', dst: '10.0.0.1', srcPort: 80, dstPort: 1000,
    seq: 0, ack: 0, flags, window: 600, urgent: 0, payloadLen: 0, options, ...extra,
  };
}
/** The Info column of a row made of this segment, with these analysis flags and numbers. */
function formatInfo(t: TcpSegment, analysis: number, seq: number, ack: number, win: number, sackBase: number): string {
  return rowInfo({
    no: t.no, time: { sec: 0, nsec: 0 }, fromClient: false, flags: t.flags, seq, ack, len: t.payloadLen, win, client: 'CLOSED', server: 'CLOSED', notes: [],
    wire: { srcPort: t.srcPort, dstPort: t.dstPort, urgent: t.urgent, options: t.options, analysis, dupAckFrame: 0, dupAckNum: 0, sackBase },
  });
}
const other = (type: number, ...data: number[]): TcpOption => ({ kind: 'other', type, data: Uint8Array.from(data) });

/** Expected strings are tshark 4.0.17's Info column for the same header (see wireview.test.ts). */
describe('rowInfo', () => {
  it('prints flags in tshark order, <None> and Reserved', () => {
    expect(flagNames(TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR)).toBe('SYN, ECE, CWR');
    expect(flagNames(TcpFlag.FIN | TcpFlag.SYN | TcpFlag.RST | TcpFlag.PSH | TcpFlag.ACK | TcpFlag.URG | TcpFlag.ECE | TcpFlag.CWR | TcpFlag.AE)).toBe('FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE');
    expect(flagNames(0)).toBe('<None>');
    expect(formatInfo(seg(0), 0, 1, 0, 76800, 0)).toBe('80 → 1000 [<None>] Seq=1 Win=76800 Len=0');
  });

  it('prints Urg= before Len= whenever URG is set', () => {
    expect(formatInfo(seg(TcpFlag.ACK | TcpFlag.URG, [], { urgent: 5 }), 0, 1, 201, 76800, 0))
      .toBe('80 → 1000 [ACK, URG] Seq=1 Ack=201 Win=76800 Urg=5 Len=0');
  });

  it('prints the SYN options in wire order', () => {
    const opts: TcpOption[] = [
      { kind: 'mss', value: 1460 }, { kind: 'nop' }, { kind: 'ws', shift: 3 }, { kind: 'nop' }, { kind: 'nop' },
      { kind: 'ts', tsval: 301224352, tsecr: 0 }, { kind: 'sack_perm' }, { kind: 'eol' },
    ];
    expect(formatInfo(seg(TcpFlag.SYN, opts, { srcPort: 51880, dstPort: 22, window: 65535 }), 0, 0, 0, 65535, 0))
      .toBe('51880 → 22 [SYN] Seq=0 Win=65535 Len=0 MSS=1460 WS=8 TSval=301224352 TSecr=0 SACK_PERM');
  });

  it('clamps WS to 14 and makes SACK edges relative', () => {
    expect(formatInfo(seg(TcpFlag.ACK, [{ kind: 'ws', shift: 16 }]), 0, 0, 201, 600, 0)).toBe('80 → 1000 [ACK] Seq=0 Ack=201 Win=600 Len=0 WS=16384');
    const sack: TcpOption = { kind: 'sack', blocks: [[1101, 1201], [1301, 1401]] };
    expect(formatInfo(seg(TcpFlag.ACK, [sack]), 0, 1, 101, 65536, 1000))
      .toBe('80 → 1000 [ACK] Seq=1 Ack=101 Win=65536 Len=0 SLE=101 SRE=201 SLE=301 SRE=401');
  });

  it('prints experimental and other options as tshark does', () => {
    const cases: Array<[TcpOption, string]> = [
      [other(254, 0x00, 0xac), ' TARR'],
      [other(254, 0x00, 0xac, 0x05), ' TARR=2'],
      [other(254, 0x00, 0xac, 0x05, 0x00), ''], // length 6: malformed (tcp-exp-option-tarr.pcap #4)
      [other(253, 0x00, 0xac), ' TARR'],
      [other(254, 0xf9, 0x89), ' TFO=R'],
      [other(254, 0xf9, 0x89, 0x11, 0x00), ' TFO=C'],
      [other(34, 0x11, 0x00), ' TFO=C'],
      [other(27, 0x03, 0, 0, 0, 0, 0), ' QSresp=320 Kbit/s'],
      [other(27, 0x8f, 0, 0, 0, 0, 0), ' QSresp=1.31072 Gbit/s'],
      [other(28, 0x80, 0x0a), ' USER_TO=10'],
      [other(30, 0x00), ''], // MPTCP: nothing in Info
      [other(19, ...new Array<number>(16).fill(0)), ' MD5'], // MD5 (RFC 2385), whatever its length
    ];
    for (const [opt, tail] of cases) {
      expect(formatInfo(seg(TcpFlag.ACK, [opt]), 0, 1, 201, 76800, 0)).toBe(`80 → 1000 [ACK] Seq=1 Ack=201 Win=76800 Len=0${tail}`);
    }
  });

  it('puts the analysis prefix first', () => {
    expect(formatInfo(seg(TcpFlag.ACK, [], { window: 0 }), A_ZERO_WINDOW | A_ACK_LOST_PACKET, 1, 401, 0, 0))
      .toBe('[TCP ZeroWindow] [TCP ACKed unseen segment] 80 → 1000 [ACK] Seq=1 Ack=401 Win=0 Len=0');
  });
});
