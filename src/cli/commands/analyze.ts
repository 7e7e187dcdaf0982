import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { CaptureDamage } from '../../capture/record.js';
import { UnreadableCaptureError } from '../../capture/record.js';
import { STDIN_NAME, captureChunks, readCaptureStream } from '../../capture/read.js';
import type { OnRecord, ReadResult } from '../../capture/read.js';
import { readMerged } from '../../capture/merge.js';
import { asInput } from '../inputs.js';
import type { CaptureInput } from '../inputs.js';
import { Analyzer } from '../../analysis/analyze.js';
import type { Report } from '../../analysis/report.js';
import { useColor } from '../../render/color.js';
import type { Verdict } from '../../analysis/teardown.js';
import type { ConnectionView } from '../../flow/view.js';
import type { Instant } from '../../flow/connection.js';
import { ByteLines, WRITE_BYTES } from '../../render/byte-lines.js';
import { JsonDocument, writeFlowJson } from '../../render/json-columns.js';
import { ZeekLog } from '../../render/zeek.js';
import { joinShards, writeReleasePoint } from '../../render/shard-lines.js';
import { CsvTable } from '../../render/csv.js';
import type { TextOptions } from '../../render/text.js';
import { CliError, EXIT, INTERRUPTED } from '../exit.js';
import { unreadableWords } from '../messages.js';
import { interruptedBy, onInterrupt } from '../interrupt.js';
import type { ExitCode } from '../exit.js';
import type { ViewOptions } from '../options.js';
import { BatchedOutput } from '../output.js';
import { Progress } from '../progress.js';
import { terminalSafe } from '../terminal-text.js';
import { picked, pickedPacket, selected, selecting, selectionProblems } from '../view.js';
import { unplacedJson } from '../../render/unplaced.js';
import { Tally } from '../../analysis/tally.js';
import { Jobs } from '../jobs.js';
import type { JobSink } from '../jobs.js';
import { DIAGNOSTIC_WORDS } from '../../render/diagnostic-words.js';
import type { Lang } from '../../render/notes.js';

/**
 * A capture through a capture filter (capture/filter.ts, which runs tcpdump): that module and
 * node:child_process are loaded only when a filter is given (start-up, docs/performance.md).
 */
async function* filtered(path: string, filter: readonly string[]): AsyncGenerator<Uint8Array> {
  const { filteredChunks } = await import('../../capture/filter.js');
  yield* filteredChunks(path, filter, () => captureChunks(path));
}

/**
 * Packet rows by default only for a capture smaller than this: a larger one prints verdicts and the
 * summary (`--packets` forces rows, `--flow N` brings them back for the connections it picks).
 */
export const SMALL_CAPTURE_BYTES = 10 * 1024 * 1024;

/**
 * Packet rows kept at most, in all (docs/contract.md, "Packet rows"): 256 MB of them, at about
 * 1 KB a row (the row and its share of the report drawn from it; measured on one 150,000-packet
 * connection: 1.3 KB a row at the ndjson run's peak, 2.5 KB for the text table). Without a bound,
 * a million packets from standard input took 2.6 GB, and three million ended in `Invalid string
 * length`. No capture file under 10 MB (the rows' default) comes near it.
 */
export const ROW_BUDGET = (256 * 1024 * 1024) / 1024;

/** The line that says the budget was reached: on stdout after a text report, on stderr after JSON. */
export function rowsCutLine(kept: number, lang: Lang = 'en', budget = ROW_BUDGET): string {
  return `teardown: ${DIAGNOSTIC_WORDS[lang].rowsCut(kept, Math.round(budget / 1024))}\n`;
}

/**
 * The store's room reserved for a capture file: a connection for every KB, at most a million
 * (about 330 MB of address space, used only as connections open). A capture of short connections
 * comes close (the benchmark: one for every 1.9 KB); one of long transfers has far fewer.
 */
