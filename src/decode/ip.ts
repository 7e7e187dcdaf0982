/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers: where the addresses are, the transport protocol,
 * and how many transport bytes the IP header says follow (not how many were captured: snapped
 * packets). Addresses become text only when asked for (ipv4Text, ipv6Text).
 */
import { u16, u8 } from './bytes.js';
import type { Frame } from './frame.js';
import type { SkipInfo } from './segment.js';

const PROTOCOL_NAMES: Record<number, string> = {
  1: 'ICMP', 2: 'IGMP', 4: 'IP-in-IP', 17: 'UDP', 41: 'IPv6', 47: 'GRE', 50: 'ESP', 51: 'AH', 58: 'ICMPv6', 59: 'no next header',
  89: 'OSPF', 103: 'PIM', 108: 'IPComp', 112: 'VRRP', 132: 'SCTP',
};

export function protocolName(p: number): string {
  const name = PROTOCOL_NAMES[p];
  return name === undefined ? `protocol ${p}` : `protocol ${p} (${name})`;
}

/** Each way the IP layer refuses a record, and what it says. */
export const IP_SKIPS = {
  'ip-missing': { reason: 'truncated', detail: 'no IP header' },
  'ip-version-mismatch': { reason: 'malformed', detail: (expected, version) => `link layer says IPv${expected}, header says version ${version}` },
  'ip-version': { reason: 'not-ip', detail: (version) => `IP version ${version}` },
  'ipv4-cut': { reason: 'truncated', detail: 'IPv4 header' },
  'ipv4-header-length': { reason: 'malformed', detail: (headerLen) => `IPv4 header length ${headerLen} < 20` },
  'ipv4-options-cut': { reason: 'truncated', detail: 'IPv4 options' },
  'ipv4-total-length': { reason: 'malformed', detail: (totalLen, headerLen) => `IPv4 total length ${totalLen} < header length ${headerLen}` },
  'ipv4-fragment': { reason: 'fragment', detail: 'IPv4 fragment' },
  'ipv4-auth-cut': { reason: 'truncated', detail: 'IPv4 authentication header' },
  'ipv6-cut': { reason: 'truncated', detail: 'IPv6 header' },
  'ipv6-extension-cut': { reason: 'truncated', detail: 'IPv6 extension header' },
  'ipv6-auth-cut': { reason: 'truncated', detail: 'IPv6 authentication header' },
  'ipv6-fragment-cut': { reason: 'truncated', detail: 'IPv6 fragment header' },
  'ipv6-fragment': { reason: 'fragment', detail: 'IPv6 fragment' },
  'ipv6-payload-length': { reason: 'malformed', detail: (payloadLen) => `IPv6 payload length ${payloadLen} is shorter than its extension headers` },
  'not-tcp': { reason: 'not-tcp', detail: (version, protocol) => `IPv${version} ${protocolName(protocol)}` },
} as const satisfies Record<string, SkipInfo>;

export type IpSkip = keyof typeof IP_SKIPS;

/**
 * From `f.ipAt` (the link layer's answer) to the TCP header: sets `f.ipVersion`, `f.srcAt`,
 * `f.dstAt`, `f.tcpAt` and `f.tcpLength`, or says why there is no TCP header to read.
 */
export function ipLayer(f: Frame): IpSkip | undefined {
  const o = f.ipAt;
  if (o >= f.end) return 'ip-missing';
  const version = f.view.getUint8(o) >> 4;
  const expected = f.linkVersion;
  if (expected !== 0 && version !== expected) return f.skip('ip-version-mismatch', expected, version);
  if (version === 4) return ipv4(f, o);
  if (version === 6) return ipv6(f, o);
  return f.skip('ip-version', version);
}

