import type { TcpSegment } from '../decode/segment.js';

/**
 * The unordered 4-tuple of a segment as one string, the same both ways (docs/contract.md, "Flows").
 * Endpoints are ordered by address then port so that A→B and B→A share a key.
 */
export function flowKey(seg: TcpSegment): string {
  const a = `${seg.src}]${seg.srcPort}`;
  const b = `${seg.dst}]${seg.dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
