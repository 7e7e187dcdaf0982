import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { rowInfo } from '../../src/render/info.js';
import { hex } from './bytes.js';
import { decodeBytes, segmentOf } from './decoding.js';

/**
 * Odd headers from other projects' test captures (docs/public-captures.md): raw IPv4 packets
 * (10.0.0.1:PORT → 10.0.0.2:80, seq 1000, ack 2000, window 512), each the only packet of its
 * connection, so tshark numbers it Seq=1 Ack=1 and finds no analysis to print. Every hex string was
 * written to a pcap and read by tshark 4.0.17 with the dissectors above TCP off
 * (scripts/public-captures/compare.mjs); the expected lines are its Info column, verbatim.
 */
const CASES: Array<[name: string, packet: string, tshark: string]> = [
  ['reserved bits',
    '4500 0028 0001 4000 4006 26cd 0a00 0001 0a00 0002 9c41 0050 0000 03e8 0000 07d0 5810 0200 0000 0000',
    '40001 → 80 [ACK, Reserved] Seq=1 Ack=1 Win=512 Len=0'],
  ['md5',
    '4500 003c 0001 4000 4006 26b9 0a00 0001 0a00 0002 9c42 0050 0000 03e8 0000 07d0 a010 0200 0000 0000 0101 1312 0000 0000 0000 0000 0000 0000 0000 0000',
    '40002 → 80 [ACK] Seq=1 Ack=1 Win=512 Len=0 MD5'],
  ['echo',
    '4500 0030 0001 4000 4006 26c5 0a00 0001 0a00 0002 9c43 0050 0000 03e8 0000 07d0 7010 0200 0000 0000 0606 0000 0102 0101',
    '40003 → 80 [ACK] Seq=1 Ack=1 Win=512 Len=0 ECHO=258'],
  ['echo reply',
    '4500 0030 0001 4000 4006 26c5 0a00 0001 0a00 0002 9c44 0050 0000 03e8 0000 07d0 7010 0200 0000 0000 0706 0000 0103 0101',
    '40004 → 80 [ACK] Seq=1 Ack=1 Win=512 Len=0 ECHO=259'],
  ['cc',
    '4500 0030 0001 4000 4006 26c5 0a00 0001 0a00 0002 9c45 0050 0000 03e8 0000 07d0 7010 0200 0000 0000 0b06 0000 0007 0101',
    '40005 → 80 [ACK] Seq=1 Ack=1 Win=512 Len=0 CC=7'],
  ['cc.new',
    '4500 0030 0001 4000 4006 26c5 0a00 0001 0a00 0002 9c46 0050 0000 03e8 0000 07d0 7010 0200 0000 0000 0c06 0000 0008 0101',
    '40006 → 80 [ACK] Seq=1 Ack=1 Win=512 Len=0 CC=8'],
  ['ao',
    '4500 002c 0001 4000 4006 26c9 0a00 0001 0a00 0002 9c47 0050 0000 03e8 0000 07d0 6010 0200 0000 0000 1d04 0506',
    '40007 → 80 [ACK] Seq=1 Ack=1 Win=512 Len=0TCP AO'],
  ['exid',
    '4500 002c 0001 4000 4006 26c9 0a00 0001 0a00 0002 9c48 0050 0000 03e8 0000 07d0 6010 0200 0000 0000 fe04 1234',
    '40008 → 80 [ACK] Seq=1 Ack=1 Win=512 Len=0 ExID=1234'],
  ['bad mss then ts',
    '4500 0038 0001 4000 4006 26bd 0a00 0001 0a00 0002 9c49 0050 0000 03e8 0000 07d0 9010 0200 0000 0000 0203 0501 0101 080a 0000 0005 0000 0006',
    '40009 → 80 [ACK] Seq=1 Ack=1 Win=512 Len=0 TSval=5 TSecr=6'],
  ['ip total length beyond the wire',
    '4500 0078 0001 4000 4006 267d 0a00 0001 0a00 0002 9c4a 0050 0000 03e8 0000 07d0 5018 0200 0000 0000 6162 6364',
    '40010 → 80 [PSH, ACK] Seq=1 Ack=1 Win=512 Len=4'],
];

describe('Info of odd headers, as tshark 4.0 prints it', () => {
  it.each(CASES)('%s', (_name, packet, tshark) => {
    const s = segmentOf(decodeBytes(101, hex(packet)));
    const info = rowInfo({
      no: 1, time: { sec: 0, nsec: 0 }, fromClient: true, flags: s.flags, seq: 1, ack: 1, len: s.payloadLen, win: s.window,
      client: 'CLOSED', server: 'CLOSED', notes: [],
      wire: { srcPort: s.srcPort, dstPort: s.dstPort, urgent: s.urgent, options: s.options, analysis: 0, dupAckFrame: 0, dupAckNum: 0, sackBase: 0 },
    });
    expect(info).toBe(tshark);
  });
});

/**
 * Damaged packets from tcpdump's tests, whole (Ethernet; the length on the wire as captured),
 * through the Analyzer; the expected lines are tshark 4.0.17's Info column, verbatim.
 */
