/**
 * The 4-tuple of a plain TCP packet (Ethernet, IPv4 without fragmentation, a TCP header the
 * decoder accepts) read straight from the record's bytes, without decoding it: `--jobs` asks it of
 * every record to tell which shard's connection it belongs to, and decodes only its own. It says
 * yes only where the decoder (decoder.ts: link.ts → ethertype.ts → ip.ts → tcp.ts) certainly makes
 * a segment of the record with these addresses and ports; anything else (VLAN tags, options the
 * decoder would refuse, IPv6, tunnels, fragments, other links) answers false and is decoded.
 * test/unit/plain.test.ts holds the two together on every fixture.
 */
import type { CaptureRecord } from '../capture/record.js';

/** A segment's 4-tuple as the decoder gives it (addresses as signed 32-bit integers, decoder.ts). */
export interface PlainTuple {
  srcV4: number;
  dstV4: number;
  srcPort: number;
  dstPort: number;
}

/** Fills `t` and says true when the record is a plain TCP packet; false when only the decoder can tell. */
export function plainTcpTuple(r: CaptureRecord, t: PlainTuple): boolean {
  if (r.linkType !== 1) return false;
  const d = r.bytes;
  if (d === undefined) return false;
  const at = r.at ?? 0;
  const end = Math.min(at + r.caplen, d.length);
  const ip = at + 14;
  // EtherType IPv4, version 4 with a 20..60-byte header, all captured.
  if (end - ip < 20 || d[at + 12] !== 0x08 || d[at + 13] !== 0x00) return false;
  const vihl = d[ip] as number;
  if (vihl >> 4 !== 4) return false;
  const headerLen = (vihl & 0x0f) * 4;
  if (headerLen < 20 || end - ip < headerLen) return false;
  let totalLen = ((d[ip + 2] as number) << 8) | (d[ip + 3] as number);
  if (totalLen === 0) totalLen = end - ip;
  if (totalLen < headerLen) return false;
  // Not a fragment (flags MF, offset), protocol TCP.
  if (((((d[ip + 6] as number) << 8) | (d[ip + 7] as number)) & 0x3fff) !== 0 || d[ip + 9] !== 6) return false;
  const tcp = ip + headerLen;
  if (end - tcp < 20) return false;
  const dataOffset = (d[tcp + 12] as number) >> 4;
  if (dataOffset < 5 || dataOffset * 4 > totalLen - headerLen) return false;
  t.srcV4 = ((d[ip + 12] as number) << 24) | ((d[ip + 13] as number) << 16) | ((d[ip + 14] as number) << 8) | (d[ip + 15] as number);
  t.dstV4 = ((d[ip + 16] as number) << 24) | ((d[ip + 17] as number) << 16) | ((d[ip + 18] as number) << 8) | (d[ip + 19] as number);
  t.srcPort = ((d[tcp] as number) << 8) | (d[tcp + 1] as number);
  t.dstPort = ((d[tcp + 2] as number) << 8) | (d[tcp + 3] as number);
  return true;
}
