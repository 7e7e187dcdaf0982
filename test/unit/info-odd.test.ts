import { describe, expect, it } from 'vitest';
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
