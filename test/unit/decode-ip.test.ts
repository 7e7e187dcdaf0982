/**
 * The IP layer (decode/ip.ts) through the one decoder: IPv4 options, lengths and fragments, IPv6
 * extension headers, and the text of addresses. Packets are raw IP (link type 101/229).
 */
import { describe, expect, it } from 'vitest';
import { ipv6Text } from '../../src/decode/ip.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { concat as cat, hex } from './bytes.js';
import { IPV4_SYN, IPV6_EXT_FIN, SYN_OPTIONS, decodeBytes, decodeRecord, record, segmentOf } from './decoding.js';

/** IPV4_SYN with the bytes at `at` replaced. */
function v4With(at: number, bytes: string, length = IPV4_SYN.length): Uint8Array {
  const pkt = IPV4_SYN.slice(0, length);
  pkt.set(hex(bytes), at);
  return pkt;
}

const V6_ADDRESSES = IPV6_EXT_FIN.subarray(8, 40);
const V6_TCP_FIN = IPV6_EXT_FIN.subarray(56);

// IP6 2001:db8::1 > 2001:db8::2: frag (0|20) 443 > 50000: Flags [F.], seq 1, ack 2, win 512, length 0
// 	0x0000:  6000 0000 001c 2c40 2001 0db8 0000 0000  `.....,@........
// 	0x0010:  0000 0000 0000 0001 2001 0db8 0000 0000  ................
// 	0x0020:  0000 0000 0000 0002 0600 0000 1234 5678  .............4Vx
// 	0x0030:  01bb c350 0000 0001 0000 0002 5011 0200  ...P........P...
// 	0x0040:  0000 0000                                ....
function v6Fragment(offsetAndM: string): Uint8Array {
  return cat(
    hex('6000 0000 001c 2c40'), // payload 28, next 44 (fragment), hlim 64
    V6_ADDRESSES,
    hex(`0600 ${offsetAndM} 1234 5678`), // fragment: next 6, offset/M, id
    V6_TCP_FIN,
  );
}

// IP6 2001:db8::1 > 2001:db8::2: AH(spi=0x00001000,seq=0x1,icv=0x): 443 > 50000: Flags [F.], seq 1, ack 2, win 512, length 0
// 	0x0000:  6000 0000 0020 3340 2001 0db8 0000 0000  `.....3@........
// 	0x0010:  0000 0000 0000 0001 2001 0db8 0000 0000  ................
// 	0x0020:  0000 0000 0000 0002 0601 0000 0000 1000  ................
// 	0x0030:  0000 0001 01bb c350 0000 0001 0000 0002  .......P........
// 	0x0040:  5011 0200 0000 0000                      P.......
const IPV6_AH_FIN = cat(
  hex('6000 0000 0020 3340'), // payload 32, next 51 (AH), hlim 64
  V6_ADDRESSES,
  hex('0601 0000 0000 1000 0000 0001'), // AH: next 6, length 1 (12 bytes), SPI 0x1000, seq 1
  V6_TCP_FIN,
);

describe('IP layer: where the TCP header starts and how long the IP header says it is', () => {
  // IP 10.0.0.1.54210 > 10.0.0.2.80: Flags [S], seq 40960, win 64240, options [mss 1460,sackOK,TS val 123456 ecr 0,nop,wscale 7], length 0
  // 	0x0000:  4600 0040 0001 4000 4006 0000 0a00 0001  F..@..@.@.......
  // 	0x0010:  0a00 0002 9404 0000 d3c2 0050 0000 a000  ...........P....
  // 	0x0020:  0000 0000 a002 faf0 0000 0000 0204 05b4  ................
  // 	0x0030:  0402 080a 0001 e240 0000 0000 0103 0307  .......@........
  const IPV4_OPTIONS_SYN = cat(hex(`
    4600 0040 0001 4000 4006 0000 0a00 0001 0a00 0002   # IHL 6, total 64, 10.0.0.1 > 10.0.0.2
    9404 0000                                           # router alert (RFC 2113)
  `), IPV4_SYN.subarray(20));

  const cases: Array<[string, number, Uint8Array, object]> = [
    ['IPv4 with options: TCP after IHL*4', 101, IPV4_OPTIONS_SYN, { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 54210, options: SYN_OPTIONS, payloadLen: 0 }],
    // Total length 1500 with only the headers captured: 1500 - 20 - 40 bytes of payload.
    ['Ethernet padding is not payload: the total length wins', 101, cat(IPV4_SYN, new Uint8Array(6)), { payloadLen: 0 }],
    ['total length 0 (segmentation offload): the captured length', 101, cat(v4With(2, '0000'), new Uint8Array(100)), { payloadLen: 100 }],
    ['IPv6 behind hop-by-hop and destination options', 229, IPV6_EXT_FIN, { src: '2001:db8::1', flags: TcpFlag.FIN | TcpFlag.ACK, payloadLen: 0 }],
    ['IPv6 behind an authentication header', 229, IPV6_AH_FIN, { src: '2001:db8::1', flags: TcpFlag.FIN | TcpFlag.ACK, payloadLen: 0 }],
    ['IPv6 atomic fragment (offset 0, M 0): a whole packet', 229, v6Fragment('0000'), { flags: TcpFlag.FIN | TcpFlag.ACK, payloadLen: 0 }],
    ['IPv6 payload length 0 (jumbogram or offload): the captured length', 229, cat(IPV6_EXT_FIN.slice(0, 4), hex('0000'), IPV6_EXT_FIN.subarray(6), new Uint8Array(9)), { payloadLen: 9 }],
  ];
  it.each(cases)('%s', (_name, linkType, data, fields) => {
    expect(segmentOf(decodeBytes(linkType, data))).toMatchObject(fields);
  });

  it('snapped: payload length from the IP total length, up to the packet\'s length on the wire', () => {
    // 1500 bytes on the wire, 80 captured: the IP header's 1500 hold.
    expect(segmentOf(decodeRecord({ ...record(101, v4With(2, '05dc')), origLen: 1500 }))).toMatchObject({ payloadLen: 1440 });
    // 100 bytes on the wire, the header claims 1500: tshark's "IPv4 total length exceeds packet
    // length", and the TCP length is read from the 100 (tcpdump's bgp-addpath.pcap: Len=231).
    expect(segmentOf(decodeRecord({ ...record(101, v4With(2, '05dc')), origLen: 100 }))).toMatchObject({ payloadLen: 40 });
  });

  it('a first fragment the capture cut is read as TCP, as tshark reads it (it can never be reassembled)', () => {
    const first = v4With(2, '05dc 0000 2000');
    expect(segmentOf(decodeRecord({ ...record(101, first), origLen: 1500 }))).toMatchObject({ payloadLen: 1440, unmeasured: true });
    // Claiming more than the packet holds (tcpdump's rpki-rtr-oobr): never completed either.
    expect(segmentOf(decodeRecord({ ...record(101, first.subarray(0, 60)), origLen: 60 }))).toMatchObject({ payloadLen: 0, unmeasured: true });
    // Captured whole, a first fragment waits for the others.
    expect(decodeRecord({ ...record(101, v4With(2, '003c 0000 2000').subarray(0, 60)), origLen: 60 })).toMatchObject({ reason: 'fragment' });
  });
});

