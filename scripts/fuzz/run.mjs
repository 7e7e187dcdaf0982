// @ts-check
/**
 * One fuzz input through the whole pipeline, in-process: CaptureParser fed the input's chunks,
 * decode() of every record, the Analyzer (packets kept), finish(), the JSON rendering and, when the
 * library object carries them (render/text), the text tables.
 * A failure is an exception other than UnreadableCaptureError, a run longer than the time limit,
 * memory growth driven by the input, a carry-over buffer larger than the bytes received justify,
 * or a broken invariant (record or segment fields out of range, a state or class outside docs/contract.md, "Endpoint states" and "Classes").
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { generateInput } from './mutate.mjs';
import { textOracle } from './text-oracle.mjs';

/**
 * The library as dist/index.js (the fuzz script) or src/index.ts (the CI test) exports it.
 * @typedef {{
 *   CaptureParser: new (name: string) => { push(chunk: Uint8Array, onRecord: (r: any) => void): void, end(): any, readonly info: any },
 *   decode: (r: any) => any,
 *   Analyzer: new (name: string, opts: { packets: boolean, lang: 'en' | 'zh', keepFlows?: boolean, onFlow?: (f: any) => void, onEnded?: (f: any) => void, onFlowSlot?: (c: any, v: any) => void }) => { onRecord(r: any): void, finish(info: any, damage: any): any, readonly firstTime: any },
 *   UnreadableCaptureError: new (message: string) => Error,
 *   TCP_STATES: readonly string[],
 *   TEARDOWN_CLASSES: readonly string[],
 *   reportJson: (report: any, origin: any, lang: 'en' | 'zh') => string,
 *   flowText?: (flow: any, o: any) => string, summaryText?: (flows: any[], report: any) => string,
 *   unplacedLines?: (list: any, o: any) => string[],
 *   flowJson?: (flow: any, origin: any, lang: 'en' | 'zh') => unknown,
 *   ByteLines?: new () => { take(): Buffer },
 *   writeFlowJson?: (out: any, c: any, v: any, lang: 'en' | 'zh', first: any) => void,
 *   writeFlowBlock?: (out: any, c: any, v: any, lang: 'en' | 'zh', color: boolean) => void,
 * }} Lib
 * @typedef {{ kind: 'exception' | 'slow' | 'memory' | 'carry' | 'invariant', message: string, stack?: string }} Failure
 * @typedef {{ timeLimitMs: number, checkMemory: boolean }} RunOptions
 * @typedef {{ failure: Failure | undefined, ms: number, unreadable: boolean, records: number }} RunResult
 */

/**
 * The built renderers beyond the library's JSON: the text tables, and the column writers the CLI
 * prints large captures with (checked against the FlowReport renderers in checkColumnWriters).
 * @param {string} root
 */
export async function textRenderers(root) {
  const load = (/** @type {string} */ name) => import(pathToFileURL(join(root, 'dist', 'render', name)).href);
  const text = await load('text.js');
  // The oracle of the byte writer, built from dist/'s string helpers (the unit tests bind it to src/).
  const { flowText } = textOracle({ ...text, ...(await load('color.js')), ...(await load('explanations/string.js')), ...(await load('causes.js')),
    ...(await load('via.js')), ...(await load('labels.js')), ...(await load('names.js')) });
  return {
    ...text, flowText, ...(await load('summary-table.js')), ...(await load('byte-lines.js')), ...(await load('json-columns.js')), ...(await load('text-columns.js')),
    ...(await load('zeek.js')), ...(await load('csv.js')),
  };
}

/** Memory an input may add beyond its own size before it counts as allocation driven by untrusted lengths. */
export const MEMORY_SLACK = 64 * 1024 * 1024;
const MAX_CAPLEN = 16 * 1024 * 1024;
const TIME_MODES = /** @type {const} */ (['relative', 'absolute', 'delta']);

