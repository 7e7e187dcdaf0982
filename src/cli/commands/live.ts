import { LiveCapture, LiveCaptureError } from '../../capture/live.js';
import type { LiveResult, LiveStats } from '../../capture/live.js';
import { Analyzer } from '../../analysis/analyze.js';
import { rowTone } from '../../render/notes.js';
import type { Instant, PacketRow } from '../../flow/connection.js';
import type { ConnectionView } from '../../flow/view.js';
import { bold, paint, useColor } from '../../render/color.js';
import { JsonDocument, writeFlowJson } from '../../render/json-columns.js';
import { ZeekLog } from '../../render/zeek.js';
import { CsvTable } from '../../render/csv.js';
import { ByteLines } from '../../render/byte-lines.js';
import { writeFlowBlock } from '../../render/text-columns.js';
import type { Verdict } from '../../analysis/teardown.js';
import { ColumnTable } from '../../render/table.js';
import { PACKET_COLUMNS, PACKET_FIT, packetCells, summaryLine } from '../../render/text.js';
import { LABELS } from '../../render/labels.js';
import { LIVE_WORDS } from '../../render/live-words.js';
import { sideName } from '../../render/names.js';
import type { Lang } from '../../render/notes.js';
import { SummaryTable } from '../../render/summary-table.js';
import { IdOrderSpill } from '../../render/id-order-spill.js';
import { Tally } from '../../analysis/tally.js';
import { TimeFormatter } from '../../render/time.js';
import { CliError, EXIT } from '../exit.js';
import { liveFailureWords, message } from '../messages.js';
import { onInterrupt } from '../interrupt.js';
import type { ExitCode } from '../exit.js';
import type { ViewOptions } from '../options.js';
import { picked, selected, selecting } from '../view.js';
import { BatchedOutput } from '../output.js';
import { ROW_BUDGET, damageLine, rowsCutLine, terminalWidth } from './analyze.js';
import { terminalSafe } from '../terminal-text.js';
import { heldSockets, kernelNote } from '../kernel-sockets.js';
import type { StuckConnection } from '../kernel-sockets.js';

export interface LiveCommandOptions {
  iface: string;
  filter: string[];
  write: string | undefined;
  duration: number | undefined;
  count: number | undefined;
  /** Wall-clock seconds in CLOSE_WAIT or FIN_WAIT_2 before a warning. */
  stuckAfter: number;
  /** Bytes kept of each packet; 0 = whole packets. */
  snaplen: number;
}

/**
 * Column widths for rows that stream: they cannot be measured first, so they are fixed, wide
 * enough for IPv4 and a data segment's Info; a longer cell pushes the rest of its row right.
 */
const liveColumns = (lang: ViewOptions['lang']): string[] => [LABELS[lang].conn, ...LABELS[lang].packetColumns];
// The note, last, is not padded: its width here is what fitting a terminal plans for it.
const LIVE_WIDTHS = [4, 6, 10, 15, 8, 15, 8, 8, 88, 12, 12, 30];

/** The time after which a stopped capture is not waited for (tcpdump ignoring SIGINT). */
const STOP_GRACE_MS = 5000;

/**
 * The longest --duration: a Node timer holds at most 2^31 - 1 ms (24.8 days); a longer delay fired
 * at once, so the capture stopped after a second with exit status 0.
 */
export const MAX_DURATION_S = Math.floor((2 ** 31 - 1) / 1000);

/** --duration and --count as given, or a usage error (exit 2): a capture that would stop at once is no capture. */
export function checkLimits(c: Pick<LiveCommandOptions, 'duration' | 'count'>): void {
  const d = c.duration;
  if (d !== undefined && !(Number.isFinite(d) && d > 0 && d <= MAX_DURATION_S)) {
    throw new CliError(message('durationRange', { max: MAX_DURATION_S, value: String(d) }), EXIT.usage);
  }
  const n = c.count;
  if (n !== undefined && !(Number.isInteger(n) && n > 0)) {
    throw new CliError(message('countNotWhole', { value: String(n) }), EXIT.usage);
  }
}

/** The largest --snaplen tcpdump takes (its MAXIMUM_SNAPLEN). */
export const MAX_SNAPLEN = 262144;

