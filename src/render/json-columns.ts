/**
 * The JSON line of a connection (with its packet rows when they were kept), written from the connection store's columns
 * and its verdict straight into a ByteLines buffer, without a FlowReport, its endpoint objects and strings, or the
 * line as a string. The one JSON writer of a flow: every ndjson line and json document flow the CLI prints, and the
 * library's flowJson and reportJson (json.ts, which present a finished connection's FlowReport to it as a
 * FlowJsonSource). test/unit/json-columns.test.ts holds the two sources side by side on every fixture.
 */
import { IdOrderSpill } from './id-order-spill.js';
import type { AddressId, Instant, PacketRow } from '../flow/connection.js';
import { notesText } from './notes.js';
import { flagList } from './flags.js';
import { rowInfo } from './info.js';
import { epochSeconds, formatIso, nanosBetween } from './time.js';
import { HISTORY_LETTERS } from '../flow/history.js';
import type { ConnectionView } from '../flow/view.js';
import { TCP_STATES } from '../tcp/states.js';
import type { Lang } from './notes.js';
import { verdictNamesNo } from '../analysis/verdict-keys.js';
import type { Verdict } from '../analysis/teardown.js';
import type { ExplainFacts } from '../analysis/explain-facts.js';
import { explainFacts, newFacts, stuckUnsure } from '../analysis/explain-facts.js';
import { ByteLines, Encoded, MAX_DIGITS, putDigits, WRITE_BYTES } from './byte-lines.js';
import { writePrettyJson } from './pretty-json.js';
import { writeExplanation } from './explanations/bytes.js';
import type { Report } from '../analysis/report.js';
import { causeJson } from './causes.js';
import type { Via } from '../decode/segment.js';
import { viaJson } from './via.js';

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
const NO_CAUSES = latin1(',"causes":[]');


/** The verdict's names, from `,"teardown":` to `"trailingBytes":`, by keyNo * 16 + closer * 4 + resetBy (WHO). */
const verdictHeads: Array<Encoded | undefined> = [];

function verdictHead(v: FlowJsonVerdict): Encoded {
  const no = verdictNamesNo(v);
  return (verdictHeads[no] ??= latin1(`,"teardown":{${verdictNames(v)},"trailingBytes":`));
}

function verdictNames(v: FlowJsonVerdict): string {
  const json = JSON.stringify;
  return `"class":${json(v.class)},"detail":${json(v.detail)},"closer":${json(v.closer)},"resetBy":${json(v.resetBy)}`;
}

/**
 * The end from `,"finalState":` (after the teardown's `}` and the tunnel, when there is one), by the
 * two states' numbers (a byte each), whether packets follow and whether the absolute times do (then
 * the object is left open after the final states).
 */
const finalStates: Array<Encoded | undefined> = new Array<Encoded | undefined>(16 * 16 * 4).fill(undefined);

function finalState(client: number, server: number, packets: boolean, more: boolean): Encoded {
  // A state number is an index into TCP_STATES (11 of them): 16 a side keeps the cache one small array.
  const at = (((client & 15) * 16 + (server & 15)) * 2 + (packets ? 1 : 0)) * 2 + (more ? 1 : 0);
  return finalStates[at] ?? (finalStates[at] = finalStateText(client, server, packets, more));
}

function finalStateText(client: number, server: number, packets: boolean, more: boolean): Encoded {
  const name = (no: number): string => TCP_STATES[no] ?? 'CLOSED';
  const end = packets ? ',"packets":[' : more ? '' : '}\n';
  return latin1(`,"finalState":{"client":"${name(client)}","server":"${name(server)}"}${end}`);
}

const START_ISO = latin1(',"startIso":"');
const END_ISO = latin1('","endIso":"');
const START_EPOCH = latin1('","startEpoch":');
const END_EPOCH = latin1(',"endEpoch":');
const FLOW_END = latin1('}\n');

/** What is written before each absolute time, and after the last. */
export interface AroundTimes {
  startIso: Encoded;
  endIso: Encoded;
  startEpoch: Encoded;
  endEpoch: Encoded;
  end: Encoded;
}

const JSON_AROUND_TIMES: AroundTimes = { startIso: START_ISO, endIso: END_ISO, startEpoch: START_EPOCH, endEpoch: END_EPOCH, end: FLOW_END };

