import { Analyzer } from '../../analysis/analyze.js';
import type { Lang } from '../../render/notes.js';
import { reportHtml } from '../../render/html.js';
import { EXIT } from '../exit.js';
import { asInput } from '../inputs.js';
import type { CaptureInput } from '../inputs.js';
import type { Shard } from '../options.js';
import { withOutputFile } from '../output-file.js';
import type { ExitCode } from '../exit.js';
import { Progress } from '../progress.js';
import { terminalSafe } from '../terminal-text.js';
import { picked, selected, selectionProblems } from '../view.js';
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
 * `teardown report <capture> -o report.html` (docs/pictures.md, "teardown report"): the analysis as one self-contained HTML
 * page. Exit statuses as analyze: 2 unreadable input (or an output that cannot be written),
 * 3 damaged input (the page shows what was read before the damage, and says where it was).
 */
export async function runReport(capture: string | CaptureInput, c: ReportCommandOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<ExitCode> {
  const input = asInput(capture);
  const path = input.paths[0] ?? '-';
  const name = path === '-' ? 'stdin' : path;
  const view = { flow: c.flow, port: c.port, host: c.host, class: c.class };
  const analyzer = new Analyzer(name, { packets: c.packets, rowsFor: (f) => picked(f, view), rowBudget: ROW_BUDGET, tunnels: c.tunnels, ...(c.vxlanPorts ? { vxlanPorts: c.vxlanPorts } : {}), ...(c.shard ? { shard: c.shard } : {}) });
  // Progress counts the offsets of one file: not for several, nor through a filter.
  const size = input.paths.length === 1 && input.filter.length === 0 ? inputBytes(input) : undefined;
  const progress = Progress.wanted(err, size) && size !== undefined ? new Progress(err, size, c.lang) : undefined;
  const report = await analyzeFile(input, analyzer, progress);
  const shown = { ...report, flows: report.flows.filter((f) => selected(f, f.teardown.class, view)) };
  const problems = selectionProblems(view, report.summary.flows, shown.flows.length, c.lang);
  // Nothing selected: no page, the reason, exit 2 (docs/contract.md, "Selection").
  if (shown.flows.length === 0 && problems.length) return selectionFailed(problems, report, err, c.lang);
  const page = reportHtml(shown, { lang: c.lang, origin: analyzer.firstTime ?? { sec: 0, nsec: 0 }, digits: analyzer.digits });
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
  if (report.capture.rowsKept !== undefined) err.write(rowsCutLine(report.capture.rowsKept, c.lang));
  for (const d of report.errors) err.write(`teardown: ${terminalSafe(damageLine(d, c.lang))}\n`);
  if (problems.length) return selectionFailed(problems, report, err, c.lang);
  return exitStatus(report, err, c.lang);
}
