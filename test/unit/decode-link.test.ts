/**
 * The link layer (decode/link.ts) through the one decoder: each row is a link header in annotated
 * hex before one of the packets in decoding.ts (their `tcpdump -X` dumps are there).
 */
import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/decode/segment.js';
import { concat as cat, hex } from './bytes.js';
import { IPV4_SYN, IPV6_EXT_FIN, SYN_OPTIONS, decodeBytes, v4 } from './decoding.js';

const ETH_V4 = hex('0200 0000 0002 0200 0000 0001 0800'); // dst, src, IPv4

describe('link layer: IPv4 behind each link type', () => {
  const cases: Array<[string, number, Uint8Array]> = [
    ['EN10MB', 1, cat(ETH_V4, IPV4_SYN)],
    ['EN10MB 802.1Q', 1, cat(hex('0200 0000 0002 0200 0000 0001 8100 0064 0800'), IPV4_SYN)],
    ['EN10MB 802.1ad + 802.1Q stacked', 1, cat(hex('0200 0000 0002 0200 0000 0001 88a8 00c8 8100 0064 0800'), IPV4_SYN)],
    ['EN10MB 0x9100 QinQ', 1, cat(hex('0200 0000 0002 0200 0000 0001 9100 00c8 8100 0064 0800'), IPV4_SYN)],
    // Cisco FabricPath (nDPI's ajp.pcap): switch addresses, the tag 0x8903 with FTag and TTL, then the Ethernet frame
    ['EN10MB Cisco FabricPath', 1, cat(hex('020a bd00 0000 020a bc00 0000 8903 4020'), ETH_V4, IPV4_SYN)],
    ['EN10MB 802.1Q, then Cisco FabricPath', 1, cat(hex('020a bd00 0000 020a bc00 0000 8100 0064 8903 4020'), ETH_V4, IPV4_SYN)],
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
    // IPOIB (tcpdump's ipoib.pcap #1): 20 bytes, destination QPN 0x000550 and GID fe80::10:e000:664a:b451, EtherType, reserved
    ['IPOIB', 242, cat(hex('0000 0000 0000 0000 0000 0000 0000 0000 2fa3 000a 8000 0550 fe80 0000 0000 0000 0010 e000 664a b451 0800 0000'), IPV4_SYN)],
  ];
  it.each(cases)('%s', (_name, linkType, data) => {
    expect(decodeBytes(linkType, data)).toEqual({
      no: 7, tsSec: 1700000000, tsNsec: 123456000, ipVersion: 4, src: '192.168.0.1', dst: '192.168.0.2',
      srcV4: v4('192.168.0.1'), dstV4: v4('192.168.0.2'), srcPort: 54210, dstPort: 80, seq: 40960, ack: 0, flags: TcpFlag.SYN,
      window: 64240, urgent: 0, payloadLen: 0, ttl: 64, headerCut: false, options: SYN_OPTIONS,
    });
  });
});

describe('link layer: IPv6 behind each link type', () => {
  const cases: Array<[string, number, Uint8Array]> = [
    ['EN10MB IPv6', 1, cat(hex('0200 0000 0002 0200 0000 0001 86dd'), IPV6_EXT_FIN)],
    ['NULL AF_INET6 24 (BSD)', 0, cat(hex('1800 0000'), IPV6_EXT_FIN)],
    ['NULL AF_INET6 28 (FreeBSD)', 0, cat(hex('1c00 0000'), IPV6_EXT_FIN)],
    ['NULL AF_INET6 30 (macOS)', 0, cat(hex('1e00 0000'), IPV6_EXT_FIN)],
    ['LOOP AF_INET6 30', 108, cat(hex('0000 001e'), IPV6_EXT_FIN)],
    ['RAW IPv6', 101, IPV6_EXT_FIN],
    ['IPV6 229', 229, IPV6_EXT_FIN],
    ['LINUX_SLL IPv6 in VLAN', 113, cat(hex('0000 0001 0006 0200 0000 0001 0000 8100 0064 86dd'), IPV6_EXT_FIN)],
    ['LINUX_SLL2 IPv6', 276, cat(hex('86dd 0000 0000 0002 0001 00 06 0200 0000 0001 0000'), IPV6_EXT_FIN)],
    ['MPLS one label, IPv6', 1, cat(hex('0200 0000 0002 0200 0000 0001 8847 0001 41ff'), IPV6_EXT_FIN)],
  ];
  it.each(cases)('%s', (_name, linkType, data) => {
    expect(decodeBytes(linkType, data)).toEqual({
      no: 7, tsSec: 1700000000, tsNsec: 123456000, ipVersion: 6, src: '2001:db8::1', dst: '2001:db8::2',
      srcV4: undefined, dstV4: undefined, srcPort: 443, dstPort: 50000, seq: 1, ack: 2, flags: TcpFlag.FIN | TcpFlag.ACK,
      window: 512, urgent: 0, payloadLen: 0, ttl: 64, headerCut: false, options: [],
    });
  });
});

