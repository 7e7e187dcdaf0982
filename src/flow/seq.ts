/** 32-bit sequence-number arithmetic (RFC 9293 §3.4): comparisons modulo 2^32. */

/** a - b as a signed distance in sequence space (−2^31 .. 2^31−1). */
export function seqDiff(a: number, b: number): number {
  return ((a - b) | 0);
}

/** a + n, wrapped to 32 bits unsigned. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

export const seqLt = (a: number, b: number): boolean => seqDiff(a, b) < 0;
export const seqLe = (a: number, b: number): boolean => seqDiff(a, b) <= 0;
export const seqGt = (a: number, b: number): boolean => seqDiff(a, b) > 0;
export const seqGe = (a: number, b: number): boolean => seqDiff(a, b) >= 0;

/** Distance from base to a, unsigned (what Wireshark prints as a relative number). */
export function seqRel(a: number, base: number): number {
  return (a - base) >>> 0;
}
