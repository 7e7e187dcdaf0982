/**
 * IEEE 802.11 (LINKTYPE_IEEE802_11, 105), alone or behind a radiotap header (127): a data frame's
 * MAC header (IEEE 802.11-2020 §9.2.3, §9.3.2: a fourth address between two distribution
 * systems, QoS control, HT control), then LLC/SNAP (RFC 1042, and 802.1H's bridge tunnel) naming
 * the payload by EtherType. Management and control frames, null frames, protected (encrypted)
 * frames, 802.11 fragments and A-MSDUs are refused with their reason.
 */
import type { EthertypeSkip } from './ethertype.js';
import { afterEthertype } from './ethertype.js';
import type { Frame } from './frame.js';
import type { SkipInfo } from './segment.js';

/** Each way the 802.11 layers refuse a record, and what they say. */
export const WLAN_SKIPS = {
  'radiotap-cut': { reason: 'truncated', detail: 'radiotap header' },
  'radiotap-version': { reason: 'malformed', detail: (version) => `radiotap version ${version}` },
  'wlan-cut': { reason: 'truncated', detail: '802.11 header' },
  'wlan-not-data': { reason: 'not-ip', detail: (type) => `802.11 ${type === 0 ? 'management' : type === 1 ? 'control' : 'extension'} frame` },
  'wlan-no-data': { reason: 'not-ip', detail: '802.11 data frame without data' },
  'wlan-protected': { reason: 'encrypted', detail: 'protected 802.11 frame' },
  'wlan-fragment': { reason: 'fragment', detail: '802.11 fragment' },
  'wlan-amsdu': { reason: 'not-ip', detail: '802.11 A-MSDU' },
  'wlan-llc': { reason: 'not-ip', detail: '802.11 frame without LLC/SNAP' },
} as const satisfies Record<string, SkipInfo>;

export type WlanSkip = keyof typeof WLAN_SKIPS;

/** A radiotap header (its length, little-endian, at byte 2), then an 802.11 frame. */
export function radiotap(f: Frame, at: number): WlanSkip | EthertypeSkip | undefined {
  if (f.end - at < 8) return 'radiotap-cut';
  const version = f.view.getUint8(at);
  if (version !== 0) return f.skip('radiotap-version', version);
  const len = f.view.getUint16(at + 2, true);
  if (len < 8 || at + len > f.end) return 'radiotap-cut';
  return wlan(f, at + len);
}

/** An 802.11 frame at `at` to the IP header its LLC/SNAP header names. */
export function wlan(f: Frame, at: number): WlanSkip | EthertypeSkip | undefined {
  const v = f.view;
  const end = f.end;
  if (end - at < 24) return 'wlan-cut';
  const fc0 = v.getUint8(at);
  const flags = v.getUint8(at + 1);
  const type = (fc0 >> 2) & 3;
  if (type !== 2) return f.skip('wlan-not-data', type);
  const subtype = fc0 >> 4;
  if ((subtype & 4) !== 0) return 'wlan-no-data';
  if ((flags & 0x40) !== 0) return 'wlan-protected';
  // More fragments, or a fragment number in the sequence control's low 4 bits.
  if ((flags & 0x04) !== 0 || (v.getUint8(at + 22) & 0x0f) !== 0) return 'wlan-fragment';
  let pos = at + 24;
  if ((flags & 0x03) === 0x03) pos += 6; // to and from the DS: a fourth address
  if ((subtype & 8) !== 0) { // QoS data: QoS control, and HT control when the order bit is set
    if (pos + 2 > end) return 'wlan-cut';
    if ((v.getUint8(pos) & 0x80) !== 0) return 'wlan-amsdu';
    pos += (flags & 0x80) !== 0 ? 6 : 2;
  }
  if (pos + 8 > end) return 'wlan-cut';
  // LLC/SNAP: DSAP and SSAP 0xaa, control 3, OUI 00-00-00 (RFC 1042) or 00-00-f8 (802.1H)
  const oui = v.getUint32(pos + 2);
  if (v.getUint16(pos) !== 0xaaaa || (oui !== 0x03000000 && oui !== 0x030000f8)) return 'wlan-llc';
  return afterEthertype(f, v.getUint16(pos + 6), pos + 8);
}
