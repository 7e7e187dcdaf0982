/**
 * The tunnel layer (decode/tunnel.ts) through the one decoder, on hand-built packets laid out as
 * the standards draw them (RFC 2003, 2784/2890, 7348, 8926, 4380; ERSPAN as Wireshark reads it;
 * 3GPP TS 29.281, RFC 2661): the inner segment, the tunnel it came through, and what it refuses. The real
 * VXLAN captures are fixtures (tunnel-vxlan, tunnel-vxlan6, fragments-vxlan).
 */
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyze.js';
import { SegmentDecoder } from '../../src/decode/decoder.js';
import { flowJson } from '../../src/render/json.js';
import { concat as cat, hex } from './bytes.js';
import { ETH_IPV4, IPV4_SYN, IPV6_EXT_FIN, decodeBytes, ipv4, record, segmentOf, udp, vxlan } from './decoding.js';

/** An IPv6 header around `payload`: next header, 2001:db8::5 > 2001:db8::6. */
function ipv6(next: number, payload: Uint8Array): Uint8Array {
  const len = payload.length.toString(16).padStart(4, '0');
  return cat(hex(`6000 0000 ${len} ${next.toString(16).padStart(2, '0')}40 2001 0db8 0000 0000 0000 0000 0000 0005 2001 0db8 0000 0000 0000 0000 0000 0006`), payload);
}

const OUTER = { src: '10.0.0.5', dst: '10.0.0.6' };
const INNER = { src: '192.168.0.1', dst: '192.168.0.2', srcPort: 54210, dstPort: 80, srcV4: undefined };

