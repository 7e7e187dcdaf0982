import type { TcpSegment } from '../decode/segment.js';
import { ACK, SYN } from '../decode/segment.js';
import type { Connection, Instant } from './connection.js';
import { hasEnded } from './connection.js';
import { flowKey } from './key.js';
import { isNewIsn } from './reuse.js';
import { WireView } from './wireview.js';
import type { Extra } from './store.js';
import { ConnectionStore, PORT_REUSED, TEXT_IDS } from './store.js';
import { StoredConnection } from './stored.js';

const NONE = -1;

/**
 * SPEC 2: a new SYN on a 4-tuple whose previous connection has closed (or reset) starts a new
 * connection. Wireshark's rule (reuse.ts: a pure SYN with a new ISN) decides what counts as new;
 * SPEC 2 adds that the old connection must have ended, so a stray SYN cannot cut a live one.
 */
function isReuse(prev: StoredConnection, seg: TcpSegment): boolean {
  if ((seg.flags & (SYN | ACK)) !== SYN || !(hasEnded(prev) || prev.refusedNo !== undefined)) return false;
  return isNewIsn(prev.fromClient(seg) ? prev.facts.client : prev.facts.server, seg);
}

/** A 30-bit mix of one endpoint (integer address and port): a small integer keeps Map lookups fast. */
function endpointHash(addr: number, port: number): number {
  let h = Math.imul(addr ^ (port << 16) ^ port, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca77);
}

/**
 * The table key of a segment's unordered 4-tuple, the same both ways (SPEC 2). IPv4 from the
 * decoder: a 30-bit hash of both endpoints (different tuples may share one: each key holds a chain,
 * see `nextSameKey`). Otherwise the printable 4-tuple (key.ts), which is exact.
 */
function keyOf(seg: TcpSegment): number | string {
  const a = seg.srcV4;
  const b = seg.dstV4;
  if (a === undefined || b === undefined) return flowKey(seg);
  const x = endpointHash(a, seg.srcPort);
  const y = endpointHash(b, seg.dstPort);
  return (x < y ? Math.imul(x ^ (y >>> 7), 0x27d4eb2f) ^ y : Math.imul(y ^ (x >>> 7), 0x27d4eb2f) ^ x) & 0x3fffffff;
}

/** Which connections get a WireView (their packets are shown) and which keep their rows. */
export interface RowPolicy {
  /** Rows kept for the report: decided once, when the connection opens. */
  keepRows: (c: Pick<Connection, 'id' | 'client' | 'server'>) => boolean;
  /** Rows streamed as they come (live): every connection needs a WireView. */
  streamRows: boolean;
}

/**
 * The connections still open, by unordered 4-tuple, kept in a ConnectionStore (store.ts): the
 * table maps each key to the first slot of a chain (`nextSameKey`). A finished connection is
 * handed to `onDone` (its slot is reused afterwards).
 */
export class ConnectionTable {
  readonly store = new ConnectionStore();
  private readonly open = new Map<number | string, number>();
  private size = 0;
  private nextId = 1;
  /** The connection `place` returned, moved from slot to slot. */
  private readonly cursor = new StoredConnection(this.store, 0);

  constructor(
    private readonly rows: RowPolicy,
    private readonly onDone: (c: StoredConnection) => void,
  ) {}

  /**
   * The segment's connection (a new one when none is open, or when it starts a reuse). The object
   * returned is one cursor, moved by the next call: read it before placing another segment.
   */
  place(seg: TcpSegment, time: Instant): StoredConnection {
    const key = keyOf(seg);
    const head = this.open.get(key);
    let slot = head === undefined ? NONE : this.find(head, seg);
    const conn = this.cursor;
    let reused = false;
    if (slot !== NONE) {
      conn.slot = slot;
      if (!isReuse(conn, seg)) return conn;
      this.unlink(slot, key);
      this.done(slot);
      reused = true;
    }
    slot = this.create(key, seg, time, reused);
    // The chain's head keeps its place; a new tuple on a used key joins the chain after it.
    const first = this.open.get(key);
    if (first === undefined) this.open.set(key, slot);
    else {
      this.store.nextSameKey[slot] = this.store.nextSameKey[first] as number;
      this.store.nextSameKey[first] = slot;
    }
    this.size++;
    conn.slot = slot;
    return conn;
  }

