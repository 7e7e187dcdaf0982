import { describe, expect, it } from 'vitest';
import { decode } from '../../src/decode/decode.js';
import { ipv6Text } from '../../src/decode/ip.js';
import type { CaptureRecord } from '../../src/capture/record.js';
import { ACK, FIN, SYN, type DecodeResult, type TcpSegment } from '../../src/decode/segment.js';
import { concat, hex } from './bytes.js';

const cat = concat;

function record(linkType: number, data: Uint8Array, no = 7): CaptureRecord {
  return { no, offset: 0, linkType, tsSec: 1700000000, tsNsec: 123456000, caplen: data.length, origLen: data.length, data };
}

function segmentOf(r: DecodeResult): TcpSegment {
  if (r.kind !== 'tcp') throw new Error(`expected a TCP segment, got ${r.reason} (${r.detail ?? ''})`);
  return r.segment;
}

// tcpdump -nn -vv -X: 192.168.0.1.54210 > 192.168.0.2.80: Flags [S], seq 40960, win 64240,
//   options [mss 1460,sackOK,TS val 123456 ecr 0,nop,wscale 7], length 0
// 	0x0000:  4500 003c 1c46 4000 4006 0000 c0a8 0001  E..<.F@.@.......
// 	0x0010:  c0a8 0002 d3c2 0050 0000 a000 0000 0000  .......P........
// 	0x0020:  a002 faf0 0000 0000 0204 05b4 0402 080a  ................
// 	0x0030:  0001 e240 0000 0000 0103 0307            ...@........
const IPV4_SYN = hex(`
  4500 003c 1c46 4000 4006 0000 c0a8 0001 c0a8 0002   # IPv4 ihl 5 len 60 DF TCP 192.168.0.1 > 192.168.0.2
  d3c2 0050 0000 a000 0000 0000 a002 faf0 0000 0000   # 54210 > 80 seq 40960 doff 10 [S] win 64240
  0204 05b4 0402 080a 0001 e240 0000 0000 0103 0307   # mss 1460, sackOK, TS 123456/0, nop, wscale 7
`);

const ETH_V4 = hex('0200 0000 0002 0200 0000 0001 0800'); // dst, src, IPv4
const SYN_OPTIONS = [
  { kind: 'mss', value: 1460 },
  { kind: 'sack_perm' },
  { kind: 'ts', tsval: 123456, tsecr: 0 },
  { kind: 'nop' },
  { kind: 'ws', shift: 7 },
];

// 2001:db8::1.443 > 2001:db8::2.50000: Flags [F.], seq 1, ack 2, win 512, length 0, behind a
// hop-by-hop options header and a destination options header (8 bytes each).
const IPV6_EXT_FIN = hex(`
  6000 0000 0024 0040                         # IPv6, payload 36, next header 0 (hop-by-hop), hlim 64
  2001 0db8 0000 0000 0000 0000 0000 0001     # src 2001:db8::1
  2001 0db8 0000 0000 0000 0000 0000 0002     # dst 2001:db8::2
  3c00 0104 0000 0000                         # hop-by-hop: next 60, len 0, PadN
  0600 0104 0000 0000                         # destination options: next 6 (TCP), len 0, PadN
  01bb c350 0000 0001 0000 0002 5011 0200 0000 0000  # 443 > 50000 [F.] seq 1 ack 2 win 512
`);