const RESERVE_BYTES_PER_CONNECTION = 1024;
const RESERVE_MAX = 1 << 20;

/**
 * How long a pipe or standard input is read on after Ctrl-C, unless it ends first: the writer got
 * the same signal (the terminal sends it to the whole pipeline) and flushes its last packets as it
 * exits (`tcpdump -U -w - | teardown analyze -`). A file stops at once.
 */
const INPUT_GRACE_MS = 500;

/**
 * Reads a capture (or several as one, filtered or not) through an analyzer. Unreadable input
 * becomes a CliError (exit 2). The first Ctrl-C (SIGTERM, SIGHUP) ends the input
 * (docs/contract.md, "Interrupted input"); `interruptedBy` then says so, and `exitStatus` turns it
 * into the run's status. `-c N` ends it after N packets. `given`: one capture's bytes from elsewhere
 * than its path (annotate keeps standard input as it reads it).
 */
export async function analyzeFile(capture: string | CaptureInput, analyzer: Analyzer, progress?: Progress, given?: AsyncIterable<Uint8Array>): Promise<Report> {
  const result = await readInput(capture, analyzer.onRecord.bind(analyzer), progress, given, (bytes) => analyzer.reserve(bytes));
  return analyzer.finish(result.info, result.damage);
}

/**
 * Reads a capture (or several as one, filtered or not) record by record, as analyzeFile does:
 * Ctrl-C, `-c N`, progress and unreadable input alike. `reserve` is told the input's size in
 * connections, when it is known (RESERVE_BYTES_PER_CONNECTION).
 */
export async function readInput(
  capture: string | CaptureInput, onRecord: OnRecord, progress?: Progress, given?: AsyncIterable<Uint8Array>, reserve?: (connections: number) => void,
): Promise<ReadResult> {
  const input = asInput(capture);
  const bytes = inputBytes(input);
  const stop = new AbortController();
  const release = onInterrupt(() => {
    if (bytes !== undefined) stop.abort();
    else setTimeout(() => stop.abort(), INPUT_GRACE_MS).unref();
  });
  try {
    if (bytes !== undefined) reserve?.(Math.min(bytes / RESERVE_BYTES_PER_CONNECTION, RESERVE_MAX));
    if (progress) {
      const analyse = onRecord;
      let n = 0;
      onRecord = (r) => {
        analyse(r);
        if ((++n & 0x3fff) === 0) progress.update(r.offset, n);
      };
    }
    const count = input.count;
    if (count !== undefined) {
      const analyse = onRecord;
      let n = 0;
      onRecord = (r) => {
        if (n >= count) return;
        analyse(r);
        if (++n === count) stop.abort();
      };
    }
    const chunks = (path: string) => (): AsyncIterable<Uint8Array> =>
      input.filter.length ? filtered(path, input.filter) : captureChunks(path);
    const [only] = input.paths;
    const result = input.paths.length === 1 && only !== undefined
      ? await readCaptureStream(given ?? chunks(only)(), only === '-' ? STDIN_NAME : only, onRecord, stop.signal)
      : await readMerged(input.paths.map((p) => ({ name: p, chunks: chunks(p), unfiltered: () => captureChunks(p) })), onRecord, stop.signal);
    progress?.done();
    return result;
  } catch (err) {
    progress?.done();
    if (err instanceof UnreadableCaptureError) throw new CliError(unreadableWords(err), EXIT.usage);
    throw err;
  } finally {
    release();
  }
}

/**
 * The status of a run that read `report`: interrupted (docs/contract.md, "Exit codes"; a line on
 * `err` says the report stops where the input was cut), damaged, or done.
 */
export function exitStatus(report: Report, err: NodeJS.WritableStream, lang: Lang = 'en'): ExitCode {
  const signal = interruptedBy();
  if (signal !== undefined) {
    err.write(`teardown: ${DIAGNOSTIC_WORDS[lang].interrupted(signal, report.capture.packets)}\n`);
    return INTERRUPTED[signal];
  }
  return report.errors.length ? EXIT.damaged : EXIT.ok;
}