/** @param {Lib} lib @param {{ bytes: Uint8Array, chunks: readonly number[] }} input @param {RunOptions} opts @returns {RunResult} */
export function runInput(lib, input, opts) {
  const before = opts.checkMemory ? process.memoryUsage() : undefined;
  const start = performance.now();
  let records = 0;
  let unreadable = false;
  /** @type {Failure | undefined} */
  let failure;
  const parser = new lib.CaptureParser('fuzz');
  // The callbacks of ndjson (onFlow) and live capture (onEnded) too: they report flows mid-stream.
  let streamed = 0;
  const analyzer = new lib.Analyzer('fuzz', { packets: true, onFlow: () => void streamed++, onEnded: () => void streamed++ });
  /** @type {any} */
  let report;
  try {
    let received = 0;
    let prevNo = 0;
    const onRecord = (/** @type {any} */ r) => {
      records++;
      failure ??= checkRecord(r, prevNo, received);
      prevNo = r.no;
      failure ??= checkDecoded(lib.decode(r));
      analyzer.onRecord(r);
    };
    let at = 0;
    for (const size of input.chunks) {
      const chunk = input.bytes.subarray(at, at + size);
      at += size;
      received += chunk.length;
      parser.push(chunk, onRecord);
      failure ??= checkCarry(parser, received);
    }
    const damage = parser.end();
    report = analyzer.finish(parser.info, damage);
    failure ??= checkReport(lib, report, records);
    const origin = analyzer.firstTime ?? { sec: 0, nsec: 0 };
    lib.reportJson(report, origin, 'en');
    if (lib.flowText !== undefined && lib.summaryText !== undefined) {
      // The text table too, in one of the time modes and with or without colour, as the CLI prints it.
      const n = input.bytes.length;
      const text = { color: n % 2 === 0, lang: /** @type {const} */ ('en'), time: TIME_MODES[n % 3] ?? 'relative', origin, digits: analyzer.digits };
      for (const f of report.flows) lib.flowText(f, text);
      if (report.unplaced !== undefined) lib.unplacedLines?.(report.unplaced, text);
      lib.summaryText(report.flows, report);
    }
    failure ??= checkColumnWriters(lib, input);
  } catch (err) {
    if (err instanceof lib.UnreadableCaptureError) unreadable = true;
    else failure = exceptionFailure(err);
  }
  const ms = performance.now() - start;
  if (failure === undefined && ms > opts.timeLimitMs) {
    failure = { kind: 'slow', message: `took ${ms.toFixed(0)} ms, more than ${opts.timeLimitMs} ms` };
  }
  if (failure === undefined && before !== undefined) {
    const after = process.memoryUsage();
    const limit = MEMORY_SLACK + input.bytes.length;
    const arrayBuffers = after.arrayBuffers - before.arrayBuffers;
    const rss = after.rss - before.rss;
    if (arrayBuffers > limit || rss > limit) {
      failure = { kind: 'memory', message: `memory grew by ${mib(arrayBuffers)} MiB of array buffers, ${mib(rss)} MiB rss for a ${input.bytes.length}-byte input` };
    }
  }
  keepAlive(parser, analyzer, report, streamed);
  return { failure, ms, unreadable, records };
}

/**
 * The writers that print large captures from the store's columns (ndjson, and the text blocks
 * without rows) against the FlowReport renderers they stand in for, on the same input: any
 * difference is a failure. Only when the library object carries them (the CLI's renderers).
 * @param {Lib} lib @param {{ bytes: Uint8Array, chunks: readonly number[] }} input @returns {Failure | undefined}
 */