describe('tunnels: the segment inside, and the tunnel it came through', () => {
  const cases: Array<[string, Uint8Array, object, object]> = [
    ['IP-in-IP (protocol 4)', ipv4(4, IPV4_SYN), INNER, { type: 'ip-in-ip', outer: OUTER }],
    ['6in4 (protocol 41)', ipv4(41, IPV6_EXT_FIN), { src: '2001:db8::1', srcPort: 443 }, { type: 'ipv6-in-ip', outer: OUTER }],
    ['IPv4 in IPv6 (next header 4)', ipv6(4, IPV4_SYN), INNER, { type: 'ip-in-ip', outer: { src: '2001:db8::5', dst: '2001:db8::6' } }],
    ['nested IP-in-IP: the innermost tunnel', ipv4(4, ipv4(4, IPV4_SYN, '0a000105', '0a000106')), INNER, { type: 'ip-in-ip', outer: { src: '10.0.1.5', dst: '10.0.1.6' } }],
    ['GRE, no options', ipv4(47, cat(hex('0000 0800'), IPV4_SYN)), INNER, { type: 'gre', outer: OUTER }],
    ['GRE with checksum, key 5 and sequence', ipv4(47, cat(hex('b000 0800 abcd 0000 0000 0005 0000 0007'), IPV4_SYN)), INNER, { type: 'gre', id: 5, outer: OUTER }],
    // NVGRE (RFC 7637): K set, key = VSID 42 << 8 | FlowID 1, transparent Ethernet bridging
    ['GRE transparent Ethernet bridging (NVGRE)', ipv4(47, cat(hex('2000 6558 0000 2a01'), ETH_IPV4, IPV4_SYN)), INNER, { type: 'gre', id: 0x2a01, outer: OUTER }],
    ['ERSPAN type I (no sequence, no header)', ipv4(47, cat(hex('0000 88be'), ETH_IPV4, IPV4_SYN)), INNER, { type: 'erspan', outer: OUTER }],
    // type II: version 1, VLAN 0 | COS, En, T, session 85 | index
    ['ERSPAN type II, session 85', ipv4(47, cat(hex('1000 88be 0000 0001  1000 0055 0000 0000'), ETH_IPV4, IPV4_SYN)), INNER, { type: 'erspan', id: 85, outer: OUTER }],
    // type III: version 2 ... session 7 | timestamp | SGT, P FT HW D Gra O=1 | 8-byte platform sub-header
    ['ERSPAN type III with a platform sub-header', ipv4(47, cat(hex('1000 22eb 0000 0001  2000 0007 0000 0000 0000 0001  0000 0000 0000 0000'), ETH_IPV4, IPV4_SYN)), INNER, { type: 'erspan', id: 7, outer: OUTER }],
    ['VXLAN VNI 42 (destination port 4789)', ipv4(17, udp(50000, 4789, vxlan(42, IPV4_SYN))), INNER, { type: 'vxlan', id: 42, outer: OUTER }],
    ['VXLAN, the well-known port as the source', ipv4(17, udp(4789, 50000, vxlan(7, IPV4_SYN))), INNER, { type: 'vxlan', id: 7 }],
    // options length 2 (8 bytes), protocol 0x6558, VNI 77; one option class/type/length 1 and its 4 bytes
    ['Geneve VNI 77 with 8 bytes of options', ipv4(17, udp(50000, 6081, cat(hex('0200 6558 0000 4d00  0102 0301 dead beef'), ETH_IPV4, IPV4_SYN))), INNER, { type: 'geneve', id: 77 }],
    ['Geneve carrying IPv4 directly (protocol 0x0800)', ipv4(17, udp(50000, 6081, cat(hex('0000 0800 0000 0100'), IPV4_SYN))), INNER, { type: 'geneve', id: 1 }],
    ['Teredo, plain', ipv4(17, udp(3544, 50000, IPV6_EXT_FIN)), { src: '2001:db8::1' }, { type: 'teredo', outer: OUTER }],
    // origin indication: type 0, port and address obfuscated
    ['Teredo with an origin indication', ipv4(17, udp(3544, 50000, cat(hex('0000 3ad3 3fff fffe'), IPV6_EXT_FIN))), { src: '2001:db8::1' }, { type: 'teredo' }],
    // authentication: type 1, id length 2, auth length 1, id, auth, nonce (8), confirmation; then an origin indication
    ['Teredo with authentication and origin indicators', ipv4(17, udp(50000, 3544, cat(hex('0001 0201 abcd ef 0102030405060708 00  0000 3ad3 3fff fffe'), IPV6_EXT_FIN))), { src: '2001:db8::1' }, { type: 'teredo' }],
    ['GTP-U G-PDU, TEID 0x1234', ipv4(17, udp(2152, 2152, cat(hex(`30ff 0028 0000 1234`), IPV4_SYN))), INNER, { type: 'gtp-u', id: 0x1234 }],
    // E set: sequence, N-PDU, next extension 0x85 (PDU session container: 1 word), then none
    ['GTP-U with an extension header', ipv4(17, udp(2152, 2152, cat(hex(`34ff 0030 0000 0009 0000 0085 0100 0100`), IPV4_SYN))), INNER, { type: 'gtp-u', id: 9 }],
    // L2TPv2 data as dpkt's nb6-http.pcap has it: flags 0x0002 (version 2, no L, S, O), tunnel 1527, session 1, PPP
    // K, S and A set, payload length, call id 0x4000, sequence, acknowledgement; PPP, address and control elided, protocol compressed
    ['PPTP (GRE version 1), call id 16384', ipv4(47, cat(hex('3081 880b 003d 4000 0000 0001 0000 0000 21'), IPV4_SYN)), INNER, { type: 'gre', id: 0x4000, outer: OUTER }],
    ['L2TP data message, tunnel 1527', ipv4(17, udp(1701, 1701, cat(hex('0002 05f7 0001 ff03 0021'), IPV4_SYN))), INNER, { type: 'l2tp', id: 1527, outer: OUTER }],
    // L, S and O set: length, tunnel 9, session 2, Ns, Nr, offset size 2 and its 2 bytes of padding; PPP with its protocol alone
    ['L2TP data message with length, sequence and offset', ipv4(17, udp(50000, 1701, cat(hex('4a02 0042 0009 0002 0001 0002 0002 0000 0021'), IPV4_SYN))), INNER, { type: 'l2tp', id: 9 }],
  ];
  it.each(cases)('%s', (_name, data, fields, via) => {
    const s = segmentOf(decodeBytes(101, data));
    expect(s).toMatchObject(fields);
    expect(s.via).toMatchObject(via);
  });

  it('a plain packet after a tunnelled one comes through no tunnel', () => {
    segmentOf(decodeBytes(101, ipv4(4, IPV4_SYN)));
    const s = segmentOf(decodeBytes(101, IPV4_SYN));
    expect(s.via).toBeUndefined();
    expect(s.srcV4).toBe(0xc0a80001 | 0);
  });
});

