import type { TcpSegment } from '../decode/segment.js';
import { TcpFlag } from '../decode/segment.js';
import { A_REUSED_PORTS } from './wireshark-flags.js';
import { analyzeSequence, BASE_RESTARTED, ConnTiming, FlowState, SENDER_HAD_BASE, SeqFindings } from './wireshark-seq.js';

/** The two sides' base sequence numbers (a ConnectionView has them: `c.client.base`), undefined while a side has none. */
export interface SideBases {
  readonly client: { readonly base: number | undefined };
  readonly server: { readonly base: number | undefined };
}

/**
 * What Wireshark finds of one segment: the numbers the packet table shows and the analysis its Info
 * column prints (render/info.ts words it, docs/contract.md, "Info column").
 */
export interface PacketView {
  /** Sequence and acknowledgement numbers relative to each side's base (docs/contract.md, "Relative numbers and window"); relAck is 0 without ACK. */
  relSeq: number;
  relAck: number;
  /** Window as Wireshark's `Win=` shows it: scaled by the sender's announced shift (docs/contract.md, "Relative numbers and window"). */
  win: number;
  /** Wireshark's sequence-analysis findings (wireshark-flags.ts A_* bits), and for a duplicate ACK the original's frame and its count. */
  analysis: number;
  dupAckFrame: number;
  dupAckNum: number;
  /** The receiver's base sequence number, which makes SACK edges relative (0 when it has none). */
  sackBase: number;
}

/**
 * Wireshark's view of one TCP connection (one `tcp.stream`): relative numbers, scaled windows and
 * what the Info column prints (its analysis findings). One instance a connection, fed every segment in
 * capture order; dir 0 = client to server, 1 = server to client.
 */
export class WireView {
  private readonly sides: [FlowState, FlowState] = [new FlowState(), new FlowState()];
  private readonly timing = new ConnTiming();
  private readonly found = new SeqFindings();

  /**
   * Wireshark's view of segment `seg` from side `dir`. The sides' base sequence numbers are the
   * store's, after this segment (`bases`: flow/reuse.ts trackBases kept them, `baseBits` is its
   * answer for this segment): a SYN-ACK that restarted its sender's base is flagged, as a connection
   * whose first packet `portReused` says reuses a 4-tuple.
   */
  add(seg: TcpSegment, dir: 0 | 1, portReused: boolean, bases: SideBases, baseBits: number): PacketView {
    const fwd = this.sides[dir];
    const rev = this.sides[dir === 0 ? 1 : 0];
    const found = this.found;
    found.flags = portReused || (baseBits & BASE_RESTARTED) !== 0 ? A_REUSED_PORTS : 0;
    found.dupAckNum = 0;
    found.dupAckFrame = 0;
    // The sender always has a base once trackBases has run; the receiver has one once an ACK came.
    const fwdBase = (dir === 0 ? bases.client : bases.server).base ?? 0;
    const revBase = (dir === 0 ? bases.server : bases.client).base;
    if ((seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && (baseBits & SENDER_HAD_BASE) !== 0 && seg.seq === fwdBase) {
      // The same ISN again: a retransmitted SYN. Wireshark restores nextseq from the in-order
      // mark, as a RST may have moved it (as Wireshark 4.0's packet-tcp.c does).
      fwd.nextseq = fwd.maxseqtobeacked;
    }
    analyzeSequence(seg, fwd, rev, this.timing, found);
    const relSeq = (seg.seq - fwdBase) >>> 0;
    const relAck = seg.flags & TcpFlag.ACK ? (seg.ack - (revBase ?? 0)) >>> 0 : 0;
    const win = scaledWindow(seg, fwd);
    this.afterOptions(seg, fwd, rev);
    return { relSeq, relAck, win, analysis: found.flags, dupAckFrame: found.dupAckFrame, dupAckNum: found.dupAckNum, sackBase: revBase ?? 0 };
  }

  /**
   * The window Wireshark shows for a segment from side `dir` that it measured but that is not
   * added here (a packet in no connection, analysis/unplaced.ts): scaled as that side announced.
   */
  windowOf(seg: TcpSegment, dir: 0 | 1): number {
    return scaledWindow(seg, this.sides[dir]);
  }

  /** State Wireshark updates once the options are dissected: window scale, first-ACK and RTT marks. */
  private afterOptions(seg: TcpSegment, fwd: FlowState, rev: FlowState): void {
    // dissect_tcpopt_wscale stores any WS option, SYN or not, clamped to 14.
    for (const o of seg.options) if (o.kind === 'ws') fwd.winScale = Math.min(o.shift, 14);
    const synAck = seg.flags & (TcpFlag.SYN | TcpFlag.ACK);
    if (seg.flags & TcpFlag.SYN) {
      verifyWindowScaling(synAck === (TcpFlag.SYN | TcpFlag.ACK), fwd, rev);
      fwd.isFirstAck = true;
      if (synAck === TcpFlag.SYN) {
        this.timing.synSec = seg.tsSec;
        this.timing.synNsec = seg.tsNsec;
      }
    }
    if (synAck === TcpFlag.ACK) {
      const t = this.timing;
      if ((t.synSec !== 0 || t.synNsec !== 0) && t.firstRttNs === 0) {
        t.firstRttNs = (seg.tsSec - t.synSec) * 1e9 + (seg.tsNsec - t.synNsec);
      }
      fwd.isFirstAck = false;
    }
  }
}

/** `Win=`: SYNs never scaled; otherwise shifted when the sender's scale is known (>= 0). */
function scaledWindow(seg: TcpSegment, fwd: FlowState): number {
  if (seg.flags & TcpFlag.SYN || fwd.winScale < 0) return seg.window;
  return seg.window * 2 ** fwd.winScale;
}

/**
 * verify_tcp_window_scaling: a SYN (or SYN-ACK) without WS means neither side scales (-2); a
 * SYN-ACK with WS answering a SYN without it does not scale either.
 */
function verifyWindowScaling(isSynAck: boolean, fwd: FlowState, rev: FlowState): void {
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (isSynAck && rev.winScale === -2) {
    fwd.winScale = -2;
  }
}
