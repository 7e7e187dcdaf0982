/**
 * Where open connections live: a struct of arrays. Every fact of every open connection is one
 * element of a typed array (a column), found by the connection's slot; a finished connection's slot
 * goes on a free list and is reused. Memory follows the connections still open (about 400 bytes
 * each, outside the garbage-collected heap), and the garbage collector has almost nothing to trace:
 * measured, one object graph per connection (about 1 KB each) cost a quarter of a run in GC alone.
 *
 * Column names are the fields of `Connection` and `SideFacts` (connection.ts); stored.ts reads them
 * back through those interfaces. A side's facts are at cell `slot * 2 + side` (0 client, 1 server).
 * "Not set" is -1 for packet numbers (they count from 1) and a bit in `sideFlags` for sequence numbers.
 */
import type { PacketRow } from './connection.js';
import type { WireView } from './wireview.js';

/** Connection flags (`flags` column). */
export const SAW_SYN = 1;
export const SAW_SYN_ACK = 2;
export const SAW_HANDSHAKE_ACK = 4;
export const PORT_REUSED = 8;
/** Addresses are printable strings (IPv6, or segments built by hand), kept in `extra`. */
export const TEXT_IDS = 16;
/** The connection has an Extra (text addresses, view, rows). */
export const HAS_EXTRA = 32;
/** Its end has been reported (Analyzer's onEnded). */
export const ENDED_SEEN = 64;

/** Side flags (`sideFlags` column): which optional sequence numbers and times are set. */
export const BASE_SET = 1;
export const ISN_SET = 2;
export const FIN_SEQ_SET = 4;
export const FIN_END_SET = 8;
export const HIGH_END_SET = 16;
export const TRAILING_END_SET = 32;
export const FIN_TIME_SET = 64;
export const FIN_ACK_TIME_SET = 128;

/** The per-side packet lists (evidence), each bounded by track.ts. */
export const RST_NOS = 0;
export const DATA_AFTER_PEER_FIN = 1;
export const TRAILING_NOS = 2;
const LISTS = 3;

/** What few connections need: text addresses (not IPv4), and Wireshark's view and rows when shown. */
export interface Extra {
  key?: string;
  clientText?: string;
  serverText?: string;
  view?: WireView;
  rows?: PacketRow[];
}

const NONE = -1;
const EMPTY: readonly number[] = Object.freeze([]);

export class ConnectionStore {
  private capacity = 0;
  /** Slots in use: 0 .. top-1 have been handed out; freed ones wait in `free`. */
  top = 0;
  private free: number[] = [];
  private readonly extras = new Map<number, Extra>();
  /** Lists of two or more packet numbers, by list cell (`cell * 3 + list`); the first is also in `listFirst`. */
  private readonly longLists = new Map<number, readonly number[]>();

  // Per slot.
  active = new Uint8Array(0);
  id = new Int32Array(0);
  clientAddr = new Int32Array(0);
  serverAddr = new Int32Array(0);
  clientPort = new Uint16Array(0);
  serverPort = new Uint16Array(0);
  firstPacket = new Float64Array(0);
  lastPacket = new Float64Array(0);
  startSec = new Float64Array(0);
  startNsec = new Int32Array(0);
  endSec = new Float64Array(0);
  endNsec = new Int32Array(0);
  refusedNo = new Float64Array(0);
  flags = new Uint8Array(0);
  /** Endpoint states, as indexes into TCP_STATES: [slot * 2 + side]. */
  state = new Uint8Array(0);
  historyMask = new Uint16Array(0);
  historySeq = new Float64Array(0);

  // Per side: [slot * 2 + side].
  sideFlags = new Uint8Array(0);
  base = new Uint32Array(0);
  isn = new Uint32Array(0);
  finSeq = new Uint32Array(0);
  finEnd = new Uint32Array(0);
  highEnd = new Uint32Array(0);
  trailingEnd = new Uint32Array(0);
  synNo = new Float64Array(0);
  finNo = new Float64Array(0);
  finAckNo = new Float64Array(0);
  finSec = new Float64Array(0);
  finNsec = new Int32Array(0);
  finAckSec = new Float64Array(0);
  finAckNsec = new Int32Array(0);
  bytes = new Float64Array(0);
  bytesAfterPeerFin = new Float64Array(0);
  trailingBytes = new Float64Array(0);

