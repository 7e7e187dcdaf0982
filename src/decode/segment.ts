/**
 * TCP header flag bits (RFC 9293 §3.1; AE is RFC 3540's former NS bit). A const enum, written into
 * the code that reads them as number literals (flow/store-columns.generated.ts says why).
 */
export const enum TcpFlag {
  FIN = 0x001,
  SYN = 0x002,
  RST = 0x004,
  PSH = 0x008,
  ACK = 0x010,
  URG = 0x020,
  ECE = 0x040,
  CWR = 0x080,
  AE = 0x100,
}

/** TCP options in wire order, as the Info column needs them. Sequence numbers are absolute. */
export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'ws'; shift: number }
  | { kind: 'sack_perm' }
  | { kind: 'sack'; blocks: Array<[left: number, right: number]> }
  | { kind: 'ts'; tsval: number; tsecr: number }
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'other'; type: number; data: Uint8Array };

/** The tunnels the decoder opens (decode/tunnel.ts; docs/contract.md, "Tunnels"). */
export const TUNNEL_TYPES = ['ip-in-ip', 'ipv6-in-ip', 'gre', 'erspan', 'vxlan', 'geneve', 'teredo', 'gtp-u', 'l2tp'] as const;
export type TunnelType = (typeof TUNNEL_TYPES)[number];

/**
 * The tunnel a segment came through (the innermost, when nested): its type, its id when it has one
 * (a VXLAN or Geneve VNI, a GRE key, an ERSPAN session, a GTP-U TEID), and the outer IP header's
 * addresses.
 */
export interface Via {
  type: TunnelType;
  id?: number;
  outer: { src: string; dst: string };
}

/** One decoded TCP segment: the only thing the stages after `decode` see of a packet. */
export interface TcpSegment {
  /** Record number in the capture (from 1), and capture time (exact seconds + nanoseconds). */
  no: number;
  tsSec: number;
  tsNsec: number;
  ipVersion: 4 | 6;
  /** Printable addresses: dotted IPv4, RFC 5952 IPv6 (lower case, compressed). */
  src: string;
  dst: string;
  /**
   * IPv4 addresses as 32-bit integers (signed: `| 0`), for keys and comparisons without strings.
   * Absent for IPv6, or when a segment was built by hand: then `src`/`dst` are compared.
   */
  srcV4?: number | undefined;
  dstV4?: number | undefined;
  srcPort: number;
  dstPort: number;
  /** Raw 32-bit sequence and acknowledgement numbers (unsigned). */
  seq: number;
  ack: number;
  /** Flag bits (FIN, SYN, ... above), and the three reserved bits above AE (0xe00) as sent. */
  flags: number;
  /** Raw 16-bit window field, unscaled. */
  window: number;
  urgent: number;
  /** TCP payload length from the IP header (not from the captured bytes: snapped packets). */
  payloadLen: number;
  /**
   * The IPv4 TTL or IPv6 hop limit as captured: a RST whose TTL fits none of its purported
   * sender's other packets came from the path (docs/causes.md, "path-reset"). 0 when unknown
   * (a segment built by hand).
   */
  ttl?: number;
  /**
   * True when the capture cut the TCP header (its options) short: tshark then ends the Info column
   * with `[Packet size limited during capture]` and prints no analysis (docs/contract.md, "Snapped packets").
   */
  headerCut?: boolean;
  /**
   * True for a first IPv4 fragment read as TCP because the capture cut it (it can never be
   * reassembled): tshark measures no segment length in a fragment, so its Info shows the raw
   * numbers, no `Len=` and no analysis (docs/contract.md, "Snapped packets").
   */
  unmeasured?: boolean;
  options: TcpOption[];
  /** The tunnel the segment came out of; absent for a packet on the wire as it is. */
  via?: Via | undefined;
}

/** Why a record is not a TCP segment. Counted, never fatal. */
export type SkipReason =
  | 'unsupported-link'
  | 'not-ip'
  | 'not-tcp'
  | 'fragment'
  | 'encrypted'
  | 'truncated'
  | 'malformed';

export type DecodeResult =
  | { kind: 'tcp'; segment: TcpSegment }
  | { kind: 'skipped'; reason: SkipReason; detail?: string };

/**
 * One way a layer refuses a record: the reason counted, and the message the library's decode()
 * gives. A message that names a number (a length, a protocol) is a function of the numbers the
 * layer kept (Frame.a and .b), so the message is only built when someone asks for it.
 */
export interface SkipInfo {
  reason: SkipReason;
  detail: string | ((a: number, b: number) => string);
}

/**
 * A segment's fields copied into a plain value the caller keeps (the decoder's segment is borrowed
 * and reused, its addresses and options read from the record's bytes on demand): what the
 * library's decode() hands out, and the decoder tests compare. The integer addresses (srcV4,
 * dstV4) are the flow stage's keys, not the library's: not copied. A field added to TcpSegment is
 * added here, once.
 */
export function copySegment(s: TcpSegment): TcpSegment {
  return {
    no: s.no, tsSec: s.tsSec, tsNsec: s.tsNsec, ipVersion: s.ipVersion, src: s.src, dst: s.dst,
    srcPort: s.srcPort, dstPort: s.dstPort, seq: s.seq, ack: s.ack, flags: s.flags, window: s.window, urgent: s.urgent,
    payloadLen: s.payloadLen, ttl: s.ttl, headerCut: s.headerCut, options: s.options,
    ...(s.unmeasured === true ? { unmeasured: true } : {}),
    ...(s.via !== undefined ? { via: s.via } : {}),
  };
}
