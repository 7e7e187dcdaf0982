import type { TcpSegment } from '../decode/segment.js';
import { ACK, SYN } from '../decode/segment.js';
import type { AddressId, Connection, Endpoint, Instant } from './connection.js';
import { dstId, hasEnded, isFromClient, newConnection, srcId } from './connection.js';
import { flowKey } from './key.js';
import { isNewIsn } from './reuse.js';
import { WireView } from './wireview.js';

/**
 * SPEC 2: a new SYN on a 4-tuple whose previous connection has closed (or reset) starts a new
 * connection. Wireshark's rule (reuse.ts: a pure SYN with a new ISN) decides what counts as new;
 * SPEC 2 adds that the old connection must have ended, so a stray SYN cannot cut a live one.
 */
function isReuse(prev: Connection, seg: TcpSegment): boolean {
  if ((seg.flags & (SYN | ACK)) !== SYN || !(hasEnded(prev) || prev.refusedNo !== undefined)) return false;
  return isNewIsn(isFromClient(prev, seg) ? prev.facts.client : prev.facts.server, seg);
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

function sameTuple(c: Connection, src: AddressId, dst: AddressId, seg: TcpSegment): boolean {
  return (c.clientId === src && c.client.port === seg.srcPort && c.serverId === dst && c.server.port === seg.dstPort)
    || (c.clientId === dst && c.client.port === seg.dstPort && c.serverId === src && c.server.port === seg.srcPort);
}

/** Which connections get a WireView (their packets are shown) and which keep their rows. */
export interface RowPolicy {
  /** Rows kept for the report: decided once, when the connection opens. */
  keepRows: (c: Pick<Connection, 'id' | 'client' | 'server'>) => boolean;
  /** Rows streamed as they come (live): every connection needs a WireView. */
  streamRows: boolean;
}

/**
 * The connections still open, by unordered 4-tuple. A finished one is handed to `onDone`. Map
 * order is creation order, which is id order: batches are handed over in id order.
 */
export class ConnectionTable {
  private readonly open = new Map<number | string, Connection>();
  private size = 0;
  private nextId = 1;
  private readonly endpoints = new Map<number, Endpoint>();

  constructor(
    private readonly rows: RowPolicy,
    private readonly onDone: (c: Connection) => void,
  ) {}

  /** The segment's connection (a new one when none is open, or when it starts a reuse). */
  place(seg: TcpSegment, time: Instant): Connection {
    const key = keyOf(seg);
    const src = srcId(seg);
    const dst = dstId(seg);
    const head = this.open.get(key);
    let conn = head;
    while (conn !== undefined && !sameTuple(conn, src, dst, seg)) conn = conn.nextSameKey;
    let reused = false;
    if (conn !== undefined && isReuse(conn, seg)) {
      this.unlink(conn);
      this.onDone(conn);
      conn = undefined;
      reused = true;
    }
    if (conn === undefined) {
      conn = this.create(key, seg, src, dst, time, reused);
      // The chain's head keeps its place in the Map's order; a new tuple on a used key joins the chain.
      const first = this.open.get(key);
      if (first === undefined) this.open.set(key, conn);
      else {
        conn.nextSameKey = first.nextSameKey;
        first.nextSameKey = conn;
      }
      this.size++;
    }
    return conn;
  }

  /** SPEC 2: the client sent the first SYN; with only a SYN-ACK, its receiver; else the first sender. */
  private create(key: number | string, seg: TcpSegment, src: AddressId, dst: AddressId, time: Instant, portReused: boolean): Connection {
    const synAck = (seg.flags & SYN) !== 0 && (seg.flags & ACK) !== 0;
    const from = this.endpoint(src, seg, true);
    const to = this.endpoint(dst, seg, false);
    const id = this.nextId++;
    const opening = synAck
      ? { id, key, client: to, server: from, clientId: dst, serverId: src, no: seg.no, time, portReused }
      : { id, key, client: from, server: to, clientId: src, serverId: dst, no: seg.no, time, portReused };
    const keepRows = this.rows.keepRows(opening);
    return newConnection(opening, keepRows || this.rows.streamRows ? new WireView() : undefined, keepRows);
  }

  /**
   * One Endpoint object per IPv4 address and port however many connections name it (a server's
   * is in thousands): memory per open connection. The cache is bounded: cleared when full.
   */
  private endpoint(id: AddressId, seg: TcpSegment, source: boolean): Endpoint {
    const port = source ? seg.srcPort : seg.dstPort;
    if (typeof id === 'string') return { ip: id, port };
    const key = id * 65536 + port;
    let e = this.endpoints.get(key);
    if (e === undefined) {
      if (this.endpoints.size >= 65536) this.endpoints.clear();
      e = { ip: source ? seg.src : seg.dst, port };
      this.endpoints.set(key, e);
    }
    return e;
  }

  private unlink(c: Connection): void {
    const head = this.open.get(c.key);
    if (head === c) {
      if (c.nextSameKey === undefined) this.open.delete(c.key);
      else this.open.set(c.key, c.nextSameKey);
    } else {
      let p = head;
      while (p !== undefined && p.nextSameKey !== c) p = p.nextSameKey;
      if (p !== undefined) p.nextSameKey = c.nextSameKey;
    }
    c.nextSameKey = undefined;
    this.size--;
  }

  /** Hands every connection that `done` picks to onDone (in id order) and forgets it. */
  release(done: (c: Connection) => boolean): void {
    const picked: Connection[] = [];
    for (const head of this.open.values()) {
      for (let c: Connection | undefined = head; c !== undefined; c = c.nextSameKey) if (done(c)) picked.push(c);
    }
    if (picked.length === 0) return;
    picked.sort((a, b) => a.id - b.id);
    for (const c of picked) this.unlink(c);
    for (const c of picked) this.onDone(c);
  }

  /** The open connections (chains follow their head). */
  *connections(): Iterable<Connection> {
    for (const head of this.open.values()) {
      for (let c: Connection | undefined = head; c !== undefined; c = c.nextSameKey) yield c;
    }
  }

  /** End of input: every connection still open is done, in order of first packet. */
  finishAll(): void {
    const rest: Array<Connection | undefined> = [...this.connections()].sort((a, b) => a.id - b.id);
    this.open.clear();
    this.size = 0;
    // Each connection is let go as soon as it is reported, so memory falls while the rest are.
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i];
      rest[i] = undefined;
      if (c === undefined) continue;
      c.nextSameKey = undefined;
      this.onDone(c);
    }
  }

  get openCount(): number {
    return this.size;
  }
}
