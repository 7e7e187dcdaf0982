import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_HOLES, newBytes } from '../../src/flow/covered.js';
import { seqAdd, seqDiff } from '../../src/flow/seq.js';
import { ConnectionStore, K } from '../../src/flow/store.js';

/**
 * A side's segments through newBytes as track.ts feeds them (highEnd moved forward by the caller,
 * starting at the ISN + 1): the new bytes counted, and whether holes are left.
 */
function count(isn: number, segments: Array<[offset: number, len: number]>): { total: number; holes: boolean } {
  const s = new ConnectionStore();
  const slot = s.allocate();
  const cell = slot * 2 + 1;
  let highEnd = seqAdd(isn, 1);
  let total = 0;
  for (const [offset, len] of segments) {
    const seq = seqAdd(isn, 1 + offset);
    total += newBytes(s, cell, highEnd, seq, len);
    const end = seqAdd(seq, len);
    if (seqDiff(end, highEnd) > 0) highEnd = end;
  }
  return { total, holes: ((s.causeBits[cell] as number) & K.HAS_HOLES) !== 0 };
}

/** A transfer of `n` segments of `size` bytes, each sent once. */
const segmentsOf = (n: number, size: number): Array<[number, number]> => Array.from({ length: n }, (_, i) => [i * size, size]);

describe('new bytes as covered sequence space (covered.ts)', () => {
  it('counts every byte once, whatever order the segments arrive in, retransmissions never, across a wrap', () => {
    const isns = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0xffffff00, max: 0xffffffff }));
    fc.assert(fc.property(isns, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 1448 }), fc.array(fc.nat(), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }),
      (isn, n, size, swaps, repeats) => {
        const segs = segmentsOf(n, size);
        // Out of order: swap pairs; then retransmit some segments (again, after the others).
        for (const k of swaps) {
          const i = k % n;
          const j = (k >> 5) % n;
          [segs[i], segs[j]] = [segs[j] as [number, number], segs[i] as [number, number]];
        }
        for (const k of repeats) segs.push(segs[k % n] as [number, number]);
        const { total, holes } = count(isn, segs);
        expect(total).toBe(n * size);
        expect(holes).toBe(false);
      }));
  });

  it('counts a gap-filling segment that overlaps both sides of a hole for the hole only', () => {
    // [0,100) then [200,300): hole [100,200); then [50,250) fills it: 100 new bytes.
    expect(count(1000, [[0, 100], [200, 100], [50, 200]])).toEqual({ total: 300, holes: false });
    // A segment inside the hole splits it: [120,130) then [100,120) and [130,200) later.
    expect(count(1000, [[0, 100], [200, 100], [120, 10], [100, 20], [130, 70]])).toEqual({ total: 300, holes: false });
  });

  it('leaves a hole open while the bytes never came (a capture that lacks them)', () => {
    expect(count(7, [[0, 10], [20, 10]])).toEqual({ total: 20, holes: true });
  });

  it('keeps at most MAX_HOLES holes: bytes filling a dropped one are not counted (a lower bound)', () => {
    // Every other segment first: MAX_HOLES + 1 holes, the oldest dropped; then the missing ones.
    const n = (MAX_HOLES + 2) * 2;
    const segs = segmentsOf(n, 10);
    const order = [...segs.filter((_, i) => i % 2 === 0), ...segs.filter((_, i) => i % 2 === 1)];
    const { total } = count(0, order);
    expect(total).toBe(n * 10 - 10);
  });
  it('a resend below a hole fills nothing of it: only the hole\'s own bytes, when they come, count', () => {
    // [0, 10), then [20, 30): a hole [10, 20). A resend of [0, 5) counts nothing and leaves the hole.
    expect(count(1000, [[0, 10], [20, 10], [0, 5]])).toEqual({ total: 20, holes: true });
    expect(count(1000, [[0, 10], [20, 10], [0, 5], [10, 10]])).toEqual({ total: 30, holes: false });
  });
});