function checkColumnWriters(lib, input) {
  const { flowJson, flowText, ByteLines, writeFlowJson, writeFlowBlock } = lib;
  if (!flowJson || !flowText || !ByteLines || !writeFlowJson || !writeFlowBlock) return undefined;
  const lang = input.bytes.length % 2 === 0 ? 'en' : 'zh';
  /** The column writers' line and block of each connection, by id (they come in release order). */
  /** @type {Map<number, string>} */
  const linesById = new Map();
  /** @type {Map<number, string>} */
  const blocksById = new Map();
  /** The records writers' rows (zeek TSV, zeek JSON, csv) of each connection, by id. */
  /** @type {Map<number, string[]>} */
  const recordsById = new Map();
  const lines = new ByteLines();
  const blocks = new ByteLines();
  const records = new ByteLines();
  const tsv = lib.ZeekLog ? new lib.ZeekLog(false) : undefined;
  const zeekJson = lib.ZeekLog ? new lib.ZeekLog(true) : undefined;
  const csv = lib.CsvTable ? new lib.CsvTable() : undefined;
  tsv?.head(new ByteLines(), undefined);
  csv?.head(new ByteLines());
  /** @type {any} */
  const byReport = new lib.Analyzer('fuzz', { packets: false });
  /** @type {any} */
  const bySlot = new lib.Analyzer('fuzz', { packets: false, keepFlows: false, onFlow: (/** @type {any} */ c, /** @type {any} */ v) => {
    writeFlowJson(lines, c, v, lang, bySlot.firstTime);
    writeFlowBlock(blocks, c, v, lang, false);
    linesById.set(c.id, lines.take().toString('utf8'));
    blocksById.set(c.id, blocks.take().toString('utf8'));
    if (tsv && zeekJson && csv) {
      const rows = [];
      tsv.add(records, c, v, bySlot.firstTime);
      rows.push(records.take().toString('utf8'));
      zeekJson.add(records, c, v, bySlot.firstTime);
      rows.push(records.take().toString('utf8'));
      csv.add(records, c, v, lang, bySlot.firstTime, bySlot.digits);
      rows.push(records.take().toString('utf8'));
      recordsById.set(c.id, rows);
    }
  } });
  const parser = new lib.CaptureParser('fuzz');
  let at = 0;
  for (const size of input.chunks) {
    parser.push(input.bytes.subarray(at, at + size), (/** @type {any} */ r) => {
      byReport.onRecord(r);
      bySlot.onRecord(r);
    });
    at += size;
  }
  const damage = parser.end();
  const report = byReport.finish(parser.info, damage);
  bySlot.finish(parser.info, damage);
  const origin = byReport.firstTime ?? { sec: 0, nsec: 0 };
  let fromReports = '';
  let blocksFromReports = '';
  let json = '';
  let text = '';
  for (const f of report.flows) {
    fromReports += JSON.stringify(flowJson(f, origin, lang)) + '\n';
    blocksFromReports += flowText(f, { color: false, lang, time: 'relative', origin, digits: 6 }) + '\n';
    json += linesById.get(f.id) ?? '';
    text += blocksById.get(f.id) ?? '';
  }
  const differ = (/** @type {string} */ a, /** @type {string} */ b) => {
    const x = a.split('\n');
    const y = b.split('\n');
    const i = x.findIndex((line, k) => line !== y[k]);
    return `line ${i + 1}: ${JSON.stringify(x[i] ?? null)} against ${JSON.stringify(y[i] ?? null)}`;
  };
  if (json !== fromReports) return { kind: 'invariant', message: `ndjson from the columns differs from flowJson (${lang}), ${differ(json, fromReports)}` };
  for (const f of report.flows) {
    const rows = recordsById.get(f.id);
    const wrong = rows && recordsDiffer(rows, JSON.parse(linesById.get(f.id) ?? 'null'), lib.CSV_COLUMNS);
    if (wrong) return { kind: 'invariant', message: `connection ${f.id}'s records (${lang}): ${wrong}` };
  }
  if (text !== blocksFromReports) return { kind: 'invariant', message: `text block from the columns differs from flowText (${lang}), ${differ(text, blocksFromReports)}` };
  return undefined;
}

/**
 * A connection's zeek TSV, zeek JSON and csv rows held to its ndjson line (the one JSON writer's):
 * what each names of it (uid, endpoints, bytes, history, class, detail, causes, closer; csv's id,
 * endpoints, class, explanation and causes), each row read back as its format reads (tabs, JSON,
 * RFC 4180 with its quotes). Undefined when they agree, else what differs.
 * @param {string[]} rows @param {any} flow @param {readonly string[]} columns @returns {string | undefined}
 */
