import type { FlowReport, Report } from '../../analysis/report.js';
import { BoxTable } from '../../render/box.js';
import { CLI_TABLE_MAX_ROWS, SUMMARY_COLUMNS, flowText, summaryCells, summaryLine, summaryTableText } from '../../render/text.js';
import type { TextOptions } from '../../render/text.js';
import type { BatchedOutput } from '../output.js';
import { InOrder } from '../output.js';

/**
 * `analyze`'s text form. It lives apart from analyze.ts because its renderers bring in cli-table3
 * and string-width, which the JSON forms never need and which take longer to load than a small
 * capture takes to analyse: analyze.ts imports this module only for text output (README, "Start-up").
 */

/**
 * The text report without packet rows, streamed: each connection's verdict is rendered as it is
 * released and printed in id order; only its summary row is kept (the table's widths need all).
 */
export class StreamedText {
  private readonly summary = new BoxTable(SUMMARY_COLUMNS);
  private readonly summaryRows: string[] = [];
  private readonly inOrder = new InOrder<[block: string, row: string[]]>(([block, row]) => {
    this.out.write(block);
    this.summary.measure(row);
    this.summaryRows.push(row.join('\t'));
  });

  constructor(private readonly out: BatchedOutput) {}

  /** A released connection; `options` is asked for only when it is shown. */
  add(f: FlowReport, shown: boolean, options: () => TextOptions): void {
    // No colour, time or row in a block without rows: it can be rendered now.
    this.inOrder.add(f.id, shown ? [flowText(f, options()) + '\n', summaryCells(f)] : null);
  }

  /** The summary line and table, after the last connection. */
  finish(report: Report): void {
    if (this.summaryRows.length <= CLI_TABLE_MAX_ROWS) {
      this.out.write(summaryTableText([...cellsOf(this.summaryRows)], report));
    } else {
      this.out.write(summaryLine(report));
      for (const line of this.summary.draw(cellsOf(this.summaryRows))) this.out.write(line + '\n');
    }
  }
}

/** The text report with packet rows: the connections shown, each as a table or (`ladder`) a ladder, then the summary. */
export async function wholeText(out: BatchedOutput, shown: FlowReport[], report: Report, options: TextOptions, ladder: boolean): Promise<void> {
  // The ladder renderer is loaded only for --ladder.
  const render = ladder ? (await import('../../render/ladder.js')).ladderFlowText : flowText;
  for (const f of shown) out.write(render(f, options) + '\n');
  out.write(summaryTableText(shown.map(summaryCells), report));
}

/** Rows kept as one tab-joined string each (compact), split one at a time as they are drawn. */
function* cellsOf(rows: readonly string[]): Generator<string[]> {
  for (const r of rows) yield r.split('\t');
}
