/**
 * The ndjson line of a connection without packet rows, written from the connection store's columns
 * and its verdict straight into a ByteLines buffer: the same bytes as `JSON.stringify(flowJson(report(...)))`
 * (json.ts), without the FlowReport, its endpoint objects and strings, or the line as a string.
 * test/unit/json-columns.test.ts holds the two side by side on every fixture.
 */
import type { Instant } from '../flow/connection.js';
import { CLIENT, SERVER, cellOf } from '../flow/columns.js';
import { HISTORY_LETTERS } from '../flow/history.js';
import type { ConnectionStore } from '../flow/store.js';
import { SAW_HANDSHAKE_ACK, SAW_SYN, SAW_SYN_ACK, TEXT_IDS } from '../flow/store.js';
import type { StoredSlot, Verdict } from '../analysis/teardown.js';
import { TCP_STATES } from '../tcp/states.js';
import type { ByteLines } from './byte-lines.js';

/** round9 (json.ts) without the division: the nanoseconds, which ByteLines.scaled writes as seconds. */
const nanos = (x: number): number => Math.round(x * 1e9);

/** Seconds from the capture's first record to a time kept in two columns (Analyzer.relative). */
function relative(first: Instant | undefined, sec: number, nsec: number): number {
  return first ? sec - first.sec + (nsec - first.nsec) / 1e9 : 0;
}

function handshake(flags: number): string {
  if ((flags & SAW_SYN) !== 0 && (flags & SAW_SYN_ACK) !== 0 && (flags & SAW_HANDSHAKE_ACK) !== 0) return '"complete"';
  return (flags & (SAW_SYN | SAW_SYN_ACK)) !== 0 ? '"partial"' : '"none"';
}

/** `{"ip":...,"port":...}` of one endpoint: an IPv4 address as a dotted quad, digit by digit. */
function endpoint(out: ByteLines, s: ConnectionStore, slot: number, side: 0 | 1): void {
  out.ascii('{"ip":');
  if ((s.flags[slot] as number) & TEXT_IDS) {
    const extra = s.extra(slot);
    out.jsonString((side === CLIENT ? extra?.clientText : extra?.serverText) ?? '');
  } else {
    const a = (side === CLIENT ? s.clientAddr[slot] : s.serverAddr[slot]) as number;
    out.byte(0x22);
    out.digits((a >>> 24) & 255);
    out.byte(0x2e);
    out.digits((a >>> 16) & 255);
    out.byte(0x2e);
    out.digits((a >>> 8) & 255);
    out.byte(0x2e);
    out.digits(a & 255);
    out.byte(0x22);
  }
  out.ascii(',"port":');
  out.digits((side === CLIENT ? s.clientPort[slot] : s.serverPort[slot]) as number);
  out.byte(0x7d);
}

/** The history letters (history.ts keeps them as base-16 digits, first letter most significant). */
function history(out: ByteLines, seq: number): void {
  out.byte(0x22);
  let unit = 1;
  while (unit * 16 <= seq) unit *= 16;
  for (let rest = seq; unit >= 1 && seq > 0; unit /= 16) {
    const digit = Math.floor(rest / unit);
    rest -= digit * unit;
    out.byte(HISTORY_LETTERS.charCodeAt(digit - 1));
  }
  out.byte(0x22);
}

const name = (out: ByteLines, s: string | null): void => (s === null ? out.ascii('null') : (out.byte(0x22), out.ascii(s), out.byte(0x22)));

/** Appends the connection's line (with its newline). `first` is the capture's first record time. */
export function writeFlowJson(out: ByteLines, c: StoredSlot, v: Verdict, explanation: string, first: Instant | undefined): void {
  const { store: s, slot } = c;
  const client = cellOf(slot, CLIENT);
  const server = cellOf(slot, SERVER);
  out.ascii('{"id":');
  out.number(s.id[slot] as number);
  out.ascii(',"client":');
  endpoint(out, s, slot, CLIENT);
  out.ascii(',"server":');
  endpoint(out, s, slot, SERVER);
  out.ascii(',"handshake":');
  out.ascii(handshake(s.flags[slot] as number));
  out.ascii(',"firstPacket":');
  out.number(s.firstPacket[slot] as number);
  out.ascii(',"lastPacket":');
  out.number(s.lastPacket[slot] as number);
  out.ascii(',"startTime":');
  out.scaled(nanos(relative(first, s.startSec[slot] as number, s.startNsec[slot] as number)), 9);
  out.ascii(',"endTime":');
  out.scaled(nanos(relative(first, s.endSec[slot] as number, s.endNsec[slot] as number)), 9);
  out.ascii(',"bytes":{"client":');
  out.number(s.bytes[client] as number);
  out.ascii(',"server":');
  out.number(s.bytes[server] as number);
  out.ascii('},"history":');
  history(out, s.historySeq[slot] as number);
  out.ascii(',"teardown":{"class":');
  name(out, v.class);
  out.ascii(',"detail":');
  name(out, v.detail);
  out.ascii(',"closer":');
  name(out, v.closer);
  out.ascii(',"resetBy":');
  name(out, v.resetBy);
  out.ascii(',"trailingBytes":');
  out.number(v.trailingBytes);
  out.ascii(',"stuckFor":');
  if (v.stuckFor === null) out.ascii('null');
  else out.number(v.stuckFor);
  out.ascii(',"evidence":[');
  for (let i = 0; i < v.evidence.length; i++) {
    if (i > 0) out.byte(0x2c);
    out.number(v.evidence[i] as number);
  }
  out.ascii('],"explanation":');
  out.jsonString(explanation);
  out.ascii('},"finalState":{"client":');
  name(out, TCP_STATES[s.state[client] as number] ?? 'CLOSED');
  out.ascii(',"server":');
  name(out, TCP_STATES[s.state[server] as number] ?? 'CLOSED');
  out.ascii('}}\n');
}
