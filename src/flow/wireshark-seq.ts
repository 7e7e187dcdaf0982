/**
 * A port of Wireshark 4.0's TCP sequence analysis (epan/dissectors/packet-tcp.c,
 * `tcp_analyze_sequence_number`), reduced to what decides the Info column. Each rule is one
 * function named after Wireshark's comment block; they run in Wireshark's order, with its
 * `goto finished_fwd` short cuts, on 32-bit unsigned sequence numbers.
 */
import type { TcpSegment } from '../decode/segment.js';
import { TcpFlag } from '../decode/segment.js';
import { seqGt, seqLe, seqLt } from './seq.js';
import * as A from './wireshark-flags.js';

/** Wireshark's TCP_MAX_UNACKED_SEGMENTS: the bound of the per-direction unacked list. */
const MAX_UNACKED_SEGMENTS = 1000;
const SYN_FIN_RST = TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST;

/** One direction of a connection: Wireshark's `tcp_flow_t` plus its `tcp_analyze_seq_flow_info_t`. */
export class FlowState {
  /** Window shift announced by this side: -1 unknown, -2 no scaling, else 0..14. */
  winScale = -1;
  /** Last raw window field this side sent (G_MAXUINT32 before any). */
  window = 0xffffffff;
  /** Set by this side's SYN, cleared by its first pure ACK (as Wireshark 4.0's packet-tcp.c keeps it). */
  isFirstAck = false;
  /** Highest sequence number + length seen (0 = none yet, as in Wireshark), and when. */
  nextseq = 0;
  nextseqFrame = 0;
  nextseqSec = 0;
  nextseqNsec = 0;
  /** Highest in-order sequence number, for "ACKed unseen segment". */
  maxseqtobeacked = 0;
  /** Last acknowledgement number this side sent, and when. */
  lastack = 0;
  lastackSec = 0;
  lastackNsec = 0;
  /** Duplicate-ACK counter (-1: neutralised by an "ACKed unseen segment") and the frame of the ACK it repeats. */
  dupacknum = 0;
  lastnondupack = 0;
  /** Analysis flags of this side's last segment (keep-alive ACK and probe ACK look at them). */
  lastSegmentFlags = 0;
  /** End sequence numbers of this side's segments not yet acknowledged (bounded). */
  readonly unacked: number[] = [];
}

/** Connection-wide timing Wireshark keeps in `tcp_analysis`. */
export class ConnTiming {
  /** Time of the most recent pure SYN (0/0 = none). */
  synSec = 0;
  synNsec = 0;
  /** First RTT in nanoseconds (SYN to the first pure ACK), 0 = unknown. */
  firstRttNs = 0;
}

/** What the analysis found for one segment. Reused from packet to packet. */
export class SeqFindings {
  flags = 0;
  dupAckNum = 0;
  dupAckFrame = 0;
}

/** Nanoseconds from (sec0, nsec0) to (sec, nsec), or Infinity when negative (Wireshark's guint64 wraps). */
function elapsedNs(sec: number, nsec: number, sec0: number, nsec0: number): number {
  const t = (sec - sec0) * 1e9 + (nsec - nsec0);
  return t < 0 ? Infinity : t;
}

/** trackBases' answer (flow/reuse.ts): a SYN-ACK with a new ISN restarted its sender's base (Wireshark flags the port reuse). */
export const BASE_RESTARTED = 1;
/** trackBases' answer: the sender had a base before this segment (a pure SYN carrying it again is a retransmission). */
export const SENDER_HAD_BASE = 2;

/** The base a segment gives its sender, when it has none: the SYN's ISN, else seq-1 (setBases; flow/reuse.ts keeps the bases). */
export const senderBase = (seg: TcpSegment): number => (seg.flags & TcpFlag.SYN ? seg.seq : (seg.seq - 1) >>> 0);
/** The base an ACK gives its receiver, when it has none: ack-1 (bug 1542). */
export const receiverBase = (seg: TcpSegment): number => (seg.ack - 1) >>> 0;