/**
 * A flow's absolute times (ndjson's startIso, endIso, startEpoch, endEpoch; csv's last four
 * columns), written as formatIso and epochSeconds (time.ts) write them.
 */
export class AbsoluteTimes {
  /** The day (whole days since the epoch) whose date `dayText` holds, "YYYY-MM-DDT"; undefined out of the dated years. */
  private day = NaN;
  private dayText: Encoded | undefined;

  /** What goes before each of the four fields and after the last (ndjson: its keys and quotes; csv: commas). */
  constructor(private readonly around: AroundTimes = JSON_AROUND_TIMES) {}

  /**
   * The four fields and the flow's end: the keys and the date as encoded constants (the date made
   * once a day: a connection's start and end, and the next connection's, mostly share it), the
   * clock time and the decimals as digits written straight into the buffer (ByteLines.space).
   * Made a second at a time through strings, they cost about 10 % of the benchmark's ndjson run.
   */
  write(out: ByteLines, c: Pick<FlowJsonSource, 'startSec' | 'startNsec' | 'endSec' | 'endNsec'>, digits: 6 | 9): void {
    const start = this.dateOf(c.startSec);
    const end = this.dateOf(c.endSec);
    if (start === undefined || end === undefined || !(c.startSec >= 0 && c.endSec >= 0)) {
      this.slow(out, c, digits);
      return;
    }
    const a = this.around;
    out.encoded(a.startIso);
    out.encoded(start);
    isoClock(out, c.startSec, c.startNsec, digits);
    out.encoded(a.endIso);
    out.encoded(end);
    isoClock(out, c.endSec, c.endNsec, digits);
    out.encoded(a.startEpoch);
    epochDigits(out, c.startSec, c.startNsec, digits);
    out.encoded(a.endEpoch);
    epochDigits(out, c.endSec, c.endNsec, digits);
    out.encoded(a.end);
  }

  /** Times out of the dated years or before the epoch: formatIso's and epochSeconds' text. */
  private slow(out: ByteLines, c: Pick<FlowJsonSource, 'startSec' | 'startNsec' | 'endSec' | 'endNsec'>, digits: 6 | 9): void {
    const a = this.around;
    out.encoded(a.startIso);
    out.ascii(formatIso({ sec: c.startSec, nsec: c.startNsec }, digits));
    out.encoded(a.endIso);
    out.ascii(formatIso({ sec: c.endSec, nsec: c.endNsec }, digits));
    out.encoded(a.startEpoch);
    out.ascii(epochSeconds({ sec: c.startSec, nsec: c.startNsec }, digits));
    out.encoded(a.endEpoch);
    out.ascii(epochSeconds({ sec: c.endSec, nsec: c.endNsec }, digits));
    out.encoded(a.end);
  }

  /** "YYYY-MM-DDT" of the day of `sec`, or undefined out of the dated years (or not a whole second). */
  private dateOf(sec: number): Encoded | undefined {
    const day = Math.floor(sec / 86400);
    if (day !== this.day) {
      this.day = day;
      const whole = Number.isSafeInteger(sec) ? formatIso({ sec: day * 86400, nsec: 0 }, 6) : '';
      this.dayText = whole.endsWith('Z') && whole.length === 27 ? latin1(whole.slice(0, 11)) : undefined;
    }
    return this.dayText;
  }
}

/** `HH:MM:SS.ffffffZ` of `sec` within its day. */
function isoClock(out: ByteLines, sec: number, nsec: number, digits: 6 | 9): void {
  const b = out.space(20);
  const p = clock(b, out.length, sec, nsec, digits);
  b[p] = 0x5a;
  out.setLength(p + 1);
}

/** Epoch seconds (not before the epoch) as epochSeconds writes them. */
export function epochDigits(out: ByteLines, sec: number, nsec: number, digits: 6 | 9): void {
  const b = out.space(MAX_DIGITS + 10);
  let p = putDigits(b, out.length, sec);
  b[p++] = 0x2e;
  out.setLength(putFraction(b, p, nsec, digits));
}

/**
 * `HH:MM:SS.` and the decimals of `sec` within its day, at `p`; returns where they end. In int32
 * arithmetic (`| 0`): `%` of a double is a call to fmod, and made this line cost four times as much.
 */
