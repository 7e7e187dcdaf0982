import { Analyzer } from '../../analysis/analyze.js';
import type { Lang } from '../../render/notes.js';
import { reportHtml } from '../../render/html.js';
import type { HtmlOptions } from '../../render/html.js';
import { ListData } from '../../render/html/list-data.js';
import { listPageHtml } from '../../render/html/list-page.js';
import type { FlowReport } from '../../analysis/report.js';
import { EXIT } from '../exit.js';
import { asInput } from '../inputs.js';
import type { CaptureInput } from '../inputs.js';
import type { Shard } from '../options.js';
import { withOutputFile } from '../output-file.js';
import type { ExitCode } from '../exit.js';
import { Progress } from '../progress.js';
import { terminalSafe } from '../terminal-text.js';
import { picked, pickedPacket, selected, selectionProblems } from '../view.js';
import type { TeardownClass } from '../../analysis/verdict-keys.js';
import { ROW_BUDGET, analyzeFile, damageLine, exitStatus, inputBytes, rowsCutLine, selectionFailed } from './analyze.js';

export interface ReportCommandOptions {
  /** The HTML file to write; `-` for standard output. */
  output: string;
  flow: number[] | undefined;
  port: number[] | undefined;
  host: string[] | undefined;
  class: TeardownClass[] | undefined;
  lang: Lang;
  /** False with --no-packets: cards without ladders and tables (verdicts only). */
  packets: boolean;
  /** False with --no-tunnels. */
  tunnels: boolean;
  /** --vxlan-port. */
  vxlanPorts: number[] | undefined;
  /** --shard K/N: only that shard's connections. */
  shard?: Shard | undefined;
}

/** Bytes gathered before each write of the page. */
const WRITE_CHUNK = 1 << 20;

/**
 * More connections shown than this and the page is the list (html/list-page.ts) instead of a card
 * a connection: 500 cards open in about a second; a lab's or a lesson's capture stays far below.
 */
export const LIST_PAGE_ABOVE = 500;

/**
 * The report keeps a sixteenth of analyze's rows (16 MB of them): the rows of connections still
 * open are what a report's memory grows with, and it must stay under 300 MB on a capture of
 * millions of packets (docs/report.md, "Memory"). A lab's capture keeps all of its rows.
 */
export const REPORT_ROW_BUDGET = ROW_BUDGET / 16;

/**
 * The connections shown, as they are released: kept as reports up to LIST_PAGE_ABOVE, then packed
 * (those kept first, in id order) and let go, so that memory follows the packed bytes.
 */
class ShownFlows {
  kept: FlowReport[] = [];
  list: ListData | undefined;

  constructor(private readonly options: () => HtmlOptions) {}

  add(f: FlowReport): void {
    if (this.list) {
      this.list.add(f);
      return;
    }
    // Kept as a copy, in objects of its own: V8 moves the objects made where a FlowReport is made
    // straight to the old generation once most of them outlive a young-generation collection
    // (allocation-site pretenuring), and the first LIST_PAGE_ABOVE reports, kept, did: every later
    // report, let go as soon as it is packed, was then garbage in the old generation, and the page
    // of the 8 M-packet capture took 325 MB instead of about 220 (docs/report.md, "Memory").
    this.kept.push(structuredClone(f));
    if (this.kept.length <= LIST_PAGE_ABOVE) return;
    this.list = new ListData(this.options);
    this.kept.sort((a, b) => a.id - b.id);
    for (const k of this.kept) this.list.add(k);
    this.kept = [];
  }
}

/**
 * `teardown report <capture> -o report.html` (docs/pictures.md, "teardown report"): the analysis as one self-contained HTML
 * page. Exit statuses as analyze: 2 unreadable input (or an output that cannot be written),
 * 3 damaged input (the page shows what was read before the damage, and says where it was).
 */
export async function runReport(capture: string | CaptureInput, c: ReportCommandOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<ExitCode> {
  const input = asInput(capture);
  const path = input.paths[0] ?? '-';
  const name = path === '-' ? 'stdin' : path;
  const view = { flow: c.flow, port: c.port, host: c.host, class: c.class };
  const options = (): HtmlOptions => ({ lang: c.lang, origin: analyzer.firstTime ?? { sec: 0, nsec: 0 }, digits: analyzer.digits });
  const shownFlows = new ShownFlows(options);
  const onReport = (f: FlowReport): void => {
    if (selected(f, f.teardown.class, view)) shownFlows.add(f);
  };
  const analyzer = new Analyzer(name, { packets: c.packets, rowsFor: (f) => picked(f, view), unplacedFor: (src, dst) => pickedPacket(src, dst, view), rowBudget: REPORT_ROW_BUDGET, tunnels: c.tunnels, onReport, ...(c.vxlanPorts ? { vxlanPorts: c.vxlanPorts } : {}), ...(c.shard ? { shard: c.shard } : {}) });
  // Progress counts the offsets of one file: not for several, nor through a filter.
  const size = input.paths.length === 1 && input.filter.length === 0 ? inputBytes(input) : undefined;
  const progress = Progress.wanted(err, size) && size !== undefined ? new Progress(err, size, c.lang) : undefined;
  const report = await analyzeFile(input, analyzer, progress);
  const list = shownFlows.list;
  const shown = { ...report, flows: shownFlows.kept.sort((a, b) => a.id - b.id) };
  const count = list ? list.count : shown.flows.length;
  const problems = selectionProblems(view, report.summary.flows, count, c.lang);
  // Nothing selected: no page, the reason, exit 2 (docs/contract.md, "Selection").
  if (count === 0 && problems.length) return selectionFailed(problems, report, err, c.lang);
  const page = list ? listPageHtml(shown, list, options()) : reportHtml(shown, options());
  // The page in writes of about 1 MiB; into FILE through a temporary file renamed over it once whole (output-file.ts).
  await withOutputFile(c.output, true, out, async (into) => {
    let parts: string[] = [];
    let gathered = 0;
    for (const chunk of page) {
      parts.push(chunk);
      gathered += chunk.length;
      if (gathered >= WRITE_CHUNK) {
        into.write(parts.join(''));
        parts = [];
        gathered = 0;
      }
    }
    into.write(parts.join(''));
    return EXIT.ok;
  });
  if (report.capture.rowsKept !== undefined) err.write(rowsCutLine(report.capture.rowsKept, c.lang, REPORT_ROW_BUDGET));
  for (const d of report.errors) err.write(`teardown: ${terminalSafe(damageLine(d, c.lang))}\n`);
  if (problems.length) return selectionFailed(problems, report, err, c.lang);
  return exitStatus(report, err, c.lang);
}
