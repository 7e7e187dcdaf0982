import type { Lang } from '../render/notes.js';
import type { FlowReport, Report } from '../analysis/report.js';
import type { Verdict } from '../analysis/teardown.js';
import type { ConnectionView } from '../flow/view.js';
import { ByteLines, WRITE_BYTES } from '../render/byte-lines.js';
import { CLI_TABLE_MAX_ROWS, flowText, summaryCells, summaryLine, summaryTableText } from '../render/text.js';
import type { TextOptions } from '../render/text.js';
import { SummaryTable } from '../render/summary-table.js';
import { writeFlowBlock } from '../render/text-columns.js';
import type { BatchedOutput } from './output.js';
import { InOrder } from './output.js';

/**
 * `analyze`'s text form. It lives apart from analyze.ts because its renderers bring in cli-table3
 * and string-width, which the JSON forms never need and which take longer to load than a small
 * capture takes to analyse: analyze.ts imports this module only for text output (docs/performance.md, "Start-up").
 */

/** A connection released before one with a smaller id: its block and summary row, waiting. */
interface Parked {
  block: Buffer;
  row: Buffer;
}


/**
 * The text report without packet rows, written as connections are released: each one's block as
 * bytes, in id order (one released early waits, copied, for those before it), and its summary row
 * kept in a SummaryTable, drawn at the end since the columns' widths need every row.
 */
export class StreamedText {
  private readonly text = new ByteLines();
  private readonly summary = new SummaryTable();
  private readonly inOrder = new InOrder<Parked>((p) => {
    this.text.bytes(p.block);
    this.summary.keep(p.row);
  });

  constructor(private readonly out: BatchedOutput, private readonly color: boolean, private readonly lang: Lang) {}

  /** One released connection (Analyzer's onFlow); `shown` false for one --flow or --port leaves out. */
  add(c: ConnectionView, v: Verdict, shown: boolean): void {
    const id = c.id;
    if (!shown) {
      this.inOrder.add(id, null);
      return;
    }
    const at = this.text.length;
    writeFlowBlock(this.text, c, v, this.lang, this.color);
    if (this.inOrder.isNext(id)) {
      this.summary.add(c, v);
      this.inOrder.add(id, null); // written already; those waiting for it follow
    } else {
      const parked = { block: Buffer.from(this.text.written(at)), row: this.summary.rowCopy(c, v) };
      this.text.setLength(at);
      this.inOrder.add(id, parked);
    }
    if (this.text.length >= WRITE_BYTES) this.text.writeTo(this.out.writeBytes);
  }

  /** The summary line and table, after the last block (cli-table3 draws small tables). */
  finish(report: Report): void {
    this.text.writeTo(this.out.writeBytes);
    if (this.summary.rowCount <= CLI_TABLE_MAX_ROWS) {
      this.out.write(summaryTableText([...this.summary.textRows()], report));
      this.summary.close();
      return;
    }
    this.out.write(summaryLine(report));
    this.summary.draw(this.text, (drawn) => drawn.writeTo(this.out.writeBytes));
    this.summary.close();
    this.text.writeTo(this.out.writeBytes);
  }
}

/** The text report with packet rows: the connections shown, each as a table or (`ladder`) a ladder, then the summary. */
export async function wholeText(out: BatchedOutput, shown: FlowReport[], report: Report, options: TextOptions, ladder: boolean): Promise<void> {
  // The ladder renderer is loaded only for --ladder.
  const render = ladder ? (await import('../render/ladder.js')).ladderFlowText : flowText;
  for (const f of shown) out.write(render(f, options) + '\n');
  out.write(summaryTableText(shown.map(summaryCells), report));
}
