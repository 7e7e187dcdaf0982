import type { TcpSegment } from '../decode/segment.js';
import { TcpFlag } from '../decode/segment.js';
import type { Instant } from './connection.js';
import { secondsBetween } from './connection.js';
import { flowKey } from './key.js';
import { IDLE_LIMIT_S, isNewIsn } from './reuse.js';
import { WireView } from './wireview.js';
import type { Extra } from './store.js';
import { ConnectionStore, K } from './store.js';
import { ConnectionView } from './view.js';
import { Ipv4SlotIndex } from './slot-index.js';
import { DeadlineQueue } from './deadlines.js';

const NONE = -1;

/** The key of a connection not keyed by its IPv4 addresses as integers (IPv6, a tunnel's): its text key (key.ts); else undefined. */
const textKeyOf = (seg: TcpSegment): string | undefined => (seg.srcV4 === undefined || seg.dstV4 === undefined ? flowKey(seg) : undefined);

/**
 * docs/contract.md, "Port reuse": a new SYN on a 4-tuple whose previous connection has closed (or
 * reset) starts a new connection. Wireshark's rule (reuse.ts: a pure SYN with a new ISN) decides
 * what counts as new; the old connection must also have ended, or its SYN's sender must have
 * closed its side (a FIN: the other side may sit in CLOSE_WAIT for ever, and the kernels start a
 * new connection), or it must have been silent for the idle limit (the sweep would have released
 * it, had another packet come first), so a stray SYN cannot cut a live one.
 */
function isReuse(prev: ConnectionView, seg: TcpSegment, time: Instant): boolean {
  if ((seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) !== TcpFlag.SYN) return false;
  const sender = prev.fromClient(seg) ? prev.client : prev.server;
  if (!(prev.ended || prev.refusedNo !== undefined || sender.finNo !== undefined || secondsBetween(prev.endTime, time) >= IDLE_LIMIT_S)) return false;
  return isNewIsn(sender.base, seg);
}

/** Which connections get a WireView (their packets are shown) and which keep their rows. */
export interface RowPolicy {
  /**
   * Rows kept for the report: decided once, when the connection opens (`c` is valid during the
   * call only). Absent: no connection keeps rows.
   */
  keepRows?: (c: ConnectionView) => boolean;
  /** Rows streamed as they come (live): every connection needs a WireView. */
  streamRows: boolean;
}

/**
 * The connections still open, by unordered 4-tuple, kept in a ConnectionStore (store.ts). IPv4
 * tuples from the decoder are found through an open-addressing index over the store's columns
 * (slot-index.ts); printable ones (IPv6, segments built by hand) through a Map of their text key
 * (key.ts). A finished connection is handed to `onDone`: a cursor, valid during the call only (its
 * slot is reused afterwards).
 */
export class ConnectionTable {
  readonly store = new ConnectionStore();
  private readonly ipv4 = new Ipv4SlotIndex(this.store);
  private readonly byText = new Map<string, number>();
  private nextId = 1;
  /** The connection `place` returned, moved from slot to slot. */
  private readonly cursor = new ConnectionView(this.store, 0);
  /** The connection handed to onDone, moved likewise. */
  private readonly finished = new ConnectionView(this.store, 0);
  /** When each open connection is next looked at for expiry (set by its owner, analysis/expiry.ts). */
  private readonly deadlines = new DeadlineQueue();
  /** The connection `find` returns, moved by the next call. */
  private readonly found = new ConnectionView(this.store, 0);
  /** The connection `expire` asks about, and the slots it takes: reused from sweep to sweep. */
  private readonly probe = new ConnectionView(this.store, 0);
  private readonly taken: number[] = [];

  constructor(
    private readonly rows: RowPolicy,
    private readonly onDone: (c: ConnectionView) => void,
    /** Told of each connection as it opens (the cursor, valid during the call only). */
    private readonly onOpen?: (c: ConnectionView) => void,
  ) {}

  /**
   * The segment's connection (a new one when none is open, or when it starts a reuse). The object
   * returned is one cursor, moved by the next call: read it before placing another segment.
   */
  place(seg: TcpSegment, time: Instant): ConnectionView {
    const textKey = textKeyOf(seg);
    const slot = this.slotOf(seg, textKey);
    const conn = this.cursor;
    let reused = false;
    if (slot !== NONE) {
      conn.slot = slot;
      if (!isReuse(conn, seg, time)) return conn;
      this.unlink(slot);
      this.done(slot);
      reused = true;
    }
    conn.slot = this.create(textKey, seg, time, reused);
    if (textKey === undefined) this.ipv4.add(conn.slot);
    else this.byText.set(textKey, conn.slot);
    return conn;
  }

  /**
   * The connection open on the segment's 4-tuple, if any, placing nothing (a packet in no
   * connection reads its numbers from it). One cursor, moved by the next call.
   */
  find(seg: TcpSegment): ConnectionView | undefined {
    const slot = this.slotOf(seg, textKeyOf(seg));
    if (slot === NONE) return undefined;
    this.found.slot = slot;
    return this.found;
  }

  /** The slot of the connection open on the segment's 4-tuple (by `textKey` when it has one), or NONE. */
  private slotOf(seg: TcpSegment, textKey: string | undefined): number {
    return textKey === undefined ? this.ipv4.find(seg.srcV4 as number, seg.srcPort, seg.dstV4 as number, seg.dstPort) : (this.byText.get(textKey) ?? NONE);
  }

