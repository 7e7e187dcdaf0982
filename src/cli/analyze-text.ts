import type { Lang } from '../render/notes.js';
import type { FlowReport, Report } from '../analysis/report.js';
import type { Verdict } from '../analysis/teardown.js';
import type { ConnectionView } from '../flow/view.js';
import { ByteLines, WRITE_BYTES } from '../render/byte-lines.js';
import { flowText, summaryLine } from '../render/text.js';
import type { TextOptions } from '../render/text.js';
import { SummaryTable } from '../render/summary-table.js';
import { writeFlowBlock } from '../render/text-columns.js';
import type { BatchedOutput } from './output.js';
import { InOrder } from './output.js';

/**
 * `analyze`'s text form. It lives apart from analyze.ts because its renderers (the text tables and
 * string-width) are needed by text output only, and loading what a run does not use costs start-up
 * time that a small capture notices: analyze.ts imports this module only for text output
 * (docs/performance.md, "Start-up").
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

  /** The summary line and table, after the last block. */
  finish(report: Report): void {
    this.text.writeTo(this.out.writeBytes);
    writeSummary(this.out, this.summary, this.text, report);
  }
}

/** The `Summary:` line, then the table drawn through `drawn` (empty), written out as it fills. */
function writeSummary(out: BatchedOutput, table: SummaryTable, drawn: ByteLines, report: Report): void {
  out.write(summaryLine(report));
  table.draw(drawn, (full) => full.writeTo(out.writeBytes));
  table.close();
  drawn.writeTo(out.writeBytes);
}

/** The text report with packet rows: the connections shown, each as a table or (`ladder`) a ladder, then the summary. */
export async function wholeText(out: BatchedOutput, shown: FlowReport[], report: Report, options: TextOptions, ladder: boolean): Promise<void> {
  // The ladder renderer is loaded only for --ladder.
  const render = ladder ? (await import('../render/ladder.js')).ladderFlowText : flowText;
  const summary = new SummaryTable();
  for (const f of shown) {
    out.write(render(f, options) + '\n');
    summary.addFlow(f);
  }
  writeSummary(out, summary, new ByteLines(), report);
}
