/**
 * The link types without a capture made here (no Wi-Fi radio, no PPP link on this machine): PPP
 * (RFC 1661, 1662), PPPoE sessions (RFC 2516), Cisco HDLC, IEEE 802.11 data frames (IEEE
 * 802.11-2020 §9.2.3, §9.3.2) alone, behind radiotap and behind PPI, Juniper's Ethernet (laid out
 * as Wireshark's and tcpdump's Juniper dissectors read it). Every frame here is
 * hand-built from the standards' layouts around the decoder tests' packets.
 */
import { describe, expect, it } from 'vitest';
import { concat as cat, hex } from './bytes.js';
import { IPV4_SYN, IPV6_EXT_FIN, decodeBytes, segmentOf } from './decoding.js';

const MACS = hex('0200 0000 0001 0200 0000 0002 0200 0000 0003'); // addresses 1, 2, 3
const SNAP_IPV4 = hex('aaaa 0300 0000 0800'); // LLC/SNAP (RFC 1042): IPv4

/** An 802.11 frame: frame control (subtype/type/version, flags), duration, three addresses, sequence control, then `rest`. */
const wlan = (fc: string, rest: Uint8Array, seqCtl = '1000'): Uint8Array => cat(hex(`${fc} 0000`), MACS, hex(seqCtl), rest);
const DATA_TO_DS = wlan('0801', cat(SNAP_IPV4, IPV4_SYN));
const SYN = { src: '192.168.0.1', dst: '192.168.0.2', srcPort: 54210, dstPort: 80 };

describe('link types: the segment inside', () => {
  const cases: Array<[string, number, Uint8Array]> = [
    ['PPP with address and control, IPv4 (0x0021)', 9, cat(hex('ff03 0021'), IPV4_SYN)],
    ['PPP, protocol field compressed to one byte', 9, cat(hex('21'), IPV4_SYN)],
    ['PPP in HDLC-like framing', 50, cat(hex('ff03 0021'), IPV4_SYN)],
    ['PPPoE session in Ethernet', 1, cat(hex('0200 0000 0001 0200 0000 0002 8864  1100 0abc 003e 0021'), IPV4_SYN)],
    ['PPPoE session behind a VLAN tag', 1, cat(hex('0200 0000 0001 0200 0000 0002 8100 0064 8864  1100 0abc 003e 0021'), IPV4_SYN)],
    ['Cisco HDLC', 104, cat(hex('0f00 0800'), IPV4_SYN)],
    // nDPI's BGP_Cisco_hdlc_slarp.pcap: a router's serial line written as PPP, its frames Cisco HDLC (unicast 0x0f, multicast 0x8f)
    ['Cisco HDLC on a PPP link', 9, cat(hex('0f00 0800'), IPV4_SYN)],
    ['Cisco HDLC multicast on a PPP link', 9, cat(hex('8f00 0800'), IPV4_SYN)],
    ['802.11 data, to the DS', 105, DATA_TO_DS],
    ['802.11 QoS data, from the DS', 105, wlan('8802', cat(hex('0000'), SNAP_IPV4, IPV4_SYN))],
    ['802.11 QoS data with HT control (order bit)', 105, wlan('8882', cat(hex('0000 0000 0000'), SNAP_IPV4, IPV4_SYN))],
    ['802.11 data with four addresses (WDS)', 105, wlan('0803', cat(hex('0200 0000 0004'), SNAP_IPV4, IPV4_SYN))],
    ['802.11 data, 802.1H bridge tunnel SNAP', 105, wlan('0801', cat(hex('aaaa 0300 00f8 0800'), IPV4_SYN))],
    ['radiotap (8 bytes, nothing present), then 802.11', 127, cat(hex('0000 0800 0000 0000'), DATA_TO_DS)],
    ['radiotap with fields (flags, rate, channel)', 127, cat(hex('0000 1000 0e00 0000 1002 6c09 a000 0000'), DATA_TO_DS)],
    ['PPI around 802.11', 192, cat(hex('0000 0800 6900 0000'), DATA_TO_DS)],
    ['Juniper Ethernet, with 4 bytes of extensions', 178, cat(hex('4d47 4381 0004 0102 0007  0200 0000 0001 0200 0000 0002 0800'), IPV4_SYN)],
    ['Juniper Ethernet, link header stripped (protocol 2: IPv4)', 178, cat(hex('4d47 4303 0200 0000'), IPV4_SYN)],
    ['PPI around Ethernet', 192, cat(hex('0000 0800 0100 0000  0200 0000 0001 0200 0000 0002 0800'), IPV4_SYN)],
  ];
  it.each(cases)('%s', (_name, linkType, data) => {
    expect(segmentOf(decodeBytes(linkType, data))).toMatchObject(SYN);
  });

  it('PPP IPv6 (0x0057)', () => {
    expect(segmentOf(decodeBytes(9, cat(hex('ff03 0057'), IPV6_EXT_FIN)))).toMatchObject({ src: '2001:db8::1', srcPort: 443 });
  });
});