/** ZERO WINDOW PROBE: 1 byte at the next expected sequence number while the peer's window is 0. */
function isZeroWindowProbe(seg: TcpSegment, fwd: FlowState, rev: FlowState): boolean {
  return seg.payloadLen === 1 && seg.seq === fwd.nextseq && rev.window === 0;
}

/** ZERO WINDOW: window 0 on a segment without SYN, FIN or RST. */
function isZeroWindow(seg: TcpSegment): boolean {
  return seg.window === 0 && (seg.flags & SYN_FIN_RST) === 0;
}

/** LOST PACKET: the segment starts beyond the highest sequence number seen (RSTs excepted). */
function isLostPacket(seg: TcpSegment, fwd: FlowState): boolean {
  return fwd.nextseq !== 0 && seqGt(seg.seq, fwd.nextseq) && (seg.flags & TcpFlag.RST) === 0;
}

/** KEEP ALIVE: 0 or 1 byte starting one byte before the next expected sequence number. */
function isKeepAlive(seg: TcpSegment, fwd: FlowState): boolean {
  return seg.payloadLen <= 1 && seg.seq === ((fwd.nextseq - 1) >>> 0) && (seg.flags & SYN_FIN_RST) === 0;
}

/** A bare segment repeating this side's last seq and ack (the base of the next four rules). */
function repeatsLastAck(seg: TcpSegment, fwd: FlowState): boolean {
  return seg.payloadLen === 0 && seg.seq === fwd.nextseq && seg.ack === fwd.lastack && (seg.flags & SYN_FIN_RST) === 0;
}

/** WINDOW UPDATE: a bare repeat of seq/ack with a new non-zero window. */
function isWindowUpdate(seg: TcpSegment, fwd: FlowState): boolean {
  return seg.window !== 0 && seg.window !== fwd.window && repeatsLastAck(seg, fwd);
}

/** WINDOW FULL: data reaching exactly the right edge of the peer's advertised window. */
function isWindowFull(seg: TcpSegment, rev: FlowState): boolean {
  if (seg.payloadLen === 0 || rev.winScale === -1 || (seg.flags & SYN_FIN_RST) !== 0) return false;
  const shift = rev.isFirstAck || rev.winScale === -2 ? 0 : rev.winScale;
  const edge = (rev.lastack + ((rev.window << shift) >>> 0)) >>> 0;
  return ((seg.seq + seg.payloadLen) >>> 0) === edge;
}

/** KEEP ALIVE ACK: a bare repeat (same window) answering the peer's keep-alive. */
function isKeepAliveAck(seg: TcpSegment, fwd: FlowState, rev: FlowState): boolean {
  return seg.window !== 0 && seg.window === fwd.window && repeatsLastAck(seg, fwd) && (rev.lastSegmentFlags & A.A_KEEP_ALIVE) !== 0;
}

/** ZERO WINDOW PROBE ACK: a bare repeat of a zero window answering the peer's probe. */
function isZeroWindowProbeAck(seg: TcpSegment, fwd: FlowState, rev: FlowState): boolean {
  return seg.window === 0 && fwd.window === 0 && repeatsLastAck(seg, fwd) && (rev.lastSegmentFlags & A.A_ZERO_WINDOW_PROBE) !== 0;
}

/** DUPLICATE ACK: a bare repeat of seq, ack and a non-zero window. */
function isDuplicateAck(seg: TcpSegment, fwd: FlowState): boolean {
  return seg.window !== 0 && seg.window === fwd.window && repeatsLastAck(seg, fwd);
}

