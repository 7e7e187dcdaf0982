import type { TcpOption } from '../decode/segment.js';
import { TcpFlag } from '../decode/segment.js';
import type { PacketRow, WireFacts } from '../flow/connection.js';
import {
  A_ACK_LOST_PACKET, A_DUPLICATE_ACK, A_FAST_RETRANSMISSION, A_KEEP_ALIVE, A_KEEP_ALIVE_ACK, A_LOST_PACKET, A_OUT_OF_ORDER,
  A_RETRANSMISSION, A_REUSED_PORTS, A_SPURIOUS_RETRANSMISSION, A_WINDOW_FULL, A_WINDOW_UPDATE, A_ZERO_WINDOW,
  A_ZERO_WINDOW_PROBE, A_ZERO_WINDOW_PROBE_ACK,
} from '../flow/wireshark-flags.js';

/** Flag names in the order tshark 4.0 prints them (`tcp_flags_to_str`): `[SYN, ECE, CWR]`. */
const FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [TcpFlag.FIN, 'FIN'], [TcpFlag.SYN, 'SYN'], [TcpFlag.RST, 'RST'], [TcpFlag.PSH, 'PSH'], [TcpFlag.ACK, 'ACK'], [TcpFlag.URG, 'URG'], [TcpFlag.ECE, 'ECE'], [TcpFlag.CWR, 'CWR'], [TcpFlag.AE, 'AE'],
];
/** The three reserved header bits above AE, printed as one `Reserved`. */
const RESERVED = 0xe00;

/** The flag list between the brackets, `<None>` when no bit is set. */
export function flagNames(flags: number): string {
  let s = '';
  for (const [bit, name] of FLAG_NAMES) {
    if (flags & bit) s = s ? `${s}, ${name}` : name;
  }
  if (flags & RESERVED) s = s ? `${s}, Reserved` : 'Reserved';
  return s || '<None>';
}

/** RFC 6994 experiment identifiers Wireshark 4.0 knows in options 253/254. */
const EXID_TARR = 0x00ac;
const EXID_TFO = 0xf989;

/** Quick-Start rates as Wireshark names them (`qs_rate_vals`), indexed by the 4-bit rate request. */
const QS_RATES = [
  '0 bit/s', '80 Kbit/s', '160 Kbit/s', '320 Kbit/s', '640 Kbit/s', '1.28 Mbit/s', '2.56 Mbit/s', '5.12 Mbit/s',
  '10.24 Mbit/s', '20.48 Mbit/s', '40.96 Mbit/s', '81.92 Mbit/s', '163.84 Mbit/s', '327.68 Mbit/s', '655.36 Mbit/s',
  '1.31072 Gbit/s',
];

/** TCP Fast Open (RFC 7413): a cookie request has no cookie bytes. `bodyLen` counts from the cookie. */
function fastOpen(bodyLen: number): string {
  if (bodyLen === 0) return ' TFO=R';
  return bodyLen > 0 ? ' TFO=C' : '';
}

/** The first four bytes as a big-endian unsigned number. */
const u32Of = (d: Uint8Array): number => (((d[0] ?? 0) << 24) | ((d[1] ?? 0) << 16) | ((d[2] ?? 0) << 8) | (d[3] ?? 0)) >>> 0;

/**
 * What tshark 4.0 appends for an option the decoder left undecoded (`other`): its option
 * dissectors (packet-tcp.c, `dissect_tcpopt_*`), each only when the length is the one it expects.
 */
function otherOption(type: number, data: Uint8Array): string {
  switch (type) {
    case 253:
    case 254: {
      // dissect_tcpopt_exp: a 16-bit experiment identifier, then the experiment's own fields.
      if (data.length < 2) return '';
      const exid = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
      if (exid === EXID_TFO) return fastOpen(data.length - 2);
      // TARR (draft-ietf-tcpm-ack-rate-request): length 4 announces, length 5 carries R; others are malformed.
      if (exid === EXID_TARR) return data.length === 2 ? ' TARR' : data.length === 3 ? ` TARR=${(data[2] ?? 0) >> 1}` : '';
      // Accurate ECN's experiment (0xACC0/0xACC1) has words of its own; any other names its ExID.
      if (exid === 0xacc0 || exid === 0xacc1) return '';
      return ` ExID=${exid.toString(16).toUpperCase()}`;
    }
    case 6: // Echo and Echo Reply (RFC 1072): four bytes
    case 7:
      return data.length === 4 ? ` ECHO=${u32Of(data)}` : '';
    case 11: // CC, CC.NEW, CC.ECHO (RFC 1644): four bytes
    case 12:
    case 13:
      return data.length === 4 ? ` CC=${u32Of(data)}` : '';
    case 19: // TCP MD5 signature (RFC 2385): named whatever its length
      return ' MD5';
    case 29: // TCP-AO (RFC 5925): tshark 4.0 appends it without a space
      return 'TCP AO';
    case 34: // TCP Fast Open Cookie (RFC 7413)
      return fastOpen(data.length);
    case 27: // Quick-Start Response (RFC 4782): the rate is the low nibble of the first byte
      return data.length === 6 ? ` QSresp=${QS_RATES[(data[0] ?? 0) & 0x0f] ?? ''}` : '';
    case 28: // User Timeout (RFC 5482): granularity bit, then 15 bits of value
      return data.length === 2 ? ` USER_TO=${(((data[0] ?? 0) & 0x7f) << 8) | (data[1] ?? 0)}` : '';
    default:
      return '';
  }
}

