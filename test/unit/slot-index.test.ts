import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ipv4SlotIndex, setTupleHashKey, tupleHash } from '../../src/flow/slot-index.js';
import { portsFor } from './tuple-hash.js';
import { ConnectionStore } from '../../src/flow/store.js';
import { rng } from './random.js';

/**
 * The open-addressing index of IPv4 connections (slot-index.ts), over a real ConnectionStore (the
 * index reads the tuples from the store's columns). Deletion shifts entries back rather than leaving
 * tombstones: an entry it fails to move, or moves past its home, is no longer found, and the
 * connection's next packet opens a second connection (a wrong shift once turned a 40,000-connection
 * capture into 40,326). The clusters below are found by brute force so that they wrap around the
 * end of the table, where the distance arithmetic is modular.
 */
type Tuple = readonly [a: number, aPort: number, b: number, bPort: number];

const EMPTY = -1;

/** The index's cell mask (private: the table's size - 1), read so the test follows the table size. */
function maskOf(index: Ipv4SlotIndex): number {
  const mask: unknown = Reflect.get(index, 'mask');
  if (typeof mask !== 'number') throw new Error('Ipv4SlotIndex has no numeric mask: update this test');
  return mask;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a;
}

/** Distinct tuples, in the order generated; addresses as the decoder gives them (signed 32-bit). */
function tuples(n: number, seed: number): Tuple[] {
  const random = rng(seed);
  const seen = new Set<string>();
  const out: Tuple[] = [];
  while (out.length < n) {
    const t: Tuple = [(random() * 2 ** 32) | 0, 1 + Math.floor(random() * 65535), (random() * 2 ** 32) | 0, 1 + Math.floor(random() * 65535)];
    const key = `${t[0]}:${t[1]}-${t[2]}:${t[3]}`;
    if (seen.has(key) || seen.has(`${t[2]}:${t[3]}-${t[0]}:${t[1]}`)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/** Tuples whose home cell (hash & mask) is `home`, found by brute force (client 10.0.0.1, varying port and server). */
function tuplesAt(home: number, mask: number, count: number, from = 0): Tuple[] {
  const out: Tuple[] = [];
  const client = 0x0a000001;
  for (let i = from; out.length < count; i++) {
    const t: Tuple = [client, 1024 + (i % 60000), 0x0a010000 + Math.floor(i / 60000), 443];
    if ((tupleHash(...t) & mask) === home) out.push(t);
  }
  return out;
}

/** A store and an index over it, with helpers that keep the two in step as the table does. */
class Harness {
  readonly store = new ConnectionStore();
  readonly index = new Ipv4SlotIndex(this.store);
  readonly slotOf = new Map<Tuple, number>();

  add(t: Tuple): number {
    const slot = this.store.allocate();
    this.store.clientAddr[slot] = t[0];
    this.store.clientPort[slot] = t[1];
    this.store.serverAddr[slot] = t[2];
    this.store.serverPort[slot] = t[3];
    this.index.add(slot);
    this.slotOf.set(t, slot);
    return slot;
  }

  remove(t: Tuple): void {
    const slot = this.slotOf.get(t);
    if (slot === undefined) throw new Error('not added');
    this.index.remove(slot);
    this.store.release(slot);
    this.slotOf.delete(t);
  }

  /** Both directions of the 4-tuple find the same slot. */
  find(t: Tuple): number {
    const there = this.index.find(t[0], t[1], t[2], t[3]);
    const back = this.index.find(t[2], t[3], t[0], t[1]);
    expect(back, `both directions of ${t.join(',')}`).toBe(there);
    return there;
  }

  /** Every tuple added and not removed is found at its slot; each of `gone` is not found. */
  expectConsistent(gone: Iterable<Tuple> = []): void {
    for (const [t, slot] of this.slotOf) if (this.find(t) !== slot) expect.fail(`${t.join(',')} (slot ${slot}) not found`);
    for (const t of gone) if (this.find(t) !== EMPTY) expect.fail(`${t.join(',')} found after removal`);
  }
}

describe('the IPv4 slot index (slot-index.ts)', () => {
  it('hashes the unordered 4-tuple: the same both ways', () => {
    for (const t of tuples(200, 1)) expect(tupleHash(t[2], t[3], t[0], t[1])).toBe(tupleHash(...t));
  });

  it('finds what was inserted, in both directions, and nothing else', () => {
    const h = new Harness();
    const [a, b, c] = tuples(3, 2) as [Tuple, Tuple, Tuple];
    const sa = h.add(a);
    const sb = h.add(b);
    expect(h.find(a)).toBe(sa);
    expect(h.find(b)).toBe(sb);
    expect(h.find(c)).toBe(EMPTY);
    // Same endpoints, another port: another connection.
    expect(h.index.find(a[0], a[1] ^ 1, a[2], a[3])).toBe(EMPTY);
    h.remove(a);
    expect(h.find(a)).toBe(EMPTY);
    expect(h.find(b)).toBe(sb);
  });

  it('tells apart tuples of the same hash cell by their columns', () => {
    const h = new Harness();
    const mask = maskOf(h.index);
    const same = tuplesAt(100, mask, 6);
    for (const t of same) h.add(t);
    h.expectConsistent();
    // A tuple homed there but never added is not found, though the whole cluster is probed.
    expect(h.find(tuplesAt(100, mask, 1, 1_000_000)[0] as Tuple)).toBe(EMPTY);
  });

  it('deletes from a cluster that wraps around the end of the table: every order, every entry', () => {
    const probe = new Harness();
    const mask = maskOf(probe.index);
    // Homes chosen so the cluster runs mask-1, mask, 0, 1, 2, ... with entries displaced across the
    // wrap, entries at their own home (must not move), and entries whose home is the hole (must move).
    const cluster: Tuple[] = [
      ...tuplesAt(mask - 1, mask, 3),
      ...tuplesAt(mask, mask, 2),
      ...tuplesAt(0, mask, 2),
      ...tuplesAt(1, mask, 1),
      ...tuplesAt(3, mask, 1),
    ];
    // Interleaved insertion orders put the same homes at different distances.
    const orders = [cluster, cluster.slice().reverse(), shuffle(cluster, rng(7)), shuffle(cluster, rng(8))];
    for (const order of orders) {
      for (const victim of cluster) {
        const h = new Harness();
        for (const t of order) h.add(t);
        h.expectConsistent();
        h.remove(victim);
        h.expectConsistent([victim]);
        // And everything else after it, one by one, in a seeded order.
        const gone = [victim];
        for (const t of shuffle(cluster.filter((x) => x !== victim), rng(cluster.indexOf(victim)))) {
          h.remove(t);
          gone.push(t);
          h.expectConsistent(gone);
        }
      }
    }
  });

  it('the deleted entry\'s own home: the entry behind it moves up (a gap there hides it)', () => {
    const h = new Harness();
    const mask = maskOf(h.index);
    const [first, second] = tuplesAt(mask, mask, 2) as [Tuple, Tuple];
    h.add(first); // cell mask
    h.add(second); // cell 0, wrapped, home mask
    h.remove(first);
    expect(h.find(second)).toBe(h.slotOf.get(second));
  });

  it('grows past its load factor with every entry still found, and re-adds after removal', () => {
    const h = new Harness();
    const startMask = maskOf(h.index);
    const all = tuples(5000, 3);
    for (const t of all) h.add(t);
    expect(maskOf(h.index)).toBeGreaterThan(startMask);
    // At most half the cells used.
    expect(all.length).toBeLessThanOrEqual((maskOf(h.index) + 1) / 2);
    h.expectConsistent();
    for (const t of all.slice(0, 2500)) h.remove(t);
    h.expectConsistent(all.slice(0, 2500));
    for (const t of all.slice(0, 2500)) h.add(t);
    h.expectConsistent();
  });

  it('deletes every entry in random (seeded) order, every other one still found after each deletion', () => {
    for (const seed of [11, 12, 13]) {
      const h = new Harness();
      // 1,500 entries in a table grown to 4,096 cells: clusters form, several of them wrapping.
      const all = tuples(1500, seed);
      for (const t of all) h.add(t);
      const gone: Tuple[] = [];
      for (const t of shuffle(all, rng(seed))) {
        h.remove(t);
        gone.push(t);
        for (const [u, slot] of h.slotOf) if (h.index.find(u[0], u[1], u[2], u[3]) !== slot) expect.fail(`seed ${seed}: ${u.join(',')} lost after ${gone.length} deletions`);
      }
      h.expectConsistent(gone);
    }
  });

  it('clear forgets everything; the index is usable afterwards', () => {
    const h = new Harness();
    const all = tuples(700, 4);
    for (const t of all) h.add(t);
    h.index.clear();
    for (const t of all) expect(h.find(t)).toBe(EMPTY);
    const again = h.add(all[0] as Tuple);
    expect(h.find(all[0] as Tuple)).toBe(again);
  });

  it('behaves as a Map from tuple to slot under any sequence of adds and removes (fast-check)', () => {
    const mask = maskOf(new Harness().index);
    // A pool where collisions are the rule: clusters homed near the end of the table (wrapping) and in
    // the middle, plus tuples spread at random. Growth rehashes them; the later operations then run
    // on the larger table.
    const pool: Tuple[] = [
      ...tuplesAt(mask - 2, mask, 4), ...tuplesAt(mask, mask, 4), ...tuplesAt(0, mask, 3), ...tuplesAt(2, mask, 3),
      ...tuplesAt(500, mask, 4), ...tuplesAt(501, mask, 2), ...tuples(40, 5),
    ];
    const op = fc.oneof(
      { weight: 10, arbitrary: fc.record({ kind: fc.constant('toggle' as const), i: fc.nat({ max: pool.length - 1 }) }) },
      // Many fresh tuples at once: pushes the table past its load factor mid-sequence.
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('bulk' as const), i: fc.nat({ max: 1000 }) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const h = new Harness();
        const model = new Map<Tuple, number>();
        let bulkDone = false;
        for (const o of ops) {
          if (o.kind === 'bulk') {
            if (bulkDone) continue;
            bulkDone = true;
            for (const t of tuples(600, 1000 + o.i)) model.set(t, h.add(t));
          } else {
            const t = pool[o.i] as Tuple;
            if (model.has(t)) {
              h.remove(t);
              model.delete(t);
            } else model.set(t, h.add(t));
          }
          for (const t of pool) {
            const want = model.get(t) ?? EMPTY;
            if (h.index.find(t[0], t[1], t[2], t[3]) !== want || h.index.find(t[2], t[3], t[0], t[1]) !== want) return false;
          }
        }
        for (const [t, slot] of model) if (h.index.find(t[0], t[1], t[2], t[3]) !== slot) return false;
        return true;
      }),
      { seed: 20261204, numRuns: 300 },
    );
  });
});


/** The store slots in the index's cells (private), read to check what growth carried over. */
function cellsOf(index: Ipv4SlotIndex): Int32Array {
  const slots: unknown = Reflect.get(index, 'slots');
  if (!(slots instanceof Int32Array)) throw new Error('Ipv4SlotIndex has no Int32Array slots: update this test');
  return slots;
}

describe('the IPv4 slot index at its edges', () => {
  it('a tuple with the same hash but another endpoint is another connection, either way round', () => {
    // The hash is keyed (hash flooding): the twins are built under a secret fixed for this test.
    const key = [0x01234567, 0x89abcdef, 0x0f1e2d3c, 0x4b5a6978, 0x13579bdf];
    setTupleHashKey(key);
    const h = new Harness();
    const stored: Tuple = [0x0a000001, 40000, 0x0a000002, 443];
    const slot = h.add(stored);
    const target = tupleHash(...stored);
    // Another client address, its ports chosen so that the hash is the same.
    const w = portsFor(key, 0x0a000000, stored[2], target);
    const twin: Tuple = [0x0a000000, w >>> 16, stored[2], w & 0xffff];
    expect(tupleHash(...twin)).toBe(target);
    expect(h.index.find(...twin)).toBe(EMPTY);
    expect(h.index.find(twin[2], twin[3], twin[0], twin[1])).toBe(EMPTY);
    // Another server address likewise.
    const v = portsFor(key, stored[0], 0x0a000009, target);
    const serverTwin: Tuple = [stored[0], v >>> 16, 0x0a000009, v & 0xffff];
    expect(tupleHash(...serverTwin)).toBe(target);
    expect(h.index.find(...serverTwin)).toBe(EMPTY);
    expect(h.index.find(serverTwin[2], serverTwin[3], serverTwin[0], serverTwin[1])).toBe(EMPTY);
    // Added as connections of their own, each is found at its slot.
    const twinSlot = h.add(twin);
    const serverTwinSlot = h.add(serverTwin);
    expect(h.find(stored)).toBe(slot);
    expect(h.find(twin)).toBe(twinSlot);
    expect(h.find(serverTwin)).toBe(serverTwinSlot);
  });

  it('doubles exactly when an add would fill more than half the cells', () => {
    const h = new Harness();
    const cells = maskOf(h.index) + 1;
    const all = tuples(cells, 21);
    for (const t of all.slice(0, cells / 2)) h.add(t);
    expect(maskOf(h.index)).toBe(cells - 1);
    h.add(all[cells / 2] as Tuple);
    expect(maskOf(h.index)).toBe(cells * 2 - 1);
    h.expectConsistent();
  });

  it('counts removals: a table that never holds more than half its cells does not grow', () => {
    const h = new Harness();
    const cells = maskOf(h.index) + 1;
    const all = tuples(cells, 22);
    for (const t of all.slice(0, cells / 2)) h.add(t);
    for (const t of all.slice(0, cells / 4)) h.remove(t);
    for (const t of all.slice(cells / 2, (cells * 3) / 4)) h.add(t);
    expect(maskOf(h.index)).toBe(cells - 1);
    h.expectConsistent(all.slice(0, cells / 4));
  });

  it('carries every entry, and nothing else, into the grown table', () => {
    const h = new Harness();
    const cells = maskOf(h.index) + 1;
    const all = tuples(cells / 2 + 1, 23);
    for (const t of all) h.add(t);
    const used = [...cellsOf(h.index)].filter((slot) => slot !== EMPTY).sort((x, y) => x - y);
    expect(used).toEqual([...h.slotOf.values()].sort((x, y) => x - y));
  });

  it('removing a slot that is not in the index changes nothing', () => {
    const h = new Harness();
    const [a, b] = tuples(2, 24) as [Tuple, Tuple];
    const sa = h.add(a);
    const slot = h.store.allocate();
    h.store.clientAddr[slot] = b[0];
    h.store.clientPort[slot] = b[1];
    h.store.serverAddr[slot] = b[2];
    h.store.serverPort[slot] = b[3];
    h.index.remove(slot);
    expect(h.find(a)).toBe(sa);
    expect(h.find(b)).toBe(EMPTY);
  });
});
