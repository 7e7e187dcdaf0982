import type { TcpSegment } from '../decode/segment.js';
import { ACK, SYN } from '../decode/segment.js';
import type { ConnectionStore } from './store.js';
import { BASE_SET, isSet, markSet } from './store.js';
import type { SideNo } from './view.js';
import { receiverBase, senderBase } from './wireshark-seq.js';

/**
 * Wireshark 4.0's rule for a new `tcp.stream` on a known 4-tuple (packet-tcp.c, dissect_tcp: "If
 * this is a SYN packet, then check if its seq-nr is different from the base_seq of the retrieved
 * conversation"): a SYN without ACK whose sender already has a base sequence number, and whose ISN
 * differs from it. The same ISN is a retransmitted SYN of the same connection. Whether the previous
 * connection had closed does not matter to Wireshark. The new connection's first packet is
 * flagged `[TCP Port numbers reused]` (pass `true` to `WireView.add`). `senderBase` is the
 * sender's base sequence number, undefined when it has none.
 */
export function isNewIsn(senderBase: number | undefined, seg: TcpSegment): boolean {
  return (seg.flags & (SYN | ACK)) === SYN && senderBase !== undefined && seg.seq !== senderBase;
}

/**
 * Each side's base sequence number exactly as WireView sets it (a SYN-ACK with a new ISN restarts
 * it, then Wireshark's setBases), in the store's `base` column: all the port-reuse rule needs of a
 * WireView, for connections whose packet rows are not kept, at a fraction of the cost. `from` is the
 * sender's side.
 */
export function trackBases(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo): void {
  const sender = slot * 2 + from;
  const receiver = slot * 2 + (1 - from);
  if (!isSet(s, sender, BASE_SET)) {
    s.base[sender] = senderBase(seg);
    markSet(s, sender, BASE_SET);
  } else if ((seg.flags & (SYN | ACK)) === (SYN | ACK)) {
    // Wireshark's isNewSynAck: a SYN-ACK restarts its sender's base (the same ISN changes nothing).
    s.base[sender] = seg.seq;
  }
  if (!isSet(s, receiver, BASE_SET) && seg.flags & ACK) {
    s.base[receiver] = receiverBase(seg);
    markSet(s, receiver, BASE_SET);
  }
}
