import type { Side, TcpState } from '../tcp/states.js';
import { EndpointMachine } from '../tcp/machine.js';
import type { WireView } from './wireview.js';
import type { BaseSeq } from './wireshark-seq.js';
import type { NoteRef } from '../analysis/annotations.js';
import type { TcpSegment } from '../decode/segment.js';

export interface Endpoint {
  ip: string;
  port: number;
}

/** A capture time, exact: whole seconds and nanoseconds. */
export interface Instant {
  sec: number;
  nsec: number;
}

/** What one side of a connection did, as far as the verdict and the notes need it. */
export interface SideFacts extends BaseSeq {
  // baseSet, base: Wireshark's base sequence number for this side (reuse.ts, trackBases), for the port-reuse rule.
  /** The side's first SYN (or SYN-ACK) and its initial sequence number. */
  synNo?: number;
  isn?: number;
  /** The side's first FIN: packet, sequence number, the sequence number an ACK must reach to cover it, time. */
  finNo?: number;
  finSeq?: number;
  finEnd?: number;
  finTime?: Instant;
  /** The first packet of the other side whose ACK covered this side's FIN, and its time. */
  finAckNo?: number;
  finAckTime?: Instant;
  /** RST packets this side sent (the first few). Lists start as one shared empty list (memory). */
  rstNos: readonly number[];
  /** Payload bytes sent, each byte counted once (retransmissions do not add), and the highest sequence end. */
  bytes: number;
  highEnd?: number;
  /** Packets with payload that this side sent after the other side's FIN (the first few). */
  dataAfterPeerFin: readonly number[];
  bytesAfterPeerFin: number;
  /** Bytes this side sent that acknowledge the other side's first FIN: data sent after that FIN arrived. */
  trailingBytes: number;
  trailingNos: readonly number[];
  /** The sequence end of the trailing data, to spot the ACK that covers it. */
  trailingEnd?: number;
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

export const srcId = (seg: TcpSegment): AddressId => seg.srcV4 ?? seg.src;
export const dstId = (seg: TcpSegment): AddressId => seg.dstV4 ?? seg.dst;

/** One TCP connection: the unordered 4-tuple plus a lifetime (SPEC 2). */
export interface Connection {
  id: number;
  /** The connection table's key (table.ts), and the next connection with the same key. */
  key: number | string;
  nextSameKey: Connection | undefined;
  client: Endpoint;
  server: Endpoint;
  clientId: AddressId;
  serverId: AddressId;
  firstPacket: number;
  lastPacket: number;
  startTime: Instant;
  endTime: Instant;
  /** Handshake packets seen: client SYN, server SYN-ACK, the client's ACK of the SYN-ACK. */
  sawSyn: boolean;
  sawSynAck: boolean;
  sawHandshakeAck: boolean;
  /** The first SYN was answered by a RST before any SYN-ACK. */
  refusedNo?: number;
  facts: Record<Side, SideFacts>;
  machine: EndpointMachine;
  /** Wireshark's view (relative numbers, Info column): only when packet rows are kept or streamed. */
  view: WireView | undefined;
  /** Zeek-style history letters (one each, in order of first appearance; client upper case). */
  history: string;
  /** Packet rows, kept only when they will be printed. */
  rows: PacketRow[] | undefined;
  /** This connection started on a 4-tuple that an earlier connection had used. */
  portReused: boolean;
}

const NO_PACKETS: readonly number[] = Object.freeze([]);

/**
 * A side's facts with every field present from the start: one object shape for all connections,
 * so the hot functions see one shape. (Each field costs 8 bytes of every open connection.)
 */
class Facts implements SideFacts {
  baseSet = false;
  base = 0;
  synNo: number | undefined = undefined;
  isn: number | undefined = undefined;
  finNo: number | undefined = undefined;
  finSeq: number | undefined = undefined;
  finEnd: number | undefined = undefined;
  finTime: Instant | undefined = undefined;
  finAckNo: number | undefined = undefined;
  finAckTime: Instant | undefined = undefined;
  rstNos = NO_PACKETS;
  bytes = 0;
  highEnd: number | undefined = undefined;
  dataAfterPeerFin = NO_PACKETS;
  bytesAfterPeerFin = 0;
  trailingBytes = 0;
  trailingNos = NO_PACKETS;
  trailingEnd: number | undefined = undefined;
}

export function newSideFacts(): SideFacts {
  return new Facts();
}

class Time implements Instant {
  constructor(public sec: number, public nsec: number) {}
}

/** A copy of a time, to keep (callers reuse theirs from packet to packet). */
export function keepTime(t: Instant): Instant {
  return new Time(t.sec, t.nsec);
}

/** Where a connection's endpoints come from: the segment that opened it, and which side is the client. */
export interface Opening {
  id: number;
  key: number | string;
  client: Endpoint;
  server: Endpoint;
  clientId: AddressId;
  serverId: AddressId;
  no: number;
  time: Instant;
  portReused: boolean;
}

class Conn implements Connection {
  nextSameKey: Connection | undefined = undefined;
  lastPacket: number;
  // Own copies: endTime is updated in place packet by packet.
  startTime: Instant;
  endTime: Instant;
  sawSyn = false;
  sawSynAck = false;
  sawHandshakeAck = false;
  refusedNo: number | undefined = undefined;
  facts: Record<Side, SideFacts> = { client: new Facts(), server: new Facts() };
  machine = new EndpointMachine();
  history = '';
  rows: PacketRow[] | undefined;

  constructor(
    public id: number, public key: number | string, public client: Endpoint, public server: Endpoint,
    public clientId: AddressId, public serverId: AddressId, public firstPacket: number, time: Instant,
    public view: WireView | undefined, keepRows: boolean, public portReused: boolean,
  ) {
    this.lastPacket = firstPacket;
    this.startTime = keepTime(time);
    this.endTime = keepTime(time);
    this.rows = keepRows ? [] : undefined;
  }
}

/** A new connection; `view` is given when its packets will be shown (rows kept, or streamed). */
export function newConnection(o: Opening, view: WireView | undefined, keepRows: boolean): Connection {
  return new Conn(o.id, o.key, o.client, o.server, o.clientId, o.serverId, o.no, o.time, view, keepRows, o.portReused);
}

/** Whether a segment of this connection was sent by its client. */
export function isFromClient(c: Connection, seg: TcpSegment): boolean {
  return srcId(seg) === c.clientId && seg.srcPort === c.client.port;
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