  /** The slot on the chain from `head` that holds the segment's 4-tuple, or NONE. */
  private find(head: number, seg: TcpSegment): number {
    const s = this.store;
    const src = seg.srcV4;
    const dst = seg.dstV4;
    for (let slot = head; slot !== NONE; slot = s.nextSameKey[slot] as number) {
      const cp = s.clientPort[slot];
      const sp = s.serverPort[slot];
      if ((s.flags[slot] as number) & TEXT_IDS) {
        const e = s.extra(slot);
        if (e === undefined || src !== undefined) continue;
        if ((e.clientText === seg.src && cp === seg.srcPort && e.serverText === seg.dst && sp === seg.dstPort)
          || (e.clientText === seg.dst && cp === seg.dstPort && e.serverText === seg.src && sp === seg.srcPort)) return slot;
      } else {
        const ca = s.clientAddr[slot];
        const sa = s.serverAddr[slot];
        if ((ca === src && cp === seg.srcPort && sa === dst && sp === seg.dstPort)
          || (ca === dst && cp === seg.dstPort && sa === src && sp === seg.srcPort)) return slot;
      }
    }
    return NONE;
  }

  /** SPEC 2: the client sent the first SYN; with only a SYN-ACK, its receiver; else the first sender. */
  private create(key: number | string, seg: TcpSegment, time: Instant, portReused: boolean): number {
    const s = this.store;
    const slot = s.allocate();
    const synAck = (seg.flags & SYN) !== 0 && (seg.flags & ACK) !== 0;
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
    if (portReused) s.flags[slot] = PORT_REUSED;
    const extra: Extra = {};
    if (typeof key === 'number' && seg.srcV4 !== undefined && seg.dstV4 !== undefined) {
      s.key[slot] = key;
      s.clientAddr[slot] = synAck ? seg.dstV4 : seg.srcV4;
      s.serverAddr[slot] = synAck ? seg.srcV4 : seg.dstV4;
    } else {
      s.flags[slot] = (s.flags[slot] as number) | TEXT_IDS;
      extra.key = String(key);
      extra.clientText = synAck ? seg.dst : seg.src;
      extra.serverText = synAck ? seg.src : seg.dst;
    }
    const conn = new StoredConnection(s, slot);
    if (extra.key !== undefined) s.setExtra(slot, extra);
    const keepRows = this.rows.keepRows(conn);
    if (keepRows || this.rows.streamRows) {
      extra.view = new WireView();
      if (keepRows) extra.rows = [];
      s.setExtra(slot, extra);
    }
    return slot;
  }

  private keyOfSlot(slot: number): number | string {
    return (this.store.flags[slot] as number) & TEXT_IDS ? (this.store.extra(slot)?.key ?? '') : (this.store.key[slot] as number);
  }

  private unlink(slot: number, key: number | string): void {
    const s = this.store;
    const head = this.open.get(key);
    const next = s.nextSameKey[slot] as number;
    if (head === slot) {
      if (next === NONE) this.open.delete(key);
      else this.open.set(key, next);
    } else if (head !== undefined) {
      let p = head;
      while (p !== NONE && s.nextSameKey[p] !== slot) p = s.nextSameKey[p] as number;
      if (p !== NONE) s.nextSameKey[p] = next;
    }
    s.nextSameKey[slot] = NONE;
    this.size--;
  }

  /** Reports a connection (already unlinked) and frees its slot. */
  private done(slot: number): void {
    this.onDone(new StoredConnection(this.store, slot));
    this.store.release(slot);
  }

  /** Open slots, in id order (which is the order of their first packets). */
  private slotsInOrder(pick: (c: StoredConnection) => boolean): number[] {
    const s = this.store;
    const probe = new StoredConnection(s, 0);
    const picked: number[] = [];
    for (let slot = 0; slot < s.top; slot++) {
      if (s.active[slot] !== 1) continue;
      probe.slot = slot;
      if (pick(probe)) picked.push(slot);
    }
    return picked.sort((a, b) => (s.id[a] as number) - (s.id[b] as number));
  }

  /** Hands every connection that `done` picks to onDone (in id order) and forgets it. */
  release(done: (c: StoredConnection) => boolean): void {
    const picked = this.slotsInOrder(done);
    for (const slot of picked) this.unlink(slot, this.keyOfSlot(slot));
    for (const slot of picked) this.done(slot);
  }

  /** The open connections, oldest first (each its own object). */
  *connections(): Iterable<StoredConnection> {
    for (const slot of this.slotsInOrder(() => true)) if (this.store.active[slot] === 1) yield new StoredConnection(this.store, slot);
  }

  /** End of input: every connection still open is done, in order of first packet. */
  finishAll(): void {
    const rest = this.slotsInOrder(() => true);
    this.open.clear();
    this.size = 0;
    for (const slot of rest) {
      this.store.nextSameKey[slot] = NONE;
      this.done(slot);
    }
  }

  get openCount(): number {
    return this.size;
  }
}