describe('tunnels: what is refused', () => {
  const cases: Array<[string, Uint8Array, string, string]> = [
    ['GRE cut', ipv4(47, hex('00')), 'truncated', 'GRE header'],
    ['GRE key cut', ipv4(47, hex('2000 0800 00')), 'truncated', 'GRE header'],
    ['GRE version 1 without its key', ipv4(47, hex('1001 880b 0000 0000')), 'not-ip', 'GRE version 1'],
    ['GRE version 1 header cut', ipv4(47, hex('3081 880b 0030 0000 0000 00')), 'truncated', 'GRE header'],
    // tcpdump's pptp.pcap: K and S set, version 1, payload length 48, call id 0, sequence 0; PPP LCP
    ['PPTP carrying LCP', ipv4(47, hex('3001 880b 0030 0000 0000 0000 ff03 c021 0100 002c')), 'not-ip', 'PPP protocol 0xc021'],
    ['GRE version 2', ipv4(47, hex('2002 880b 0000 0000')), 'not-ip', 'GRE version 2'],
    ['GRE carrying ARP', ipv4(47, cat(hex('0000 0806'), new Uint8Array(28))), 'not-ip', 'ethertype 0x0806 (ARP)'],
    ['ERSPAN II header cut', ipv4(47, hex('1000 88be 0000 0001 1000')), 'truncated', 'ERSPAN header'],
    ['VXLAN header cut', ipv4(17, udp(1, 4789, hex('0800'))), 'truncated', 'VXLAN header'],
    ['VXLAN inner Ethernet cut', ipv4(17, udp(1, 4789, hex('0800 0000 0000 2a00 0200'))), 'truncated', 'Ethernet header'],
    ['Geneve version 1', ipv4(17, udp(1, 6081, hex('4000 6558 0000 4d00'))), 'not-ip', 'Geneve version 1'],
    ['Geneve options past the end', ipv4(17, udp(1, 6081, hex('3f00 6558 0000 4d00'))), 'truncated', 'Geneve header'],
    ['GTP-U echo request', ipv4(17, udp(2152, 2152, hex('3201 0004 0000 0000 0001 0000'))), 'not-ip', 'GTP-U message type 1'],
    ['GTP-U extension past the end', ipv4(17, udp(2152, 2152, hex('34ff 0030 0000 0009 0000 0085 0500'))), 'truncated', 'GTP-U header'],
    ['Teredo bubble (no IPv6 inside)', ipv4(17, udp(3544, 1, hex('0000 3ad3 3fff fffe'))), 'not-tcp', 'IPv4 protocol 17 (UDP)'],
    ['UDP on another port', ipv4(17, udp(53, 53, vxlan(1, IPV4_SYN))), 'not-tcp', 'IPv4 protocol 17 (UDP)'],
    ['L2TP control message (T set): no packet inside', ipv4(17, udp(1701, 1701, hex('c802 0014 0000 0000 0000 0000'))), 'not-tcp', 'IPv4 protocol 17 (UDP)'],
    ['L2TPv3 over UDP: no tunnel read', ipv4(17, udp(1701, 1701, hex('0003 0000 0000 0001'))), 'not-tcp', 'IPv4 protocol 17 (UDP)'],
    ['L2TP header cut', ipv4(17, udp(1701, 1701, hex('4002 0042 00'))), 'truncated', 'L2TP header'],
    ['L2TP carrying LCP', ipv4(17, udp(1701, 1701, hex('0002 0001 0001 ff03 c021 0101 0004'))), 'not-ip', 'PPP protocol 0xc021'],
    ['an inner version that is not the one the protocol names', ipv4(4, IPV6_EXT_FIN), 'malformed', 'link layer says IPv4, header says version 6'],
  ];
  it.each(cases)('%s', (_name, data, reason, detail) => {
    expect(decodeBytes(101, data)).toEqual({ reason, detail });
  });

  it('nesting is bounded', () => {
    let p = IPV4_SYN;
    for (let i = 0; i < 12; i++) p = ipv4(4, p);
    expect(decodeBytes(101, p)).toEqual({ reason: 'malformed', detail: 'tunnels nested too deep' });
  });

  it('--vxlan-port: VXLAN on another port too, 4789 still', () => {
    const d = new SegmentDecoder({ vxlanPorts: [8472] });
    expect(d.decode(record(101, ipv4(17, udp(50000, 8472, vxlan(5, IPV4_SYN)))))).toBeUndefined();
    expect(d.segment.via).toMatchObject({ type: 'vxlan', id: 5 });
    expect(d.decode(record(101, ipv4(17, udp(50000, 4789, vxlan(6, IPV4_SYN)))))).toBeUndefined();
    expect(decodeBytes(101, ipv4(17, udp(50000, 8472, vxlan(5, IPV4_SYN))))).toEqual({ reason: 'not-tcp', detail: 'IPv4 protocol 17 (UDP)' });
  });

  it('--no-tunnels: a tunnel is its outer protocol', () => {
    const d = new SegmentDecoder({ tunnels: false });
    expect(d.decode(record(101, ipv4(17, udp(50000, 4789, vxlan(42, IPV4_SYN)))))).toBe('not-tcp');
    expect(d.skipDetail()).toBe('IPv4 protocol 17 (UDP)');
    expect(d.decode(record(101, ipv4(4, IPV4_SYN)))).toBe('not-tcp');
  });
});

