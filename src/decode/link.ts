/**
 * Link layers (tcpdump.org/linktypes.html): find where the IP header starts. Ethernet and Linux
 * cooked headers name the payload by EtherType, through any stack of 802.1Q/802.1ad tags and MPLS
 * labels; BSD loopback by address family; raw IP by the version nibble.
 */
import { skip, u16, u32, u8, type Skipped } from './bytes.js';

/** Where the IP header starts, and which version the link layer announced (0: read the nibble). */
export interface LinkPayload {
  kind: 'ip';
  offset: number;
  version: 0 | 4 | 6;
}

export const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'EN10MB', 9: 'PPP', 12: 'RAW', 14: 'RAW', 50: 'PPP_HDLC', 101: 'RAW', 104: 'C_HDLC',
  105: 'IEEE802_11', 108: 'LOOP', 113: 'LINUX_SLL', 127: 'IEEE802_11_RADIO', 189: 'USB_LINUX',
  195: 'IEEE802_15_4_WITHFCS', 220: 'USB_LINUX_MMAPPED', 228: 'IPV4', 229: 'IPV6', 249: 'NETLINK', 276: 'LINUX_SLL2',
};

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0806: 'ARP', 0x8035: 'RARP', 0x88cc: 'LLDP', 0x888e: 'EAPOL', 0x8863: 'PPPoE discovery',
  0x8864: 'PPPoE session', 0x88e5: 'MACsec', 0x88f7: 'PTP', 0x8906: 'FCoE', 0x0842: 'Wake-on-LAN',
};

/** The link types linkPayload opens (docs/contract.md, "Link types and layers"). */
export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set([0, 1, 12, 14, 101, 108, 113, 228, 229, 276]);

export function linkTypeName(linkType: number): string {
  const name = LINKTYPE_NAMES[linkType];
  return name === undefined ? `link type ${linkType}` : `link type ${linkType} (${name})`;
}

export function linkPayload(linkType: number, d: Uint8Array): LinkPayload | Skipped {
  switch (linkType) {
    case 1: // EN10MB: destination, source, EtherType (or an 802.3 length)
      if (d.length < 14) return skip('truncated', 'Ethernet header');
      return afterEthertype(d, u16(d, 12), 14);
    case 0: // NULL: address family in the capturing host's byte order
    case 108: { // LOOP: the same in network order; accept either, as Wireshark does
      if (d.length < 4) return skip('truncated', 'loopback header');
      let family = u32(d, 0);
      if (family > 0xffff) family = ((u8(d, 3) << 24) | (u8(d, 2) << 16) | (u8(d, 1) << 8) | u8(d, 0)) >>> 0;
      if (family === 2) return ip(4, 4);
      if (family === 24 || family === 28 || family === 30) return ip(4, 6);
      return skip('not-ip', `loopback address family ${family}`);
    }
    case 101:
    case 12:
    case 14:
      return ip(0, 0);
    case 228:
      return ip(0, 4);
    case 229:
      return ip(0, 6);
    case 113: // LINUX_SLL: packet type, ARPHRD, address length, 8 address bytes, protocol
      if (d.length < 16) return skip('truncated', 'Linux cooked header');
      return afterEthertype(d, u16(d, 14), 16);
    case 276: // LINUX_SLL2: protocol, reserved, ifindex, ARPHRD, packet type, address length, 8 address bytes
      if (d.length < 20) return skip('truncated', 'Linux cooked v2 header');
      return afterEthertype(d, u16(d, 0), 20);
    default:
      return skip('unsupported-link', `${linkTypeName(linkType)} is not supported`);
  }
}

function ip(offset: number, version: 0 | 4 | 6): LinkPayload {
  return { kind: 'ip', offset, version };
}

/** Follows VLAN tags (each 4 bytes: TCI, next EtherType) and MPLS label stacks to the IP header. */
function afterEthertype(d: Uint8Array, first: number, start: number): LinkPayload | Skipped {
  let type = first;
  let pos = start;
  for (;;) {
    switch (type) {
      case 0x0800:
        return ip(pos, 4);
      case 0x86dd:
        return ip(pos, 6);
      case 0x8100: // 802.1Q
      case 0x88a8: // 802.1ad
      case 0x9100: // old QinQ
        if (pos + 4 > d.length) return skip('truncated', 'VLAN tag');
        type = u16(d, pos + 2);
        pos += 4;
        continue;
      case 0x8847: // MPLS unicast
      case 0x8848: { // MPLS multicast: labels until the bottom-of-stack bit, then guess from the nibble
        for (;;) {
          if (pos + 4 > d.length) return skip('truncated', 'MPLS label');
          const bottom = (u8(d, pos + 2) & 1) === 1;
          pos += 4;
          if (bottom) break;
        }
        if (pos >= d.length) return skip('truncated', 'MPLS payload');
        const nibble = u8(d, pos) >> 4;
        if (nibble === 4 || nibble === 6) return ip(pos, 0);
        return skip('not-ip', 'MPLS payload is not IP');
      }
      default: {
        if (type <= 1500) return skip('not-ip', '802.3 frame (LLC)');
        const name = ETHERTYPE_NAMES[type];
        const hex = type.toString(16).padStart(4, '0');
        return skip('not-ip', name === undefined ? `ethertype 0x${hex}` : `ethertype 0x${hex} (${name})`);
      }
    }
  }
}