/** The checks up to Wireshark's `finished_fwd` label: findings about this side's own sending. */
function analyzeForward(seg: TcpSegment, fwd: FlowState, rev: FlowState, out: SeqFindings): void {
  if (isZeroWindowProbe(seg, fwd, rev)) {
    out.flags |= A.A_ZERO_WINDOW_PROBE;
    return;
  }
  if (isZeroWindow(seg)) out.flags |= A.A_ZERO_WINDOW;
  if (isLostPacket(seg, fwd)) out.flags |= A.A_LOST_PACKET;
  if (isKeepAlive(seg, fwd)) out.flags |= A.A_KEEP_ALIVE;
  if (isWindowUpdate(seg, fwd)) out.flags |= A.A_WINDOW_UPDATE;
  if (isWindowFull(seg, rev)) out.flags |= A.A_WINDOW_FULL;
  if (isKeepAliveAck(seg, fwd, rev)) {
    out.flags |= A.A_KEEP_ALIVE_ACK;
    return;
  }
  if (isZeroWindowProbeAck(seg, fwd, rev)) {
    out.flags |= A.A_ZERO_WINDOW_PROBE_ACK;
    return;
  }
  if (isDuplicateAck(seg, fwd)) {
    // A counter neutralised by "ACKed unseen segment" (-1) restarts at 1.
    fwd.dupacknum = fwd.dupacknum === -1 ? 1 : fwd.dupacknum + 1;
    out.flags |= A.A_DUPLICATE_ACK;
    out.dupAckNum = fwd.dupacknum;
    out.dupAckFrame = fwd.lastnondupack;
  }
}

/**
 * ACKED LOST PACKET: the ACK covers data beyond what was seen from the peer. When the peer's
 * in-order mark lags its highest sequence number (a gap), the mark jumps there and the ACK is
 * flagged; otherwise only the first such ACK is, until the peer's duplicate-ACK counter (set to -1
 * here) moves again. Checked against tshark 4.0.17: its comparison is "mark < highest".
 */
function checkAckedUnseen(seg: TcpSegment, rev: FlowState, out: SeqFindings): void {
  if (rev.maxseqtobeacked === 0 || !seqGt(seg.ack, rev.maxseqtobeacked) || (seg.flags & TcpFlag.ACK) === 0) return;
  if (seqLt(rev.maxseqtobeacked, rev.nextseq)) {
    rev.maxseqtobeacked = rev.nextseq;
    out.flags |= A.A_ACK_LOST_PACKET;
  } else {
    // The peer is stalled on pure ACKs: report the same gap once.
    if (rev.dupacknum === 0) out.flags |= A.A_ACK_LOST_PACKET;
    rev.dupacknum = -1;
  }
}

/**
 * RETRANSMISSION / FAST RETRANSMISSION / OUT-OF-ORDER / SPURIOUS: a segment carrying data, SYN or
 * FIN that does not advance the sequence number. Wireshark's default precedence
 * (`tcp.fastrt_precedence`): fast retransmission is tested before out-of-order.
 */
function classifyRetransmission(seg: TcpSegment, fwd: FlowState, rev: FlowState, timing: ConnTiming, out: SeqFindings): void {
  const len = seg.payloadLen;
  if (len === 0 && (seg.flags & (TcpFlag.SYN | TcpFlag.FIN)) === 0) return;
  if (out.flags & A.A_KEEP_ALIVE) return;
  let notAdvanced = fwd.nextseq !== 0 && seqLt(seg.seq, fwd.nextseq);
  // More than one byte starting just before nextseq is new data after a zero-window probe.
  if (len > 1 && ((fwd.nextseq - 1) >>> 0) === seg.seq) notAdvanced = false;
  // Spurious: every byte was already acknowledged by the peer.
  if (len > 0 && rev.lastack !== 0 && seqLe((seg.seq + len) >>> 0, rev.lastack)) {
    out.flags |= A.A_SPURIOUS_RETRANSMISSION;
    return;
  }
  // Fast: two or more duplicate ACKs asked for this sequence number within the last 20 ms.
  const sinceDupAck = elapsedNs(seg.tsSec, seg.tsNsec, rev.lastackSec, rev.lastackNsec);
  // (Wireshark's counter is unsigned: the -1 mark of "ACKed unseen segment" counts as many.)
  const dupAcks = rev.dupacknum === -1 ? Infinity : rev.dupacknum;
  if (notAdvanced && dupAcks >= 2 && rev.lastack === seg.seq && sinceDupAck < 20_000_000) {
    out.flags |= A.A_FAST_RETRANSMISSION;
    return;
  }
  // Out-of-order: sooner after the highest segment than one RTT (3 ms when unknown), and not a plain resend.
  const sinceNext = elapsedNs(seg.tsSec, seg.tsNsec, fwd.nextseqSec, fwd.nextseqNsec);
  const threshold = timing.firstRttNs === 0 ? 3_000_000 : timing.firstRttNs;
  const end = (seg.seq + len + (seg.flags & (TcpFlag.SYN | TcpFlag.FIN) ? 1 : 0)) >>> 0;
  if (notAdvanced && sinceNext < threshold && fwd.nextseq !== end) {
    out.flags |= A.A_OUT_OF_ORDER;
    return;
  }
  if (notAdvanced) out.flags |= A.A_RETRANSMISSION;
}

