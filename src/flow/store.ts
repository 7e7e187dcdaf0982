/**
 * Where open connections live: a struct of arrays. Every fact of every open connection is one
 * element of a typed array (a column), found by the connection's slot; a finished connection's slot
 * goes on a free list and is reused. Memory follows the connections still open (about 330 bytes
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
   * Room for `slots` connections from the start (analyze.ts sizes it from the file): a large
   * capture's columns then never double, each a copy of what is there (about 60 ms on the
   * benchmark). Only address space is taken beyond the slots in use: the columns are zero-filled
   * by the system, page by page as slots are first used, so memory still follows the connections open.
   */
  reserve(slots: number): void {
    if (slots > this.capacity) this.grow(Math.ceil(slots));
  }

  /**
   * Doubles every column, or makes it `cap` long (copying what is there). The old column's memory is handed over at once
   * (structuredClone with transfer: Node 20's stand-in for ArrayBuffer.prototype.transfer) to an
   * object that is garbage from birth, so the next minor collection frees it. Left in the old column,
   * it waited for a full collection, and the peak memory depended on when one ran.
   */
  private grow(cap = Math.max(1024, this.capacity * 2)): void {
    const g = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T, per: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      b.set(a);
      structuredClone(a.buffer, { transfer: [a.buffer] });
      return b;
    };
    this.active = g(this.active, 1);
    this.id = g(this.id, 1);
    this.clientAddr = g(this.clientAddr, 1);
    this.serverAddr = g(this.serverAddr, 1);
    this.clientPort = g(this.clientPort, 1);
    this.serverPort = g(this.serverPort, 1);
    this.firstPacket = g(this.firstPacket, 1);
    this.lastPacket = g(this.lastPacket, 1);
    this.startSec = g(this.startSec, 1);
    this.startNsec = g(this.startNsec, 1);
    this.endSec = g(this.endSec, 1);
    this.endNsec = g(this.endNsec, 1);
    this.refusedNo = g(this.refusedNo, 1);
    this.flags = g(this.flags, 1);
    this.state = g(this.state, 2);
    this.historyMask = g(this.historyMask, 1);
    this.historySeq = g(this.historySeq, 1);
    this.sideFlags = g(this.sideFlags, 2);
    this.base = g(this.base, 2);
    this.isn = g(this.isn, 2);
    this.finSeq = g(this.finSeq, 2);
    this.finEnd = g(this.finEnd, 2);
    this.highEnd = g(this.highEnd, 2);
    this.trailingEnd = g(this.trailingEnd, 2);
    this.synNo = g(this.synNo, 2);
    this.finNo = g(this.finNo, 2);
    this.finAckNo = g(this.finAckNo, 2);
    this.finSec = g(this.finSec, 2);
    this.finNsec = g(this.finNsec, 2);
    this.finAckSec = g(this.finAckSec, 2);
    this.finAckNsec = g(this.finAckNsec, 2);
    this.bytes = g(this.bytes, 2);
    this.bytesAfterPeerFin = g(this.bytesAfterPeerFin, 2);
    this.trailingBytes = g(this.trailingBytes, 2);
    this.listCount = g(this.listCount, 2 * LISTS);
    this.listFirst = g(this.listFirst, 2 * LISTS);
    this.capacity = cap;
  }
}