  /** docs/contract.md, "Client and server": the client sent the first SYN; with only a SYN-ACK, its receiver; else the first sender. */
  private create(textKey: string | undefined, seg: TcpSegment, time: Instant, portReused: boolean): number {
    const s = this.store;
    const slot = s.allocate();
    const synAck = (seg.flags & TcpFlag.SYN) !== 0 && (seg.flags & TcpFlag.ACK) !== 0;
    const id = this.nextId++;
    s.id[slot] = id;
    s.clientPort[slot] = synAck ? seg.dstPort : seg.srcPort;
    s.serverPort[slot] = synAck ? seg.srcPort : seg.dstPort;
    s.firstPacket[slot] = seg.no;
    s.lastPacket[slot] = seg.no;
    s.startSec[slot] = time.sec;
    s.startNsec[slot] = time.nsec;
    s.endSec[slot] = time.sec;
    s.endNsec[slot] = time.nsec;
    if (portReused) s.flags[slot] = K.PORT_REUSED;
    // Most connections (IPv4, rows not kept) need no Extra: none is made for them.
    let extra: Extra | undefined;
    if (textKey === undefined && seg.srcV4 !== undefined && seg.dstV4 !== undefined) {
      s.clientAddr[slot] = synAck ? seg.dstV4 : seg.srcV4;
      s.serverAddr[slot] = synAck ? seg.srcV4 : seg.dstV4;
    } else {
      s.flags[slot] = (s.flags[slot] as number) | K.TEXT_IDS;
      extra = { key: textKey, clientText: synAck ? seg.dst : seg.src, serverText: synAck ? seg.src : seg.dst };
      const via = seg.via;
      if (via !== undefined) extra.via = synAck ? { ...via, outer: { src: via.outer.dst, dst: via.outer.src } } : via;
      s.setExtra(slot, extra);
    }
    const { keepRows, streamRows } = this.rows;
    // keepRows is shown the cursor, which place() moves to this slot next anyway.
    this.cursor.slot = slot;
    const rows = keepRows !== undefined && keepRows(this.cursor);
    if (rows || streamRows) {
      extra ??= {};
      extra.view = new WireView();
      if (rows) extra.rows = [];
      s.setExtra(slot, extra);
    }
    this.onOpen?.(this.cursor);
    return slot;
  }

  /** Takes an open connection out of its index. */
  private unlink(slot: number): void {
    const s = this.store;
    if ((s.flags[slot] as number) & K.TEXT_IDS) this.byText.delete(s.extra(slot)?.key ?? '');
    else this.ipv4.remove(slot);
  }

  /** Reports a connection (already unlinked) and frees its slot. */
  private done(slot: number): void {
    this.finished.slot = slot;
    this.onDone(this.finished);
    this.deadlines.forget(slot);
    this.store.release(slot);
  }

  /** Open slots, in id order (which is the order of their first packets). */
  private slotsInOrder(): number[] {
    const s = this.store;
    const picked: number[] = [];
    for (let slot = 0; slot < s.top; slot++) if (s.active[slot] === 1) picked.push(slot);
    return this.byId(picked);
  }

  private byId(slots: number[]): number[] {
    const id = this.store.id;
    return slots.sort((a, b) => (id[a] as number) - (id[b] as number));
  }

  /** The capture second at which the connection is next looked at for expiry (Infinity: not set). */
  deadline(c: ConnectionView): number {
    return this.deadlines.deadline(c.slot);
  }

  /** Sets it, earlier or later than it was. */
  setDeadline(c: ConnectionView, sec: number): void {
    this.deadlines.schedule(c.slot, sec);
  }

  /**
   * The sweep at capture second `sec`: each connection whose deadline has come is shown to `next`,
   * which returns when to look at it again, or `sec` or earlier when it is due now. The due ones are
   * handed to onDone in id order and forgotten; only they and the ones looked at cost anything.
   */
  expire(sec: number, next: (c: ConnectionView) => number): void {
    const taken = this.taken;
    taken.length = 0;
    this.deadlines.takeDue(sec, taken);
    if (taken.length === 0) return;
    const probe = this.probe;
    let due = 0;
    for (const slot of taken) {
      probe.slot = slot;
      const again = next(probe);
      if (again <= sec) taken[due++] = slot;
      else this.deadlines.schedule(slot, again);
    }
    taken.length = due;
    const picked = this.byId(taken);
    for (const slot of picked) this.unlink(slot);
    for (const slot of picked) this.done(slot);
  }

  /** The open connections, oldest first (each its own object). */
  *connections(): Iterable<ConnectionView> {
    for (const slot of this.slotsInOrder()) if (this.store.active[slot] === 1) yield new ConnectionView(this.store, slot);
  }

  /**
   * Each open connection, in slot order, through one view moved from slot to slot (valid during the
   * call only): a look at every open connection that makes no object for each.
   */
  eachOpen(visit: (c: ConnectionView) => void): void {
    const s = this.store;
    const view = new ConnectionView(s, 0);
    for (let slot = 0; slot < s.top; slot++) {
      if (s.active[slot] !== 1) continue;
      view.slot = slot;
      visit(view);
    }
  }

  /** End of input: every connection still open is done, in order of first packet. */
  finishAll(): void {
    const rest = this.slotsInOrder();
    this.ipv4.clear();
    this.byText.clear();
    this.deadlines.clear();
    for (const slot of rest) this.done(slot);
  }

}
