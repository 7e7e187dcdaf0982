import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt, seqRel } from '../../src/flow/seq.js';

/** RFC 9293 §3.4 by the book: arithmetic modulo 2^32 in BigInt, the signed distance in (−2^31, 2^31]. */
const M = 1n << 32n;
const mod = (x: bigint): bigint => ((x % M) + M) % M;
const signed = (a: number, b: number): number => {
  const d = mod(BigInt(a) - BigInt(b));
  return Number(d >= 1n << 31n ? d - M : d);
};

const u32 = fc.integer({ min: 0, max: 0xffffffff });
/** Sequence numbers biased to the wrap: near 0, near 2^32 and near 2^31, as well as anywhere. */
const seq = fc.oneof(u32, fc.integer({ min: 0xffffff00, max: 0xffffffff }), fc.integer({ min: 0, max: 0xff }),
  fc.integer({ min: 0x7fffff00, max: 0x800000ff }));
const runs = { numRuns: 2000 };

describe('32-bit sequence arithmetic agrees with a mod-2^32 reference (RFC 9293 §3.4)', () => {
  it('seqAdd wraps like (a + n) mod 2^32, for any integer n a 32-bit span or more away', () => {
    fc.assert(fc.property(seq, fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (a, n) => {
      expect(seqAdd(a, n)).toBe(Number(mod(BigInt(a) + BigInt(n))));
    }), runs);
  });

  it('seqDiff is the signed distance, and seqAdd(b, seqDiff(a, b)) gives a back', () => {
    fc.assert(fc.property(seq, seq, (a, b) => {
      expect(seqDiff(a, b)).toBe(signed(a, b));
      expect(seqAdd(b, seqDiff(a, b))).toBe(a);
    }), runs);
  });

  it('seqLt/Le/Gt/Ge compare by the signed distance', () => {
    fc.assert(fc.property(seq, seq, (a, b) => {
      const d = signed(a, b);
      expect([seqLt(a, b), seqLe(a, b), seqGt(a, b), seqGe(a, b)]).toEqual([d < 0, d <= 0, d > 0, d >= 0]);
    }), runs);
  });

  it('across the wrap: a + n is after a for every n in 1 .. 2^31 − 1, and a is before it', () => {
    fc.assert(fc.property(seq, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (a, n) => {
      const b = seqAdd(a, n);
      expect(seqGt(b, a) && seqGe(b, a) && seqLt(a, b) && seqLe(a, b)).toBe(true);
      expect(seqLt(b, a) || seqGt(a, b)).toBe(false);
      expect(seqDiff(b, a)).toBe(n);
      expect(seqRel(b, a)).toBe(n);
    }), runs);
  });

  it('comparisons are antisymmetric except at exactly 2^31 apart, where RFC 9293 leaves the order undefined', () => {
    fc.assert(fc.property(seq, seq, (a, b) => {
      if (mod(BigInt(a) - BigInt(b)) === 1n << 31n) return;
      expect(seqLt(a, b)).toBe(seqGt(b, a));
      expect(seqLe(a, b)).toBe(seqGe(b, a));
      expect(seqLe(a, b) && seqGe(a, b)).toBe(a === b);
    }), runs);
  });

  it('seqRel is the unsigned distance from the base, as Wireshark shows relative numbers', () => {
    fc.assert(fc.property(seq, seq, (a, base) => {
      expect(seqRel(a, base)).toBe(Number(mod(BigInt(a) - BigInt(base))));
    }), runs);
  });
});
