import type { TcpSegment } from '../decode/segment.js';
import { ACK, SYN } from '../decode/segment.js';
import type { WireView } from './wireview.js';

/**
 * Wireshark 4.0's rule for a new `tcp.stream` on a known 4-tuple (packet-tcp.c, dissect_tcp: "If
 * this is a SYN packet, then check if its seq-nr is different from the base_seq of the retrieved
 * conversation"): a SYN without ACK whose sender already has a base sequence number, and whose ISN
 * differs from it. The same ISN is a retransmitted SYN of the same connection. Whether the previous
 * connection had closed does not matter to Wireshark. The new connection's first packet is
 * flagged `[TCP Port numbers reused]` (pass `true` to `WireView.add`).
 */
export function startsNewConnection(prev: WireView, seg: TcpSegment): boolean {
  if ((seg.flags & (SYN | ACK)) !== SYN) return false;
  const sender = prev.senderOf(seg);
  return sender.baseSet && seg.seq !== sender.base;
}
