/**
 * When each open connection is next looked at for expiry: a queue of (capture second, slot) ordered
 * by second, a binary heap in two typed arrays. A sweep takes only the entries whose second has
 * come, so its cost follows the connections that expire, not all the open ones (scanning every slot
 * once per capture second was 8.7 % of a long capture's run; docs/performance.md).
 *
 * A slot has at most one deadline that counts: `at[slot]`. Moving it pushes a new entry and leaves
 * the old one in the heap (lazy invalidation): an entry counts only while its second is still its
 * slot's deadline, and is dropped when it comes up otherwise. A later deadline need not be pushed at
 * all: the owner re-asks when the earlier one comes (analysis/expiry.ts), so a connection whose
 * packets keep moving its end costs nothing here until then.
 */
export const NO_DEADLINE = Infinity;

export class DeadlineQueue {
  /** The heap: entry i's second and slot; children of i at 2i+1 and 2i+2. */
  private secs = new Float64Array(1024);
  private slots = new Int32Array(1024);
  private size = 0;
  /** Each slot's deadline (NO_DEADLINE: none). */
  private at = new Float64Array(1024).fill(NO_DEADLINE);

  /** The slot's deadline, NO_DEADLINE when it has none. */
  deadline(slot: number): number {
    return slot < this.at.length ? (this.at[slot] as number) : NO_DEADLINE;
  }

  /** Sets the slot's deadline (earlier or later than the one it had, which stops counting). */
  schedule(slot: number, sec: number): void {
    if (slot >= this.at.length) this.at = grownTo(this.at, slot + 1, NO_DEADLINE);
    this.at[slot] = sec;
    if (this.size === this.secs.length) {
      this.secs = grownTo(this.secs, this.size + 1, 0);
      this.slots = grownTo(this.slots, this.size + 1, 0);
    }
    this.siftUp(this.size++, sec, slot);
  }

  /** The slot has no deadline any more (its connection was released). */
  forget(slot: number): void {
    if (slot < this.at.length) this.at[slot] = NO_DEADLINE;
  }

  /**
   * Appends to `into` the slots whose deadline is `sec` or earlier, in no particular order, each
   * once, and clears their deadlines: the caller releases them or schedules them again.
   */
  takeDue(sec: number, into: number[]): void {
    while (this.size > 0 && (this.secs[0] as number) <= sec) {
      const due = this.secs[0] as number;
      const slot = this.slots[0] as number;
      this.popTop();
      if (this.at[slot] !== due) continue;
      this.at[slot] = NO_DEADLINE;
      into.push(slot);
    }
  }

  /** Every deadline dropped (end of input). */
  clear(): void {
    this.size = 0;
    this.at.fill(NO_DEADLINE);
  }

  /** Entries in the heap, stale ones included (tests). */
  get entries(): number {
    return this.size;
  }

  private popTop(): void {
    const last = --this.size;
    if (last === 0) return;
    const sec = this.secs[last] as number;
    const slot = this.slots[last] as number;
    // Sift the last entry down from the root.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && (this.secs[r] as number) < (this.secs[l] as number) ? r : l;
      if ((this.secs[c] as number) >= sec) break;
      this.secs[i] = this.secs[c] as number;
      this.slots[i] = this.slots[c] as number;
      i = c;
    }
    this.secs[i] = sec;
    this.slots[i] = slot;
  }

  private siftUp(i: number, sec: number, slot: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((this.secs[p] as number) <= sec) break;
      this.secs[i] = this.secs[p] as number;
      this.slots[i] = this.slots[p] as number;
      i = p;
    }
    this.secs[i] = sec;
    this.slots[i] = slot;
  }
}

/** A copy at least `min` long (doubling), new cells set to `fill`. */
function grownTo<T extends Float64Array | Int32Array>(a: T, min: number, fill: number): T {
  let n = a.length;
  while (n < min) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}