  // Per list: [(slot * 2 + side) * 3 + list].
  listCount = new Uint8Array(0);
  listFirst = new Float64Array(0);

  /** A fresh slot, every column reset. */
  allocate(): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.top === this.capacity) this.grow();
      slot = this.top++;
    }
    this.active[slot] = 1;
    this.refusedNo[slot] = NONE;
    this.flags[slot] = 0;
    this.historyMask[slot] = 0;
    this.historySeq[slot] = 0;
    for (let cell = slot * 2; cell < slot * 2 + 2; cell++) {
      this.state[cell] = 0;
      this.sideFlags[cell] = 0;
      this.synNo[cell] = NONE;
      this.finNo[cell] = NONE;
      this.finAckNo[cell] = NONE;
      this.bytes[cell] = 0;
      this.bytesAfterPeerFin[cell] = 0;
      this.trailingBytes[cell] = 0;
      for (let l = cell * LISTS; l < cell * LISTS + LISTS; l++) this.listCount[l] = 0;
    }
    return slot;
  }

  /** Gives a slot back (after its connection was reported). */
  release(slot: number): void {
    if (this.active[slot] !== 1) return;
    this.active[slot] = 0;
    if ((this.flags[slot] as number) & HAS_EXTRA) this.extras.delete(slot);
    for (let l = slot * 2 * LISTS; l < (slot * 2 + 2) * LISTS; l++) if ((this.listCount[l] as number) > 1) this.longLists.delete(l);
    this.free.push(slot);
  }

  extra(slot: number): Extra | undefined {
    return (this.flags[slot] as number) & HAS_EXTRA ? this.extras.get(slot) : undefined;
  }

  setExtra(slot: number, extra: Extra): void {
    this.extras.set(slot, extra);
    this.flags[slot] = (this.flags[slot] as number) | HAS_EXTRA;
  }

  /** A list of packet numbers (`cell * 3 + list`), as a new array or a shared empty one. */
  list(at: number): readonly number[] {
    const n = this.listCount[at] as number;
    if (n === 0) return EMPTY;
    if (n === 1) return [this.listFirst[at] as number];
    return this.longLists.get(at) ?? EMPTY;
  }

  /** The i-th packet number of a list (i below its length), without building the list. */
  listItem(at: number, i: number): number {
    return i === 0 ? (this.listFirst[at] as number) : (this.longLists.get(at)?.[i] ?? 0);
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
   * Doubles every column (copying what is there). The old column's memory is handed over at once
   * (structuredClone with transfer: Node 20's stand-in for ArrayBuffer.prototype.transfer) to an
   * object that is garbage from birth, so the next minor collection frees it. Left in the old column,
   * it waited for a full collection, and the peak memory depended on when one ran.
   */
  private grow(): void {
    const cap = Math.max(1024, this.capacity * 2);
    const columns = this.columns();
    for (const [name, per] of COLUMNS) {
      const a = columns[name];
      const b = new (a.constructor as new (n: number) => Column)(cap * per);
      b.set(a);
      freeNow(a.buffer as ArrayBuffer);
      columns[name] = b;
    }
    this.capacity = cap;
  }

  /** The columns by name (the fields COLUMNS lists). */
  private columns(): Record<ColumnName, Column> {
    return this as unknown as Record<ColumnName, Column>;
  }

  /**
   * Copies of the given slots' facts, as a store of their own with slots 0, 1, 2 ... in the order
   * given: what a thread that writes part of a report is handed (parallel/final-split.ts).
   */
  copySlots(slots: readonly number[]): StoreCopy {
    const from = this.columns();
    const columns = {} as Record<ColumnName, Column>;
    for (const [name, per] of COLUMNS) {
      const a = from[name];
      const b = new (a.constructor as new (n: number) => Column)(slots.length * per);
      copyBytes(bytesOf(a), bytesOf(b), slots, a.BYTES_PER_ELEMENT * per);
      columns[name] = b;
    }
    const lists: Array<[number, readonly number[]]> = [];
    const extras: Array<[number, Extra]> = [];
    slots.forEach((slot, i) => {
      for (let l = 0; l < 2 * LISTS; l++) {
        const long = this.longLists.get(slot * 2 * LISTS + l);
        if (long !== undefined) lists.push([i * 2 * LISTS + l, long]);
      }
      const extra = this.extra(slot);
      if (extra !== undefined) extras.push([i, { clientText: extra.clientText, serverText: extra.serverText }]);
    });
    return { count: slots.length, columns, lists, extras };
  }

  /** A store holding a copy made by copySlots (in another thread). */
  static fromCopy(copy: StoreCopy): ConnectionStore {
    const store = new ConnectionStore();
    Object.assign(store.columns(), copy.columns);
    store.capacity = copy.count;
    store.top = copy.count;
    for (const [at, nos] of copy.lists) store.longLists.set(at, nos);
    for (const [slot, extra] of copy.extras) store.extras.set(slot, extra);
    return store;
  }
}

type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

const bytesOf = (a: Column): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Copies each slot's `width` bytes from `from` to the next place in `to`. Through byte views, so
 * that one loop serves every column type (element by element over five array types, the copy was
 * a sixth of the run); consecutive slots, the common case, go in one native copy.
 */
function copyBytes(from: Uint8Array, to: Uint8Array, slots: readonly number[], width: number): void {
  for (let i = 0; i < slots.length;) {
    let j = i + 1;
    while (j < slots.length && slots[j] === (slots[j - 1] as number) + 1) j++;
    const start = (slots[i] as number) * width;
    const length = (j - i) * width;
    if (length > 64) to.set(from.subarray(start, start + length), i * width);
    else for (let k = 0; k < length; k++) to[i * width + k] = from[start + k] as number;
    i = j;
  }
}

/**
 * Frees an ArrayBuffer's memory at the next minor collection rather than at a full one: it is
 * handed over (structuredClone with transfer: Node 20's stand-in for ArrayBuffer.prototype.transfer)
 * to an object that is garbage from birth. For buffers nothing else will read.
 */
export function freeNow(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

/** Every column and how many elements it has per slot (1; 2 per side; 6 per list). */
const COLUMNS = [
  ['active', 1], ['id', 1], ['clientAddr', 1], ['serverAddr', 1], ['clientPort', 1], ['serverPort', 1],
  ['firstPacket', 1], ['lastPacket', 1], ['startSec', 1], ['startNsec', 1], ['endSec', 1], ['endNsec', 1],
  ['refusedNo', 1], ['flags', 1], ['state', 2], ['historyMask', 1], ['historySeq', 1],
  ['sideFlags', 2], ['base', 2], ['isn', 2], ['finSeq', 2], ['finEnd', 2], ['highEnd', 2], ['trailingEnd', 2],
  ['synNo', 2], ['finNo', 2], ['finAckNo', 2], ['finSec', 2], ['finNsec', 2], ['finAckSec', 2], ['finAckNsec', 2],
  ['bytes', 2], ['bytesAfterPeerFin', 2], ['trailingBytes', 2],
  ['listCount', 2 * LISTS], ['listFirst', 2 * LISTS],
] as const satisfies ReadonlyArray<readonly [keyof ConnectionStore, number]>;
type ColumnName = (typeof COLUMNS)[number][0];

/** Some slots' facts, copied out of a store (copySlots) to be sent to another thread. */
export interface StoreCopy {
  count: number;
  columns: Record<ColumnName, Column>;
  lists: Array<[number, readonly number[]]>;
  extras: Array<[number, Extra]>;
}