/**
 * Where open connections live: a struct of arrays. Every fact of every open connection is one
 * element of a typed array (a column), found by the connection's slot; a finished connection's slot
 * goes on a free list and is reused. Memory follows the connections still open (about 330 bytes
 * each, outside the garbage-collected heap), and the garbage collector has almost nothing to trace:
 * measured, one object graph per connection (about 1 KB each) cost a quarter of a run in GC alone.
 *
 * The columns, their reset and their growth are generated from the facts declared in schema.ts
 * (store-columns.generated.ts); this class adds the slots' bookkeeping, the Extra of the few
 * connections that need one, and the packet lists longer than one. view.ts reads a connection
 * through getters; the packet path (analysis/track.ts) writes the columns itself.
 */
import type { Via } from '../decode/segment.js';
import type { PacketRow } from './connection.js';
import { K, StoreColumns } from './store-columns.generated.js';
import { RareFacts } from './rare.js';
import type { RareSide } from './rare.js';
import type { WireView } from './wireview.js';

export * from './store-columns.generated.js';

/** What few connections need: text addresses (not IPv4), a tunnel, and Wireshark's view and rows when shown. */
export interface Extra {
  key?: string;
  clientText?: string;
  serverText?: string;
  view?: WireView;
  rows?: PacketRow[];
  /** The tunnel the connection's first packet came through (docs/contract.md, "Tunnels"). */
  via?: Via;
}

const EMPTY: readonly number[] = Object.freeze([]);

/**
 * A side's presence bits (`sideFlags`, the *_SET bits), for the code that writes the columns itself
 * (analysis/track.ts, reuse.ts). `cell` is slot * 2 + side.
 */
export const isSet = (s: StoreColumns, cell: number, bit: number): boolean => ((s.sideFlags[cell] as number) & bit) !== 0;
export function markSet(s: StoreColumns, cell: number, bits: number): void {
  s.sideFlags[cell] = (s.sideFlags[cell] as number) | bits;
}
export function markUnset(s: StoreColumns, cell: number, bits: number): void {
  s.sideFlags[cell] = (s.sideFlags[cell] as number) & ~bits;
}

export class ConnectionStore extends StoreColumns {
  private capacity = 0;
  /** Slots in use: 0 .. top-1 have been handed out; freed ones wait in `free`. */
  top = 0;
  private free: number[] = [];
  private readonly extras = new Map<number, Extra>();
  /** Lists of two or more packet numbers, by list cell; the first is also in `listFirst`. */
  private readonly longLists = new Map<number, readonly number[]>();

  /**
   * A fresh slot, every column at its reset value. A slot never used is so already: its columns are
   * zero-filled, and 0 is every column's reset value. Not writing them leaves the pages of the
   * facts a connection never has (a refusal, a silence, a RST's TTL ...) untouched, so they take
   * no memory (the benchmark: 6 MB less at its peak, docs/performance.md).
   */
  allocate(): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.top === this.capacity) this.grow();
      slot = this.top++;
    } else this.resetColumns(slot);
    this.active[slot] = 1;
    return slot;
  }

  /** Gives a slot back (after its connection was reported). */
  release(slot: number): void {
    if (this.active[slot] !== 1) return;
    this.active[slot] = 0;
    if ((this.flags[slot] as number) & K.HAS_EXTRA) this.extras.delete(slot);
    for (let l = slot * 2 * K.LISTS; l < (slot * 2 + 2) * K.LISTS; l++) if ((this.listCount[l] as number) > 1) this.longLists.delete(l);
    if ((this.flags[slot] as number) & K.HAS_RARE) this.rare.delete(slot);
    this.free.push(slot);
  }

  extra(slot: number): Extra | undefined {
    return (this.flags[slot] as number) & K.HAS_EXTRA ? this.extras.get(slot) : undefined;
  }

  setExtra(slot: number, extra: Extra): void {
    this.extras.set(slot, extra);
    this.flags[slot] = (this.flags[slot] as number) | K.HAS_EXTRA;
  }

  /** A list of packet numbers (at a list cell), as a new array or a shared empty one. */
  list(at: number): readonly number[] {
    const n = this.listCount[at] as number;
    if (n === 0) return EMPTY;
    if (n === 1) return [this.listFirst[at] as number];
    return this.longLists.get(at) ?? EMPTY;
  }

  /** Number of packets in a list, without building it. */
  listLength(at: number): number {
    return this.listCount[at] as number;
  }

  /**
   * Appends a packet number to a list (the caller bounds its length). A longer list is replaced, not
   * grown: concat makes an exact-size copy (a push leaves room for 16 more), and lists read back stay
   * unchanged.
   */
  addToList(at: number, no: number): void {
    const n = this.listCount[at] as number;
    if (n === 0) this.listFirst[at] = no;
    else if (n === 1) this.longLists.set(at, [this.listFirst[at] as number, no]);
    else this.longLists.set(at, (this.longLists.get(at) ?? EMPTY).concat(no));
    this.listCount[at] = n + 1;
  }

  /**
   * Takes packet number `no` off a list (a RST its receiver turned out to ignore), keeping the
   * order of the rest. Does nothing when it is not there.
   */
  removeFromList(at: number, no: number): void {
    const items = this.list(at);
    const i = items.indexOf(no);
    if (i < 0) return;
    const rest = items.filter((_, j) => j !== i);
    this.listCount[at] = rest.length;
    if (rest.length > 0) this.listFirst[at] = rest[0] as number;
    if (rest.length > 1) this.longLists.set(at, rest);
    else this.longLists.delete(at);
  }

  /** The RareFacts of the connections that have one (their `hasRare` flag is set). */
  private readonly rare = new Map<number, RareFacts>();

  /** The connection's RareFacts, if it has one. */
  rareFacts(slot: number): RareFacts | undefined {
    return (this.flags[slot] as number) & K.HAS_RARE ? this.rare.get(slot) : undefined;
  }

  /** The rare facts of the side at `cell` (slot * 2 + side), the connection's RareFacts made when it has none yet. */
  rareSide(cell: number): RareSide {
    return this.rareOf(cell >> 1).sides[cell & 1] as RareSide;
  }

  /** The connection's RareFacts, made when it has none yet. */
  rareOf(slot: number): RareFacts {
    let r = this.rareFacts(slot);
    if (r === undefined) {
      this.rare.set(slot, (r = new RareFacts()));
      this.flags[slot] = (this.flags[slot] as number) | K.HAS_RARE;
    }
    return r;
  }

  /**
   * Room for `slots` connections from the start (analyze.ts sizes it from the file): a large
   * capture's columns then never double, each a copy of what is there (about 60 ms on the
   * benchmark). Only address space is taken beyond the slots in use: the columns are zero-filled
   * by the system, page by page as slots are first used, so memory still follows the connections open.
   */
  reserve(slots: number): void {
    if (slots > this.capacity) this.grow(Math.ceil(slots));
  }

  /** Doubles every column, or makes it `slots` long. */
  private grow(slots = Math.max(1024, this.capacity * 2)): void {
    this.growColumns(slots);
    this.capacity = slots;
  }
}