/** Remembers the segment: unacked list, nextseq, maxseqtobeacked, last ack and window. */
function recordSegment(seg: TcpSegment, fwd: FlowState, out: SeqFindings): void {
  let nextseq = (seg.seq + seg.payloadLen) >>> 0;
  const carries = seg.payloadLen > 0 || (seg.flags & (TcpFlag.SYN | TcpFlag.FIN)) !== 0;
  if (carries && fwd.unacked.length < MAX_UNACKED_SEGMENTS) {
    // Wireshark counts SYN and FIN as one byte only when the segment enters its unacked list.
    if (seg.flags & (TcpFlag.SYN | TcpFlag.FIN)) nextseq = (nextseq + 1) >>> 0;
    fwd.unacked.push(nextseq);
  }
  const probe = (out.flags & A.A_ZERO_WINDOW_PROBE) !== 0;
  if ((seqGt(nextseq, fwd.nextseq) || fwd.nextseq === 0) && !probe) {
    fwd.nextseq = nextseq;
    fwd.nextseqFrame = seg.no;
    fwd.nextseqSec = seg.tsSec;
    fwd.nextseqNsec = seg.tsNsec;
  }
  if ((seg.seq === fwd.maxseqtobeacked || fwd.maxseqtobeacked === 0) && !probe) {
    fwd.maxseqtobeacked = fwd.nextseq;
  }
  fwd.window = seg.window;
  fwd.lastack = seg.ack;
  fwd.lastackSec = seg.tsSec;
  fwd.lastackNsec = seg.tsNsec;
  fwd.lastSegmentFlags = out.flags;
}

/** Drops the peer's segments this ACK covers (Wireshark does so whatever the ACK flag says). */
function releaseAcked(ack: number, rev: FlowState): void {
  const list = rev.unacked;
  let kept = 0;
  for (let i = 0; i < list.length; i++) {
    const end = list[i] as number;
    if (seqGt(end, ack)) list[kept++] = end;
  }
  list.length = kept;
}

/**
 * Runs Wireshark's sequence analysis for one segment sent by `fwd` to `rev`. `out` must have been
 * cleared by the caller (it may already hold A_REUSED_PORTS).
 */
export function analyzeSequence(seg: TcpSegment, fwd: FlowState, rev: FlowState, timing: ConnTiming, out: SeqFindings): void {
  analyzeForward(seg, fwd, rev, out);
  // finished_fwd: a new ack number resets the duplicate-ACK count.
  if (seg.ack !== fwd.lastack) {
    fwd.lastnondupack = seg.no;
    fwd.dupacknum = 0;
  }
  checkAckedUnseen(seg, rev, out);
  classifyRetransmission(seg, fwd, rev, timing, out);
  recordSegment(seg, fwd, out);
  releaseAcked(seg.ack, rev);
}