describe('tunnels: connections', () => {
  it('the same inner 4-tuple in two VNIs is two connections, each with its tunnel in JSON', () => {
    const a = new Analyzer('x', { packets: false });
    a.onRecord({ ...record(101, ipv4(17, udp(50000, 4789, vxlan(42, IPV4_SYN)))), no: 1 });
    a.onRecord({ ...record(101, ipv4(17, udp(50000, 4789, vxlan(43, IPV4_SYN)), '0a000007', '0a000008')), no: 2 });
    a.onRecord({ ...record(101, IPV4_SYN), no: 3 });
    const r = a.finish(undefined, undefined);
    expect(r.flows.map((f) => f.via)).toEqual([
      { type: 'vxlan', id: 42, outer: OUTER },
      { type: 'vxlan', id: 43, outer: { src: '10.0.0.7', dst: '10.0.0.8' } },
      undefined,
    ]);
    const origin = { sec: 0, nsec: 0 };
    expect(flowJson(r.flows[0]!, origin, 'en')['via']).toEqual({ type: 'vxlan', vni: 42, outer: OUTER });
    expect(flowJson(r.flows[2]!, origin, 'en')).not.toHaveProperty('via');
  });

  it('GTP-U: a TEID each way is still one connection, shown with its first packet\'s TEID', () => {
    const a = new Analyzer('x', { packets: false });
    const gtp = (teid: string, inner: Uint8Array, src: string, dst: string): Uint8Array => ipv4(17, udp(2152, 2152, cat(hex(`30ff 0028 ${teid}`), inner)), src, dst);
    const synAck = IPV4_SYN.slice();
    synAck.set(IPV4_SYN.subarray(12, 16), 16);
    synAck.set(IPV4_SYN.subarray(16, 20), 12);
    synAck.set(hex('0050 d3c2'), 20);
    synAck[33] = 0x12;
    a.onRecord({ ...record(101, gtp('0000 0001', IPV4_SYN, '0a000005', '0a000006')), no: 1 });
    a.onRecord({ ...record(101, gtp('0000 0002', synAck, '0a000006', '0a000005')), no: 2 });
    const r = a.finish(undefined, undefined);
    expect(r.flows.map((f) => [f.handshake, f.via])).toEqual([['partial', { type: 'gtp-u', id: 1, outer: OUTER }]]);
  });
});

describe('IPv4 authentication header (RFC 4302)', () => {
  // AH: next header 6, length 4 (24 bytes: SPI, sequence, 12-byte ICV)
  const AH = hex('0604 0000 0000 1000 0000 0001 0000 0000 0000 0000 0000 0000');
  it('the TCP segment after it', () => {
    expect(segmentOf(decodeBytes(101, ipv4(51, cat(AH, IPV4_SYN.subarray(20)))))).toMatchObject({ srcPort: 54210, dstPort: 80, payloadLen: 0 });
  });
  it('cut', () => {
    expect(decodeBytes(101, ipv4(51, AH.subarray(0, 16)))).toEqual({ reason: 'truncated', detail: 'IPv4 authentication header' });
  });
  it('another protocol after it', () => {
    const ah17 = AH.slice();
    ah17[0] = 17;
    expect(decodeBytes(101, ipv4(51, cat(ah17, hex('0035 0035 0008 0000'))))).toEqual({ reason: 'not-tcp', detail: 'IPv4 protocol 17 (UDP)' });
  });
});
