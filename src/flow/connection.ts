import type { EndpointStates, Side, TcpState } from '../tcp/states.js';
import type { WireView } from './wireview.js';
import type { BaseSeq } from './wireshark-seq.js';
import type { NoteRef } from '../analysis/annotations.js';

export interface Endpoint {
  ip: string;
  port: number;
}

/** A capture time, exact: whole seconds and nanoseconds. */
export interface Instant {
  sec: number;
  nsec: number;
}

/**
 * What one side of a connection did, as far as the verdict and the notes need it. Read only: the
 * packet path (analysis/track.ts) writes these facts in the store's columns.
 */
export interface SideFacts extends Readonly<BaseSeq> {
  // baseSet, base: Wireshark's base sequence number for this side (reuse.ts, trackBases), for the port-reuse rule.
  // Times read back are copies.
  /** The side's first SYN (or SYN-ACK) and its initial sequence number. */
  readonly synNo?: number;
  readonly isn?: number;
  /** The side's first FIN: packet, sequence number, the sequence number an ACK must reach to cover it, time. */
  readonly finNo?: number;
  readonly finSeq?: number;
  readonly finEnd?: number;
  readonly finTime?: Instant;
  /** The first packet of the other side whose ACK covered this side's FIN, and its time. */
  readonly finAckNo?: number;
  readonly finAckTime?: Instant;
  /** RST packets this side sent (the first few). */
  readonly rstNos: readonly number[];
  /** Payload bytes sent, each byte counted once (retransmissions do not add), and the highest sequence end. */
  readonly bytes: number;
  readonly highEnd?: number;
  /** Packets with payload that this side sent after the other side's FIN (the first few). */
  readonly dataAfterPeerFin: readonly number[];
  readonly bytesAfterPeerFin: number;
  /** Bytes this side sent that acknowledge the other side's first FIN: data sent after that FIN arrived. */
  readonly trailingBytes: number;
  readonly trailingNos: readonly number[];
  /** The sequence end of the trailing data, to spot the ACK that covers it. */
  readonly trailingEnd?: number;
}

/** One row of the packet table: the segment as shown, both states after it, and its notes. */
export interface PacketRow {
  no: number;
  time: Instant;
  fromClient: boolean;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  win: number;
  info: string;
  client: TcpState;
  server: TcpState;
  notes: NoteRef[];
}

/**
 * An address as keys compare it: the IPv4 address as a 32-bit integer when the decoder gave one,
 * else the printable text.
 */
export type AddressId = number | string;

/**
 * One TCP connection: the unordered 4-tuple plus a lifetime (SPEC 2). Open connections live in the
 * connection store's columns (store.ts); this is how the stages read them (stored.ts). The packet
 * path writes the columns itself (analysis/track.ts).
 */
export interface Connection {
  readonly id: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly clientId: AddressId;
  readonly serverId: AddressId;
  readonly firstPacket: number;
  readonly lastPacket: number;
  readonly startTime: Instant;
  /** The last packet's time. */
  readonly endTime: Instant;
  /** Handshake packets seen: client SYN, server SYN-ACK, the client's ACK of the SYN-ACK. */
  readonly sawSyn: boolean;
  readonly sawSynAck: boolean;
  readonly sawHandshakeAck: boolean;
  /** The first SYN was answered by a RST before any SYN-ACK. */
  readonly refusedNo: number | undefined;
  readonly facts: Readonly<Record<Side, SideFacts>>;
  /** Both endpoints' TCP states now (after the latest packet). */
  readonly states: EndpointStates;
  /** Wireshark's view (relative numbers, Info column): only when packet rows are kept or streamed. */
  readonly view: WireView | undefined;
  /** Zeek-style history letters (one each, in order of first appearance; client upper case). */
  readonly history: string;
  /** Packet rows, kept only when they will be printed. */
  readonly rows: PacketRow[] | undefined;
  /** This connection started on a 4-tuple that an earlier connection had used. */
  readonly portReused: boolean;
}

/** Whether the connection is over for both endpoints: a RST, or both FINs acknowledged. */
export function isClosed(c: Connection): boolean {
  const { client, server } = c.facts;
  return client.rstNos.length > 0 || server.rstNos.length > 0 || (client.finAckNo !== undefined && server.finAckNo !== undefined);
}

/** Whether the connection has ended on the wire: a RST, or both FINs sent. */
export function hasEnded(c: Connection): boolean {
  const { client, server } = c.facts;
  return client.rstNos.length > 0 || server.rstNos.length > 0 || (client.finNo !== undefined && server.finNo !== undefined);
}