function clock(b: Uint8Array, p: number, sec: number, nsec: number, digits: 6 | 9): number {
  const inDay = (sec - Math.floor(sec / 86400) * 86400) | 0;
  const h = (inDay / 3600) | 0;
  const m = ((inDay / 60) | 0) % 60;
  const s = inDay % 60;
  b[p++] = 0x30 + ((h / 10) | 0);
  b[p++] = 0x30 + (h % 10);
  b[p++] = 0x3a;
  b[p++] = 0x30 + ((m / 10) | 0);
  b[p++] = 0x30 + (m % 10);
  b[p++] = 0x3a;
  b[p++] = 0x30 + ((s / 10) | 0);
  b[p++] = 0x30 + (s % 10);
  b[p++] = 0x2e;
  return putFraction(b, p, nsec, digits);
}

/** The decimals of a second, `digits` of them with leading zeros, at `p`; returns where they end. */
export function putFraction(b: Uint8Array, p: number, nsec: number, digits: 6 | 9): number {
  let f = (digits === 9 ? nsec : nsec / 1000) | 0;
  const end = p + digits;
  for (let q = end - 1; q >= p; q--) {
    b[q] = 0x30 + (f % 10);
    f = (f / 10) | 0;
  }
  return end;
}


/** ndjson's absolute times, which end its line (docs/contract.md, "ndjson"): what writeFlowLine writes after the final states. */
const absoluteTimes = new AbsoluteTimes();

const NO = latin1('{"no":');
const TIME = latin1(',"time":');
const DIR = [latin1(',"dir":"s2c","flags":'), latin1(',"dir":"c2s","flags":')];
const SEQ = latin1(',"seq":');
const ACK_KEY = latin1(',"ack":');
const LEN = latin1(',"len":');
const WIN = latin1(',"win":');
const INFO = latin1(',"info":');
const ROW_CLIENT = latin1(',"client":"');
const ROW_SERVER = latin1('","server":"');
const NOTE = latin1('","note":');
const ROWS_END = latin1(']}\n');
const ROWS_END_OPEN = latin1(']');

/** The packet rows, as json.ts's flowJson lists them (docs/contract.md, "packet"). */
function packets(out: ByteLines, rows: readonly PacketRow[], lang: Lang, first: Instant | undefined, more: boolean): void {
  const origin = first ?? { sec: 0, nsec: 0 };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as PacketRow;
    if (i > 0) out.byte(0x2c);
    out.encoded(NO);
    out.number(r.no);
    out.encoded(TIME);
    out.scaled(nanosBetween(origin, r.time), 9);
    out.encoded(DIR[r.fromClient ? 1 : 0] as Encoded);
    out.jsonString(flagList(r.flags));
    out.encoded(SEQ);
    out.number(r.seq);
    out.encoded(ACK_KEY);
    out.number(r.ack);
    out.encoded(LEN);
    out.number(r.len);
    out.encoded(WIN);
    out.number(r.win);
    out.encoded(INFO);
    out.jsonString(rowInfo(r));
    out.encoded(ROW_CLIENT);
    out.ascii(r.client);
    out.encoded(ROW_SERVER);
    out.ascii(r.server);
    out.encoded(NOTE);
    out.jsonString(notesText(r.notes, lang));
    out.byte(0x7d);
  }
  out.encoded(more ? ROWS_END_OPEN : ROWS_END);
}

/** An endpoint's address as a JSON string: an IPv4 one as a dotted quad, digit by digit. */
function address(out: ByteLines, side: FlowJsonSide): void {
  const id = side.addressId;
  if (typeof id === 'string') {
    out.jsonString(id);
    return;
  }
  out.byte(0x22);
  out.dottedQuad(id);
  out.byte(0x22);
}

/** The history letters (history.ts keeps them as base-16 digits, first letter most significant). */
function history(out: ByteLines, seq: number): void {
  out.byte(0x22);
  historyLetters(out, seq);
  out.byte(0x22);
}

