import type { Side, TcpState } from '../tcp/states.js';
import { EndpointMachine } from '../tcp/machine.js';
import { WireView } from './wireview.js';
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

/** What one side of a connection did, as far as the verdict and the notes need it. */
export interface SideFacts {
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
  /** RST packets this side sent (the first few). */
  rstNos: number[];
  /** Payload bytes sent, each byte counted once (retransmissions do not add), and the highest sequence end. */
  bytes: number;
  highEnd?: number;
  /** Packets with payload that this side sent after the other side's FIN (the first few). */
  dataAfterPeerFin: number[];
  bytesAfterPeerFin: number;
  /** Bytes this side sent that acknowledge the other side's first FIN: data sent after that FIN arrived. */
  trailingBytes: number;
  trailingNos: number[];
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

/** One TCP connection: the unordered 4-tuple plus a lifetime (SPEC 2). */
export interface Connection {
  id: number;
  key: string;
  client: Endpoint;
  server: Endpoint;
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
  view: WireView;
  /** Zeek-style history letters (one each, in order of first appearance; client upper case). */
  history: string;
  /** Packet rows, kept only when they will be printed. */
  rows: PacketRow[] | undefined;
  /** This connection started on a 4-tuple that an earlier connection had used. */
  portReused: boolean;
}

export function newSideFacts(): SideFacts {
  return { rstNos: [], bytes: 0, dataAfterPeerFin: [], bytesAfterPeerFin: 0, trailingBytes: 0, trailingNos: [] };
}

export function newConnection(id: number, key: string, client: Endpoint, server: Endpoint, no: number, time: Instant, keepRows: boolean, portReused: boolean): Connection {
  return {
    id, key, client, server, firstPacket: no, lastPacket: no, startTime: time, endTime: time,
    sawSyn: false, sawSynAck: false, sawHandshakeAck: false,
    facts: { client: newSideFacts(), server: newSideFacts() },
    machine: new EndpointMachine(), view: new WireView(), history: '',
    rows: keepRows ? [] : undefined, portReused,
  };
}

/** Whether the connection has ended on the wire: a RST, or both FINs sent. */
export function hasEnded(c: Connection): boolean {
  const { client, server } = c.facts;
  return client.rstNos.length > 0 || server.rstNos.length > 0 || (client.finNo !== undefined && server.finNo !== undefined);
}
