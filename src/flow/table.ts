import type { TcpSegment } from '../decode/segment.js';
import { ACK, SYN } from '../decode/segment.js';
import type { Connection, Instant } from './connection.js';
import { hasEnded, newConnection } from './connection.js';
import { flowKey } from './key.js';
import { startsNewConnection } from './reuse.js';

/** Where a segment belongs: its connection and its direction. */
export interface Placement {
  conn: Connection;
  fromClient: boolean;
  /** The segment opened a new connection on a 4-tuple an earlier connection had used. */
  reused: boolean;
}

/**
 * SPEC 2: a new SYN on a 4-tuple whose previous connection has closed (or reset) starts a new
 * connection. Wireshark's rule (reuse.ts: a pure SYN with a new ISN) decides what counts as new;
 * SPEC 2 adds that the old connection must have ended, so a stray SYN cannot cut a live one.
 */
function isReuse(prev: Connection, seg: TcpSegment): boolean {
  return (hasEnded(prev) || prev.refusedNo !== undefined) && startsNewConnection(prev.view, seg);
}

/** The connections still open, by unordered 4-tuple. A finished one is handed to `onDone`. */
export class ConnectionTable {
  private readonly open = new Map<string, Connection>();
  private nextId = 1;

  constructor(
    private readonly keepRows: boolean,
    private readonly onDone: (c: Connection) => void,
  ) {}

  place(seg: TcpSegment, time: Instant): Placement {
    const key = flowKey(seg);
    let conn = this.open.get(key);
    let reused = false;
    if (conn && isReuse(conn, seg)) {
      this.onDone(conn);
      this.open.delete(key);
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
  release(done: (c: Connection) => boolean): void {
    for (const [key, c] of this.open) {
      if (done(c)) {
        this.open.delete(key);
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