describe('decode: link types', () => {
  const cases: Array<[string, number, Uint8Array]> = [
    ['EN10MB', 1, cat(ETH_V4, IPV4_SYN)],
    ['EN10MB 802.1Q', 1, cat(hex('0200 0000 0002 0200 0000 0001 8100 0064 0800'), IPV4_SYN)],
    ['EN10MB 802.1ad + 802.1Q stacked', 1, cat(hex('0200 0000 0002 0200 0000 0001 88a8 00c8 8100 0064 0800'), IPV4_SYN)],
    ['EN10MB 0x9100 QinQ', 1, cat(hex('0200 0000 0002 0200 0000 0001 9100 00c8 8100 0064 0800'), IPV4_SYN)],
    ['EN10MB MPLS two labels', 1, cat(hex('0200 0000 0002 0200 0000 0001 8847 0001 40ff 0002 01ff'), IPV4_SYN)],
    ['NULL little-endian AF_INET', 0, cat(hex('0200 0000'), IPV4_SYN)],
    ['NULL big-endian AF_INET', 0, cat(hex('0000 0002'), IPV4_SYN)],
    ['LOOP network order', 108, cat(hex('0000 0002'), IPV4_SYN)],
    ['RAW 101', 101, IPV4_SYN],
    ['RAW 12', 12, IPV4_SYN],
    ['RAW 14', 14, IPV4_SYN],
    ['IPV4 228', 228, IPV4_SYN],
    // LINUX_SLL: packet type 0 (to us), ARPHRD_ETHER, addr len 6, addr + 2 pad, protocol
    ['LINUX_SLL', 113, cat(hex('0000 0001 0006 0200 0000 0001 0000 0800'), IPV4_SYN)],
    // LINUX_SLL2: protocol, reserved, ifindex 2, ARPHRD_ETHER, packet type 4 (outgoing), addr len 6, addr
    ['LINUX_SLL2', 276, cat(hex('0800 0000 0000 0002 0001 04 06 0200 0000 0001 0000'), IPV4_SYN)],
  ];
  it.each(cases)('%s', (_name, linkType, data) => {
    const s = segmentOf(decode(record(linkType, data)));
    expect(s).toEqual({
      no: 7, tsSec: 1700000000, tsNsec: 123456000, ipVersion: 4, src: '192.168.0.1', dst: '192.168.0.2',
      srcPort: 54210, dstPort: 80, seq: 40960, ack: 0, flags: SYN, window: 64240, urgent: 0, payloadLen: 0,
      options: SYN_OPTIONS,
    });
  });

  const v6cases: Array<[string, number, Uint8Array]> = [
    ['EN10MB IPv6', 1, cat(hex('0200 0000 0002 0200 0000 0001 86dd'), IPV6_EXT_FIN)],
    ['NULL AF_INET6 24 (BSD)', 0, cat(hex('1800 0000'), IPV6_EXT_FIN)],
    ['NULL AF_INET6 28 (FreeBSD)', 0, cat(hex('1c00 0000'), IPV6_EXT_FIN)],
    ['NULL AF_INET6 30 (macOS)', 0, cat(hex('1e00 0000'), IPV6_EXT_FIN)],
    ['LOOP AF_INET6 30', 108, cat(hex('0000 001e'), IPV6_EXT_FIN)],
    ['RAW IPv6', 101, IPV6_EXT_FIN],
    ['IPV6 229', 229, IPV6_EXT_FIN],
    ['LINUX_SLL IPv6 in VLAN', 113, cat(hex('0000 0001 0006 0200 0000 0001 0000 8100 0064 86dd'), IPV6_EXT_FIN)],
    ['MPLS one label, IPv6', 1, cat(hex('0200 0000 0002 0200 0000 0001 8847 0001 41ff'), IPV6_EXT_FIN)],
  ];
  it.each(v6cases)('%s', (_name, linkType, data) => {
    const s = segmentOf(decode(record(linkType, data)));
    expect(s).toMatchObject({
      ipVersion: 6, src: '2001:db8::1', dst: '2001:db8::2', srcPort: 443, dstPort: 50000,
      seq: 1, ack: 2, flags: FIN | ACK, window: 512, payloadLen: 0, options: [],
    });
  });

  const skips: Array<[string, number, Uint8Array, string, string | RegExp]> = [
    ['802.11 unsupported', 105, IPV4_SYN, 'unsupported-link', 'link type 105 (IEEE802_11) is not supported'],
    ['unknown link type', 4242, IPV4_SYN, 'unsupported-link', 'link type 4242 is not supported'],
    ['ARP', 1, hex('ffff ffff ffff 0200 0000 0001 0806 0001 0800 0604 0001'), 'not-ip', 'ethertype 0x0806 (ARP)'],
    ['802.3 LLC', 1, hex('0180 c200 0000 0200 0000 0001 0026 4242 03'), 'not-ip', '802.3 frame (LLC)'],
    ['short Ethernet', 1, hex('0200 0000 0002 0200'), 'truncated', 'Ethernet header'],
    ['VLAN tag cut', 1, hex('0200 0000 0002 0200 0000 0001 8100 00'), 'truncated', 'VLAN tag'],
    ['MPLS without bottom of stack', 1, hex('0200 0000 0002 0200 0000 0001 8847 0001 40ff'), 'truncated', 'MPLS label'],
    ['loopback family AF_APPLETALK', 0, cat(hex('1000 0000'), IPV4_SYN), 'not-ip', 'loopback address family 16'],
    ['ethertype IPv4, version 6', 1, cat(ETH_V4, IPV6_EXT_FIN), 'malformed', /says IPv4/],
    ['raw, version 5', 101, hex('5500 0014 0000 0000 4006 0000 0a00 0001 0a00 0002'), 'not-ip', 'IP version 5'],
    ['empty raw', 101, new Uint8Array(0), 'truncated', 'no IP header'],
  ];
  it.each(skips)('%s is skipped', (_name, linkType, data, reason, detail) => {
    const r = decode(record(linkType, data));
    expect(r.kind).toBe('skipped');
    if (r.kind !== 'skipped') return;
    expect(r.reason).toBe(reason);
    expect(r.detail).toMatch(detail);
  });
});

