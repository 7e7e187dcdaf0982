/**
 * Link layers (tcpdump.org/linktypes.html): find where the IP header starts. Ethernet, Linux
 * cooked and Cisco HDLC headers name the payload by EtherType (ethertype.ts: tags, MPLS, PPPoE);
 * PPP by its protocol number; BSD loopback by address family; raw IP by the version nibble;
 * 802.11, radiotap (wlan.ts) and PPI, which wraps one of the others; Juniper's Ethernet; IP over
 * InfiniBand.
 */
import type { EthertypeSkip } from './ethertype.js';
import { afterEthertype, ethernetAt, ip, pppFrame } from './ethertype.js';
import type { Frame } from './frame.js';
import type { SkipInfo } from './segment.js';
import type { WlanSkip } from './wlan.js';
import { radiotap, wlan } from './wlan.js';

export const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'EN10MB', 9: 'PPP', 12: 'RAW', 14: 'RAW', 50: 'PPP_HDLC', 101: 'RAW', 104: 'C_HDLC',
  105: 'IEEE802_11', 108: 'LOOP', 113: 'LINUX_SLL', 127: 'IEEE802_11_RADIO', 178: 'JUNIPER_ETHER', 189: 'USB_LINUX',
  192: 'PPI', 195: 'IEEE802_15_4_WITHFCS', 220: 'USB_LINUX_MMAPPED', 228: 'IPV4', 229: 'IPV6', 242: 'IPOIB', 249: 'NETLINK',
  276: 'LINUX_SLL2',
};

/** The link types linkLayer opens (docs/contract.md, "Link types and layers"). */
export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set([0, 1, 9, 12, 14, 50, 101, 104, 105, 108, 113, 127, 178, 192, 228, 229, 242, 276]);

export function linkTypeName(linkType: number): string {
  const name = LINKTYPE_NAMES[linkType];
  return name === undefined ? `link type ${linkType}` : `link type ${linkType} (${name})`;
}

/** Each way the link layer refuses a record, and what it says. */
export const LINK_SKIPS = {
  'unsupported-link': { reason: 'unsupported-link', detail: (linkType) => `${linkTypeName(linkType)} is not supported` },
  'loopback-cut': { reason: 'truncated', detail: 'loopback header' },
  'loopback-family': { reason: 'not-ip', detail: (family) => `loopback address family ${family}` },
  'sll-cut': { reason: 'truncated', detail: 'Linux cooked header' },
  'sll2-cut': { reason: 'truncated', detail: 'Linux cooked v2 header' },
  'hdlc-cut': { reason: 'truncated', detail: 'Cisco HDLC header' },
  'ppi-cut': { reason: 'truncated', detail: 'PPI header' },
  'juniper-cut': { reason: 'truncated', detail: 'Juniper header' },
  'ipoib-cut': { reason: 'truncated', detail: 'IP over InfiniBand header' },
  'juniper-magic': { reason: 'malformed', detail: 'Juniper header without its magic number' },
  'juniper-protocol': { reason: 'not-ip', detail: (protocol) => `Juniper protocol ${protocol}` },
} as const satisfies Record<string, SkipInfo>;

export type LinkSkip = keyof typeof LINK_SKIPS | EthertypeSkip | WlanSkip;

/** Sets `f.ipAt` and `f.linkVersion`, or says why the record carries no IP. */
export function linkLayer(f: Frame, linkType: number): LinkSkip | undefined {
  return linkAt(f, linkType, f.at);
}

