/**
 * TCP packets in no connection (docs/contract.md, "TCP packets in no connection"): packets whose
 * TCP header the decoder refused (cut by the capture, a data offset below 5, longer than the IP
 * payload) but whose addresses and ports it read. They join no connection and change no verdict;
 * they are listed, up to UNPLACED_KEPT of them, with the numbers tshark 4.0 shows for them
 * (packet-tcp.c, dissect_tcp: it reads the header in one go up to the window, then stops where the
 * bytes or the header's length give out).
 */
import type { RefusedHeader } from '../decode/refused.js';
import { FIELDS_END } from '../decode/refused.js';
import type { SkipReason, TcpSegment } from '../decode/segment.js';
import { TcpFlag } from '../decode/segment.js';
import type { Endpoint, Instant } from '../flow/connection.js';
import type { ConnectionView } from '../flow/view.js';

/** Rows kept at most; the rest are counted (`more`): the memory a run of broken packets takes stays bounded. */
export const UNPLACED_KEPT = 10_000;

/**
 * Why the packet makes no segment, by what its lengths say: `ip-short` the IP header leaves the
 * TCP header fewer than 20 bytes; `cut` the capture cut it (snap length); `data-offset` its data
 * offset is below 5; `header-length` its header is longer than the IP payload.
 */
export type UnplacedWhy = 'ip-short' | 'cut' | 'data-offset' | 'header-length';

/**
 * Where tshark's reading stopped, which ends its Info: `snapped` at the capture's cut (`[Packet
 * size limited during capture]`), `malformed` past the length the IP header gives (`[Malformed
 * Packet]`), `bogus` at a data offset below 5 (`, bogus TCP header length (N, must be at least 20)`).
 */
export type UnplacedStop = 'snapped' | 'malformed' | 'bogus';

/** The header's numbers as tshark shows them: relative where it measured the segment, the window scaled as it knows. */
export interface UnplacedHeader {
  flags: number;
  seq: number;
  ack: number;
  win: number;
  /** Shown (`Urg=`) only when read and the URG flag is set. */
  urgent: number | undefined;
}

export interface UnplacedPacket {
  no: number;
  time: Instant;
  src: Endpoint;
  dst: Endpoint;
  /** The reason `capture.skipped` counts it under. */
  reason: SkipReason;
  why: UnplacedWhy;
  /** TCP header bytes there were (captured, within the IP length), the TCP length the IP header gives, the data offset (0 when not read). */
  readable: number;
  ipLength: number;
  dataOffset: number;
  /** Undefined when tshark stopped before the flags (fewer than 16 bytes). */
  header: UnplacedHeader | undefined;
  stop: UnplacedStop;
}

/** The packets listed, in capture order, and how many more there were past UNPLACED_KEPT. */
export interface UnplacedList {
  packets: UnplacedPacket[];
  more: number;
}

/** The reads tshark makes before it writes past the ports (their ends: seq, ack, data offset, flags, window). */
const FIELD_READS = [8, 12, 13, 14, FIELDS_END];

/**
 * A refused packet as tshark shows it. `seg` (borrowed) holds what the header gave (decode/refused.ts),
 * `conn` the connection open on its 4-tuple, if any, read and not changed: tshark numbers a
 * measured segment from that conversation's bases.
 */
export function unplacedPacket(seg: TcpSegment, h: RefusedHeader, time: Instant, reason: SkipReason, conn: ConnectionView | undefined): UnplacedPacket {
  const stopAt = (end: number): UnplacedStop => (end > h.ipLength ? 'malformed' : 'snapped');
  let header: UnplacedHeader | undefined;
  let stop: UnplacedStop;
  if (h.readable < FIELDS_END) {
    stop = stopAt(FIELD_READS.find((end) => end > h.readable) ?? FIELDS_END);
  } else {
    const headerLen = h.dataOffset * 4;
    header = shownHeader(seg, h, conn);
    // After the window: the checksum (to 18) and the urgent pointer (to 20), then the options to the header's end.
    if (headerLen < 20) stop = 'bogus';
    else if (h.readable < 20) stop = stopAt(h.readable < 18 ? 18 : 20);
    else {
      if (seg.flags & TcpFlag.URG) header.urgent = seg.urgent;
      stop = stopAt(Math.max(headerLen, h.readable + 1));
    }
  }
  const why: UnplacedWhy = h.ipLength < 20 ? 'ip-short' : h.readable < 20 ? 'cut' : h.dataOffset < 5 ? 'data-offset' : 'header-length';
  return {
    no: seg.no, time: { sec: time.sec, nsec: time.nsec }, src: { ip: seg.src, port: seg.srcPort }, dst: { ip: seg.dst, port: seg.dstPort },
    reason, why, readable: h.readable, ipLength: h.ipLength, dataOffset: h.dataOffset, header, stop,
  };
}

/**
 * The numbers as tshark's Info shows them. It measures a segment whose header fits the IP length
 * (and is no fragment): then the numbers are relative to its conversation's bases, a side without
 * one taking this packet's (a SYN's ISN, else seq - 1; ack - 1), a SYN with another ISN starting a
 * new conversation; and the window is scaled as the sender announced. Otherwise all are raw.
 */
function shownHeader(seg: TcpSegment, h: RefusedHeader, conn: ConnectionView | undefined): UnplacedHeader {
  const flags = seg.flags;
  const shown: UnplacedHeader = { flags, seq: seg.seq, ack: seg.ack, win: seg.window, urgent: undefined };
  if (h.fragment || h.ipLength < h.dataOffset * 4) return shown;
  const fromClient = conn?.fromClient(seg) ?? true;
  let fwdBase = conn === undefined ? undefined : (fromClient ? conn.client : conn.server).base;
  let revBase = conn === undefined ? undefined : (fromClient ? conn.server : conn.client).base;
  const synAck = flags & (TcpFlag.SYN | TcpFlag.ACK);
  if (synAck === TcpFlag.SYN && fwdBase !== undefined && fwdBase !== seg.seq) {
    fwdBase = undefined;
    revBase = undefined;
  } else if (synAck === (TcpFlag.SYN | TcpFlag.ACK) && fwdBase !== undefined) {
    fwdBase = seg.seq;
  }
  fwdBase ??= flags & TcpFlag.SYN ? seg.seq : seg.seq - 1;
  shown.seq = (seg.seq - fwdBase) >>> 0;
  if (flags & TcpFlag.ACK) shown.ack = (seg.ack - (revBase ?? seg.ack - 1)) >>> 0;
  const view = conn?.view;
  if (view !== undefined) shown.win = view.windowOf(seg, fromClient ? 0 : 1);
  return shown;
}