function recordsDiffer(rows, flow, columns) {
  const [tsvRow = '', jsonRow = '', csvRow = ''] = rows;
  const t = flow.teardown;
  const causes = t.causes.map((/** @type {{ id: string }} */ c) => c.id);
  const cells = tsvRow.replace(/\n$/, '').split('\t');
  const tsvWant = [`C${flow.id}`, flow.client.ip, String(flow.client.port), flow.server.ip, String(flow.server.port), 'tcp'];
  if (cells.length !== 25 || tsvWant.some((x, i) => cells[i + 1] !== x)) return `TSV ${JSON.stringify(tsvRow)}`;
  if (cells[9] !== String(flow.bytes.client) || cells[10] !== String(flow.bytes.server) || cells[15] !== flow.history) return `TSV ${JSON.stringify(tsvRow)}`;
  if (cells[21] !== t.class || cells[22] !== (t.detail ?? '-') || cells[23] !== (causes.join(',') || '(empty)') || cells[24] !== (t.closer ?? '-')) return `TSV ${JSON.stringify(tsvRow)}`;
  /** @type {any} */
  let z;
  try {
    z = JSON.parse(jsonRow);
  } catch {
    return `zeek JSON not JSON: ${JSON.stringify(jsonRow)}`;
  }
  if (z.uid !== `C${flow.id}` || z['id.orig_h'] !== flow.client.ip || z['id.resp_p'] !== flow.server.port || z.history !== flow.history || z.class !== t.class
    || z.detail !== (t.detail ?? undefined) || z.closer !== (t.closer ?? undefined) || JSON.stringify(z.causes) !== JSON.stringify(causes) || z.ts !== Number(cells[0]) || z.duration !== Number(cells[8])) {
    return `zeek JSON ${JSON.stringify(jsonRow)} against TSV ${JSON.stringify(tsvRow)}`;
  }
  const fields = csvFields(csvRow);
  const at = (/** @type {string} */ name) => fields?.[columns.indexOf(name)];
  if (!fields || fields.length !== columns.length || at('id') !== String(flow.id) || at('client.ip') !== flow.client.ip || at('server.port') !== String(flow.server.port)
    || at('teardown.class') !== t.class || at('teardown.explanation') !== t.explanation || at('teardown.causes') !== causes.join(' ') || at('history') !== flow.history) {
    return `csv ${JSON.stringify(csvRow)}`;
  }
  return undefined;
}