describe('IP layer: records it refuses, with the reason and its message', () => {
  const cases: Array<[string, number, Uint8Array, string, string]> = [
    ['IPv4 MF set', 101, v4With(6, '2000'), 'fragment', 'IPv4 fragment'],
    ['IPv4 offset 185', 101, v4With(6, '00b9'), 'fragment', 'IPv4 fragment'],
    // IP 192.168.0.1.54210 > 192.168.0.2.80: truncated-udplength 0 (IPV4_SYN with protocol 17)
    ['IPv4 UDP', 101, v4With(9, '11'), 'not-tcp', 'IPv4 protocol 17 (UDP)'],
    ['IPv4 protocol 253', 101, v4With(9, 'fd'), 'not-tcp', 'IPv4 protocol 253'],
    ['IPv4 IHL 4', 101, v4With(0, '4400 003c', 40), 'malformed', 'IPv4 header length 16 < 20'],
    ['IPv4 IHL 15, 40 bytes captured', 101, v4With(0, '4f00 003c', 40), 'truncated', 'IPv4 options'],
    ['IPv4 total length below the header length', 101, v4With(0, '4500 0010', 40), 'malformed', 'IPv4 total length 16 < header length 20'],
    ['IPv4 header cut', 101, IPV4_SYN.subarray(0, 19), 'truncated', 'IPv4 header'],
    ['IPv6 header cut', 229, IPV6_EXT_FIN.subarray(0, 39), 'truncated', 'IPv6 header'],
    ['IPv6 extension header cut', 229, IPV6_EXT_FIN.subarray(0, 52), 'truncated', 'IPv6 extension header'],
    ['IPv6 extension header longer than the capture', 229, cat(IPV6_EXT_FIN.subarray(0, 41), hex('ff'), IPV6_EXT_FIN.subarray(42)), 'truncated', 'IPv6 extension header'],
    ['IPv6 authentication header cut', 229, IPV6_AH_FIN.subarray(0, 45), 'truncated', 'IPv6 authentication header'],
    ['IPv6 fragment header cut', 229, v6Fragment('0000').subarray(0, 44), 'truncated', 'IPv6 fragment header'],
    ['IPv6 fragment, M set', 229, v6Fragment('0001'), 'fragment', 'IPv6 fragment'],
    ['IPv6 fragment, offset 8', 229, v6Fragment('0040'), 'fragment', 'IPv6 fragment'],
    ['IPv6 payload length shorter than its extension headers', 229, cat(IPV6_EXT_FIN.slice(0, 4), hex('000c'), IPV6_EXT_FIN.subarray(6)), 'malformed', 'IPv6 payload length 12 is shorter than its extension headers'],
    ['IPv6 ICMPv6', 229, cat(IPV6_EXT_FIN.subarray(0, 48), hex('3a'), IPV6_EXT_FIN.subarray(49)), 'not-tcp', 'IPv6 protocol 58 (ICMPv6)'],
  ];
  it.each(cases)('%s', (_name, linkType, data, reason, detail) => {
    expect(decodeBytes(linkType, data)).toEqual({ reason, detail });
  });

  it('a message names the numbers of the record it is for, not of an earlier one', () => {
    expect(decodeRecord(record(101, v4With(0, '4400 003c', 40)))).toMatchObject({ detail: 'IPv4 header length 16 < 20' });
    segmentOf(decodeBytes(229, IPV6_EXT_FIN));
    expect(decodeBytes(101, v4With(9, '01'))).toEqual({ reason: 'not-tcp', detail: 'IPv4 protocol 1 (ICMP)' });
  });
});

describe('IP layer: address text', () => {
  const cases: Array<[string, string]> = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
    ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // first run on a tie
    ['2001:0000:0000:0001:0000:0000:0000:0001', '2001:0:0:1::1'], // longest run
    ['2001:0DB8:ABCD:0012:0000:0000:0000:0000', '2001:db8:abcd:12::'],
    ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'], // IPv4-mapped
  ];
  it.each(cases)('IPv6 %s -> %s', (full, text) => {
    expect(ipv6Text(hex(full.replace(/:/g, '')), 0)).toBe(text);
  });
});
