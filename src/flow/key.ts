import type { TcpSegment } from '../decode/segment.js';

/**
 * The unordered 4-tuple of a segment as one string, the same both ways (docs/contract.md, "Flows").
 * Endpoints are ordered by address then port so that A→B and B→A share a key; a tunnel's segment
 * carries its tunnel's type and id in the key (not its outer addresses, which swap with the direction).
 */
export function flowKey(seg: TcpSegment): string {
  const a = `${seg.src}]${seg.srcPort}`;
  const b = `${seg.dst}]${seg.dstPort}`;
  const tuple = a < b ? `${a}|${b}` : `${b}|${a}`;
  // docs/contract.md, "Tunnels": the same inner 4-tuple in two tunnels (two VNIs, two GRE keys) is two connections.
  const via = seg.via;
  return via === undefined ? tuple : `${tuple}|${via.type}|${via.id ?? ''}`;
}
