/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers: addresses, the transport protocol, and how many
 * transport bytes the IP header says follow (not how many were captured: snapped packets).
 */
import { skip, u16, u8, type Skipped } from './bytes.js';

export interface IpPacket {
  version: 4 | 6;
  src: string;
  dst: string;
  /** IPv4 protocol or the IPv6 next header after the extension headers. */
  protocol: number;
  /** Where the transport header starts in the record's data, and its length by the IP header. */
  l4Offset: number;
  l4Length: number;
}

const PROTOCOL_NAMES: Record<number, string> = {
  1: 'ICMP', 2: 'IGMP', 4: 'IP-in-IP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 58: 'ICMPv6', 59: 'no next header',
  89: 'OSPF', 103: 'PIM', 112: 'VRRP', 132: 'SCTP',
};

export function protocolName(p: number): string {
  const name = PROTOCOL_NAMES[p];
  return name === undefined ? `protocol ${p}` : `protocol ${p} (${name})`;
}

/** `expected` is the version the link layer announced, 0 when only the nibble can tell. */
export function decodeIp(d: Uint8Array, offset: number, expected: 0 | 4 | 6): IpPacket | Skipped {
  if (offset >= d.length) return skip('truncated', 'no IP header');
  const version = u8(d, offset) >> 4;
  if (expected !== 0 && version !== expected) {
    return skip('malformed', `link layer says IPv${expected}, header says version ${version}`);
  }
  if (version === 4) return decodeIpv4(d, offset);
  if (version === 6) return decodeIpv6(d, offset);
  return skip('not-ip', `IP version ${version}`);
}

function decodeIpv4(d: Uint8Array, o: number): IpPacket | Skipped {
  if (d.length - o < 20) return skip('truncated', 'IPv4 header');
  const headerLen = (u8(d, o) & 0x0f) * 4;
  if (headerLen < 20) return skip('malformed', `IPv4 header length ${headerLen} < 20`);
  if (d.length - o < headerLen) return skip('truncated', 'IPv4 options');
  // Total length 0: TCP segmentation offload handed the packet to the capture before the NIC filled
  // it in; the captured bytes are all there is.
  let totalLen = u16(d, o + 2);
  if (totalLen === 0) totalLen = d.length - o;
  if (totalLen < headerLen) return skip('malformed', `IPv4 total length ${totalLen} < header length ${headerLen}`);
  const fragment = u16(d, o + 6);
  if ((fragment & 0x3fff) !== 0) return skip('fragment', 'IPv4 fragment');
  const protocol = u8(d, o + 9);
  return {
    version: 4,
    src: ipv4Text(d, o + 12),
    dst: ipv4Text(d, o + 16),
    protocol,
    l4Offset: o + headerLen,
    l4Length: totalLen - headerLen,
  };
}

function decodeIpv6(d: Uint8Array, o: number): IpPacket | Skipped {
  if (d.length - o < 40) return skip('truncated', 'IPv6 header');
  const payloadLen = u16(d, o + 4);
  let next = u8(d, o + 6);
  let pos = o + 40;
  // Extension headers (RFC 8200 §4); each takes at least 8 bytes, so the walk ends.
  for (;;) {
    let len: number;
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      if (pos + 8 > d.length) return skip('truncated', 'IPv6 extension header');
      len = (u8(d, pos + 1) + 1) * 8;
    } else if (next === 51) { // AH: length in 4-byte units, minus 2
      if (pos + 8 > d.length) return skip('truncated', 'IPv6 authentication header');
      len = (u8(d, pos + 1) + 2) * 4;
    } else if (next === 44) {
      if (pos + 8 > d.length) return skip('truncated', 'IPv6 fragment header');
      const offsetAndM = u16(d, pos + 2);
      // An atomic fragment (offset 0, no more fragments; RFC 6946) is a whole packet.
      if ((offsetAndM & 0xfff9) !== 0) return skip('fragment', 'IPv6 fragment');
      len = 8;
    } else {
      break;
    }
    next = u8(d, pos);
    pos += len;
  }
  if (pos > d.length) return skip('truncated', 'IPv6 extension header');
  // Payload length 0: a jumbogram (RFC 2675) or offload; use what was captured.
  const l4Length = payloadLen === 0 ? d.length - pos : payloadLen - (pos - o - 40);
  if (l4Length < 0) return skip('malformed', `IPv6 payload length ${payloadLen} is shorter than its extension headers`);
  return { version: 6, src: ipv6Text(d, o + 8), dst: ipv6Text(d, o + 24), protocol: next, l4Offset: pos, l4Length };
}

export function ipv4Text(d: Uint8Array, o: number): string {
  return `${u8(d, o)}.${u8(d, o + 1)}.${u8(d, o + 2)}.${u8(d, o + 3)}`;
}

/**
 * RFC 5952 §4: lower-case hex without leading zeros, the longest run of two or more zero groups
 * (the first on a tie) as `::`; IPv4-mapped addresses (::ffff:0:0/96) end in dotted quad (§5).
 */
export function ipv6Text(d: Uint8Array, o: number): string {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if (u16(d, o + 2 * i) !== 0) {
      runStart = -1;
      continue;
    }
    if (runStart < 0) runStart = i;
    if (i - runStart + 1 > bestLen) {
      bestStart = runStart;
      bestLen = i - runStart + 1;
    }
  }
  if (bestLen < 2) bestStart = -1;
  if (bestStart === 0 && bestLen === 5 && u16(d, o + 10) === 0xffff) return `::ffff:${ipv4Text(d, o + 12)}`;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (i > 0 && i !== bestStart + bestLen) s += ':';
    s += u16(d, o + 2 * i).toString(16);
  }
  return s;
}
