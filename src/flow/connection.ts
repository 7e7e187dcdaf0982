/** The values a connection's readers share: endpoints, capture times, packet rows (the connection itself: view.ts). */
import type { TcpOption } from '../decode/segment.js';
import type { TcpState } from '../tcp/states.js';
import type { NoteRef } from './notes.js';

export interface Endpoint {
  ip: string;
  port: number;
}

/** A capture time, exact: whole seconds and nanoseconds. */
export interface Instant {
  sec: number;
  nsec: number;
}

/** Seconds from one capture time to another. */
export const secondsBetween = (from: Instant, to: Instant): number => to.sec - from.sec + (to.nsec - from.nsec) / 1e9;

/** Seconds rounded to the microsecond, as verdicts report durations. */
export const roundMicros = (s: number): number => Math.round(s * 1e6) / 1e6;

/** What a row's Info column is made of beyond the row's own fields (render/info.ts, rowInfo). */
export interface WireFacts {
  srcPort: number;
  dstPort: number;
  urgent: number;
  options: readonly TcpOption[];
  /** Wireshark's analysis findings (wireshark-flags.ts A_* bits), a duplicate ACK's original frame and count. */
  analysis: number;
  dupAckFrame: number;
  dupAckNum: number;
  /** Makes SACK edges relative. */
  sackBase: number;
  /** The capture cut the TCP header: no analysis shown, and tshark's `[Packet size limited during capture]`. */
  headerCut?: boolean;
  /** A first fragment the capture cut (TcpSegment.unmeasured): raw numbers, no `Len=`, no analysis. */
  unmeasured?: boolean;
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
  /** Wireshark's view of the segment: what the Info column is made of (render/info.ts, rowInfo). */
  wire: WireFacts;
  client: TcpState;
  server: TcpState;
  notes: NoteRef[];
}

/**
 * An address as keys compare it: the IPv4 address as a 32-bit integer when the decoder gave one,
 * else the printable text.
 */
export type AddressId = number | string;
