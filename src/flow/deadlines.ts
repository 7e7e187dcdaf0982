import { grown } from './grown.js';

/**
 * When each open connection is next looked at for expiry: a timer wheel of one-second buckets, the
 * slots whose deadline is that capture second, and the seconds that have a bucket in a small heap
 * (one per second with deadlines: a few thousand at most, as deadlines lie within an hour of the
 * packets). A sweep takes only the buckets whose second has come, so its cost follows the
 * connections that expire, not all the open ones (scanning every slot once per capture second was
 * 10 % of a long capture's run; docs/performance.md, "Expiry"). A binary heap of every entry cost
 * twice this one's time: a pop is a walk down 17 levels at 170,000 open connections.
 *
 * A slot has at most one deadline that counts: `at[slot]`. Moving it adds the slot to another
 * bucket and leaves it in the old one (lazy invalidation): an entry counts only while its bucket's
 * second is still its slot's deadline, and is dropped when the bucket comes up otherwise. A later
 * deadline need not be set at all: the owner re-asks when the earlier one comes
 * (analysis/expiry.ts), so a connection whose packets keep moving its end costs nothing here until
 * then.
 */
export const NO_DEADLINE = Infinity;

export class DeadlineQueue {
  private readonly buckets = new Map<number, number[]>();
  /** The seconds that have a bucket: a binary min-heap. */
  private readonly seconds: number[] = [];
  /** The bucket last added to: deadlines come in runs of one second (each a packet's second plus a linger). */
  private lastSec = NaN;
  private lastBucket: number[] = [];
  private size = 0;
  /** Each slot's deadline (NO_DEADLINE: none). */
  private at = new Float64Array(1024).fill(NO_DEADLINE);

  /** The slot's deadline, NO_DEADLINE when it has none. */
  deadline(slot: number): number {
    return slot < this.at.length ? (this.at[slot] as number) : NO_DEADLINE;
  }

  /** Sets the slot's deadline (earlier or later than the one it had, which stops counting). */
  schedule(slot: number, sec: number): void {
    if (slot >= this.at.length) this.at = grown(this.at, doubledPast(this.at.length, slot), NO_DEADLINE);
    this.at[slot] = sec;
    let bucket = this.lastBucket;
    if (sec !== this.lastSec) {
      const found = this.buckets.get(sec);
      if (found !== undefined) bucket = found;
      else {
        bucket = [];
        this.buckets.set(sec, bucket);
        this.pushSecond(sec);
      }
      this.lastSec = sec;
      this.lastBucket = bucket;
    }
    bucket.push(slot);
    this.size++;
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
    const seconds = this.seconds;
    while (seconds.length > 0 && (seconds[0] as number) <= sec) {
      const due = this.popSecond();
      const bucket = this.buckets.get(due) as number[];
      this.buckets.delete(due);
      if (due === this.lastSec) this.lastSec = NaN;
      this.size -= bucket.length;
      for (const slot of bucket) {
        if (this.at[slot] !== due) continue;
        this.at[slot] = NO_DEADLINE;
        into.push(slot);
      }
    }
  }

  /** Every deadline dropped (end of input). */
  clear(): void {
    this.buckets.clear();
    this.seconds.length = 0;
    this.lastSec = NaN;
    this.size = 0;
    this.at.fill(NO_DEADLINE);
  }

  /** Entries in the buckets, stale ones included (tests). */
  get entries(): number {
    return this.size;
  }

  private pushSecond(sec: number): void {
    const h = this.seconds;
    let i = h.length;
    h.push(sec);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as number) <= sec) break;
      h[i] = h[p] as number;
      i = p;
    }
    h[i] = sec;
  }

  private popSecond(): number {
    const h = this.seconds;
    const top = h[0] as number;
    const last = h.pop() as number;
    const n = h.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (h[r] as number) < (h[l] as number) ? r : l;
      if ((h[c] as number) >= last) break;
      h[i] = h[c] as number;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

/** `length` doubled until it is past `index`. */
function doubledPast(length: number, index: number): number {
  let n = length;
  while (n <= index) n *= 2;
  return n;
}