/** --stuck-after and --snaplen as given, or a usage error (exit 2). */
export function checkLiveOptions(c: Pick<LiveCommandOptions, 'stuckAfter' | 'snaplen'>): void {
  if (!(Number.isFinite(c.stuckAfter) && c.stuckAfter >= 0 && c.stuckAfter <= MAX_DURATION_S)) {
    throw new CliError(message('stuckAfterRange', { max: MAX_DURATION_S, value: String(c.stuckAfter) }), EXIT.usage);
  }
  if (!(Number.isInteger(c.snaplen) && c.snaplen >= 0 && c.snaplen <= MAX_SNAPLEN)) {
    throw new CliError(message('snaplenRange', { max: MAX_SNAPLEN, value: String(c.snaplen) }), EXIT.usage);
  }
}

/** Runs a live capture until --count, --duration, or SIGINT/SIGTERM/SIGHUP; returns its result. */
export async function captureUntilStopped(
  c: Pick<LiveCommandOptions, 'iface' | 'filter' | 'write' | 'duration' | 'count' | 'snaplen'>,
  onRecord: Parameters<typeof LiveCapture.start>[1],
  onListening: (capture: LiveCapture) => void,
): Promise<LiveResult> {
  checkLimits(c);
  let capture: LiveCapture;
  try {
    capture = await LiveCapture.start({
      iface: c.iface, filter: c.filter, snaplen: c.snaplen,
      ...(c.count !== undefined ? { count: c.count } : {}),
      ...(c.write !== undefined ? { writeFile: c.write } : {}),
    }, onRecord);
  } catch (err) {
    if (err instanceof LiveCaptureError) throw new CliError(liveFailureWords(err), EXIT.usage);
    throw err;
  }
  onListening(capture);
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    capture.stop();
    killTimer ??= setTimeout(() => process.exit(EXIT.usage), STOP_GRACE_MS).unref();
  };
  const timer = c.duration !== undefined ? setTimeout(stop, c.duration * 1000) : undefined;
  // Ctrl-C, SIGTERM, SIGHUP: docs/contract.md, "Interrupted input".
  const release = onInterrupt(stop);
  try {
    return await capture.done;
  } finally {
    if (timer) clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    release();
  }
}

/** The closing line: what the kernel handed tcpdump and what it dropped. */
export function statsLine(iface: string, filter: string[], s: LiveStats, lang: Lang = 'en'): string {
  const n = (x: number | null): string => (x === null ? '?' : String(x));
  return LIVE_WORDS[lang].stats(iface, filter.join(' '), n(s.received), n(s.dropped), n(s.captured));
}

const secondsSince = (t: Instant, nowMs: number): number => nowMs / 1000 - (t.sec + t.nsec / 1e9);

/** The kernel's word on each stuck connection's local sockets, '' where it has none (kernel-sockets.ts, kernelNote). */
export type SocketNotes = (stuck: readonly StuckConnection[]) => string[];

/** The kernel's own view: the sockets' states and the processes holding them, read from /proc at the moment of warning. */
const kernelNotes = (lang: Lang): SocketNotes => (stuck) => heldSockets(stuck).map((h) => kernelNote(h, lang));

/**
 * The stuck-close watch (docs/contract.md, "Commands", `live`): a connection that has sat in CLOSE_WAIT or FIN_WAIT_2 longer than
 * `after` seconds of wall-clock time gets one warning. Live timestamps are the kernel's wall clock,
 * so the time since the FIN's ACK is a wall-clock span. Each warning ends with what `notes` says
 * of the connection's sockets: the warnings of one check are looked up together.
 */
export function stuckWarnings(analyzer: Analyzer, after: number, warned: Set<number>, nowMs: number, notes: SocketNotes = () => [], lang: Lang = 'en'): string[] {
  const w = LIVE_WORDS[lang];
  // Every open connection is looked at each second through one borrowed view: a view each and a
  // sorted list of them all were tens of MB of garbage a second with 170,000 open (gen-long8m.pcap
  // read as a live capture peaked at 308 MB, 277 MB with one view). Only the warned are kept, then
  // put in id order.
  const found: Array<{ id: number; line: string; stuck: StuckConnection }> = [];
  analyzer.eachOpenConnection((c) => {
    if (warned.has(c.id) || c.ended) return;
    const cs = c.client.state;
    const ss = c.server.state;
    if (cs !== 'CLOSE_WAIT' && cs !== 'FIN_WAIT_2' && ss !== 'CLOSE_WAIT' && ss !== 'FIN_WAIT_2') return;
    const closer = c.client.finNo !== undefined ? c.client : c.server;
    const other = closer.peer;
    const since = closer.finAckTime ?? closer.finTime;
    if (since === undefined) return;
    const idle = secondsSince(since, nowMs);
    if (idle < after) return;
    warned.add(c.id);
    found.push({
      id: c.id,
      line: w.stuck(c.id, `${other.state} / ${closer.state}`, idle.toFixed(1), sideName(other.name, lang), sideName(closer.name, lang), String(closer.finNo ?? '?')),
      stuck: { client: c.client.endpoint(), server: c.server.endpoint(), waiting: other.name },
    });
  });
  found.sort((a, b) => a.id - b.id);
  const out = found.map((f) => f.line);
  const stuck = found.map((f) => f.stuck);
  if (out.length === 0) return out;
  const said = notes(stuck);
  return out.map((line, i) => (said[i] ? w.noted(line, said[i]) : line));
}

