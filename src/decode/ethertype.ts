/**
 * What an EtherType names, wherever one is read (Ethernet, Linux cooked headers, LLC/SNAP in
 * 802.11, GRE, Geneve): the IP header behind any stack of 802.1Q/802.1ad tags, Cisco FabricPath
 * headers (switch addresses where the MACs are, then a 4-byte tag that begins with EtherType
 * 0x8903, as Wireshark's cfp reads it), MPLS labels and a PPPoE session (RFC 2516) with its PPP
 * protocol number (RFC 1661), which PPP links name too.
 */
import type { Frame } from './frame.js';
import type { SkipInfo } from './segment.js';

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0806: 'ARP', 0x8035: 'RARP', 0x88cc: 'LLDP', 0x888e: 'EAPOL', 0x8863: 'PPPoE discovery',
  0x8864: 'PPPoE session', 0x88e5: 'MACsec', 0x88f7: 'PTP', 0x8906: 'FCoE', 0x0842: 'Wake-on-LAN',
};

function ethertypeText(type: number): string {
  const name = ETHERTYPE_NAMES[type];
  const hex = type.toString(16).padStart(4, '0');
  return name === undefined ? `ethertype 0x${hex}` : `ethertype 0x${hex} (${name})`;
}

/** Each way the EtherType walk refuses a record, and what it says. */
export const ETHERTYPE_SKIPS = {
  'ethernet-cut': { reason: 'truncated', detail: 'Ethernet header' },
  'vlan-cut': { reason: 'truncated', detail: 'VLAN tag' },
  'mpls-cut': { reason: 'truncated', detail: 'MPLS label' },
  'mpls-payload-cut': { reason: 'truncated', detail: 'MPLS payload' },
  'mpls-not-ip': { reason: 'not-ip', detail: 'MPLS payload is not IP' },
  'pppoe-cut': { reason: 'truncated', detail: 'PPPoE header' },
  'ppp-cut': { reason: 'truncated', detail: 'PPP header' },
  'ppp-protocol': { reason: 'not-ip', detail: (protocol) => `PPP protocol 0x${protocol.toString(16).padStart(4, '0')}` },
  'llc': { reason: 'not-ip', detail: '802.3 frame (LLC)' },
  'ethertype': { reason: 'not-ip', detail: ethertypeText },
} as const satisfies Record<string, SkipInfo>;

export type EthertypeSkip = keyof typeof ETHERTYPE_SKIPS;

/** The IP header is at `ipAt`; `version` is what the layer below announced (0: read the nibble). */
export function ip(f: Frame, ipAt: number, version: 0 | 4 | 6): undefined {
  f.ipAt = ipAt;
  f.linkVersion = version;
  return undefined;
}

/** An Ethernet frame at `at` (a link's, or inside a tunnel: VXLAN, Geneve, GRE's transparent bridging) to its IP header. */
export function ethernetAt(f: Frame, at: number): EthertypeSkip | undefined {
  if (f.end - at < 14) return 'ethernet-cut';
  return afterEthertype(f, f.view.getUint16(at + 12), at + 14);
}

/**
 * Follows VLAN tags (each 4 bytes: TCI, next EtherType), FabricPath's inner frames, MPLS label
 * stacks and a PPPoE session header to the IP header; a loop, not recursion, however deep they
 * nest.
 */
export function afterEthertype(f: Frame, first: number, start: number): EthertypeSkip | undefined {
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
      case 0x8903: // Cisco FabricPath: the tag's other 2 bytes (FTag, TTL), then the whole Ethernet frame it carries
        if (pos + 16 > end) return 'ethernet-cut';
        type = v.getUint16(pos + 14);
        // tshark takes the frame's last 4 bytes for FabricPath's FCS, always; a capture keeps an FCS
        // no more often here than on any Ethernet link, so the IP header's lengths bound the packet.
        pos += 16;
        continue;
      case 0x8847: // MPLS unicast
      case 0x8848: // MPLS multicast
        return mpls(f, pos);
      case 0x8864: // PPPoE session: version/type, code, session id, length; then the PPP protocol
        if (pos + 8 > end) return 'pppoe-cut';
        return pppPayload(f, v.getUint16(pos + 6), pos + 8);
      default:
        if (type <= 1500) return 'llc';
        return f.skip('ethertype', type);
    }
  }
}

/** MPLS labels until the bottom-of-stack bit, then a guess from the nibble. */
function mpls(f: Frame, start: number): EthertypeSkip | undefined {
  const v = f.view;
  const end = f.end;
  let pos = start;
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

/** What a PPP protocol number names (RFC 1661 §2; IPv4 0x0021, IPv6 0x0057, MPLS 0x0281). */
export function pppPayload(f: Frame, protocol: number, pos: number): EthertypeSkip | undefined {
  switch (protocol) {
    case 0x0021:
      return ip(f, pos, 4);
    case 0x0057:
      return ip(f, pos, 6);
    case 0x0281:
      return mpls(f, pos);
    default:
      return f.skip('ppp-protocol', protocol);
  }
}

/**
 * A PPP frame (LINKTYPE_PPP, PPP in HDLC-like framing, RFC 1662): an optional address and control
 * field (0xff 0x03), then the protocol, one byte when compressed (RFC 1661 §6.5: an odd first byte).
 */
export function pppFrame(f: Frame, at: number): EthertypeSkip | undefined {
  const v = f.view;
  const end = f.end;
  let pos = at;
  if (pos + 2 <= end && v.getUint16(pos) === 0xff03) pos += 2;
  if (pos >= end) return 'ppp-cut';
  if ((v.getUint8(pos) & 1) === 1) return pppPayload(f, v.getUint8(pos), pos + 1);
  if (pos + 2 > end) return 'ppp-cut';
  return pppPayload(f, v.getUint16(pos), pos + 2);
}
