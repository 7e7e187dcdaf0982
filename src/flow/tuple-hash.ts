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
 * both ports as three words through `step`, each with its own key word (k1..k3; k0 starts the
 * state), and MurmurHash3's finaliser after the fifth (k4). The key comes as five numbers, not an
 * array (a typed array's element is a bounds-checked load), and the order is chosen before one
 * chain of steps: small enough for V8 to inline into the lookup (two chains, one for each order,
 * were not).
 */
export function keyedTupleHash(k0: number, k1: number, k2: number, k3: number, k4: number, a: number, aPort: number, b: number, bPort: number): number {
  const swap = a > b || (a === b && aPort > bPort);
  const ports = swap ? (bPort << 16) | aPort : (aPort << 16) | bPort;
  let h = step(step(step(k0, swap ? b : a, k1), swap ? a : b, k2), ports, k3) ^ k4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
