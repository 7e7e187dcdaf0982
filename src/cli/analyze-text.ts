import { unplacedLines } from '../render/text.js';
import type { Lang } from '../render/notes.js';
import type { Report } from '../analysis/report.js';
import type { SummaryOf } from '../render/text.js';
import type { Verdict } from '../analysis/teardown.js';
import type { ConnectionView } from '../flow/view.js';
import { ByteLines, WRITE_BYTES } from '../render/byte-lines.js';
import { packetLines, summaryLine } from '../render/text.js';
import type { RowsOf, TextOptions } from '../render/text.js';
import { SummaryTable } from '../render/summary-table.js';
import { writeFlowBlock } from '../render/text-columns.js';
import type { BatchedOutput } from './output.js';
import { IdOrderSpill } from '../render/id-order-spill.js';

/**
 * `analyze`'s text form. It lives apart from analyze.ts because its renderers (the text tables and
 * string-width) are needed by text output only, and loading what a run does not use costs start-up
 * time that a small capture notices: analyze.ts imports this module only for text output
 * (docs/performance.md, "Start-up").
 */

/**
 * The text report without packet rows, written as connections are released: each one's block as
 * bytes, in id order, and its summary row kept in a SummaryTable, drawn at the end since the
 * columns' widths need every row. A connection released before one with a smaller id parks its
 * block and row (IdOrderSpill: in a temporary file, not in memory) until those before it are
 * written: one early connection open to the end of the capture makes every later one wait.
 */
export class StreamedText {
  private readonly text = new ByteLines();
  private readonly summary: SummaryTable;
  private readonly inOrder = new IdOrderSpill((parked, blockBytes) => {
    this.text.bytes(parked.subarray(0, blockBytes));
    this.summary.keep(parked.subarray(blockBytes));
    if (this.text.length >= WRITE_BYTES) this.text.writeTo(this.out.writeBytes);
  });

  /** `width`: the terminal's, which the summary table is fitted into; none for a file or a pipe. */
  constructor(private readonly out: BatchedOutput, private readonly color: boolean, private readonly lang: Lang, private readonly width?: number) {
    this.summary = new SummaryTable(undefined, lang);
  }

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
      const blockBytes = this.text.length - at;
      this.text.bytes(this.summary.rowCopy(c, v));
      const parked = this.text.written(at);
      this.text.setLength(at);
      this.inOrder.add(id, parked, blockBytes);
    }
    if (this.text.length >= WRITE_BYTES) this.text.writeTo(this.out.writeBytes);
  }

  /** The summary line and table, after the last block. */
  finish(report: Report & SummaryOf): void {
    this.inOrder.close();
    this.text.writeTo(this.out.writeBytes);
    writeSummary(this.out, this.summary, this.text, report, this.width, this.lang);
  }
}

/** The `Summary:` line, then the table drawn through `drawn` (empty), written out as it fills. */
function writeSummary(out: BatchedOutput, table: SummaryTable, drawn: ByteLines, report: Report & SummaryOf, width: number | undefined, lang: Lang): void {
  out.write(summaryLine(report, lang));
  table.draw(drawn, (full) => full.writeTo(out.writeBytes), width);
  table.close();
  drawn.writeTo(out.writeBytes);
}

/** Bytes before a parked connection of the text report with rows: its id and its summary row's length (u32 each). */
const PARKED_HEAD = 8;

/**
 * The text report with packet rows (or, `ladder`, ladder diagrams): each connection's heading and
 * verdict written as it is released, by the same block writer as the report without rows; its
 * table drawn at the end between the two, since the Time column's decimals (Analyzer.digits) are
 * known only when every record has been read. Then the summary, rows in id order. The blocks and
 * summary rows wait in a temporary file (IdOrderSpill); only the packet rows stay in memory, as
 * many as the row budget lets connections keep.
 */
export class RowsText {
  private readonly block = new ByteLines();
  private readonly rowsOf = new Map<number, RowsOf>();
  private readonly summary: SummaryTable;
  private draw: ((k: RowsOf) => string[]) | undefined;
  private readonly kept = new IdOrderSpill((parked, headingBytes) => this.writeParked(parked, headingBytes), true);

  constructor(private readonly out: BatchedOutput, private readonly color: boolean, private readonly lang: Lang) {
    this.summary = new SummaryTable(undefined, lang);
  }

  /** One released connection (Analyzer's onFlow); `shown` false for one --flow or --port leaves out. */
  add(c: ConnectionView, v: Verdict, shown: boolean): void {
    if (!shown) return;
    const row = this.summary.rowCopy(c, v);
    const head = this.block.space(PARKED_HEAD);
    head.writeUInt32LE(c.id, 0);
    head.writeUInt32LE(row.length, 4);
    this.block.setLength(PARKED_HEAD);
    this.block.bytes(row);
    const verdictAt = writeFlowBlock(this.block, c, v, this.lang, this.color);
    this.kept.add(c.id, this.block.written(), verdictAt - PARKED_HEAD - row.length);
    this.block.setLength(0);
    if (c.rows) this.rowsOf.set(c.id, { rows: c.rows, client: c.client.endpoint(), server: c.server.endpoint(), causes: v.causes });
  }

  /** Every connection kept, in id order, its table (or ladder) drawn with `options`; then the summary line and table. */
  async finish(report: Report & SummaryOf, options: TextOptions, ladder: boolean): Promise<void> {
    // The ladder renderer is loaded only for --ladder.
    const draw = ladder ? (await import('../render/ladder.js')).ladderLines : packetLines;
    this.draw = (k) => draw(k, options);
    this.kept.drain();
    this.kept.close();
    if (report.unplaced !== undefined) this.out.write(unplacedLines(report.unplaced, options).join('\n') + '\n\n');
    writeSummary(this.out, this.summary, new ByteLines(), report, options.width, this.lang);
  }

  /** A connection parked by `add`: its heading, its rows' table, its verdict; its summary row kept. */
  private writeParked(parked: Uint8Array, headingBytes: number): void {
    const bytes = Buffer.from(parked.buffer, parked.byteOffset, parked.byteLength);
    const id = bytes.readUInt32LE(0);
    const rowEnd = PARKED_HEAD + bytes.readUInt32LE(4);
    const verdictAt = rowEnd + headingBytes;
    this.out.writeBytes(bytes.subarray(rowEnd, verdictAt));
    const k = this.rowsOf.get(id);
    if (k !== undefined) {
      this.rowsOf.delete(id);
      if (this.draw !== undefined) this.out.write(this.draw(k).join('\n') + '\n');
    }
    this.out.writeBytes(bytes.subarray(verdictAt));
    this.summary.keep(bytes.subarray(PARKED_HEAD, rowEnd));
  }
}
