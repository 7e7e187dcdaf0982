import { statSync } from 'node:fs';
import type { CaptureDamage } from '../../capture/record.js';
import { UnreadableCaptureError } from '../../capture/record.js';
import { readCaptureFile } from '../../capture/read.js';
import { Analyzer } from '../../analysis/analyze.js';
import type { Report } from '../../analysis/report.js';
import { useColor } from '../../render/color.js';
import type { Verdict } from '../../analysis/teardown.js';
import type { ConnectionView } from '../../flow/view.js';
import { ByteLines, WRITE_BYTES } from '../../render/byte-lines.js';
import { JsonDocument, writeFlowJson } from '../../render/json-columns.js';
import type { TextOptions } from '../../render/text.js';
import { CliError, EXIT } from '../exit.js';
import type { ExitCode } from '../exit.js';
import type { ViewOptions } from '../options.js';
import { BatchedOutput } from '../output.js';
import { Progress } from '../progress.js';
import { terminalSafe } from '../terminal-text.js';
import { selected } from '../view.js';

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
export function rowsCutLine(kept: number): string {
  return `teardown: packet rows were kept for the first ${kept} packets only (the row budget, about 256 MB); the verdicts cover every packet. A connection's rows: --flow N; verdicts only: --no-packets\n`;
}

/**
 * The store's room reserved for a capture file: a connection for every KB, at most a million
 * (about 330 MB of address space, used only as connections open). A capture of short connections
 * comes close (the benchmark: one for every 1.9 KB); one of long transfers has far fewer.
 */
const RESERVE_BYTES_PER_CONNECTION = 1024;
const RESERVE_MAX = 1 << 20;

/** Reads one capture through an analyzer. Unreadable input becomes a CliError (exit 2). */
export async function analyzeFile(path: string, analyzer: Analyzer, progress?: Progress): Promise<Report> {
  try {
    const bytes = fileSize(path);
    if (bytes !== undefined) analyzer.reserve(Math.min(bytes / RESERVE_BYTES_PER_CONNECTION, RESERVE_MAX));
    let onRecord = analyzer.onRecord.bind(analyzer);
    if (progress) {
      const analyse = onRecord;
      let n = 0;
      onRecord = (r) => {
        analyse(r);
        if ((++n & 0x3fff) === 0) progress.update(r.offset, n);
      };
    }
    const result = await readCaptureFile(path, onRecord);
    progress?.done();
    return analyzer.finish(result.info, result.damage);
  } catch (err) {
    progress?.done();
    if (err instanceof UnreadableCaptureError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

export function damageLine(d: CaptureDamage): string {
  return `${d.file}: damaged at byte offset ${d.offset} (packet ${d.packet}): ${d.message}; the packets before it were analysed`;
}

/** The size of a regular file, else undefined (standard input, a pipe, a missing file: reported later). */
function fileSize(path: string): number | undefined {
  if (path === '-') return undefined;
  try {
    const s = statSync(path);
    return s.isFile() ? s.size : undefined;
  } catch {
    return undefined;
  }
}

/** The rule for packet rows (docs/contract.md, "Packet rows"): small captures, --packets, or the connections --flow picks. */
export function rowsWanted(o: ViewOptions, size: number | undefined): boolean {
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
 * - `text-streamed`: without packet rows, each connection's block written from the store as it
 *   ends, in id order (analyze-text.ts, StreamedText), the summary table at the end;
 * - `text-rows`: with packet rows (or --ladder), the reports kept and written at the end (the Time
 *   column's decimals are known only then: Analyzer.digits).
 */
export type OutputPath = 'json' | 'ndjson' | 'text-streamed' | 'text-rows';

export function outputPath(format: ViewOptions['format'], rows: boolean): OutputPath {
  if (format === 'json' || format === 'ndjson') return format;
  return rows ? 'text-rows' : 'text-streamed';
}

/** `teardown analyze <capture>` (docs/contract.md, "Commands"). Returns the exit status. */
export async function runAnalyze(
  path: string, o: ViewOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream, rowBudget = ROW_BUDGET,
): Promise<ExitCode> {
  const name = path === '-' ? 'stdin' : path;
  const size = fileSize(path);
  const rows = rowsWanted(o, size);
  const route = outputPath(o.format, rows);
  const origin = () => analyzer.firstTime ?? { sec: 0, nsec: 0 };
  const batched = new BatchedOutput(out);
  // Loaded for text output only: its renderers bring in the text tables and string-width (analyze-text.ts).
  const text = route === 'text-streamed' || route === 'text-rows' ? await import('../analyze-text.js') : undefined;
  let color: boolean | undefined;
  const colorOn = (): boolean => (color ??= useColor(o.color, Boolean((out as NodeJS.WriteStream).isTTY), process.env));
  const streamText = text !== undefined && route === 'text-streamed' ? new text.StreamedText(batched, colorOn(), o.lang) : undefined;
  const rowsText = text !== undefined && route === 'text-rows' ? new text.RowsText(batched, colorOn(), o.lang) : undefined;
  const jsonLines = route === 'ndjson' ? new ByteLines() : undefined;
  const document = route === 'json' ? new JsonDocument() : undefined;
  const onFlow = (c: ConnectionView, v: Verdict): void => {
    const shown = selected(c, o);
    if (streamText !== undefined) streamText.add(c, v, shown);
    if (rowsText !== undefined) rowsText.add(c, v, shown);
    if (shown) document?.add(c, v, o.lang, analyzer.firstTime);
    if (jsonLines === undefined || !shown) return;
    writeFlowJson(jsonLines, c, v, o.lang, analyzer.firstTime);
    if (jsonLines.length >= WRITE_BYTES) jsonLines.writeTo(batched.writeBytes);
  };
  const textOptions = (digits: 6 | 9): TextOptions => ({ color: colorOn(), lang: o.lang, time: o.time, origin: origin(), digits });
  const analyzer: Analyzer = new Analyzer(name, { packets: rows, rowsFor: (c) => selected(c, o), keepFlows: false, onFlow, rowBudget, tunnels: o.tunnels, ...(o.vxlanPorts ? { vxlanPorts: o.vxlanPorts } : {}) });
  const progress = Progress.wanted(err, size) && size !== undefined ? new Progress(err as NodeJS.WriteStream, size) : undefined;
  const report = await analyzeFile(path, analyzer, progress);
  if (document !== undefined) {
    document.write((piece) => batched.write(piece), report.capture, report);
  } else if (jsonLines !== undefined) {
    jsonLines.writeTo(batched.writeBytes);
    batched.write(JSON.stringify({ capture: report.capture, summary: report.summary, errors: report.errors }) + '\n');
  } else if (streamText) {
    streamText.finish(report);
  } else if (rowsText) {
    await rowsText.finish(report, textOptions(analyzer.digits), o.ladder === true);
  }
  const kept = report.capture.rowsKept;
  if (kept !== undefined) {
    if (route === 'json' || route === 'ndjson') err.write(rowsCutLine(kept));
    else batched.write(rowsCutLine(kept));
  }
  batched.flush();
  // The file's name is printed made safe for a terminal; the JSON `errors` keep it as it is.
  for (const d of report.errors) err.write(`teardown: ${terminalSafe(damageLine(d))}\n`);
  return report.errors.length ? EXIT.damaged : EXIT.ok;
}
