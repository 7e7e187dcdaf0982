import { randomFillSync } from 'node:crypto';
import type { ConnectionStore } from './store.js';
import { keyedTupleHash } from './tuple-hash.js';

const EMPTY = -1;
/** Grow when more than half the cells are used: linear probing stays short below that. */
const MAX_LOAD = 0.5;

/**
 * The index's secret, five random 32-bit words drawn once per process. Anyone can write a capture,
 * and a hash without a secret can be inverted: 80,000 SYNs on distinct 4-tuples with one hash made
 * every lookup walk one probe cluster (30.6 s against 1.4 s for 80,000 random ones). With the
 * secret mixed into every step, no set of colliding tuples can be computed without it, and the
 * secret never reaches the output (docs/design.md, "The 4-tuple index").
 */
const KEY = new Int32Array(5);
randomFillSync(KEY);

/** Tests only: fixes the secret (five 32-bit words), so that a test can build tuples that collide under it. */
export function setTupleHashKey(words: readonly number[]): void {
  for (let i = 0; i < KEY.length; i++) KEY[i] = words[i] ?? 0;
}

/** The keyed hash of the unordered 4-tuple (tuple-hash.ts) under this process's secret. */
export function tupleHash(a: number, aPort: number, b: number, bPort: number): number {
  return keyedTupleHash(KEY, a, aPort, b, bPort);
}

/**
 * The open IPv4 connections by 4-tuple: an open-addressing hash table (linear probing) of slots of
 * the connection store, in two typed arrays. The tuple itself is read from the store's columns, so
 * a lookup makes no key (a `Map` needed a number or string per packet, and its entries were objects
 * the garbage collector traced). Deletion shifts the following entries back instead of leaving
 * tombstones, so probes never lengthen as connections come and go.
 */
export class Ipv4SlotIndex {
  /** A store slot per cell, or EMPTY. */
  private slots = new Int32Array(1024).fill(EMPTY);
  /** The tuple hash of each cell's connection (saves reading the store on most mismatches). */
  private hashes = new Int32Array(1024);
  private mask = 1023;
  private count = 0;

  constructor(private readonly store: ConnectionStore) {}

  /** The slot of the connection on this 4-tuple (either direction), or -1. */
  find(a: number, aPort: number, b: number, bPort: number): number {
    const h = tupleHash(a, aPort, b, bPort);
    const s = this.store;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.slots[i] as number;
      if (slot === EMPTY) return EMPTY;
      if (this.hashes[i] !== h) continue;
      const ca = s.clientAddr[slot];
      const cp = s.clientPort[slot];
      const sa = s.serverAddr[slot];
      const sp = s.serverPort[slot];
      if ((ca === a && cp === aPort && sa === b && sp === bPort) || (ca === b && cp === bPort && sa === a && sp === aPort)) return slot;
    }
  }

  /** Adds a slot whose tuple (client and server columns) is set and not in the index yet. */
  add(slot: number): void {
    if (this.count + 1 > this.slots.length * MAX_LOAD) this.grow();
    this.place(slot, this.hashOf(slot));
    this.count++;
  }

  /** Removes a slot that is in the index. */
  remove(slot: number): void {
    const mask = this.mask;
    let i = this.hashOf(slot) & mask;
    while (this.slots[i] !== slot) {
      if (this.slots[i] === EMPTY) return;
      i = (i + 1) & mask;
    }
    // Backward shift: move up each following entry that may sit in the hole (its home is not
    // between the hole and itself), so every entry stays reachable from its home without gaps.
    for (let j = (i + 1) & mask; this.slots[j] !== EMPTY; j = (j + 1) & mask) {
      const home = (this.hashes[j] as number) & mask;
      if (((j - home) & mask) >= ((j - i) & mask)) {
        this.slots[i] = this.slots[j] as number;
        this.hashes[i] = this.hashes[j] as number;
        i = j;
      }
    }
    this.slots[i] = EMPTY;
    this.count--;
  }

  /** The longest distance of an entry from its home cell: how far the worst lookup walks (tests). */
  longestProbe(): number {
    let longest = 0;
    for (let i = 0; i < this.slots.length; i++) {
      if (this.slots[i] !== EMPTY) longest = Math.max(longest, (i - ((this.hashes[i] as number) & this.mask)) & this.mask);
    }
    return longest;
  }

  clear(): void {
    this.slots.fill(EMPTY);
    this.count = 0;
  }

  private hashOf(slot: number): number {
    const s = this.store;
    return tupleHash(s.clientAddr[slot] as number, s.clientPort[slot] as number, s.serverAddr[slot] as number, s.serverPort[slot] as number);
  }

  private place(slot: number, h: number): void {
    let i = h & this.mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & this.mask;
    this.slots[i] = slot;
    this.hashes[i] = h;
  }

  private grow(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    this.slots = new Int32Array(oldSlots.length * 2).fill(EMPTY);
    this.hashes = new Int32Array(oldSlots.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < oldSlots.length; i++) {
      const slot = oldSlots[i] as number;
      if (slot !== EMPTY) this.place(slot, oldHashes[i] as number);
    }
  }
}