/** Zeek's history letters of a connection's `historyDigits` (historyText's, flow/history.ts, as bytes). */
export function historyLetters(out: ByteLines, seq: number): void {
  // At most 12 digits (48 bits): the high and low 24 bits each fit int32 arithmetic. No digit is 0
  // (a letter is 1 + its index), so the low part has all 6 digits when there is a high part.
  const high = Math.floor(seq / 0x1000000);
  if (high > 0) letters(out, high);
  letters(out, seq - high * 0x1000000);
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

/** What the line names of an endpoint: a SideView is one. */
export interface FlowJsonSide {
  readonly addressId: AddressId;
  readonly port: number;
  readonly bytes: number;
  /** The state's index into TCP_STATES. */
  readonly stateNo: number;
}

/**
 * What the line is written from: a ConnectionView is one (the CLI's lines, read from the store), and
 * json.ts presents a finished connection's FlowReport as one (the library's). Times are seconds and
 * nanoseconds of capture time, made relative to `first` when written.
 */
export interface FlowJsonSource {
  readonly id: number;
  readonly client: FlowJsonSide;
  readonly server: FlowJsonSide;
  readonly handshake: 'complete' | 'partial' | 'none';
  readonly firstPacket: number;
  readonly lastPacket: number;
  readonly startSec: number;
  readonly startNsec: number;
  readonly endSec: number;
  readonly endNsec: number;
  /** The history letters as history.ts keeps them (base-16 digits). */
  readonly historyDigits: number;
  readonly rows: readonly PacketRow[] | undefined;
  /** The tunnel the connection came through, when it did (docs/contract.md, "Tunnels"). */
  readonly via: Via | undefined;
}

/** What the line names of the verdict (a Verdict is one; a report's teardown with its key is one). */
export type FlowJsonVerdict = Pick<Verdict, 'keyNo' | 'class' | 'detail' | 'closer' | 'resetBy' | 'trailingBytes' | 'stuckFor' | 'evidence' | 'causes'>;

/** One facts object for the connections written one after another. */
const shared = newFacts();

/**
 * Appends the connection's line, with its newline. `first` is the capture's first record time;
 * `absolute`, the decimals of the absolute times ndjson appends (json leaves them out).
 */
export function writeFlowJson(out: ByteLines, c: ConnectionView, v: Verdict, lang: Lang, first: Instant | undefined, absolute?: 6 | 9): void {
  writeFlowLine(out, c, v, explainFacts(c, v, shared), stuckUnsure(v), lang, first, first, absolute);
}

/**
 * Appends a flow's line, with its newline: its explanation from `facts` (explain-facts.ts), its
 * start and end times relative to `first`, its packet rows' times to `rowsOrigin`.
 */
export function writeFlowLine(
  out: ByteLines, c: FlowJsonSource, v: FlowJsonVerdict, facts: ExplainFacts, unsure: boolean, lang: Lang,
  first: Instant | undefined, rowsOrigin: Instant | undefined, absolute?: 6 | 9,
): void {
  out.encoded(ID);
  out.number(c.id);
  out.encoded(CLIENT_IP);
  address(out, c.client);
  out.encoded(PORT);
  out.digits(c.client.port);
  out.encoded(SERVER_IP);
  address(out, c.server);
  out.encoded(PORT);
  out.digits(c.server.port);
  out.encoded(HANDSHAKE[c.handshake]);
  out.number(c.firstPacket);
  out.encoded(LAST_PACKET);
  out.number(c.lastPacket);
  out.encoded(START_TIME);
  out.scaled(nanos(relative(first, c.startSec, c.startNsec)), 9);
  out.encoded(END_TIME);
  out.scaled(nanos(relative(first, c.endSec, c.endNsec)), 9);
  out.encoded(BYTES_CLIENT);
  out.number(c.client.bytes);
  out.encoded(BYTES_SERVER);
  out.number(c.server.bytes);
  out.encoded(HISTORY);
  history(out, c.historyDigits);
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
  writeExplanation(out, v.keyNo, facts, lang, unsure);
  if (v.causes.length === 0) out.encoded(NO_CAUSES);
  else out.ascii(`,"causes":${JSON.stringify(v.causes.map(causeJson))}`);
  const rows = c.rows;
  out.byte(0x7d);
  const via = c.via;
  if (via !== undefined) out.utf8(viaJson(via));
  const more = absolute !== undefined;
  out.encoded(finalState(c.client.stateNo, c.server.stateNo, rows !== undefined, more));
  if (rows !== undefined) packets(out, rows, lang, rowsOrigin, more);
  if (more) absoluteTimes.write(out, c, absolute);
}

/** A value's pretty JSON (JSON.stringify's, two spaces) as it reads nested `depth` spaces deep. */
const pretty = (value: unknown, depth: string): string => JSON.stringify(value, null, 2).replaceAll('\n', '\n' + depth);

/**
 * The json document (docs/contract.md, "JSON fields"), `{ capture, flows, summary, errors }`, laid
 * out as JSON.stringify(document, null, 2) lays it out, from each flow's compact JSON line (the
 * ndjson writer's, writeFlowJson): written a flow at a time, so the flows are never all objects
 * at once. `write` is called with consecutive pieces.
 */
export function writeJsonDocument(
  to: DocumentOut,
  capture: unknown,
  flowLines: Iterable<Uint8Array>,
  rest: Pick<Report, 'summary' | 'errors'>,
  beside?: Record<string, unknown>,
): void {
  to.write(documentHead(capture));
  const flows = new DocumentFlows(to);
  for (const line of flowLines) flows.add(line);
  flows.end();
  to.write(documentTail(rest, flows.none, beside));
}

/** Where the json document goes, in order: its text pieces, and its flows as UTF-8 bytes (true: done with them, as ByteLines.writeTo takes it; cli/output.ts's BatchedOutput is one). */
export interface DocumentOut {
  write(piece: string): void;
  writeBytes(piece: Uint8Array): boolean;
}

/**
 * The document's flows, each laid out from its compact line (pretty-json.ts) into one buffer,
 * handed on about WRITE_BYTES at a time.
 */
class DocumentFlows {
  private readonly out = new ByteLines();
  none = true;
  private readonly flush = (): void => this.out.writeTo((bytes) => this.to.writeBytes(bytes));

  constructor(private readonly to: DocumentOut) {}

  add(line: Uint8Array): void {
    this.out.ascii(this.none ? '\n    ' : ',\n    ');
    this.none = false;
    writePrettyJson(this.out, line, 4, this.flush, WRITE_BYTES);
    if (this.out.length >= WRITE_BYTES) this.flush();
  }

  end(): void {
    this.flush();
  }
}

/** The json document up to its first flow. */
const documentHead = (capture: unknown): string => `{\n  "capture": ${pretty(capture, '  ')},\n  "flows": [`;

/** What follows `flows` when there is any (`unplaced`, `unplacedMore`: render/unplaced.ts), each key as the document lays out its others. */
function besideText(beside: Record<string, unknown> | undefined): string {
  let text = '';
  for (const [key, value] of Object.entries(beside ?? {})) text += `,\n  ${JSON.stringify(key)}: ${pretty(value, '  ')}`;
  return text;
}

/** The json document after its last flow (`none`: it has none). */
const documentTail = (rest: Pick<Report, 'summary' | 'errors'>, none: boolean, beside: Record<string, unknown> | undefined): string =>
  `${none ? ']' : '\n  ]'}${besideText(beside)},\n  "summary": ${pretty(rest.summary, '  ')},\n  "errors": ${pretty(rest.errors, '  ')}\n}\n`;

/**
 * The json document's flows (analyze's and live's `--format json`): each connection's compact line
 * written as it is released and parked by id (IdOrderSpill: in a temporary file, not in memory),
 * since the document's `capture` comes first and is known only at the end; the document is laid out
 * from them, in id order, at the end (docs/performance.md, "Memory for every format").
 */
export class JsonDocument {
  private readonly line = new ByteLines();
  private laidOut: ((line: Uint8Array) => void) | undefined;
  private readonly lines = new IdOrderSpill((line) => this.laidOut?.(line), true);

  add(c: ConnectionView, v: Verdict, lang: Lang, first: Instant | undefined): void {
    writeFlowJson(this.line, c, v, lang, first);
    this.lines.add(c.id, this.line.written());
    this.line.setLength(0);
  }

  /** A flow's line as `add` writes it, for connection `id` (`--jobs`: written by a worker, its id made global). */
  keep(id: number, line: Uint8Array): void {
    this.lines.add(id, line);
  }

  /** `beside`: what follows `flows`, when there is any (besideText). */
  write(to: DocumentOut, capture: unknown, rest: Pick<Report, 'summary' | 'errors'>, beside?: Record<string, unknown>): void {
    to.write(documentHead(capture));
    const flows = new DocumentFlows(to);
    this.laidOut = (line) => flows.add(line);
    this.lines.drain();
    this.lines.close();
    flows.end();
    to.write(documentTail(rest, flows.none, beside));
  }
}
