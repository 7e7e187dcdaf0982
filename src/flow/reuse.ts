import type { TcpSegment } from '../decode/segment.js';
import { TcpFlag } from '../decode/segment.js';
import type { ConnectionStore } from './store.js';
import { isSet, K, markSet } from './store.js';
import type { SideNo } from './view.js';
import { BASE_RESTARTED, SENDER_HAD_BASE, receiverBase, senderBase } from './wireshark-seq.js';

/**
 * How long (capture time, seconds) a connection that has not ended stays open without a packet:
 * the sweep releases it then (analysis/expiry.ts), and a new SYN after as long starts a new
 * connection even if no other packet came to run the sweep (table.ts).
 */
export const IDLE_LIMIT_S = 3600;

/**
 * Wireshark 4.0's rule for a new `tcp.stream` on a known 4-tuple (packet-tcp.c, dissect_tcp: "If
 * this is a SYN packet, then check if its seq-nr is different from the base_seq of the retrieved
 * conversation"): a SYN without ACK whose sender already has a base sequence number, and whose ISN
 * differs from it. The same ISN is a retransmitted SYN of the same connection. Whether the previous
 * connection had closed does not matter to Wireshark. The new connection's first packet is
 * flagged `[TCP Port numbers reused]` (`WireView.add`'s `portReused`). `senderBase` is the
 * sender's base sequence number, undefined when it has none.
 */
export function isNewIsn(senderBase: number | undefined, seg: TcpSegment): boolean {
  return (seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && senderBase !== undefined && seg.seq !== senderBase;
}

/**
 * Each side's base sequence number as Wireshark 4.0 keeps it (`base_seq`: relative numbers start
 * there, and the port-reuse rule compares a SYN with it), in the store's `base` column, for every
 * connection: the one place bases are kept (WireView reads them from the store). A SYN-ACK with
 * another ISN than its sender's base restarts it (dissect_tcp, "If this is a SYN/ACK packet ...");
 * then a side without a base takes the segment's (setBases: a SYN's ISN, else seq - 1; the
 * receiver of an ACK, ack - 1). `from` is the sender's side. Returns BASE_RESTARTED and
 * SENDER_HAD_BASE bits.
 */
export function trackBases(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo): number {
  const sender = slot * 2 + from;
  const receiver = slot * 2 + (1 - from);
  let bits = 0;
  if (!isSet(s, sender, K.BASE_SET)) {
    s.base[sender] = senderBase(seg);
    markSet(s, sender, K.BASE_SET);
  } else {
    bits = SENDER_HAD_BASE;
    if ((seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK) && seg.seq !== s.base[sender]) {
      s.base[sender] = seg.seq;
      bits |= BASE_RESTARTED;
    }
  }
  if (!isSet(s, receiver, K.BASE_SET) && seg.flags & TcpFlag.ACK) {
    s.base[receiver] = receiverBase(seg);
    markSet(s, receiver, K.BASE_SET);
  }
  return bits;
}
