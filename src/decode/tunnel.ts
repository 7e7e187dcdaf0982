/**
 * Tunnels (docs/contract.md, "Tunnels"): an IP packet whose payload is another packet. Called only
 * when the IP layer found no TCP (`not-tcp`, its version and protocol in `f.a` and `f.b`, the
 * payload at `f.tcpAt`), so a plain TCP packet never comes here. Opens IP-in-IP and IPv6-in-IP
 * (RFC 2003, RFC 4213: protocols 4 and 41), GRE (RFC 2784, RFC 2890: checksum, key, sequence; its
 * transparent Ethernet bridging, NVGRE's too, RFC 7637; ERSPAN I, II and III; PPTP's version 1,
 * RFC 2637, with PPP inside), and by UDP port
 * VXLAN (RFC 7348, 4789), Geneve (RFC 8926, 6081), Teredo (RFC 4380, 3544), GTP-U (3GPP TS
 * 29.281, 2152) and L2TP's data messages (RFC 2661, 1701: PPP inside). It leaves the inner packet's start in `f.ipAt` (or hands an inner Ethernet frame
 * to link.ts), and the tunnel it opened in `f.via*`: the innermost one wins.
 */
import { u16, u32, u8 } from './bytes.js';
import type { Frame } from './frame.js';
import type { EthertypeSkip } from './ethertype.js';
import { afterEthertype, ethernetAt, ip, pppFrame } from './ethertype.js';
import type { SkipInfo, TunnelType } from './segment.js';
import { TUNNEL_TYPES } from './segment.js';

/** Each way the tunnel layer refuses a record it knows to be a tunnel, and what it says. */
export const TUNNEL_SKIPS = {
  'gre-cut': { reason: 'truncated', detail: 'GRE header' },
  'gre-unsupported': { reason: 'not-ip', detail: (flags) => `GRE version ${flags & 7}${flags & 0x4000 ? ' with routing' : ''}` },
  'erspan-cut': { reason: 'truncated', detail: 'ERSPAN header' },
  'vxlan-cut': { reason: 'truncated', detail: 'VXLAN header' },
  'geneve-cut': { reason: 'truncated', detail: 'Geneve header' },
  'geneve-version': { reason: 'not-ip', detail: (version) => `Geneve version ${version}` },
  'gtp-cut': { reason: 'truncated', detail: 'GTP-U header' },
  'gtp-not-ip': { reason: 'not-ip', detail: (type) => `GTP-U message type ${type}` },
  'l2tp-cut': { reason: 'truncated', detail: 'L2TP header' },
  'tunnel-depth': { reason: 'malformed', detail: 'tunnels nested too deep' },
} as const satisfies Record<string, SkipInfo>;

export type TunnelSkip = keyof typeof TUNNEL_SKIPS;

/** How many tunnels deep a packet is opened; each layer moves forward, so this only bounds the work. */
export const MAX_TUNNEL_DEPTH = 8;

const VXLAN_PORT = 4789;
const GENEVE_PORT = 6081;
const TEREDO_PORT = 3544;
const GTP_U_PORT = 2152;
const L2TP_PORT = 1701;

const typeNo = (t: TunnelType): number => TUNNEL_TYPES.indexOf(t) + 1;
const IP_IN_IP = typeNo('ip-in-ip');
const IPV6_IN_IP = typeNo('ipv6-in-ip');
const GRE = typeNo('gre');
const ERSPAN = typeNo('erspan');
const VXLAN = typeNo('vxlan');
const GENEVE = typeNo('geneve');
const TEREDO = typeNo('teredo');
const GTP_U = typeNo('gtp-u');
const L2TP = typeNo('l2tp');

/** Notes the tunnel being opened: the outer header's addresses are still the frame's. */
function enter(f: Frame, type: number, id: number): void {
  f.viaType = type;
  f.viaId = id;
  f.viaVersion = f.ipVersion;
  f.viaBytes = f.bytes;
  f.viaSrcAt = f.srcAt;
  f.viaDstAt = f.dstAt;
}


/**
 * The packet inside, when the payload is a tunnel: undefined (the inner IP header at `f.ipAt`),
 * or the reason its inside cannot be read; `not-tcp` (with `f.a`, `f.b` untouched) when the
 * payload is no tunnel.
 */
export function tunnelLayer(f: Frame, vxlanPorts: ReadonlySet<number> | undefined): TunnelSkip | EthertypeSkip | 'not-tcp' | undefined {
  const at = f.tcpAt;
  switch (f.b) {
    case 4:
      enter(f, IP_IN_IP, -1);
      return ip(f, at, 4);
    case 41:
      enter(f, IPV6_IN_IP, -1);
      return ip(f, at, 6);
    case 47:
      return gre(f, at);
    case 17:
      return udp(f, at, vxlanPorts);
    default:
      return 'not-tcp';
  }
}

