/**
 * Link layers (tcpdump.org/linktypes.html): find where the IP header starts. Ethernet and Linux
 * cooked headers name the payload by EtherType, through any stack of 802.1Q/802.1ad tags and MPLS
 * labels; BSD loopback by address family; raw IP by the version nibble.
 */
import type { Frame } from './frame.js';
import type { SkipInfo } from './segment.js';

export const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'EN10MB', 9: 'PPP', 12: 'RAW', 14: 'RAW', 50: 'PPP_HDLC', 101: 'RAW', 104: 'C_HDLC',
  105: 'IEEE802_11', 108: 'LOOP', 113: 'LINUX_SLL', 127: 'IEEE802_11_RADIO', 189: 'USB_LINUX',
  195: 'IEEE802_15_4_WITHFCS', 220: 'USB_LINUX_MMAPPED', 228: 'IPV4', 229: 'IPV6', 249: 'NETLINK', 276: 'LINUX_SLL2',
};

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0806: 'ARP', 0x8035: 'RARP', 0x88cc: 'LLDP', 0x888e: 'EAPOL', 0x8863: 'PPPoE discovery',
  0x8864: 'PPPoE session', 0x88e5: 'MACsec', 0x88f7: 'PTP', 0x8906: 'FCoE', 0x0842: 'Wake-on-LAN',
};

/** The link types linkLayer opens (docs/contract.md, "Link types and layers"). */
export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set([0, 1, 12, 14, 101, 108, 113, 228, 229, 276]);

export function linkTypeName(linkType: number): string {
  const name = LINKTYPE_NAMES[linkType];
  return name === undefined ? `link type ${linkType}` : `link type ${linkType} (${name})`;
}

function ethertypeText(type: number): string {
  const name = ETHERTYPE_NAMES[type];
  const hex = type.toString(16).padStart(4, '0');
  return name === undefined ? `ethertype 0x${hex}` : `ethertype 0x${hex} (${name})`;
}

/** Each way the link layer refuses a record, and what it says. */
export const LINK_SKIPS = {
  'unsupported-link': { reason: 'unsupported-link', detail: (linkType) => `${linkTypeName(linkType)} is not supported` },
  'ethernet-cut': { reason: 'truncated', detail: 'Ethernet header' },
  'loopback-cut': { reason: 'truncated', detail: 'loopback header' },
  'loopback-family': { reason: 'not-ip', detail: (family) => `loopback address family ${family}` },
  'sll-cut': { reason: 'truncated', detail: 'Linux cooked header' },
  'sll2-cut': { reason: 'truncated', detail: 'Linux cooked v2 header' },
  'vlan-cut': { reason: 'truncated', detail: 'VLAN tag' },
  'mpls-cut': { reason: 'truncated', detail: 'MPLS label' },
  'mpls-payload-cut': { reason: 'truncated', detail: 'MPLS payload' },
  'mpls-not-ip': { reason: 'not-ip', detail: 'MPLS payload is not IP' },
  'llc': { reason: 'not-ip', detail: '802.3 frame (LLC)' },
  'ethertype': { reason: 'not-ip', detail: ethertypeText },
} as const satisfies Record<string, SkipInfo>;

export type LinkSkip = keyof typeof LINK_SKIPS;

/** Sets `f.ipAt` and `f.linkVersion`, or says why the record carries no IP. */
export function linkLayer(f: Frame, linkType: number): LinkSkip | undefined {
  const at = f.at;
  const len = f.end - at;
  switch (linkType) {
    case 1: // EN10MB: destination, source, EtherType (or an 802.3 length)
      if (len < 14) return 'ethernet-cut';
      return afterEthertype(f, f.view.getUint16(at + 12), at + 14);
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
    default:
      return f.skip('unsupported-link', linkType);
  }
}

function loopback(f: Frame, at: number, len: number): LinkSkip | undefined {
  if (len < 4) return 'loopback-cut';
  let family = f.view.getUint32(at);
  if (family > 0xffff) family = f.view.getUint32(at, true);
  if (family === 2) return ip(f, at + 4, 4);
  if (family === 24 || family === 28 || family === 30) return ip(f, at + 4, 6);
  return f.skip('loopback-family', family);
}

function ip(f: Frame, ipAt: number, version: 0 | 4 | 6): undefined {
  f.ipAt = ipAt;
  f.linkVersion = version;
  return undefined;
}

/** An Ethernet frame at `at` (inside a tunnel: VXLAN, Geneve, GRE's transparent bridging) to its IP header. */
export function ethernetAt(f: Frame, at: number): LinkSkip | undefined {
  if (f.end - at < 14) return 'ethernet-cut';
  return afterEthertype(f, f.view.getUint16(at + 12), at + 14);
}

/**
 * Follows VLAN tags (each 4 bytes: TCI, next EtherType) and MPLS label stacks to the IP header
 * (also a tunnel's payload named by EtherType: GRE, Geneve).
 */
export function afterEthertype(f: Frame, first: number, start: number): LinkSkip | undefined {
  const v = f.view;
  const end = f.end;
  let type = first;
  let pos = start;
  for (;;) {
    switch (type) {
      case 0x0800:
        return ip(f, pos, 4);
      case 0x86dd:
        return ip(f, pos, 6);
      case 0x8100: // 802.1Q
      case 0x88a8: // 802.1ad
      case 0x9100: // old QinQ
        if (pos + 4 > end) return 'vlan-cut';
        type = v.getUint16(pos + 2);
        pos += 4;
        continue;
      case 0x8847: // MPLS unicast
      case 0x8848: { // MPLS multicast: labels until the bottom-of-stack bit, then guess from the nibble
        for (;;) {
          if (pos + 4 > end) return 'mpls-cut';
          const bottom = (v.getUint8(pos + 2) & 1) === 1;
          pos += 4;
          if (bottom) break;
        }
        if (pos >= end) return 'mpls-payload-cut';
        const nibble = v.getUint8(pos) >> 4;
        if (nibble === 4 || nibble === 6) return ip(f, pos, 0);
        return 'mpls-not-ip';
      }
      default:
        if (type <= 1500) return 'llc';
        return f.skip('ethertype', type);
    }
  }
}