/** One option as tshark appends it to the Info column. SACK edges count from `sackBase`. */
function optionText(o: TcpOption, sackBase: number): string {
  switch (o.kind) {
    case 'mss': return ` MSS=${o.value}`;
    case 'ws': return ` WS=${2 ** Math.min(o.shift, 14)}`;
    case 'sack_perm': return ' SACK_PERM';
    case 'ts': return ` TSval=${o.tsval} TSecr=${o.tsecr}`;
    case 'sack': {
      let s = '';
      for (const [left, right] of o.blocks) s += ` SLE=${(left - sackBase) >>> 0} SRE=${(right - sackBase) >>> 0}`;
      return s;
    }
    case 'other': return otherOption(o.type, o.data);
    default: return '';
  }
}

/** Riverbed's probe option (kind 76), and the probe types whose marks tshark prints (packet-tcp.c). */
const RVBD_PROBE = 76;
const PROBE_QUERY = 0;
const PROBE_RESPONSE = 1;
const PROBE_TRACE = 3;
const PROBE_QUERY_SH = 4;
const PROBE_RESPONSE_SH = 5;
const PROBE_QUERY_INFO = 6;
const PROBE_QUERY_INFO_SH = 8;
const PROBE_QUERY_INFO_SID = 9;
const PROBE_TYPE_MAX = 11;

/**
 * What tshark 4.0 puts before the ports for Riverbed's probe option (`dissect_tcpopt_rvbd_probe`
 * and the post-evaluation after `tcp_dissect_options`): `SA+, ` for a version 1 probe response and
 * `SA++, ` for a version 2 query-info on a SYN-ACK marked last, prepended as the option is read;
 * once the options are all read, `S+, ` for a version 1 probe query (`S#, ` a trace, `S+*, ` when a
 * version 2 query-info's flags say NCFE). Each only when the option is long enough for the fields
 * read before it; after a header the capture cut, tshark never gets past the options. '' for
 * nearly every packet: no option of kind 76.
 */
function probeMark(options: readonly TcpOption[], flags: number, cut: boolean): string {
  let mark = '';
  let query = -1;
  let probeFlags = 0;
  for (const o of options) {
    if (o.kind !== 'other' || o.type !== RVBD_PROBE) continue;
    // `data` starts after the kind and length bytes: the option's offset 2 is data[0].
    const d = o.data;
    if (d.length < 1) continue;
    const vt = d[0] ?? 0;
    const v1 = (vt & 0x01) !== 0;
    const type = v1 ? vt >> 4 : vt >> 1;
    if (type >= PROBE_TYPE_MAX) continue;
    if (v1) {
      if ((type === PROBE_QUERY || type === PROBE_QUERY_SH || type === PROBE_TRACE) && d.length >= 8) query = type;
      else if ((type === PROBE_RESPONSE && d.length >= 12) || (type === PROBE_RESPONSE_SH && d.length >= 16)) mark = `SA+, ${mark}`;
    } else if ((type === PROBE_QUERY_INFO && d.length >= 2) || ((type === PROBE_QUERY_INFO_SH || type === PROBE_QUERY_INFO_SID) && d.length >= 6)) {
      const info = d[1] ?? 0;
      if (type === PROBE_QUERY_INFO) probeFlags = info;
      if (type !== PROBE_QUERY_INFO_SID && (flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK) && (info & 0x01) !== 0) mark = `SA++, ${mark}`;
    }
  }
  if (query >= 0 && !cut) mark = `${query === PROBE_TRACE ? 'S#' : probeFlags & 0x04 ? 'S+*' : 'S+'}, ${mark}`;
  return mark;
}

