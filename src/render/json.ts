import type { Lang } from '../analysis/annotations.js';
import { notesText } from '../analysis/annotations.js';
import type { FlowReport, Report } from '../analysis/report.js';
import type { Endpoint, Instant } from '../flow/connection.js';
import { flagList } from './flags.js';
import { nanosBetween } from './time.js';

const round9 = (x: number): number => Math.round(x * 1e9) / 1e9;

/** A flow in the JSON form of SPEC 5 (`packets` left out when rows were not kept). */
export function flowJson(f: FlowReport, origin: Instant, lang: Lang): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: f.id, client: f.client, server: f.server, handshake: f.handshake,
    firstPacket: f.firstPacket, lastPacket: f.lastPacket,
    startTime: round9(f.startTime), endTime: round9(f.endTime),
    bytes: f.bytes, history: f.history, teardown: f.teardown, finalState: f.finalState,
  };
  if (f.rows) {
    out['packets'] = f.rows.map((r) => ({
      no: r.no, time: nanosBetween(origin, r.time) / 1e9, dir: r.fromClient ? 'c2s' : 's2c', flags: flagList(r.flags),
      seq: r.seq, ack: r.ack, len: r.len, win: r.win, info: r.info, client: r.client, server: r.server,
      note: notesText(r.notes, lang),
    }));
  }
  return out;
}

/** Characters JSON.stringify escapes (controls, quote, backslash, surrogates: lone ones are escaped). */
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;
const str = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);
/** A name from a closed set of plain identifiers (classes, details, sides, states): nothing to escape. */
const name = (s: string | null): string => (s === null ? 'null' : `"${s}"`);
/** A number as JSON writes it (non-finite ones as null); integers such as ids and counts need no check. */
const num = (n: number): string => (Number.isFinite(n) ? `${n}` : 'null');
const endpointJson = (e: Endpoint): string => `{"ip":${str(e.ip)},"port":${e.port}}`;

/**
 * `JSON.stringify(flowJson(f, origin, lang))`, written by hand for the flows without rows: the ndjson
 * stream writes one line per connection, and building the object to stringify it was a tenth of a
 * run. test/unit/json.test.ts checks that both give the same text.
 */
export function flowJsonLine(f: FlowReport, origin: Instant, lang: Lang): string {
  if (f.rows) return JSON.stringify(flowJson(f, origin, lang));
  const t = f.teardown;
  return `{"id":${f.id},"client":${endpointJson(f.client)},"server":${endpointJson(f.server)},"handshake":${name(f.handshake)},`
    + `"firstPacket":${f.firstPacket},"lastPacket":${f.lastPacket},"startTime":${num(round9(f.startTime))},"endTime":${num(round9(f.endTime))},`
    + `"bytes":{"client":${num(f.bytes.client)},"server":${num(f.bytes.server)}},"history":${str(f.history)},`
    + `"teardown":{"class":${name(t.class)},"detail":${name(t.detail)},"closer":${name(t.closer)},"resetBy":${name(t.resetBy)},`
    + `"trailingBytes":${num(t.trailingBytes)},"stuckFor":${t.stuckFor === null ? 'null' : num(t.stuckFor)},"evidence":[${t.evidence.join(',')}],`
    + `"explanation":${str(t.explanation)}},"finalState":{"client":${name(f.finalState.client)},"server":${name(f.finalState.server)}}}`;
}

/** The whole report as one JSON object: { capture, flows, summary, errors }. */
export function reportJson(r: Report, origin: Instant, lang: Lang): string {
  const obj = { capture: r.capture, flows: r.flows.map((f) => flowJson(f, origin, lang)), summary: r.summary, errors: r.errors };
  return JSON.stringify(obj, null, 2) + '\n';
}