describe('link types: what is refused', () => {
  const cases: Array<[string, number, Uint8Array, string, string]> = [
    ['PPP LCP', 9, hex('ff03 c021 0101 0004'), 'not-ip', 'PPP protocol 0xc021'],
    ['PPP cut', 9, hex('ff03'), 'truncated', 'PPP header'],
    ['PPPoE cut', 1, hex('0200 0000 0001 0200 0000 0002 8864 1100'), 'truncated', 'PPPoE header'],
    ['Cisco HDLC cut', 104, hex('0f00'), 'truncated', 'Cisco HDLC header'],
    ['802.11 protected frame', 105, wlan('0841', new Uint8Array(40)), 'encrypted', 'protected 802.11 frame'],
    ['802.11 null data', 105, wlan('4801', new Uint8Array(0)), 'not-ip', '802.11 data frame without data'],
    ['802.11 beacon', 105, wlan('8000', new Uint8Array(40)), 'not-ip', '802.11 management frame'],
    ['802.11 ACK (control)', 105, hex('d400 0000 0200 0000 0001 0000 0000 0000 0000 0000 0000 0000'), 'not-ip', '802.11 control frame'],
    ['802.11 more fragments', 105, wlan('0805', cat(SNAP_IPV4, IPV4_SYN)), 'fragment', '802.11 fragment'],
    ['802.11 second fragment (fragment number 1)', 105, wlan('0801', cat(SNAP_IPV4, IPV4_SYN), '1100'), 'fragment', '802.11 fragment'],
    ['802.11 A-MSDU', 105, wlan('8802', cat(hex('8000'), SNAP_IPV4, IPV4_SYN)), 'not-ip', '802.11 A-MSDU'],
    ['802.11 without SNAP', 105, wlan('0801', cat(hex('4242 0300 0000 0000'), IPV4_SYN)), 'not-ip', '802.11 frame without LLC/SNAP'],
    ['802.11 header cut', 105, hex('0801 0000 0200'), 'truncated', '802.11 header'],
    ['802.11 carrying ARP', 105, wlan('0801', cat(hex('aaaa 0300 0000 0806'), new Uint8Array(28))), 'not-ip', 'ethertype 0x0806 (ARP)'],
    ['radiotap longer than the record', 127, hex('0000 ff00 0000 0000'), 'truncated', 'radiotap header'],
    ['radiotap version 1', 127, hex('0100 0800 0000 0000'), 'malformed', 'radiotap version 1'],
    ['Juniper without its magic number', 178, cat(hex('4d47 4400'), IPV4_SYN), 'malformed', 'Juniper header without its magic number'],
    ['Juniper extensions past the end', 178, hex('4d47 4380 00ff 0000'), 'truncated', 'Juniper header'],
    ['Juniper, link header stripped, protocol 3', 178, cat(hex('4d47 4302 0300 0000'), IPV4_SYN), 'not-ip', 'Juniper protocol 3'],
    ['PPI cut', 192, hex('0000 0800'), 'truncated', 'PPI header'],
    ['PPI around PPI', 192, cat(hex('0000 0800 c000 0000'), hex('0000 0800 c000 0000')), 'unsupported-link', 'link type 192 (PPI) is not supported'],
    ['PPI around an unsupported link type', 192, cat(hex('0000 0800 bd00 0000'), IPV4_SYN), 'unsupported-link', 'link type 189 (USB_LINUX) is not supported'],
  ];
  it.each(cases)('%s', (_name, linkType, data, reason, detail) => {
    expect(decodeBytes(linkType, data)).toEqual({ reason, detail });
  });
});
