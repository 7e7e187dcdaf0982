/**
 * slot-index.ts's keyed tuple hash, undone: the tests that need 4-tuples of one hash under a known
 * secret (setTupleHashKey) build them here. Only possible with the key.
 */
/** The inverse of an odd number modulo 2^32 (Newton's iteration). */
function inverse(x: number): number {
  let y = x;
  for (let i = 0; i < 5; i++) y = Math.imul(y, 2 - Math.imul(x, y));
  return y;
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** slot-index.ts's step, written again: the test inverts it, so it must know it. */
function step(h: number, w: number, k: number): number {
  let m = Math.imul(w ^ k, 0xcc9e2d51);
  m = Math.imul(rotl(m, 15), 0x1b873593);
  return (Math.imul(rotl(h ^ m, 13), 5) + 0xe6546b64) | 0;
}

/**
 * The port word that gives tuple (lo, hi) the hash `target` under `key`: the finaliser and the last
 * step undone. Only possible with the key.
 */
export function portsFor(key: readonly number[], lo: number, hi: number, target: number): number {
  let h = target;
  h ^= h >>> 16;
  h = Math.imul(h, inverse(0xc2b2ae35));
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, inverse(0x85ebca6b));
  h ^= h >>> 16;
  h ^= key[4] as number;
  const before = step(step(key[0] as number, lo, key[1] as number), hi, key[2] as number);
  const m = rotl(Math.imul((h - 0xe6546b64) | 0, inverse(5)), 19) ^ before;
  return Math.imul(rotl(Math.imul(m, inverse(0x1b873593)), 17), inverse(0xcc9e2d51)) ^ (key[3] as number);
}

