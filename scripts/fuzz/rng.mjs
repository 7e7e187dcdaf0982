// @ts-check
/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so that a fuzz run is a pure function of
 * its seed: input number i of seed s is always the same bytes, fed in the same chunks, whatever
 * worker runs it and in whatever order.
 */

/** splitmix32: spreads a 32-bit state into a well-mixed 32-bit value. */
function splitmix32(state) {
  let z = (state + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  /** @param {number} seed @param {number} [stream] */
  constructor(seed, stream = 0) {
    let s = splitmix32((seed >>> 0) ^ Math.imul(stream >>> 0, 0x27d4eb2d));
    this.a = s;
    this.b = s = splitmix32(s ^ 0x1b873593);
    this.c = s = splitmix32(s ^ 0xcc9e2d51);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32() {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** An integer in [0, n). @param {number} n */
  int(n) {
    return n <= 1 ? 0 : Math.floor((this.u32() / 4294967296) * n);
  }

  /** An integer in [lo, hi]. @param {number} lo @param {number} hi */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  /** @param {number} p */
  chance(p) {
    return this.u32() / 4294967296 < p;
  }

  /** @template T @param {readonly T[]} items @returns {T} */
  pick(items) {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** The generator for input `index` of a run seeded with `seed`. @param {number} seed @param {number} index */
export function inputRng(seed, index) {
  return new Rng(seed, index + 1);
}