function ipv4(f: Frame, o: number): IpSkip | undefined {
  const v = f.view;
  const captured = f.end - o;
  if (captured < 20) return 'ipv4-cut';
  const headerLen = (v.getUint8(o) & 0x0f) * 4;
  if (headerLen < 20) return f.skip('ipv4-header-length', headerLen);
  if (captured < headerLen) return 'ipv4-options-cut';
  // Total length 0: TCP segmentation offload handed the packet to the capture before the NIC filled
  // it in; the captured bytes are all there is.
  let totalLen = v.getUint16(o + 2);
  if (totalLen === 0) totalLen = captured;
  // A total length beyond the packet's length on the wire: tshark takes the packet's (its expert
  // note "IPv4 total length exceeds packet length"), and so does the TCP length read from it.
  else if (totalLen > f.wireEnd - o) totalLen = f.wireEnd - o;
  if (totalLen < headerLen) return f.skip('ipv4-total-length', totalLen, headerLen);
  f.ipVersion = 4;
  f.srcAt = o + 12;
  f.dstAt = o + 16;
  f.tcpAt = o + headerLen;
  f.tcpLength = totalLen - headerLen;
  // A fragment or another protocol leaves the payload's place set too: the reassembler
  // (fragments.ts) and the tunnel layer (tunnel.ts) start from it.
  // A first fragment the capture cut (snap length), or one whose total length claims more than the
  // packet holds, can never be reassembled: tshark reads the TCP header in it, and so does this
  // layer (packet-ip.c dissects a first fragment whose bytes are not all there).
  const fragment = v.getUint16(o + 6) & 0x3fff;
  if (fragment !== 0 && (fragment !== 0x2000 || o + Math.max(totalLen, v.getUint16(o + 2)) <= f.end)) return 'ipv4-fragment';
  f.firstFragment = fragment !== 0;
  const protocol = v.getUint8(o + 9);
  if (protocol !== 6) return protocol === 51 ? ipv4Auth(f, o + headerLen) : f.skip('not-tcp', 4, protocol);
  return undefined;
}

/**
 * IPv4's authentication header (RFC 4302 §2: next header, length in 4-byte words minus 2): the
 * TCP header after it, as IPv6's walk skips it.
 */
function ipv4Auth(f: Frame, at: number): IpSkip | undefined {
  const v = f.view;
  if (at + 12 > f.end) return 'ipv4-auth-cut';
  const len = (v.getUint8(at + 1) + 2) * 4;
  const next = v.getUint8(at);
  if (len > f.tcpLength || at + len > f.end) return 'ipv4-auth-cut';
  f.tcpAt = at + len;
  f.tcpLength -= len;
  if (next !== 6) return f.skip('not-tcp', 4, next);
  return undefined;
}

function ipv6(f: Frame, o: number): IpSkip | undefined {
  const v = f.view;
  const end = f.end;
  if (end - o < 40) return 'ipv6-cut';
  const payloadLen = v.getUint16(o + 4);
  let next = v.getUint8(o + 6);
  let pos = o + 40;
  // Extension headers (RFC 8200 §4); each takes at least 8 bytes, so the walk ends.
  while (next !== 6) {
    let len: number;
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      if (pos + 8 > end) return 'ipv6-extension-cut';
      len = (v.getUint8(pos + 1) + 1) * 8;
    } else if (next === 51) { // AH: length in 4-byte units, minus 2
      if (pos + 8 > end) return 'ipv6-auth-cut';
      len = (v.getUint8(pos + 1) + 2) * 4;
    } else if (next === 44) {
      if (pos + 8 > end) return 'ipv6-fragment-cut';
      // An atomic fragment (offset 0, no more fragments; RFC 6946) is a whole packet.
      if ((v.getUint16(pos + 2) & 0xfff9) !== 0) return ipv6Fragment(f, o, pos, payloadLen);
      len = 8;
    } else {
      break;
    }
    next = v.getUint8(pos);
    pos += len;
  }
  if (pos > end) return 'ipv6-extension-cut';
  // Payload length 0: a jumbogram (RFC 2675) or offload; use what was captured.
  const tcpLength = payloadLen === 0 ? end - pos : payloadLen - (pos - o - 40);
  if (tcpLength < 0) return f.skip('ipv6-payload-length', payloadLen);
  f.firstFragment = false;
  f.ipVersion = 6;
  f.srcAt = o + 8;
  f.dstAt = o + 24;
  f.tcpAt = pos;
  f.tcpLength = tcpLength;
  if (next !== 6) return f.skip('not-tcp', 6, next);
  return undefined;
}

/** A fragment: its header's place (`f.tcpAt`) and the bytes from there to the datagram's end, for the reassembler. */
function ipv6Fragment(f: Frame, o: number, at: number, payloadLen: number): IpSkip {
  f.ipVersion = 6;
  f.srcAt = o + 8;
  f.dstAt = o + 24;
  f.tcpAt = at;
  f.tcpLength = payloadLen - (at - o - 40);
  return 'ipv6-fragment';
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
