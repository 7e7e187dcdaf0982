/**
 * How many bytes of a segment are new: sequence space never seen before from that side, each byte
 * counted once (docs/contract.md, "Byte counts"). A side's space is kept as its highest end seen
 * (`highEnd`) and the holes below it: the ranges skipped when a segment arrived beyond a gap. A
 * segment beyond `highEnd` is new; one below it is new only where it fills a hole (an out-of-order
 * segment, or a retransmission of a segment the capture lacked); the rest is a retransmission.
 * Comparisons are modulo 2^32 (seq.ts), so a transfer may wrap.
 *
 * Holes live in the side's RareFacts (rare.ts) as flat [start, end) pairs, at most MAX_HOLES: a
 * transfer with more gaps open at once drops its oldest hole, and bytes that later fill it are
 * not counted (a lower bound, never a double count). The side's `hasHoles` bit says it has any.
 */
import { seqAdd, seqDiff } from './seq.js';
import type { ConnectionStore } from './store.js';
import { K } from './store.js';

export const MAX_HOLES = 32;

/**
 * The new bytes of the segment [seq, seq + len) from the side at `cell`, whose highest end seen is
 * `highEnd`; records a hole when it starts beyond `highEnd` and fills the holes it covers. The
 * caller moves `highEnd` itself.
 */
export function newBytes(s: ConnectionStore, cell: number, highEnd: number, seq: number, len: number): number {
  const end = seqAdd(seq, len);
  const beyond = seqDiff(end, highEnd);
  const gap = seqDiff(seq, highEnd);
  if (gap > 0) {
    addHole(s, cell, highEnd, seq);
    return len;
  }
  let fresh = Math.max(0, Math.min(len, beyond));
  if (((s.causeBits[cell] as number) & K.HAS_HOLES) !== 0 && beyond < len) fresh += fill(s, cell, seq, beyond > 0 ? highEnd : end);
  return fresh;
}


function addHole(s: ConnectionStore, cell: number, start: number, end: number): void {
  const side = s.rareSide(cell);
  // A new array: the first is the shared empty one.
  const holes = side.holes.length >= MAX_HOLES * 2 ? side.holes.slice(2) : side.holes.slice();
  holes.push(start, end);
  side.holes = holes;
  s.causeBits[cell] = (s.causeBits[cell] as number) | K.HAS_HOLES;
}

/** Takes [from, to) out of the holes; returns how many bytes of holes it covered. */
function fill(s: ConnectionStore, cell: number, from: number, to: number): number {
  const side = s.rareSide(cell);
  const holes = side.holes;
  let covered = 0;
  const kept: number[] = [];
  for (let i = 0; i < holes.length; i += 2) {
    const start = holes[i] as number;
    const end = holes[i + 1] as number;
    // The overlap of [start, end) and [from, to), as distances from `start`.
    const lo = Math.max(0, seqDiff(from, start));
    const hi = Math.min(seqDiff(end, start), seqDiff(to, start));
    if (hi <= lo) {
      kept.push(start, end);
      continue;
    }
    covered += hi - lo;
    if (lo > 0) kept.push(start, seqAdd(start, lo));
    if (hi < seqDiff(end, start)) kept.push(seqAdd(start, hi), end);
  }
  side.holes = kept;
  if (kept.length === 0) s.causeBits[cell] = (s.causeBits[cell] as number) & ~K.HAS_HOLES;
  return covered;
}