describe('link layer: records it refuses, with the reason and its message', () => {
  const cases: Array<[string, number, Uint8Array, string, string]> = [
    ['IPoIB with its header cut', 242, hex('0000 0000 0000 0000 0000 0000 0000 0000 2fa3 000a 8000 0550 fe80 0000 0000 0000 0010 e000 664a b451 0800'), 'truncated', 'IP over InfiniBand header'],
    ['an unknown link type', 4242, IPV4_SYN, 'unsupported-link', 'link type 4242 is not supported'],
    ['ARP', 1, hex('ffff ffff ffff 0200 0000 0001 0806 0001 0800 0604 0001'), 'not-ip', 'ethertype 0x0806 (ARP)'],
    ['an unnamed EtherType', 1, hex('ffff ffff ffff 0200 0000 0001 1234 0001'), 'not-ip', 'ethertype 0x1234'],
    ['802.3 LLC', 1, hex('0180 c200 0000 0200 0000 0001 0026 4242 03'), 'not-ip', '802.3 frame (LLC)'],
    ['a short Ethernet header', 1, hex('0200 0000 0002 0200'), 'truncated', 'Ethernet header'],
    ['a VLAN tag cut', 1, hex('0200 0000 0002 0200 0000 0001 8100 00'), 'truncated', 'VLAN tag'],
    ['MPLS without bottom of stack', 1, hex('0200 0000 0002 0200 0000 0001 8847 0001 40ff'), 'truncated', 'MPLS label'],
    ['MPLS with nothing after the label', 1, hex('0200 0000 0002 0200 0000 0001 8847 0001 41ff'), 'truncated', 'MPLS payload'],
    ['MPLS carrying Ethernet', 1, hex('0200 0000 0002 0200 0000 0001 8847 0001 41ff 0000'), 'not-ip', 'MPLS payload is not IP'],
    ['a short loopback header', 0, hex('0200'), 'truncated', 'loopback header'],
    ['loopback family AF_APPLETALK', 0, cat(hex('1000 0000'), IPV4_SYN), 'not-ip', 'loopback address family 16'],
    ['a short Linux cooked header', 113, hex('0000 0001 0006 0200'), 'truncated', 'Linux cooked header'],
    ['a short Linux cooked v2 header', 276, hex('0800 0000 0000 0002'), 'truncated', 'Linux cooked v2 header'],
    ['EtherType IPv4 before an IPv6 header', 1, cat(ETH_V4, IPV6_EXT_FIN), 'malformed', 'link layer says IPv4, header says version 6'],
    ['IPV6 229 before an IPv4 header', 229, IPV4_SYN, 'malformed', 'link layer says IPv6, header says version 4'],
    ['raw IP version 5', 101, hex('5500 0014 0000 0000 4006 0000 0a00 0001 0a00 0002'), 'not-ip', 'IP version 5'],
    ['an empty raw record', 101, new Uint8Array(0), 'truncated', 'no IP header'],
  ];
  it.each(cases)('%s', (_name, linkType, data, reason, detail) => {
    expect(decodeBytes(linkType, data)).toEqual({ reason, detail });
  });
});
