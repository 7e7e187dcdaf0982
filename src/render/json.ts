import type { Lang } from './notes.js';
import type { FlowReport, Report } from '../analysis/report.js';
import type { Instant } from '../flow/connection.js';
import { historyDigitsOf } from '../flow/history.js';
import { TCP_STATES } from '../tcp/states.js';
import type { TcpState } from '../tcp/states.js';
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

/** A flow's compact JSON line, with its newline: the bytes the CLI's writer gives the same connection. */
function flowLine(out: ByteLines, f: FlowReport, origin: Instant, lang: Lang): string {
  const t = f.teardown;
  const v: FlowJsonVerdict = { ...t, keyNo: t.explain.keyNo };
  out.setLength(0);
  writeFlowLine(out, source(f), v, t.explain.facts, t.explain.unsure, lang, ZERO, origin);
  return out.text();
}

/** A flow in the JSON form of docs/contract.md, "JSON fields" (`packets` left out when rows were not kept). */
export function flowJson(f: FlowReport, origin: Instant, lang: Lang): Record<string, unknown> {
  return JSON.parse(flowLine(new ByteLines(), f, origin, lang)) as Record<string, unknown>;
}

/** The library's whole report as the json document: { capture, flows, summary, errors }. */
export function reportJson(r: Report, origin: Instant, lang: Lang): string {
  const parts: string[] = [];
  const out = new ByteLines();
  writeJsonDocument((text) => parts.push(text), r.capture, r.flows.map((f) => flowLine(out, f, origin, lang)), r);
  return parts.join('');
}
