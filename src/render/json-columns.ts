/**
 * The ndjson line of a connection without packet rows, written from the connection store's columns
 * and its verdict straight into a ByteLines buffer: the same bytes as `JSON.stringify(flowJson(report(...)))`
 * (json.ts), without the FlowReport, its endpoint objects and strings, or the line as a string.
 * test/unit/json-columns.test.ts holds the two side by side on every fixture.
 */
import type { Instant } from '../flow/connection.js';
import { CLIENT, SERVER, addressText, cellOf, handshakeOf, stateOf } from '../flow/columns.js';
import { HISTORY_LETTERS } from '../flow/history.js';
import type { ConnectionStore } from '../flow/store.js';
import type { Lang } from '../analysis/annotations.js';
import { verdictNamesNo } from '../analysis/verdict-keys.js';
import type { StoredSlot, Verdict } from '../analysis/teardown.js';
import type { ByteLines } from './byte-lines.js';
import { Encoded } from './byte-lines.js';
import { writeExplanationJson } from './explanations/bytes.js';

/** round9 (json.ts) without the division: the nanoseconds, which ByteLines.scaled writes as seconds. */
const nanos = (x: number): number => Math.round(x * 1e9);

/** Seconds from the capture's first record to a time kept in two columns (Analyzer.relative). */
function relative(first: Instant | undefined, sec: number, nsec: number): number {
  return first ? sec - first.sec + (nsec - first.nsec) / 1e9 : 0;
}

/**
 * The constant parts of the line, encoded once, each key with the punctuation around it: one copy of
 * bytes instead of a string read character by character (measured on the 2 M-packet benchmark's
 * 210,000 lines: about 120 ms less CPU than ByteLines.ascii of the same strings).
 */
const latin1 = Encoded.latin1;
const ID = latin1('{"id":');
const CLIENT_IP = latin1(',"client":{"ip":');
const PORT = latin1(',"port":');
const SERVER_IP = latin1('},"server":{"ip":');
const HANDSHAKE = {
  complete: latin1('},"handshake":"complete","firstPacket":'),
  partial: latin1('},"handshake":"partial","firstPacket":'),
  none: latin1('},"handshake":"none","firstPacket":'),
};
const LAST_PACKET = latin1(',"lastPacket":');
const START_TIME = latin1(',"startTime":');
const END_TIME = latin1(',"endTime":');
const BYTES_CLIENT = latin1(',"bytes":{"client":');
const BYTES_SERVER = latin1(',"server":');
const HISTORY = latin1('},"history":');
const STUCK_FOR = latin1(',"stuckFor":');
const EVIDENCE = latin1(',"evidence":[');
const EXPLANATION = latin1('],"explanation":');
const NULL = latin1('null');

const handshake = (flags: number): Encoded => HANDSHAKE[handshakeOf(flags)];


/** The verdict's names, from `,"teardown":` to `"trailingBytes":`, by keyNo * 16 + closer * 4 + resetBy (WHO). */
const verdictHeads: Array<Encoded | undefined> = [];

function verdictHead(v: Verdict): Encoded {
  const no = verdictNamesNo(v);
  return (verdictHeads[no] ??= latin1(`,"teardown":{${verdictNames(v)},"trailingBytes":`));
}

function verdictNames(v: Verdict): string {
  const json = JSON.stringify;
  return `"class":${json(v.class)},"detail":${json(v.detail)},"closer":${json(v.closer)},"resetBy":${json(v.resetBy)}`;
}

/** The line's end from `},"finalState":`, by the two states' numbers (a byte each). */
const finalStates: Array<Encoded | undefined> = [];

function finalState(client: number, server: number): Encoded {
  const name = stateOf;
  return (finalStates[client * 256 + server] ??= latin1(`},"finalState":{"client":"${name(client)}","server":"${name(server)}"}}\n`));
}

/** An endpoint's address as a JSON string: an IPv4 one as a dotted quad, digit by digit. */
function address(out: ByteLines, s: ConnectionStore, slot: number, side: 0 | 1): void {
  const text = addressText(s, slot, side);
  if (text !== undefined) {
    out.jsonString(text);
    return;
  }
  out.byte(0x22);
  out.dottedQuad((side === CLIENT ? s.clientAddr[slot] : s.serverAddr[slot]) as number);
  out.byte(0x22);
}

/** The history letters (history.ts keeps them as base-16 digits, first letter most significant). */
function history(out: ByteLines, seq: number): void {
  out.byte(0x22);
  // At most 12 digits (48 bits): the high and low 24 bits each fit int32 arithmetic. No digit is 0
  // (a letter is 1 + its index), so the low part has all 6 digits when there is a high part.
  const high = Math.floor(seq / 0x1000000);
  if (high > 0) letters(out, high);
  letters(out, seq - high * 0x1000000);
  out.byte(0x22);
}

const LETTERS = Buffer.from(HISTORY_LETTERS, 'latin1');

/** The letters of up to 6 base-16 digits. */
function letters(out: ByteLines, digits: number): void {
  let count = 0;
  while (count < 6 && digits >>> (count * 4) !== 0) count++;
  const b = out.space(count);
  let p = out.length;
  for (let i = count - 1; i >= 0; i--) b[p++] = LETTERS[((digits >>> (i * 4)) & 15) - 1] as number;
  out.setLength(p);
}

/** Appends the connection's line, with its newline. `first` is the capture's first record time. */
export function writeFlowJson(out: ByteLines, c: StoredSlot, v: Verdict, lang: Lang, first: Instant | undefined): void {
  const { store: s, slot } = c;
  const client = cellOf(slot, CLIENT);
  const server = cellOf(slot, SERVER);
  out.encoded(ID);
  out.number(s.id[slot] as number);
  out.encoded(CLIENT_IP);
  address(out, s, slot, CLIENT);
  out.encoded(PORT);
  out.digits(s.clientPort[slot] as number);
  out.encoded(SERVER_IP);
  address(out, s, slot, SERVER);
  out.encoded(PORT);
  out.digits(s.serverPort[slot] as number);
  out.encoded(handshake(s.flags[slot] as number));
  out.number(s.firstPacket[slot] as number);
  out.encoded(LAST_PACKET);
  out.number(s.lastPacket[slot] as number);
  out.encoded(START_TIME);
  out.scaled(nanos(relative(first, s.startSec[slot] as number, s.startNsec[slot] as number)), 9);
  out.encoded(END_TIME);
  out.scaled(nanos(relative(first, s.endSec[slot] as number, s.endNsec[slot] as number)), 9);
  out.encoded(BYTES_CLIENT);
  out.number(s.bytes[client] as number);
  out.encoded(BYTES_SERVER);
  out.number(s.bytes[server] as number);
  out.encoded(HISTORY);
  history(out, s.historySeq[slot] as number);
  out.encoded(verdictHead(v));
  out.number(v.trailingBytes);
  out.encoded(STUCK_FOR);
  if (v.stuckFor === null) out.encoded(NULL);
  else out.number(v.stuckFor);
  out.encoded(EVIDENCE);
  for (let i = 0; i < v.evidence.length; i++) {
    if (i > 0) out.byte(0x2c);
    out.number(v.evidence[i] as number);
  }
  out.encoded(EXPLANATION);
  writeExplanationJson(out, c, v, lang);
  out.encoded(finalState(s.state[client] as number, s.state[server] as number));
}