/** `teardown live -i IFACE [filter]`: docs/contract.md, "Commands"; docs/live-and-lab.md, "Live capture". Returns the exit status. */
export async function runLive(c: LiveCommandOptions, o: ViewOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<ExitCode> {
  checkLiveOptions(c);
  const words = LIVE_WORDS[o.lang];
  const color = useColor(o.color, Boolean((out as NodeJS.WriteStream).isTTY), process.env);
  const text = o.format === 'text';
  const origin = (): Instant => analyzer.firstTime ?? { sec: 0, nsec: 0 };
  const columns = liveColumns(o.lang);
  const table = new ColumnTable(columns);
  table.measure(LIVE_WIDTHS.map((w) => ' '.repeat(w)));
  const width = o.wide ? undefined : terminalWidth(out);
  if (width !== undefined) table.fit(width, PACKET_FIT, ['Conn', ...PACKET_COLUMNS]);
  let times: TimeFormatter | undefined;
  const announced = new Set<number>();
  
  const onRow = (conn: ConnectionView, r: PacketRow): void => {
    if (!picked(conn, o)) return;
    times ??= new TimeFormatter(o.time, origin(), analyzer.digits);
    const cells = [`#${conn.id}`, ...packetCells(r, conn.client, conn.server, times, o.lang)];
    out.write(paint(table.line(cells), rowTone(r.notes), color) + '\n');
  };
  /** A connection's verdict block (text) or line (ndjson), from the byte writers analyze streams with. */
  const lines = new ByteLines();
  const zeek = o.format === 'zeek' || o.format === 'zeek-json' ? new ZeekLog(o.format === 'zeek-json') : undefined;
  const csv = o.format === 'csv' ? new CsvTable() : undefined;
  const writeVerdict = (c: ConnectionView, v: Verdict): void => {
    if (text) writeFlowBlock(lines, c, v, o.lang, color, false);
    else if (o.format === 'ndjson') writeFlowJson(lines, c, v, o.lang, analyzer.firstTime, analyzer.digits);
    else if (zeek !== undefined) zeek.add(lines, c, v, analyzer.firstTime);
    else if (csv !== undefined) csv.add(lines, c, v, o.lang, analyzer.firstTime, analyzer.digits);
    // A copy of just the bytes written (take() would hand over the whole 128 KiB buffer and start another).
    if (lines.length > 0) out.write(Buffer.from(lines.written()));
    lines.setLength(0);
  };
  const document = o.format === 'json' ? new JsonDocument() : undefined;
  const onEnded = (c: ConnectionView, v: Verdict): void => {
    if (o.format === 'json' || !selected(c, v.class, o)) return;
    announced.add(c.id);
    writeVerdict(c, v);
  };
  let finishing = false;
  let lateHeading = false;
  // The text form's summary table, its rows in id order; the connections shown, counted for its heading.
  const summary = text ? new SummaryTable(undefined, o.lang) : undefined;
  const summaryRows = new IdOrderSpill((row) => summary?.keep(row));
  const shownTally = new Tally();
  /** Released flows that never ended on the wire (open, stuck) get their verdict now. */
  const onFlow = (c: ConnectionView, v: Verdict): void => {
    // A released connection is never watched again: its warning's mark would only grow the set.
    warned.delete(c.id);
    const shown = selected(c, v.class, o);
    if (shown) shownTally.add(v);
    if (summary !== undefined) summaryRows.add(c.id, shown ? summary.rowCopy(c, v) : null);
    if (document !== undefined) {
      if (shown) document.add(c, v, o.lang, analyzer.firstTime);
      return;
    }
    if (announced.delete(c.id) || !selected(c, v.class, o)) return;
    if (text && finishing && !lateHeading) out.write(`\n${LABELS[o.lang].notEnded}\n`);
    lateHeading ||= finishing;
    writeVerdict(c, v);
  };
  const analyzer: Analyzer = new Analyzer(`live:${c.iface}`, {
    // The text form streams rows as they come: the analyzer need not keep them.
    packets: text || zeek !== undefined || csv !== undefined ? false : o.packets,
    // JSON keeps every connection's rows until the end: bounded as analyze bounds them.
    rowBudget: ROW_BUDGET,
    // Each connection is written, or parked in a temporary file, as it is released: memory follows
    // the connections still open (docs/performance.md, "Memory for every format").
    keepFlows: false,
    tunnels: o.tunnels,
    ...(o.vxlanPorts ? { vxlanPorts: o.vxlanPorts } : {}),
    onEnded,
    onFlow,
    ...(text && o.packets ? { onRow } : {}),
  });

  /** Ids of the connections warned about (a connection object is a view, made afresh each time). */
  const warned = new Set<number>();
  let watch: NodeJS.Timeout | undefined;
  const result = await captureUntilStopped(c, (r) => analyzer.onRecord(r), () => {
    err.write(`teardown: ${words.listening(c.iface, c.filter.join(' '))}\n`);
    if (text && o.packets) out.write(bold(table.line(columns), color) + '\n');
    watch = setInterval(() => {
      for (const w of stuckWarnings(analyzer, c.stuckAfter, warned, Date.now(), kernelNotes(o.lang), o.lang)) {
        if (text) out.write(paint(w, 'trailing', color) + '\n');
        else err.write(`teardown: ${w}\n`);
      }
    }, 1000);
  }).finally(() => clearInterval(watch));

  finishing = true;
  // The capture went on until tcpdump stopped: what a stuck connection's stuckFor counts to.
  const info = result.info && { ...result.info, endTime: result.stoppedAt };
  const report = analyzer.finish(info, result.damage);
  summaryRows.close();
  const stats = statsLine(c.iface, c.filter, result.stats, o.lang);
  if (o.format === 'json') {
    const capture = { ...report.capture, interface: c.iface, filter: c.filter.join(' '), ...result.stats };
    const to = {
      write: (piece: string): void => void out.write(piece),
      // The stream may keep the bytes it is given: false, so that the document does not write into them again.
      writeBytes: (bytes: Uint8Array): boolean => {
        out.write(bytes);
        return false;
      },
    };
    document?.write(to, capture, report);
  } else if (o.format === 'ndjson') {
    const capture = { ...report.capture, interface: c.iface, filter: c.filter.join(' '), ...result.stats };
    out.write(JSON.stringify({ capture, summary: report.summary, errors: report.errors }) + '\n');
  } else if (zeek !== undefined || csv !== undefined) {
    zeek?.close(lines, analyzer.firstTime, analyzer.lastTime);
    csv?.head(lines);
    if (lines.length > 0) out.write(Buffer.from(lines.written()));
    lines.setLength(0);
  } else {
    const heading = selecting(o) ? { ...report, summary: shownTally.summary(), of: report.summary.flows } : report;
    out.write('\n' + summaryLine(heading, o.lang));
    const drawn = new ByteLines();
    // Written from one buffer, again and again once the stream is done with it, as analyze's
    // table is: a new buffer for every write left each one to the collector.
    const batched = new BatchedOutput(out);
    summary?.draw(drawn, (full) => full.writeTo(batched.writeBytes), width);
    summary?.close();
    out.write(drawn.take().toString('utf8'));
    out.write(stats + '\n');
  }
  if (!text) err.write(`teardown: ${stats}\n`);
  for (const m of result.messages) err.write(`teardown: tcpdump: ${terminalSafe(m)}\n`);
  for (const d of report.errors) err.write(`teardown: ${terminalSafe(damageLine(d, o.lang))}\n`);
  if (report.capture.rowsKept !== undefined) err.write(rowsCutLine(report.capture.rowsKept, o.lang));
  if (c.write !== undefined) err.write(`teardown: ${words.written(terminalSafe(c.write))}\n`);
  if (result.failure !== undefined) {
    err.write(`teardown: ${words.failed(terminalSafe(result.failure))}\n`);
    return EXIT.usage;
  }
  return report.errors.length ? EXIT.damaged : EXIT.ok;
}
