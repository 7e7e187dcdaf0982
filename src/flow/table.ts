import type { TcpSegment } from '../decode/segment.js';
import { ACK, SYN } from '../decode/segment.js';
import type { Connection, Instant } from './connection.js';
import { hasEnded, newConnection } from './connection.js';
import { flowKey } from './key.js';

/** Where a segment belongs: its connection and its direction. */
export interface Placement {
  conn: Connection;
  fromClient: boolean;
  /** The segment opened a new connection on a 4-tuple an earlier connection had used. */
  reused: boolean;
}

/**
 * SPEC 2: a new SYN on a 4-tuple whose previous connection has closed (or reset) starts a new
 * connection, as Wireshark does. A retransmitted SYN (same ISN) is still the old connection.
 */
function startsNewConnection(prev: Connection, seg: TcpSegment): boolean {
  if (!(seg.flags & SYN) || seg.flags & ACK) return false;
  if (!hasEnded(prev) && prev.refusedNo === undefined) return false;
  const fromClient = seg.src === prev.client.ip && seg.srcPort === prev.client.port;
  const isn = fromClient ? prev.facts.client.isn : prev.facts.server.isn;
  return isn !== seg.seq;
}

/** How long a released connection's 4-tuple still claims late packets (capture time, seconds). */
export const TOMBSTONE_S = 10;

/** What is left of a released connection: enough to tell a late packet from a new connection. */
interface Tombstone {
  releasedAt: number;
  clientIp: string;
  clientPort: number;
  clientIsn: number | undefined;
  serverIsn: number | undefined;
}

/** A SYN (no ACK) with an ISN other than the released connection's: a new connection. */
function isNewSyn(t: Tombstone, seg: TcpSegment): boolean {
  if (!(seg.flags & SYN) || seg.flags & ACK) return false;
  const fromClient = seg.src === t.clientIp && seg.srcPort === t.clientPort;
  return (fromClient ? t.clientIsn : t.serverIsn) !== seg.seq;
}

/** The connections still open, by unordered 4-tuple. A finished one is handed to `onDone`. */
export class ConnectionTable {
  private readonly open = new Map<string, Connection>();
  private readonly tombstones = new Map<string, Tombstone>();
  private nextId = 1;

  constructor(
    private readonly keepRows: boolean,
    private readonly onDone: (c: Connection) => void,
  ) {}

  /** The segment's connection, or undefined for a late packet of a connection already released. */
  place(seg: TcpSegment, time: Instant): Placement | undefined {
    const key = flowKey(seg);
    let conn = this.open.get(key);
    let reused = false;
    if (!conn && this.tombstones.size > 0) {
      const t = this.tombstones.get(key);
      if (t) {
        if (!isNewSyn(t, seg)) return undefined;
        this.tombstones.delete(key);
        reused = true;
      }
    }
    if (conn && startsNewConnection(conn, seg)) {
      this.onDone(conn);
      conn = undefined;
      reused = true;
    }
    if (!conn) {
      conn = this.create(key, seg, time, reused);
      this.open.set(key, conn);
    }
    const fromClient = seg.src === conn.client.ip && seg.srcPort === conn.client.port;
    return { conn, fromClient, reused };
  }

  /** SPEC 2: the client sent the first SYN; with only a SYN-ACK, its receiver; else the first sender. */
  private create(key: string, seg: TcpSegment, time: Instant, reused: boolean): Connection {
    const src = { ip: seg.src, port: seg.srcPort };
    const dst = { ip: seg.dst, port: seg.dstPort };
    const synAck = (seg.flags & SYN) !== 0 && (seg.flags & ACK) !== 0;
    const [client, server] = synAck ? [dst, src] : [src, dst];
    return newConnection(this.nextId++, key, client, server, seg.no, time, this.keepRows, reused);
  }

  /** Hands every connection that `done` picks to onDone and forgets it. */
  release(done: (c: Connection) => boolean, now: Instant): void {
    for (const [key, t] of this.tombstones) if (now.sec - t.releasedAt >= TOMBSTONE_S) this.tombstones.delete(key);
    for (const [key, c] of this.open) {
      if (done(c)) {
        this.open.delete(key);
        this.tombstones.set(key, {
          releasedAt: now.sec, clientIp: c.client.ip, clientPort: c.client.port,
          clientIsn: c.facts.client.isn, serverIsn: c.facts.server.isn,
        });
        this.onDone(c);
      }
    }
  }

  /** The open connections, in order of first packet. */
  connections(): Iterable<Connection> {
    return this.open.values();
  }

  /** End of input: every connection still open is done, in order of first packet. */
  finishAll(): void {
    const rest = [...this.open.values()].sort((a, b) => a.id - b.id);
    this.open.clear();
    for (const c of rest) this.onDone(c);
  }

  get openCount(): number {
    return this.open.size;
  }
}
