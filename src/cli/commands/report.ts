import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { Analyzer } from '../../analysis/analyze.js';
import type { Lang } from '../../render/notes.js';
import { reportHtml } from '../../render/html.js';
import { CliError, EXIT, systemReason } from '../exit.js';
import type { ExitCode } from '../exit.js';
import { Progress } from '../progress.js';
import { terminalSafe } from '../terminal-text.js';
import { selected } from '../view.js';
import { ROW_BUDGET, analyzeFile, damageLine, rowsCutLine } from './analyze.js';

export interface ReportCommandOptions {
  /** The HTML file to write; `-` for standard output. */
  output: string;
  flow: number[] | undefined;
  port: number[] | undefined;
  lang: Lang;
  /** False with --no-packets: cards without ladders and tables (verdicts only). */
  packets: boolean;
  /** False with --no-tunnels. */
  tunnels: boolean;
  /** --vxlan-port. */
  vxlanPorts: number[] | undefined;
}

/** Bytes gathered before each write of the page. */
const WRITE_CHUNK = 1 << 20;

/**
 * `teardown report <capture> -o report.html` (docs/pictures.md, "teardown report"): the analysis as one self-contained HTML
 * page. Exit statuses as analyze: 2 unreadable input (or an output that cannot be written),
 * 3 damaged input (the page shows what was read before the damage, and says where it was).
 */
export async function runReport(path: string, c: ReportCommandOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<ExitCode> {
  const name = path === '-' ? 'stdin' : path;
  const view = { flow: c.flow, port: c.port };
  const analyzer = new Analyzer(name, { packets: c.packets, rowsFor: (f) => selected(f, view), rowBudget: ROW_BUDGET, tunnels: c.tunnels, ...(c.vxlanPorts ? { vxlanPorts: c.vxlanPorts } : {}) });
  const size = path === '-' ? undefined : fileSize(path);
  const progress = Progress.wanted(err, size) && size !== undefined ? new Progress(err, size) : undefined;
  const report = await analyzeFile(path, analyzer, progress);
  const shown = { ...report, flows: report.flows.filter((f) => selected(f, view)) };
  const page = reportHtml(shown, { lang: c.lang, origin: analyzer.firstTime ?? { sec: 0, nsec: 0 }, digits: analyzer.digits });

  if (c.output === '-') {
    for (const chunk of page) out.write(chunk);
  } else {
    let fd: number;
    try {
      fd = openSync(c.output, 'w');
    } catch (e) {
      throw new CliError(`cannot write ${c.output}: ${systemReason(e)}`, EXIT.usage);
    }
    try {
      let parts: string[] = [];
      let size = 0;
      for (const chunk of page) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= WRITE_CHUNK) {
          writeSync(fd, parts.join(''));
          parts = [];
          size = 0;
        }
      }
      writeSync(fd, parts.join(''));
    } catch (e) {
      // A full disk, an I/O error: one line and exit 2, as for standard output (src/cli.ts).
      throw new CliError(`cannot write ${c.output}: ${systemReason(e)}`, EXIT.usage);
    } finally {
      closeSync(fd);
    }
  }
  if (report.capture.rowsKept !== undefined) err.write(rowsCutLine(report.capture.rowsKept));
  for (const d of report.errors) err.write(`teardown: ${terminalSafe(damageLine(d))}\n`);
  return report.errors.length ? EXIT.damaged : EXIT.ok;
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined; // analyzeFile reports the missing file
  }
}
