import type { Lang } from './notes.js';
import { notesText } from './notes.js';
import type { FlowReport, Report, TeardownReport } from '../analysis/report.js';
import { explanationOf } from './explanations/string.js';
import type { Instant } from '../flow/connection.js';
import { flagList } from './flags.js';
import { nanosBetween } from './time.js';
import { rowInfo } from './info.js';
import { causeJson } from './causes.js';

const round9 = (x: number): number => Math.round(x * 1e9) / 1e9;

/** The verdict in the JSON form: the report's fields, the explanation in words (docs/contract.md, "teardown"). */
function teardownJson(t: TeardownReport, lang: Lang): Record<string, unknown> {
  return {
    class: t.class, detail: t.detail, closer: t.closer, resetBy: t.resetBy, trailingBytes: t.trailingBytes,
    stuckFor: t.stuckFor, evidence: t.evidence, explanation: explanationOf(t.explain, lang), causes: t.causes.map(causeJson),
  };
}

/** A flow in the JSON form of docs/contract.md, "JSON fields" (`packets` left out when rows were not kept). */
export function flowJson(f: FlowReport, origin: Instant, lang: Lang): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: f.id, client: f.client, server: f.server, handshake: f.handshake,
    firstPacket: f.firstPacket, lastPacket: f.lastPacket,
    startTime: round9(f.startTime), endTime: round9(f.endTime),
    bytes: f.bytes, history: f.history, teardown: teardownJson(f.teardown, lang), finalState: f.finalState,
  };
  if (f.rows) {
    out['packets'] = f.rows.map((r) => ({
      no: r.no, time: nanosBetween(origin, r.time) / 1e9, dir: r.fromClient ? 'c2s' : 's2c', flags: flagList(r.flags),
      seq: r.seq, ack: r.ack, len: r.len, win: r.win, info: rowInfo(r), client: r.client, server: r.server,
      note: notesText(r.notes, lang),
    }));
  }
  return out;
}

/** A value's pretty JSON (JSON.stringify's, two spaces) as it reads nested `depth` spaces deep. */
const pretty = (value: unknown, depth: string): string => JSON.stringify(value, null, 2).replaceAll('\n', '\n' + depth);

/**
 * The json document (docs/contract.md, "JSON fields"), `{ capture, flows, summary, errors }`, laid
 * out as JSON.stringify(document, null, 2) lays it out, from each flow's compact JSON line (the
 * ndjson writer's, json-columns.ts): written a flow at a time, so the flows are never all objects
 * at once. `write` is called with consecutive pieces.
 */
export function writeJsonDocument(
  write: (text: string) => void,
  capture: unknown,
  flowLines: Iterable<string>,
  rest: Pick<Report, 'summary' | 'errors'>,
): void {
  write(`{\n  "capture": ${pretty(capture, '  ')},\n  "flows": [`);
  let first = true;
  for (const line of flowLines) {
    write(first ? '\n    ' : ',\n    ');
    writeFlow(write, JSON.parse(line) as Record<string, unknown>);
    first = false;
  }
  write(`${first ? ']' : '\n  ]'},\n  "summary": ${pretty(rest.summary, '  ')},\n  "errors": ${pretty(rest.errors, '  ')}\n}\n`);
}

/**
 * One flow of the document, as `pretty(flow, '    ')` would write it, but its packets (the last
 * key, when rows were kept) a packet at a time: one connection's rows as one pretty string reached
 * 1.3 GB of peak memory at 262,144 rows, and a few times as many exceed V8's longest string.
 */
function writeFlow(write: (text: string) => void, flow: Record<string, unknown>): void {
  const packets = flow['packets'];
  if (!Array.isArray(packets) || packets.length === 0) {
    write(pretty(flow, '    '));
    return;
  }
  const { packets: _, ...rest } = flow;
  const head = pretty(rest, '    ');
  // The object without its packets ends "\n    }"; the packets go before that.
  write(`${head.slice(0, head.length - 6)},\n      "packets": [`);
  for (let i = 0; i < packets.length; i++) write(`${i === 0 ? '' : ','}\n        ${pretty(packets[i], '        ')}`);
  write('\n      ]\n    }');
}

/** The library's whole report as the json document: { capture, flows, summary, errors }. */
export function reportJson(r: Report, origin: Instant, lang: Lang): string {
  const parts: string[] = [];
  writeJsonDocument((text) => parts.push(text), r.capture, r.flows.map((f) => JSON.stringify(flowJson(f, origin, lang))), r);
  return parts.join('');
}
