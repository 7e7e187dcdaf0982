/**
 * A TCP header the TCP layer refused (tcp.ts, TCP_SKIPS: cut before its end, a data offset below 5,
 * longer than the IP payload), read as far as its bytes go: tshark still shows a TCP row for such a
 * packet once it has the ports, and teardown lists it as a packet in no connection
 * (docs/contract.md, "TCP packets in no connection").
 */
import type { Frame } from './frame.js';
import type { TcpHeader } from './tcp.js';

/** How far a refused header could be read: what tshark's TCP dissector is given (packet-tcp.c, dissect_tcp). */
export interface RefusedHeader {
  /** The TCP header's bytes there are: those captured, within the TCP length the IP header gives (tshark's captured length). */
  readable: number;
  /** The TCP length the IP header gives (tshark's reported length): a read past it is a malformed packet, not a cut one. */
  ipLength: number;
  /** The data offset field (the header's length in 4-byte words), once the first 16 bytes are there; else 0. */
  dataOffset: number;
  /** A first IPv4 fragment (ip.ts): tshark measures no segment in it. */
  fragment: boolean;
}

/** Below this many bytes tshark cannot read both ports, and shows no TCP row. */
const PORTS_END = 4;
/** The bytes up to the window: tshark reads them all before it writes anything but the ports. */
export const FIELDS_END = 16;

/**
 * Reads the refused header at `f.tcpAt` into `s` (the ports; the numbers, flags and window once
 * FIELDS_END bytes are there, the urgent pointer once 20 are) and `out`; false when not even the
 * ports are there. Only called after the TCP layer refused a record: it costs a TCP packet nothing.
 */
export function readRefused(f: Frame, s: TcpHeader, out: RefusedHeader): boolean {
  const o = f.tcpAt;
  const readable = Math.min(f.end - o, f.tcpLength);
  if (readable < PORTS_END) return false;
  const v = f.view;
  s.srcPort = v.getUint16(o);
  s.dstPort = v.getUint16(o + 2);
  const fields = readable >= FIELDS_END;
  const offsetAndFlags = fields ? v.getUint16(o + 12) : 0;
  s.seq = fields ? v.getUint32(o + 4) : 0;
  s.ack = fields ? v.getUint32(o + 8) : 0;
  s.flags = offsetAndFlags & 0xfff;
  s.window = fields ? v.getUint16(o + 14) : 0;
  s.urgent = readable >= 20 ? v.getUint16(o + 18) : 0;
  s.payloadLen = 0;
  s.headerCut = true;
  s.unmeasured = f.firstFragment;
  out.readable = readable;
  out.ipLength = f.tcpLength;
  out.dataOffset = offsetAndFlags >> 12;
  out.fragment = f.firstFragment;
  return true;
}