function gre(f: Frame, o: number): TunnelSkip | EthertypeSkip | undefined {
  const d = f.bytes;
  const end = f.end;
  if (end - o < 4) return 'gre-cut';
  const flags = u16(d, o);
  const protocol = u16(d, o + 2);
  if ((flags & 7) === 1 && protocol === 0x880b) return pptp(f, o, flags);
  // Routing (R) is obsolete (RFC 2784 §2.1); no other version is defined.
  if ((flags & 7) !== 0 || (flags & 0x4000) !== 0) return f.skip('gre-unsupported', flags);
  let pos = o + 4;
  if (flags & 0x8000) pos += 4; // checksum and reserved
  let key = -1;
  if (flags & 0x2000) {
    if (pos + 4 > end) return 'gre-cut';
    key = u32(d, pos);
    pos += 4;
  }
  const sequenced = (flags & 0x1000) !== 0;
  if (sequenced) pos += 4;
  if (pos > end) return 'gre-cut';
  switch (protocol) {
    case 0x6558: // transparent Ethernet bridging (gretap; NVGRE: the key is VSID and FlowID)
      enter(f, GRE, key);
      return ethernetAt(f, pos);
    case 0x88be: // ERSPAN type II (a sequence number) or type I (none, and no ERSPAN header)
      if (!sequenced) {
        enter(f, ERSPAN, -1);
        return ethernetAt(f, pos);
      }
      if (pos + 8 > end) return 'erspan-cut';
      enter(f, ERSPAN, u16(d, pos + 2) & 0x3ff);
      return ethernetAt(f, pos + 8);
    case 0x22eb: { // ERSPAN type III: 12 bytes, and 8 more when the O bit says a platform sub-header follows
      if (pos + 12 > end) return 'erspan-cut';
      const platform = (u8(d, pos + 11) & 1) === 1 ? 8 : 0;
      enter(f, ERSPAN, u16(d, pos + 2) & 0x3ff);
      return ethernetAt(f, pos + 12 + platform);
    }
    default: // IPv4, IPv6, MPLS, ...: named by EtherType
      enter(f, GRE, key);
      return afterEthertype(f, protocol, pos);
  }
}

/**
 * PPTP's enhanced GRE (RFC 2637 §4.1): flags with the key present, version 1, protocol 0x880b; the
 * key is the payload length and the call id; a sequence number (S) and an acknowledgement number
 * (A, the second flag byte's 0x80) may follow; then a PPP frame. The id is the call id, which
 * each end picks for the other, so it differs by direction.
 */
function pptp(f: Frame, o: number, flags: number): TunnelSkip | EthertypeSkip | undefined {
  if ((flags & 0x2000) === 0 || (flags & 0xc000) !== 0) return f.skip('gre-unsupported', flags);
  let pos = o + 8;
  if (flags & 0x1000) pos += 4;
  if (flags & 0x0080) pos += 4;
  if (pos > f.end) return 'gre-cut';
  enter(f, GRE, u16(f.bytes, o + 6));
  return pppFrame(f, pos);
}

function udp(f: Frame, o: number, vxlanPorts: ReadonlySet<number> | undefined): TunnelSkip | EthertypeSkip | 'not-tcp' | undefined {
  if (f.end - o < 8) return 'not-tcp';
  const d = f.bytes;
  const src = u16(d, o);
  const dst = u16(d, o + 2);
  // `--vxlan-port`: VXLAN on a port of the user's (Linux's old default 8472, Flannel's).
  if (vxlanPorts !== undefined && (vxlanPorts.has(dst) || vxlanPorts.has(src))) return vxlan(f, o + 8);
  // The well-known port on either side, as Wireshark's port tables match.
  const port = isTunnelPort(dst) ? dst : src;
  switch (port) {
    case VXLAN_PORT:
      return vxlan(f, o + 8);
    case GENEVE_PORT:
      return geneve(f, o + 8);
    case TEREDO_PORT:
      return teredo(f, o + 8);
    case GTP_U_PORT:
      return gtpU(f, o + 8);
    case L2TP_PORT:
      return l2tp(f, o + 8);
    default:
      return 'not-tcp';
  }
}

function isTunnelPort(p: number): boolean {
  return p === VXLAN_PORT || p === GENEVE_PORT || p === TEREDO_PORT || p === GTP_U_PORT || p === L2TP_PORT;
}