describe('decode: IP', () => {
  it('IPv4 with options: the TCP header starts after IHL*4', () => {
    // IHL 6: a router alert option (94 04 0000); total length 64.
    const pkt = cat(hex('4600 0040 0001 4000 4006 0000 0a00 0001 0a00 0002 9404 0000'), IPV4_SYN.subarray(20));
    const s = segmentOf(decode(record(101, pkt)));
    expect(s).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 54210, options: SYN_OPTIONS, payloadLen: 0 });
  });

  it('snapped packet: payload length from the IP total length, not the captured bytes', () => {
    // IPv4 total length 1500, caplen 60 (only the headers): 1500 - 20 - 40 = 1440 bytes of payload.
    const pkt = IPV4_SYN.slice();
    pkt[2] = 0x05;
    pkt[3] = 0xdc;
    const r = record(1, cat(ETH_V4, pkt));
    r.origLen = 1514;
    expect(segmentOf(decode(r)).payloadLen).toBe(1440);
  });

  it('Ethernet padding is not payload: IP total length wins over a longer capture', () => {
    const s = segmentOf(decode(record(1, cat(ETH_V4, IPV4_SYN, new Uint8Array(6)))));
    expect(s.payloadLen).toBe(0);
  });

  it('IPv4 total length 0 (segmentation offload) falls back to the captured length', () => {
    const pkt = cat(IPV4_SYN, new Uint8Array(100));
    pkt[2] = 0;
    pkt[3] = 0;
    expect(segmentOf(decode(record(101, pkt))).payloadLen).toBe(100);
  });

  const fragments: Array<[string, string]> = [
    ['MF set', '2000'],
    ['offset 185', '00b9'],
  ];
  it.each(fragments)('IPv4 fragment (%s) is skipped', (_name, flags) => {
    const pkt = IPV4_SYN.slice();
    pkt.set(hex(flags), 6);
    expect(decode(record(101, pkt))).toEqual({ kind: 'skipped', reason: 'fragment', detail: 'IPv4 fragment' });
  });

  it('IPv4 UDP is not TCP', () => {
    const pkt = IPV4_SYN.slice();
    pkt[9] = 17;
    expect(decode(record(101, pkt))).toEqual({ kind: 'skipped', reason: 'not-tcp', detail: 'IPv4 protocol 17 (UDP)' });
  });

  const bad: Array<[string, string, string]> = [
    ['IHL 4', '4400 003c', 'malformed'],
    ['IHL 15 but 60 bytes captured', '4f00 003c', 'truncated'],
    ['total length below header length', '4500 0010', 'malformed'],
  ];
  it.each(bad)('IPv4 %s', (_name, first, reason) => {
    const pkt = IPV4_SYN.slice(0, 40);
    pkt.set(hex(first), 0);
    expect(decode(record(101, pkt)).kind === 'skipped' && decode(record(101, pkt))).toMatchObject({ reason });
  });

  // IPv6 + fragment header (next 6, offset/M field) + TCP.
  function v6fragment(offsetAndM: string): Uint8Array {
    return cat(
      hex('6000 0000 0024 2c40'),                                          // payload 36, next 44 (fragment)
      IPV6_EXT_FIN.subarray(8, 40),                                        // the same addresses
      hex(`0600 ${offsetAndM} 1234 5678`),                                 // fragment: next 6, offset/M, id
      IPV6_EXT_FIN.subarray(56),                                           // the TCP FIN
    );
  }
  it('IPv6 atomic fragment (offset 0, M 0) is decoded', () => {
    expect(segmentOf(decode(record(229, v6fragment('0000')))).flags).toBe(FIN | ACK);
  });
  it.each([['M set', '0001'], ['offset 8', '0040']])('IPv6 fragment (%s) is skipped', (_name, field) => {
    expect(decode(record(229, v6fragment(field)))).toMatchObject({ kind: 'skipped', reason: 'fragment' });
  });

  it('IPv6 extension header cut by the capture is truncated', () => {
    expect(decode(record(229, IPV6_EXT_FIN.subarray(0, 52)))).toMatchObject({ reason: 'truncated' });
  });

  it('IPv6 ICMPv6 is not TCP', () => {
    const pkt = IPV6_EXT_FIN.slice();
    pkt[48] = 58;
    expect(decode(record(229, pkt))).toMatchObject({ reason: 'not-tcp', detail: 'IPv6 protocol 58 (ICMPv6)' });
  });

  const v6text: Array<[string, string]> = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
    ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'],    // first run on a tie
    ['2001:0000:0000:0001:0000:0000:0000:0001', '2001:0:0:1::1'],        // longest run
    ['2001:0DB8:ABCD:0012:0000:0000:0000:0000', '2001:db8:abcd:12::'],
    ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'],    // IPv4-mapped
  ];
  it.each(v6text)('IPv6 text %s -> %s', (full, text) => {
    expect(ipv6Text(hex(full.replace(/:/g, '')), 0)).toBe(text);
  });
});

