import type { Lang } from './notes.js';
import type { FlowReport, Report } from '../analysis/report.js';
import type { Instant } from '../flow/connection.js';
import type { Verdict } from '../analysis/teardown.js';
import type { causeJson } from './causes.js';
import { historyDigitsOf } from '../flow/history.js';
import { TCP_STATES } from '../tcp/states.js';
import type { TcpState } from '../tcp/states.js';
import { unplacedJson } from './unplaced.js';
import { ByteLines } from './byte-lines.js';
import type { FlowJsonSide, FlowJsonSource, FlowJsonVerdict } from './json-columns.js';
import { writeFlowLine, writeJsonDocument } from './json-columns.js';

/** A report's endpoint as the flow writer reads a side. */
const side = (e: { ip: string; port: number }, bytes: number, state: TcpState): FlowJsonSide => ({
  addressId: e.ip, port: e.port, bytes, stateNo: TCP_STATES.indexOf(state),
});

/**
 * A finished connection's report as the flow writer (json-columns.ts, writeFlowLine) reads a
 * connection: its times are already seconds since the first record, so they are written relative
 * to zero.
 */
function source(f: FlowReport): FlowJsonSource {
  return {
    id: f.id, handshake: f.handshake, firstPacket: f.firstPacket, lastPacket: f.lastPacket,
    client: side(f.client, f.bytes.client, f.finalState.client), server: side(f.server, f.bytes.server, f.finalState.server),
    startSec: f.startTime, startNsec: 0, endSec: f.endTime, endNsec: 0,
    historyDigits: historyDigitsOf(f.history), rows: f.rows, via: f.via,
  };
}

const ZERO: Instant = { sec: 0, nsec: 0 };

/** A packet row in the JSON form (docs/contract.md, "packet"). */
export interface PacketJson {
  no: number;
  /** Seconds since the capture's first record. */
  time: number;
  dir: 'c2s' | 's2c';
  /** The Info column's flag list without spaces: `"FIN,ACK"`. */
  flags: string;
  seq: number;
  ack: number;
  len: number;
  win: number;
  info: string;
  client: TcpState;
  server: TcpState;
  note: string;
}

/** A cause in the JSON form (docs/contract.md, "teardown"; docs/causes.md). */
export type CauseJson = ReturnType<typeof causeJson>;

/** The verdict in the JSON form (docs/contract.md, "teardown"): the verdict's fields, its explanation in words. */
export interface TeardownJson extends Omit<Verdict, 'lastAckSeen' | 'keyNo' | 'causes'> {
  /** In the language asked for. */
  explanation: string;
  causes: CauseJson[];
}

/** A connection in the JSON form (docs/contract.md, "flow"): the json document's flows, ndjson's lines. */
export interface FlowJson extends Omit<FlowReport, 'teardown' | 'rows'> {
  teardown: TeardownJson;
  /** Present when the connection's rows were kept. */
  packets?: PacketJson[];
}

/**
 * The capture's first record, which packet times count from, as a report holds it: its first row's
 * time less its startTime. Exact to the nanosecond for a connection that starts within about 40
 * days of the first record (a double holds startTime to a tenth of a nanosecond up to 4e6 s).
 * Without rows no time is written from it.
 */
function originOf(f: FlowReport): Instant {
  const first = f.rows?.[0];
  if (first === undefined) return ZERO;
  const nanos = first.time.nsec - Math.round(f.startTime * 1e9);
  const sec = Math.floor(nanos / 1e9);
  return { sec: first.time.sec + sec, nsec: nanos - sec * 1e9 };
}

/** A flow's compact JSON line, with its newline: the bytes the CLI's writer gives the same connection. */
function flowLine(out: ByteLines, f: FlowReport, origin: Instant | undefined, lang: Lang): Uint8Array {
  const t = f.teardown;
  const v: FlowJsonVerdict = { ...t, keyNo: t.explain.keyNo };
  out.setLength(0);
  writeFlowLine(out, source(f), v, t.explain.facts, t.explain.unsure, lang, ZERO, origin ?? originOf(f));
  return out.written();
}

/**
 * A flow in the JSON form of docs/contract.md, "JSON fields" (`packets` left out when rows were not
 * kept). `origin`, the capture time packet times count from, is by default the capture's first
 * record (the Analyzer's `firstTime`), read back from the report; `lang` is English by default.
 */
export function flowJson(f: FlowReport, origin?: Instant, lang: Lang = 'en'): FlowJson {
  const out = new ByteLines();
  flowLine(out, f, origin, lang);
  return JSON.parse(out.text()) as FlowJson;
}

/**
 * The library's whole report as the json document: { capture, flows, summary, errors }, and
 * `unplaced` when the report has TCP packets in no connection; `origin` and `lang` as for flowJson.
 */
export function reportJson(r: Report, origin?: Instant, lang: Lang = 'en'): string {
  const parts: string[] = [];
  const out = new ByteLines();
  const unplaced = r.unplaced === undefined ? undefined : unplacedJson(r.unplaced, lang, origin ?? unplacedOrigin(r));
  const lines = function* (): Generator<Uint8Array> {
    for (const f of r.flows) yield flowLine(out, f, origin, lang); // valid until the next: laid out before
  };
  const to = {
    write: (text: string): void => void parts.push(text),
    writeBytes: (bytes: Uint8Array): boolean => parts.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString()) > 0,
  };
  writeJsonDocument(to, r.capture, lines(), r, unplaced);
  return parts.join('');
}

/**
 * Where the times of TCP packets in no connection count from without `origin`: a connection's
 * (originOf), else the capture's first time read back to the microsecond (a double holds no more).
 */
function unplacedOrigin(r: Report): Instant {
  const withRows = r.flows.find((f) => (f.rows?.length ?? 0) > 0);
  if (withRows !== undefined) return originOf(withRows);
  const t = r.capture.firstTime ?? 0;
  const sec = Math.floor(t);
  return { sec, nsec: Math.round((t - sec) * 1e6) * 1000 };
}