/** VXLAN: flags, 3 reserved bytes, the VNI (24 bits), a reserved byte; then an Ethernet frame. */
function vxlan(f: Frame, o: number): TunnelSkip | EthertypeSkip | undefined {
  if (f.end - o < 8) return 'vxlan-cut';
  enter(f, VXLAN, u32(f.bytes, o + 4) >>> 8);
  return ethernetAt(f, o + 8);
}

/** Geneve: version and options length (4-byte words), flags, protocol type, VNI; the options are skipped. */
function geneve(f: Frame, o: number): TunnelSkip | EthertypeSkip | undefined {
  const d = f.bytes;
  if (f.end - o < 8) return 'geneve-cut';
  const first = u8(d, o);
  if (first >> 6 !== 0) return f.skip('geneve-version', first >> 6);
  const pos = o + 8 + (first & 0x3f) * 4;
  if (pos > f.end) return 'geneve-cut';
  enter(f, GENEVE, u32(d, o + 4) >>> 8);
  const protocol = u16(d, o + 2);
  return protocol === 0x6558 ? ethernetAt(f, pos) : afterEthertype(f, protocol, pos);
}

/**
 * Teredo: an IPv6 packet, after an authentication indicator (type 1: lengths of the client id and
 * the authentication value, then a nonce and a confirmation byte) and an origin indication
 * (type 0, 8 bytes), either or both. Anything else on the port (a bubble cut short, another
 * protocol) is no tunnel.
 */
function teredo(f: Frame, o: number): 'not-tcp' | undefined {
  const d = f.bytes;
  const end = f.end;
  let pos = o;
  if (pos + 4 <= end && u16(d, pos) === 0x0001) pos += 4 + u8(d, pos + 2) + u8(d, pos + 3) + 9;
  if (pos + 8 <= end && u16(d, pos) === 0x0000) pos += 8;
  if (pos + 40 > end || u8(d, pos) >> 4 !== 6) return 'not-tcp';
  enter(f, TEREDO, -1);
  return ip(f, pos, 6);
}

/**
 * GTP-U: flags (version 1, protocol type GTP), message type (255: a user packet, G-PDU), length,
 * TEID; 4 more bytes when any of E, S, PN is set, then the extension headers' chain (each its
 * length in 4-byte words, its last byte the next one's type).
 */
function gtpU(f: Frame, o: number): TunnelSkip | undefined | 'not-tcp' {
  const d = f.bytes;
  const end = f.end;
  if (end - o < 8) return 'gtp-cut';
  const flags = u8(d, o);
  if (flags >> 5 !== 1 || (flags & 0x10) === 0) return 'not-tcp';
  const type = u8(d, o + 1);
  if (type !== 255) return f.skip('gtp-not-ip', type);
  let pos = o + 8;
  if ((flags & 0x07) !== 0) {
    if (pos + 4 > end) return 'gtp-cut';
    let next = u8(d, pos + 3);
    pos += 4;
    while (next !== 0) {
      if (pos >= end) return 'gtp-cut';
      const len = u8(d, pos) * 4;
      if (len === 0 || pos + len > end) return 'gtp-cut';
      next = u8(d, pos + len - 1);
      pos += len;
    }
  }
  if (pos >= end) return 'gtp-cut';
  const nibble = u8(d, pos) >> 4;
  if (nibble !== 4 && nibble !== 6) return f.skip('gtp-not-ip', type);
  enter(f, GTP_U, u32(d, o + 4));
  return ip(f, pos, 0);
}

/**
 * L2TP version 2 (RFC 2661 §3.1): flags and version, then the length (L), tunnel and session ids,
 * Ns and Nr (S), an offset size and its padding (O); a data message (T clear) carries a PPP frame.
 * The id is the tunnel id, which each end picks for itself, so it differs by direction. A control
 * message carries no packet, and another version on the port (L2TPv3 over UDP has no fixed data
 * header) is no tunnel: both stay UDP.
 */
function l2tp(f: Frame, o: number): TunnelSkip | EthertypeSkip | 'not-tcp' | undefined {
  const d = f.bytes;
  const end = f.end;
  if (end - o < 2) return 'not-tcp';
  const flags = u16(d, o);
  if ((flags & 0x800f) !== 2) return 'not-tcp';
  let pos = o + 2;
  if ((flags & 0x4000) !== 0) pos += 2;
  if (pos + 4 > end) return 'l2tp-cut';
  const tunnel = u16(d, pos);
  pos += 4;
  if ((flags & 0x0800) !== 0) pos += 4;
  if ((flags & 0x0200) !== 0) {
    if (pos + 2 > end) return 'l2tp-cut';
    pos += 2 + u16(d, pos);
  }
  if (pos > end) return 'l2tp-cut';
  enter(f, L2TP, tunnel);
  return pppFrame(f, pos);
}