describe('decode: TCP', () => {
  /** IPv4 + TCP with the given 4-bit data offset and option bytes, on raw IP. */
  function tcpWith(dataOffset: number, options: string, payload = 0): CaptureRecord {
    const opts = hex(options);
    const tcp = cat(hex(`d3c2 0050 0000 a000 0000 b000 ${(dataOffset << 4).toString(16).padStart(2, '0')}10 0200 0000 0000`), opts);
    const total = 20 + tcp.length + payload;
    const ip = hex(`4500 ${total.toString(16).padStart(4, '0')} 0000 4000 4006 0000 0a00 0001 0a00 0002`);
    return record(101, cat(ip, tcp, new Uint8Array(payload)));
  }

  const options: Array<[string, number, string, unknown[]]> = [
    ['SACK with two blocks', 10, '0101 0512 0000 0100 0000 0200 0000 0300 0000 0400',
      [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [[256, 512], [768, 1024]] }]],
    ['timestamps', 8, '0101 080a 0000 0001 ffff ffff',
      [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', tsval: 1, tsecr: 0xffffffff }]],
    ['EOL stops', 7, '0204 05b4 0001 0303 0700 0000', [{ kind: 'mss', value: 1460 }, { kind: 'eol' }]],
    ['unknown option kept as other', 8, '1e04 abcd 0101 0303 0701 0101', // MPTCP-ish kind 30
      [{ kind: 'other', type: 30, data: hex('abcd') }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'ws', shift: 7 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'nop' }]],
    ['bad length 1 ends parsing', 7, '0303 0702 0100 0000 0000 0000', [{ kind: 'ws', shift: 7 }]],
    ['length past the header ends parsing', 6, '0101 0208', [{ kind: 'nop' }, { kind: 'nop' }]],
    ['MSS with the wrong length ends parsing', 6, '0205 05b4', []],
  ];
  it.each(options)('options: %s', (_name, dataOffset, bytes, expected) => {
    expect(segmentOf(decode(tcpWith(dataOffset, bytes))).options).toEqual(expected);
  });

  it('flags, window, urgent and payload length', () => {
    const s = segmentOf(decode(tcpWith(5, '', 3)));
    expect(s).toMatchObject({ seq: 40960, ack: 0xb000, flags: ACK, window: 512, payloadLen: 3, options: [] });
  });

  it('options cut by the capture: decode what is there', () => {
    const r = tcpWith(8, '0204 05b4 0101 080a 0000 0001 0000 0000');
    r.data = r.data.subarray(0, 20 + 20 + 8); // caplen ends inside the TS option
    expect(segmentOf(decode(r)).options).toEqual([{ kind: 'mss', value: 1460 }, { kind: 'nop' }, { kind: 'nop' }]);
  });

  it.each([0, 4])('data offset %i is malformed', (dataOffset) => {
    expect(decode(tcpWith(dataOffset, ''))).toEqual({ kind: 'skipped', reason: 'malformed', detail: `TCP data offset ${dataOffset} < 5` });
  });

  it('data offset beyond the IP payload is malformed', () => {
    expect(decode(tcpWith(15, ''))).toMatchObject({ reason: 'malformed' });
  });

  it('TCP header cut by the capture is truncated', () => {
    const r = tcpWith(5, '');
    r.data = r.data.subarray(0, 39);
    expect(decode(r)).toEqual({ kind: 'skipped', reason: 'truncated', detail: 'TCP header' });
  });

  it('never throws on random bytes, whatever the link type', () => {
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    for (const linkType of [0, 1, 12, 101, 108, 113, 228, 229, 276]) {
      for (let i = 0; i < 2000; i++) {
        const data = Uint8Array.from({ length: rand() % 120 }, () => rand() & 0xff);
        if (i % 3 === 0 && data.length > 20) data[0] = (data[0] ?? 0) & 0x0f | 0x40; // reach deeper layers
        expect(() => decode(record(linkType, data))).not.toThrow();
      }
    }
  });
});