/** One RFC 4180 row (CRLF-ended) read into its fields, or undefined when it is not one. @param {string} row @returns {string[] | undefined} */
function csvFields(row) {
  if (!row.endsWith('\r\n')) return undefined;
  const text = row.slice(0, -2);
  const fields = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      for (i++; ; i++) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          i++;
        }
        field += text[i];
      }
      i++;
    } else {
      const end = text.indexOf(',', i);
      field = text.slice(i, end < 0 ? text.length : end);
      if (/["\r\n]/.test(field)) return undefined;
      i = end < 0 ? text.length : end;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    if (text[i] !== ',') return undefined;
    i++;
  }
}

/** @type {unknown[]} */
let kept = [];
/** Holds the pipeline's objects until memory was measured (so that what they hold is counted). @param {...unknown} xs */
function keepAlive(...xs) {
  kept = xs;
}

/** @param {number} n */
const mib = (n) => (n / 1048576).toFixed(1);

/**
 * The parser's carry-over buffer holds a unit split across chunks: it may grow with the bytes
 * received, never with a length field's promise. (It is private to CaptureParser; read at run time.)
 * @param {any} parser @param {number} received @returns {Failure | undefined}
 */
function checkCarry(parser, received) {
  const capacity = parser.carry?.u8?.length;
  if (typeof capacity !== 'number') return undefined;
  const limit = Math.max(64, 2 * received);
  return capacity > limit
    ? { kind: 'carry', message: `carry-over buffer of ${capacity} bytes after ${received} bytes received (limit ${limit})` }
    : undefined;
}

/** @param {any} r @param {number} prevNo @param {number} received @returns {Failure | undefined} */
function checkRecord(r, prevNo, received) {
  const bad = (/** @type {string} */ m) => ({ kind: /** @type {const} */ ('invariant'), message: `record ${r.no}: ${m}` });
  if (r.no !== prevNo + 1) return bad(`numbered ${r.no} after ${prevNo}`);
  if (r.data.length !== r.caplen) return bad(`caplen ${r.caplen} but ${r.data.length} data bytes`);
  if (r.caplen > MAX_CAPLEN) return bad(`caplen ${r.caplen} above 16 MiB`);
  if (!(r.offset >= 0 && r.offset < received)) return bad(`offset ${r.offset} outside the ${received} bytes received`);
  if (!Number.isInteger(r.tsNsec) || r.tsNsec < 0 || r.tsNsec >= 1e9) return bad(`tsNsec ${r.tsNsec}`);
  if (!Number.isFinite(r.tsSec)) return bad(`tsSec ${r.tsSec}`);
  return undefined;
}

const u32 = (/** @type {unknown} */ x) => Number.isInteger(x) && /** @type {number} */ (x) >= 0 && /** @type {number} */ (x) <= 0xffffffff;
const u16 = (/** @type {unknown} */ x) => Number.isInteger(x) && /** @type {number} */ (x) >= 0 && /** @type {number} */ (x) <= 0xffff;

/** @param {any} d @returns {Failure | undefined} */
function checkDecoded(d) {
  if (d.kind === 'skipped') return undefined;
  if (d.kind !== 'tcp') return { kind: 'invariant', message: `decode returned kind ${String(d.kind)}` };
  const s = d.segment;
  const ok = u16(s.srcPort) && u16(s.dstPort) && u32(s.seq) && u32(s.ack) && u16(s.window) && s.flags >= 0 && s.flags <= 0xfff
    && Number.isInteger(s.payloadLen) && s.payloadLen >= 0 && s.payloadLen <= 0xffff && (s.ipVersion === 4 || s.ipVersion === 6);
  return ok ? undefined : { kind: 'invariant', message: `decoded segment out of range: ${JSON.stringify({ ...s, options: s.options.length })}` };
}

/** @param {Lib} lib @param {any} report @param {number} records @returns {Failure | undefined} */
function checkReport(lib, report, records) {
  const bad = (/** @type {string} */ m) => ({ kind: /** @type {const} */ ('invariant'), message: m });
  if (report.capture.packets !== records) return bad(`report counts ${report.capture.packets} packets, ${records} delivered`);
  let counted = 0;
  for (const n of Object.values(report.summary.byClass)) counted += Number(n);
  if (counted !== report.flows.length) return bad(`byClass counts ${counted} flows, the report has ${report.flows.length}`);
  for (const f of report.flows) {
    if (!lib.TEARDOWN_CLASSES.includes(f.teardown.class)) return bad(`flow ${f.id}: class ${f.teardown.class}`);
    if (!lib.TCP_STATES.includes(f.finalState.client) || !lib.TCP_STATES.includes(f.finalState.server)) {
      return bad(`flow ${f.id}: final states ${f.finalState.client}/${f.finalState.server}`);
    }
    for (const row of f.rows ?? []) {
      if (!lib.TCP_STATES.includes(row.client) || !lib.TCP_STATES.includes(row.server)) return bad(`flow ${f.id} #${row.no}: states ${row.client}/${row.server}`);
    }
  }
  return undefined;
}

/** @param {unknown} err @returns {Failure} */
function exceptionFailure(err) {
  if (err instanceof Error) return { kind: 'exception', message: `${err.name}: ${err.message}`, ...(err.stack === undefined ? {} : { stack: err.stack }) };
  return { kind: 'exception', message: `thrown non-error: ${String(err)}` };
}

/**
 * What makes two failures the same bug: the kind, the message with numbers taken out, and the
 * innermost stack frame in the library.
 * @param {Failure} f
 */
export function signature(f) {
  const frame = (f.stack ?? '').split('\n').slice(1).find((l) => /(dist|src)[\\/]/.test(l)) ?? '';
  const where = frame.replace(/^.*[\\/](dist|src)[\\/]/, '').replace(/[):]+\s*$/, '');
  return `${f.kind}: ${f.message.replace(/\d+/g, 'N').slice(0, 120)}${where ? ` @ ${where}` : ''}`;
}

/**
 * Runs inputs `from`, `from + step`, ... below `to` of the run seeded `seed`; calls onFailure for each
 * failing input. `current` (optional) is told the index being run, for a watchdog in another thread.
 * @param {{ lib: Lib, corpus: readonly import('./mutate.mjs').Seed[], seed: number, from: number, to: number, step: number,
 *   opts: RunOptions, onFailure: (input: import('./mutate.mjs').FuzzInput, failure: Failure) => void,
 *   current?: Int32Array }} o
 * @returns {{ inputs: number, unreadable: number, failures: number }}
 */
export function fuzzRange(o) {
  let inputs = 0;
  let unreadable = 0;
  let failures = 0;
  for (let i = o.from; i < o.to; i += o.step) {
    if (o.current !== undefined) Atomics.store(o.current, 0, i);
    const input = generateInput(o.corpus, o.seed, i);
    const r = runInput(o.lib, input, o.opts);
    inputs++;
    if (o.current !== undefined) Atomics.add(o.current, 1, 1);
    if (r.unreadable) unreadable++;
    if (r.failure !== undefined) {
      failures++;
      o.onFailure(input, r.failure);
    }
  }
  return { inputs, unreadable, failures };
}