const DAMAGED: Array<[name: string, frame: string, wireLen: number, tshark: string]> = [
  // IPv4 MF set, offset 0, total length 296 with 90 bytes captured: a first fragment that is never
  // completed. tshark measures no segment in a fragment: raw Seq, no Len=, no analysis.
  ['bgp_pmsi_tunnel-oobr: a first fragment the capture cut',
    '000ce0007f0100c1c0a0abaf0800450001289d0fe000fe068e15f1002013ef00000100b300007ff3f9890001808e6000dada24db2d9da102000affffffffffffffffffffffffffffffff002d02000310180d06b2ff80000700000fe3000101010113010101160100', 262144,
    '179 → 0 [<None>] Seq=2146695561 Win=56026'],
  // A TCP-AO option (kind 29, length 21) the capture cuts after 2 of its bytes: tshark names it, then stops.
  ['tcp-auth-heapoverflow: a TCP-AO option the capture cut',
    '30303030303030303030303008004530303030304000300630303030303030303030303030303030303030303030dc303030303030301d153030303030303030', 262144,
    '12336 → 12336 [ACK, URG, Reserved] Seq=1 Ack=1 Win=12336 Urg=12336 Len=12264TCP AO[Packet size limited during capture]'],
  // MF set, offset 0, a total length of 62 in a packet that holds 50 IP bytes: never completed either.
  ['rpki-rtr-oobr: a first fragment claiming more than the packet holds',
    '000cfb007f0601c1c0a0ab9d08004500003e340fe000fe068e7f138080144c13067f0143c1c0a0000003e800e2005f0070000a160302ab0603ab00000003e800', 64,
    '323 → 49600 [AE, Reserved] Seq=2684354563 Win=28672'],
];

describe('Info of damaged packets, as tshark 4.0 prints it', () => {
  it.each(DAMAGED)('%s', (_name, frame, wireLen, tshark) => {
    const data = hex(frame);
    const a = new Analyzer('d', { packets: true });
    a.onRecord({ no: 1, offset: 0, linkType: 1, tsSec: 0, tsNsec: 0, caplen: data.length, origLen: wireLen, data });
    const rows = a.finish(undefined, undefined).flows.map((f) => (f.rows ?? []).map(rowInfo));
    expect(rows).toEqual([[tshark]]);
  });
});

/**
 * nDPI's whois.pcapng #12 and #13 (Ethernet, VLAN 1603): a SYN and its retransmission carrying
 * Riverbed's probe option twice (kind 76: a version 1 probe query, length 10, then a version 2
 * query-info, length 4, flags 0x21); tshark 4.0.17 puts `S+, ` before the ports, after the analysis
 * prefix. Its Info column, verbatim.
 */
describe("Riverbed's probe option, as tshark 4.0 marks it", () => {
  const SYN = '00000000000000080000000381000643080045000044e02b40007906b7d30a11228b0a113308fa1010f7ff38468600000000c002faf0cb5100000204056a01030308010104024c0a01010a11fe4400054c040c210100';
  it('S+, before the ports of a probe query, after the analysis prefix', () => {
    const a = new Analyzer('w', { packets: true });
    [SYN, SYN].forEach((frame, i) => {
      const data = hex(frame);
      a.onRecord({ no: 12 + i, offset: 0, linkType: 1, tsSec: i, tsNsec: 0, caplen: data.length, origLen: data.length, data });
    });
    expect(a.finish(undefined, undefined).flows.map((f) => (f.rows ?? []).map(rowInfo))).toEqual([[
      'S+, 64016 → 4343 [SYN] Seq=0 Win=64240 Len=0 MSS=1386 WS=256 SACK_PERM',
      '[TCP Retransmission] S+, 64016 → 4343 [SYN] Seq=0 Win=64240 Len=0 MSS=1386 WS=256 SACK_PERM',
    ]]);
  });

  /**
   * Hand-built raw IPv4 SYNs and SYN-ACKs, each its own connection, with the other marks: written
   * to a pcap and read by tshark 4.0.17 as compare.mjs runs it; its Info column, verbatim.
   */
  const MARKS: Array<[name: string, packet: string, tshark: string]> = [
    ['a version 1 trace', '4500003400014000400626c10a0000010a000002a0280050000003e80000000080020200000000004c0a31000a00000100050101',
      'S#, 41000 → 80 [SYN] Seq=0 Win=512 Len=0'],
    ['a query whose version 2 info says NCFE', '4500003800014000400626bd0a0000010a000002a0290050000003e80000000090020200000000004c0a01000a00000100054c040c040101',
      'S+*, 41001 → 80 [SYN] Seq=0 Win=512 Len=0'],
    ['a version 1 response', '4500003800014000400626bd0a0000010a000002a02a0050000003e8000007d090120200000000004c0e11000a0000010a0000091f900101',
      'SA+, 41002 → 80 [SYN, ACK] Seq=0 Ack=1 Win=512 Len=0'],
    ['a version 2 query-info marked last on a SYN-ACK', '4500002c00014000400626c90a0000010a000002a02b0050000003e8000007d060120200000000004c040c01',
      'SA++, 41003 → 80 [SYN, ACK] Seq=0 Ack=1 Win=512 Len=0'],
    ['a version 2 query-info SH marked last on a SYN-ACK', '4500003000014000400626c50a0000010a000002a02d0050000003e8000007d070120200000000004c0810010a000003',
      'SA++, 41005 → 80 [SYN, ACK] Seq=0 Ack=1 Win=512 Len=0'],
  ];
  it.each(MARKS)('%s', (_name, packet, tshark) => {
    const a = new Analyzer('r', { packets: true });
    const data = hex(packet);
    a.onRecord({ no: 1, offset: 0, linkType: 101, tsSec: 0, tsNsec: 0, caplen: data.length, origLen: data.length, data });
    expect(a.finish(undefined, undefined).flows.map((f) => (f.rows ?? []).map(rowInfo))).toEqual([[tshark]]);
  });
});
