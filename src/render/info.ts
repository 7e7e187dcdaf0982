import type { TcpOption, TcpSegment } from '../decode/segment.js';
import { ACK, AE, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../decode/segment.js';

/** Flag names in the order tshark 4.0 prints them (`tcp_flags_to_str`): `[SYN, ECE, CWR]`. */
const FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [FIN, 'FIN'], [SYN, 'SYN'], [RST, 'RST'], [PSH, 'PSH'], [ACK, 'ACK'], [URG, 'URG'], [ECE, 'ECE'], [CWR, 'CWR'], [AE, 'AE'],
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

/** What tshark appends for an option the decoder left undecoded (`other`). */
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
      return '';
    }
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

/**
 * The Info column of a TCP segment as tshark 4.0 prints it with no application dissector:
 * `[prefixes]64902 → 12000 [FIN, ACK] Seq=9 Ack=20 Win=2619648 Len=0 TSval=.. TSecr=..`.
 * `prefix` is the analysis text (`[TCP Retransmission] `, possibly ''), `relSeq`/`relAck` the
 * relative numbers, `win` the scaled window, `sackBase` the base that makes SACK edges relative.
 */
export function formatInfo(seg: TcpSegment, prefix: string, relSeq: number, relAck: number, win: number, sackBase: number): string {
  let s = `${prefix}${seg.srcPort} → ${seg.dstPort} [${flagNames(seg.flags)}] Seq=${relSeq}`;
  if (seg.flags & ACK) s += ` Ack=${relAck}`;
  s += ` Win=${win}`;
  if (seg.flags & URG) s += ` Urg=${seg.urgent}`;
  s += ` Len=${seg.payloadLen}`;
  for (const o of seg.options) s += optionText(o, sackBase);
  return s;
}