/**
 * The order in which `tcp_print_sequence_number_analysis` reports the findings. Each report is
 * `col_prepend_fence_fstr`, so the one printed last ends up first in the Info column:
 * `[TCP ZeroWindow] [TCP ACKed unseen segment] 80 → 1000 ...`.
 */
const PRINT_ORDER: ReadonlyArray<readonly [number, string]> = [
  [A_REUSED_PORTS, 'TCP Port numbers reused'],
  [A_RETRANSMISSION, 'TCP Retransmission'],
  [A_FAST_RETRANSMISSION, 'TCP Fast Retransmission'],
  [A_SPURIOUS_RETRANSMISSION, 'TCP Spurious Retransmission'],
  [A_OUT_OF_ORDER, 'TCP Out-Of-Order'],
  [A_LOST_PACKET, 'TCP Previous segment not captured'],
  [A_ACK_LOST_PACKET, 'TCP ACKed unseen segment'],
  [A_WINDOW_UPDATE, 'TCP Window Update'],
  [A_WINDOW_FULL, 'TCP Window Full'],
  [A_KEEP_ALIVE, 'TCP Keep-Alive'],
  [A_KEEP_ALIVE_ACK, 'TCP Keep-Alive ACK'],
  [A_DUPLICATE_ACK, ''], // `[TCP Dup ACK <frame>#<n>] `, built below
  [A_ZERO_WINDOW_PROBE, 'TCP ZeroWindowProbe'],
  [A_ZERO_WINDOW, 'TCP ZeroWindow'],
  [A_ZERO_WINDOW_PROBE_ACK, 'TCP ZeroWindowProbeAck'],
];

/**
 * The analysis prefixes of the Info column, e.g. `[TCP Dup ACK 7#2] `, or '' when there is none.
 * `dupAckFrame`/`dupAckNum` are the frame of the original ACK and the duplicate's count.
 */
export function analysisPrefix(flags: number, dupAckFrame: number, dupAckNum: number): string {
  if (flags === 0) return '';
  let prefix = '';
  for (const [bit, text] of PRINT_ORDER) {
    if (!(flags & bit)) continue;
    if (bit === A_DUPLICATE_ACK) {
      // print_duplicate: only when the duplicate number is non-zero.
      if (dupAckNum !== 0) prefix = `[TCP Dup ACK ${dupAckFrame}#${dupAckNum}] ` + prefix;
    } else {
      prefix = `[${text}] ` + prefix;
    }
  }
  return prefix;
}

/**
 * The Info column of a packet row as tshark 4.0 prints it for a TCP segment with no application
 * dissector (docs/contract.md, "Info column"):
 * `[prefixes]64902 → 12000 [FIN, ACK] Seq=9 Ack=20 Win=2619648 Len=0 TSval=.. TSecr=..`, from
 * what Wireshark's view of the connection found (flow/wireview.ts): the analysis flags, the relative
 * numbers, the scaled window and the base that makes SACK edges relative.
 */
/** What tshark appends when the capture cut a header it was reading. */
export const SNAPPED = '[Packet size limited during capture]';

/**
 * The analysis prefix tshark prints before a row's Info: none when the capture cut the header
 * (tshark stops at the cut with an exception, before it prints its analysis) or when it measured
 * no segment (a fragment: its analysis never runs).
 */
export function rowPrefix(w: WireFacts): string {
  return w.headerCut === true || w.unmeasured === true ? '' : analysisPrefix(w.analysis, w.dupAckFrame, w.dupAckNum);
}

/**
 * The header's part of the Info column after the ports, as tshark writes it: ` [flags] Seq=`,
 * `Ack=` with the ACK flag, `Win=`, `Urg=` when `urgent` is given (the URG flag set and read).
 */
export function headerFields(flags: number, seq: number, ack: number, win: number, urgent: number | undefined): string {
  let s = ` [${flagNames(flags)}] Seq=${seq}`;
  if (flags & TcpFlag.ACK) s += ` Ack=${ack}`;
  s += ` Win=${win}`;
  if (urgent !== undefined) s += ` Urg=${urgent}`;
  return s;
}

export function rowInfo(r: PacketRow): string {
  const w = r.wire;
  let s = `${rowPrefix(w)}${probeMark(w.options, r.flags, w.headerCut === true)}${w.srcPort} → ${w.dstPort}`;
  s += headerFields(r.flags, r.seq, r.ack, r.win, r.flags & TcpFlag.URG ? w.urgent : undefined);
  if (w.unmeasured !== true) s += ` Len=${r.len}`;
  for (const o of w.options) s += optionText(o, w.sackBase);
  if (w.headerCut) s += SNAPPED;
  return s;
}
