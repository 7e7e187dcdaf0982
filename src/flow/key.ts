import type { TcpSegment } from '../decode/segment.js';

/**
 * The unordered 4-tuple of a segment as one string, the same both ways (docs/contract.md, "Flows").
 * Endpoints are ordered by address then port so that A→B and B→A share a key; a tunnel's segment
 * carries its tunnel's type (and VNI) in the key, not its outer addresses, which swap with the
 * direction.
 */
export function flowKey(seg: TcpSegment): string {
  const a = `${seg.src}]${seg.srcPort}`;
  const b = `${seg.dst}]${seg.dstPort}`;
  const tuple = a < b ? `${a}|${b}` : `${b}|${a}`;
  // docs/contract.md, "Tunnels": the same inner 4-tuple in two VNIs is two connections. Only a VNI
  // names the same tunnel both ways: GTP-U's TEIDs and GRE's keys may differ by direction.
  const via = seg.via;
  if (via === undefined) return tuple;
  return via.type === 'vxlan' || via.type === 'geneve' ? `${tuple}|${via.type}|${via.id ?? ''}` : `${tuple}|${via.type}`;
}