/** A damaged capture's line; the reader's message stays as it is. */
export function damageLine(d: CaptureDamage, lang: Lang = 'en'): string {
  return DIAGNOSTIC_WORDS[lang].damaged(d.file, d.offset, d.packet, d.message);
}

/** The bytes of the captures to read, when all are regular files (several: their total), else undefined. */
export function inputBytes(input: CaptureInput): number | undefined {
  let total = 0;
  for (const path of input.paths) {
    const size = fileSize(path);
    if (size === undefined) return undefined;
    total += size;
  }
  return total;
}

/** The size of a regular file, else undefined (standard input, a pipe, a missing file: reported later). */
export function fileSize(path: string): number | undefined {
  if (path === '-') return undefined;
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** The width text is fitted into: a terminal's (docs/contract.md, "Terminal width"); a file or a pipe gets every column. */
export function terminalWidth(out: NodeJS.WritableStream): number | undefined {
  const tty = out as NodeJS.WriteStream;
  return tty.isTTY && tty.columns > 0 ? tty.columns : undefined;
}

/** The rule for packet rows (docs/contract.md, "Packet rows"): small captures, --packets, or the connections --flow picks. */
export function rowsWanted(o: ViewOptions, size: number | undefined): boolean {
  if (isRecordFormat(o.format)) return false; // a record has no packet rows: keeping them would only cost time
  if (o.ladder) return true; // the ladder is drawn from the rows, like --packets
  if (!o.packets) return false;
  if (o.packetsForced || (o.flow?.length ?? 0) > 0) return true;
  return size === undefined || size < SMALL_CAPTURE_BYTES;
}

/**
 * How `analyze` writes its report, one path per format (docs/design.md, "Output paths"):
 * - `json`: each connection's compact line written as it ends (json-columns.ts) and kept, the
 *   document laid out from them at the end (json.ts, writeJsonDocument);
 * - `ndjson`: each connection's line written from the store as it ends (json-columns.ts), its
 *   packet rows with it when they were kept;
 * - `records`: zeek, zeek-json and csv, each connection's record written from the store as it
 *   ends (zeek.ts, csv.ts), no packet rows;
 * - `text-streamed`: without packet rows, each connection's block written from the store as it
 *   ends, in id order (analyze-text.ts, StreamedText), the summary table at the end;
 * - `text-rows`: with packet rows (or --ladder), the reports kept and written at the end (the Time
 *   column's decimals are known only then: Analyzer.digits).
 */
/** The forms that write one record a connection and no packet rows: Zeek's conn.log (TSV or JSON lines) and csv. */
const isRecordFormat = (format: ViewOptions['format']): boolean => format === 'zeek' || format === 'zeek-json' || format === 'csv';

export type OutputPath = 'json' | 'ndjson' | 'records' | 'text-streamed' | 'text-rows';

export function outputPath(format: ViewOptions['format'], rows: boolean): OutputPath {
  if (format === 'json' || format === 'ndjson') return format;
  if (isRecordFormat(format)) return 'records';
  return rows ? 'text-rows' : 'text-streamed';
}

/** `teardown analyze <capture>` (docs/contract.md, "Commands"). Returns the exit status. */
export async function runAnalyze(
  capture: string | CaptureInput, o: ViewOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, rowBudget = ROW_BUDGET,
): Promise<ExitCode> {
  const input = asInput(capture);
  const path = input.paths[0] ?? '-';
  const name = path === '-' ? 'stdin' : path;
  const size = inputBytes(input);
  const rows = rowsWanted(o, size);
  const route = outputPath(o.format, rows);
  const shards = jobsFor(o, input, rows, route, size);
  if (shards > 1) return runJobs(input, o, out, err, shards, size);
  const origin = () => analyzer.firstTime ?? { sec: 0, nsec: 0 };
  const batched = new BatchedOutput(out);
  // Loaded for text output only: its renderers bring in the text tables and string-width (analyze-text.ts).
  const text = route === 'text-streamed' || route === 'text-rows' ? await import('../analyze-text.js') : undefined;
  let color: boolean | undefined;
  const colorOn = (): boolean => (color ??= useColor(o.color, Boolean((out as NodeJS.WriteStream).isTTY), process.env));
  const width = o.wide ? undefined : terminalWidth(out);
  const streamText = text !== undefined && route === 'text-streamed' ? new text.StreamedText(batched, colorOn(), o.lang, width) : undefined;
  const rowsText = text !== undefined && route === 'text-rows' ? new text.RowsText(batched, colorOn(), o.lang) : undefined;
  const jsonLines = route === 'ndjson' || route === 'records' ? new ByteLines() : undefined;
  const zeek = o.format === 'zeek' || o.format === 'zeek-json' ? new ZeekLog(o.format === 'zeek-json') : undefined;
  const csv = o.format === 'csv' ? new CsvTable() : undefined;
  const document = route === 'json' ? new JsonDocument() : undefined;
  // A shard's ndjson says where each connection was released, for teardown merge (shard-lines.ts).
  const releasePoints = o.shard !== undefined && o.shard.of > 1 && o.format === 'ndjson';
  // The connections shown, counted for the heading under a selection (docs/contract.md, "Selection").
  const shownTally = new Tally();
  const onFlow = (c: ConnectionView, v: Verdict): void => {
    const shown = selected(c, v.class, o);
    if (shown) shownTally.add(v);
    if (streamText !== undefined) streamText.add(c, v, shown);
    if (rowsText !== undefined) rowsText.add(c, v, shown);
    if (shown) document?.add(c, v, o.lang, analyzer.firstTime);
    if (jsonLines === undefined || !shown) return;
    if (zeek !== undefined) zeek.add(jsonLines, c, v, analyzer.firstTime);
    else if (csv !== undefined) csv.add(jsonLines, c, v, o.lang, analyzer.firstTime, analyzer.digits);
    else {
      writeFlowJson(jsonLines, c, v, o.lang, analyzer.firstTime, analyzer.digits);
      if (releasePoints) writeReleasePoint(jsonLines, analyzer.releasedAt, analyzer.releasedBy);
    }
    if (jsonLines.length >= WRITE_BYTES) jsonLines.writeTo(batched.writeBytes);
  };
  const textOptions = (digits: 6 | 9): TextOptions => ({ color: colorOn(), lang: o.lang, time: o.time, origin: origin(), digits, width });
  const analyzer: Analyzer = new Analyzer(name, { packets: rows, rowsFor: (c) => picked(c, o), unplacedFor: (src, dst) => pickedPacket(src, dst, o), keepFlows: false, onFlow, rowBudget, tunnels: o.tunnels, ...(o.vxlanPorts ? { vxlanPorts: o.vxlanPorts } : {}), ...(o.shard ? { shard: o.shard } : {}) });
  // Progress counts the offsets of one file: not for several, nor through a filter.
  const oneFile = input.paths.length === 1 && input.filter.length === 0;
  const progress = oneFile && Progress.wanted(err, size) && size !== undefined ? new Progress(err as NodeJS.WriteStream, size, o.lang) : undefined;
  const report = await analyzeFile(input, analyzer, progress);
  const shown = shownTally.summary();
  const problems = selectionProblems(o, report.summary.flows, shown.flows, o.lang);
  // Nothing selected: nothing printed but the reason (exit 2).
  const nothing = shown.flows === 0 && problems.length > 0;
  const heading = selecting(o) ? { ...report, summary: shown, of: report.summary.flows } : report;
  if (nothing) {
    // no output
  } else if (document !== undefined) {
    document.write(batched, report.capture, report, unplacedOf(report, o.lang, analyzer.firstTime));
  } else if (zeek !== undefined || csv !== undefined) {
    // A log of no connection still has its header.
    zeek?.close(jsonLines as ByteLines, analyzer.firstTime, analyzer.lastTime);
    csv?.head(jsonLines as ByteLines);
    (jsonLines as ByteLines).writeTo(batched.writeBytes);
  } else if (jsonLines !== undefined) {
    jsonLines.writeTo(batched.writeBytes);
    batched.write(JSON.stringify({ capture: report.capture, summary: report.summary, errors: report.errors, ...unplacedOf(report, o.lang, analyzer.firstTime) }) + '\n');
  } else if (streamText) {
    streamText.finish(heading);
  } else if (rowsText) {
    await rowsText.finish(heading, textOptions(analyzer.digits), o.ladder === true);
  }
  const kept = report.capture.rowsKept;
  const cut = kept !== undefined && !nothing ? rowsCutLine(kept, o.lang) : undefined;
  const cutOnStderr = route === 'json' || route === 'ndjson' || route === 'records';
  if (cut !== undefined && !cutOnStderr) batched.write(cut);
  batched.flush();
  // After the whole document: on a terminal (or `2>&1`) the line follows it rather than landing inside it.
  if (cut !== undefined && cutOnStderr) err.write(cut);
  // The file's name is printed made safe for a terminal; the JSON `errors` keep it as it is.
  for (const d of report.errors) err.write(`teardown: ${terminalSafe(damageLine(d, o.lang))}\n`);
  if (problems.length) return selectionFailed(problems, report, err, o.lang);
  return exitStatus(report, err, o.lang);
}

/** The JSON forms' `unplaced` (and `unplacedMore`), or nothing when no packet is in no connection (docs/contract.md, "JSON fields"). */
function unplacedOf(report: Report, lang: Lang, origin: Instant | undefined): ReturnType<typeof unplacedJson> | undefined {
  return report.unplaced === undefined ? undefined : unplacedJson(report.unplaced, lang, origin);
}

/** A selection that picked nothing, or a connection the capture lacks: said on `err`, exit 2 (after an interrupted read, its status). */
export function selectionFailed(problems: string[], report: Report, err: NodeJS.WritableStream, lang: Lang = 'en'): ExitCode {
  for (const p of problems) err.write(`teardown: ${p}\n`);
  const status = exitStatus(report, err, lang);
  return status === EXIT.ok || status === EXIT.damaged ? EXIT.usage : status;
}

/** A capture file smaller than this is analysed on one thread unless --jobs says otherwise: starting the workers would cost more than they save. */
export const JOBS_MIN_BYTES = 32 * 1024 * 1024;

/**
 * The jobs a large capture file gets without --jobs: a worker for each core but the one the reading
 * thread keeps busy, and none on fewer than three cores, where the reading thread and two workers
 * took as long as one thread, in half again the CPU (docs/performance.md, "Jobs").
 */
export function defaultJobs(cores = availableParallelism()): number {
  return cores >= 3 ? cores - 1 : 1;
}

/**
 * How many worker threads `analyze` runs on (docs/design.md, "Jobs"): `--jobs`, or defaultJobs for
 * a capture file of JOBS_MIN_BYTES or more; but one for what the jobs do not write (text, packet
 * rows, whose budget is the whole capture's), for `--flow` (which picks by id, known only once
 * merged), and for input read any other way than one capture's bytes (several captures, a filter, `-c`).
 */
export function jobsFor(o: ViewOptions, input: CaptureInput, rows: boolean, route: OutputPath, size: number | undefined): number {
  const n = o.jobs ?? (size !== undefined && size >= JOBS_MIN_BYTES ? defaultJobs() : 1);
  if (n <= 1 || rows || (route !== 'ndjson' && route !== 'records' && route !== 'json')) return 1;
  if (input.paths.length !== 1 || input.filter.length > 0 || input.count !== undefined || (o.flow?.length ?? 0) > 0 || (o.shard?.of ?? 1) > 1) return 1;
  return n;
}

/** `analyze` on `shards` threads (jobs.ts): the same bytes as runAnalyze's on one, for ndjson, json, zeek, zeek-json and csv. */
async function runJobs(input: CaptureInput, o: ViewOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, shards: number, size: number | undefined): Promise<ExitCode> {
  const path = input.paths[0] ?? '-';
  const name = path === '-' ? STDIN_NAME : path;
  const batched = new BatchedOutput(out);
  const lines = new ByteLines();
  const zeek = o.format === 'zeek' || o.format === 'zeek-json' ? new ZeekLog(o.format === 'zeek-json') : undefined;
  const csv = o.format === 'csv' ? new CsvTable() : undefined;
  const document = o.format === 'json' ? new JsonDocument() : undefined;
  const line = new ByteLines();
  // Each connection's output as its job wrote it, with its global id in place of the job's own.
  const sink: JobSink = (bytes, start, end, idAt, idEnd, id) => {
    const into = document === undefined ? lines : line;
    zeek?.head(lines, jobs.first);
    csv?.head(lines);
    into.range(bytes, start, idAt);
    into.number(id);
    into.range(bytes, idEnd, end);
    if (document !== undefined) {
      document.keep(id, line.written());
      line.setLength(0);
    } else if (lines.length >= WRITE_BYTES) lines.writeTo(batched.writeBytes);
  };
  const reserve = size === undefined ? 0 : Math.ceil(Math.min(size / RESERVE_BYTES_PER_CONNECTION, RESERVE_MAX) / shards);
  const options = { format: o.format, lang: o.lang, tunnels: o.tunnels, vxlanPorts: o.vxlanPorts, port: o.port, host: o.host, class: o.class };
  const jobs = new Jobs(shards, { name, reserve, options }, sink);
  try {
    const progress = input.filter.length === 0 && Progress.wanted(err, size) && size !== undefined ? new Progress(err as NodeJS.WriteStream, size, o.lang) : undefined;
    const result = await readInput(input, jobs.add, progress, jobs.pieces(captureChunks(path)));
    const finals = await jobs.end(result.info, result.damage);
    // The workers have given all they had: their heaps and stores go before the json document is laid out.
    await jobs.close();
    const ends = finals.map((f) => f.end);
    const end = ends[0];
    if (end === undefined || ends.some((e) => e === undefined)) throw new Error('a job ended without its report');
    // Each job's report is its shard's, as `--shard` writes it: joined as teardown merge joins them.
    const whole = joinShards(ends as NonNullable<typeof end>[]);
    const report: Report = { capture: whole.capture, flows: [], summary: whole.summary, errors: whole.errors };
    const shownTally = new Tally();
    for (const e of ends) if (e !== undefined) shownTally.addSummary(e.shown);
    const shown = shownTally.summary();
    const problems = selectionProblems(o, report.summary.flows, shown.flows, o.lang);
    if (shown.flows === 0 && problems.length > 0) {
      // nothing selected: nothing printed but the reason
    } else if (document !== undefined) {
      document.write(batched, report.capture, report);
    } else if (zeek !== undefined || csv !== undefined) {
      zeek?.close(lines, jobs.first, end.last);
      csv?.head(lines);
      lines.writeTo(batched.writeBytes);
    } else {
      lines.writeTo(batched.writeBytes);
      batched.write(JSON.stringify({ capture: report.capture, summary: report.summary, errors: report.errors }) + '\n');
    }
    batched.flush();
    for (const d of report.errors) err.write(`teardown: ${terminalSafe(damageLine(d, o.lang))}\n`);
    if (problems.length) return selectionFailed(problems, report, err, o.lang);
    return exitStatus(report, err, o.lang);
  } finally {
    await jobs.close();
  }
}
