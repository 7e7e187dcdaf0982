/**
 * The hash of an unordered IPv4-sized 4-tuple, under a key of five 32-bit words: the open-connection
 * index keys it with a per-process secret (slot-index.ts), the shards with fixed words that every
 * process and machine share (shard.ts). One hash, two keys.
 */

/** One 32-bit word into the state, MurmurHash3's block step with a key word mixed in before each multiplication. */
function step(h: number, w: number, k: number): number {
  let m = Math.imul(w ^ k, 0xcc9e2d51);
  m = Math.imul((m << 15) | (m >>> 17), 0x1b873593);
  h ^= m;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * A keyed hash of the unordered 4-tuple, the same both ways (docs/contract.md, "Flows"): the
 * endpoint with the smaller address (then port) first, then its address, the other's address and
 * both ports as three words through `step`, each with its own key word, and MurmurHash3's
 * finaliser after a fifth.
 */
export function keyedTupleHash(key: Int32Array, a: number, aPort: number, b: number, bPort: number): number {
  let h: number;
  if (a < b || (a === b && aPort <= bPort)) h = step(step(step(key[0] as number, a, key[1] as number), b, key[2] as number), (aPort << 16) | bPort, key[3] as number);
  else h = step(step(step(key[0] as number, b, key[1] as number), a, key[2] as number), (bPort << 16) | aPort, key[3] as number);
  h ^= key[4] as number;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
