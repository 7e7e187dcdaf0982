import type { TcpSegment } from '../decode/segment.js';
import { keyedTupleHash } from './tuple-hash.js';

/**
 * Fixed key words for the shard hash (the first digits of π): every process, on every machine,
 * must put a connection in the same shard, so unlike the open-connection index's secret
 * (slot-index.ts) these are not drawn at random. Being different from that secret also keeps the
 * index's cells independent of the shard: the connections of one shard still spread over the
 * whole index. Whoever writes a capture can pile its connections into one shard; that costs
 * balance, never correctness.
 */
const SHARD_KEY = Int32Array.of(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822);

/** A dotted IPv4 address as the decoder's integer (big-endian, signed 32 bits). */
function ipv4Word(text: string): number {
  let word = 0;
  let part = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      word = (word << 8) | part;
      part = 0;
    } else {
      part = part * 10 + c - 48;
    }
  }
  return (word << 8) | part;
}

/** A printable IPv6 address (RFC 5952, so one text per address) folded into 32 bits: FNV-1a over its characters. */
function textWord(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * The shard (0 to shards - 1) of a segment's connection: its unordered 4-tuple hashed, so both
 * directions land in the same shard (docs/contract.md, "Shards"). The addresses are the ones the
 * connection is keyed by, a tunnel's inner ones (flow/key.ts); the tunnel's id is left out, so the
 * same inner 4-tuple in two VXLAN segments shares a shard, which is all a shard needs. IPv4 from
 * the decoder is hashed from its integers without making a string; IPv6 and hand-built or
 * tunnelled IPv4 segments from their text, which the connection key reads anyway.
 */
export function shardOf(seg: TcpSegment, shards: number): number {
  if (shards <= 1) return 0;
  let a = seg.srcV4;
  let b = seg.dstV4;
  if (a === undefined || b === undefined) {
    const word = seg.ipVersion === 4 ? ipv4Word : textWord;
    a = word(seg.src);
    b = word(seg.dst);
  }
  return (keyedTupleHash(SHARD_KEY, a, seg.srcPort, b, seg.dstPort) >>> 0) % shards;
}