function linkAt(f: Frame, linkType: number, at: number): LinkSkip | undefined {
  const len = f.end - at;
  switch (linkType) {
    case 1: // EN10MB: destination, source, EtherType (or an 802.3 length)
      return ethernetAt(f, at);
    case 0: // NULL: address family in the capturing host's byte order
    case 108: // LOOP: the same in network order; accept either, as Wireshark does
      return loopback(f, at, len);
    case 101:
    case 12:
    case 14:
      return ip(f, at, 0);
    case 228:
      return ip(f, at, 4);
    case 229:
      return ip(f, at, 6);
    case 113: // LINUX_SLL: packet type, ARPHRD, address length, 8 address bytes, protocol
      if (len < 16) return 'sll-cut';
      return afterEthertype(f, f.view.getUint16(at + 14), at + 16);
    case 276: // LINUX_SLL2: protocol, reserved, ifindex, ARPHRD, packet type, address length, 8 address bytes
      if (len < 20) return 'sll2-cut';
      return afterEthertype(f, f.view.getUint16(at), at + 20);
    case 9: // PPP
    case 50: // PPP_HDLC: PPP in HDLC-like framing (RFC 1662)
      // Cisco HDLC's address (unicast 0x0f, multicast 0x8f) on a PPP link: routers' serial captures
      // are written as PPP whatever the line runs; tshark's PPP dissector tells them apart so too.
      if (len >= 1 && (f.view.getUint8(at) & 0x7f) === 0x0f) return ciscoHdlc(f, at, len);
      return pppFrame(f, at);
    case 104:
      return ciscoHdlc(f, at, len);
    case 105:
      return wlan(f, at);
    case 127:
      return radiotap(f, at);
    case 192: { // PPI: version, flags, length and the wrapped link type, both little-endian
      if (len < 8) return 'ppi-cut';
      const ppiLen = f.view.getUint16(at + 2, true);
      const inner = f.view.getUint32(at + 4, true);
      if (ppiLen < 8 || ppiLen > len) return 'ppi-cut';
      if (inner === 192) return f.skip('unsupported-link', inner);
      return linkAt(f, inner, at + ppiLen);
    }
    case 178:
      return juniperEther(f, at, len);
    case 242: // IPOIB: 20 bytes before the 20-byte hardware address (QPN, GID), then RFC 4391 §6's EtherType and 2 reserved bytes
      if (len < 44) return 'ipoib-cut';
      return afterEthertype(f, f.view.getUint16(at + 40), at + 44);
    default:
      return f.skip('unsupported-link', linkType);
  }
}

/**
 * JUNIPER_ETHER: the magic "MGC", flags, and with the extension flag (0x80) a 2-byte length of
 * TLVs, skipped; then an Ethernet frame, or, when the flags say the link header was stripped
 * (0x02), a little-endian protocol number (2 IPv4, 6 IPv6) and the packet.
 */
function juniperEther(f: Frame, at: number, len: number): LinkSkip | undefined {
  const v = f.view;
  if (len < 4) return 'juniper-cut';
  if (v.getUint32(at) >>> 8 !== 0x4d4743) return 'juniper-magic';
  const flags = v.getUint8(at + 3);
  let pos = at + 4;
  if ((flags & 0x80) !== 0) {
    if (len < 6) return 'juniper-cut';
    pos += 2 + v.getUint16(at + 4);
  }
  if ((flags & 0x02) === 0) return pos > f.end ? 'juniper-cut' : ethernetAt(f, pos);
  if (pos + 4 > f.end) return 'juniper-cut';
  const protocol = v.getUint32(pos, true);
  if (protocol === 2) return ip(f, pos + 4, 4);
  if (protocol === 6) return ip(f, pos + 4, 6);
  return f.skip('juniper-protocol', protocol);
}

/** C_HDLC: Cisco HDLC, address, control, EtherType. */
function ciscoHdlc(f: Frame, at: number, len: number): LinkSkip | undefined {
  if (len < 4) return 'hdlc-cut';
  return afterEthertype(f, f.view.getUint16(at + 2), at + 4);
}

function loopback(f: Frame, at: number, len: number): LinkSkip | undefined {
  if (len < 4) return 'loopback-cut';
  let family = f.view.getUint32(at);
  if (family > 0xffff) family = f.view.getUint32(at, true);
  if (family === 2) return ip(f, at + 4, 4);
  if (family === 24 || family === 28 || family === 30) return ip(f, at + 4, 6);
  return f.skip('loopback-family', family);
}


