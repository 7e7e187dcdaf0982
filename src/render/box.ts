import type { ByteLines } from './byte-lines.js';
import { WRITE_BYTES } from './byte-lines.js';
import type { RowChunkLimits } from './row-chunks.js';
import { DEFAULT_ROW_LIMITS, RowChunks } from './row-chunks.js';
import { cellBytesWidth, cellWidth } from './table.js';

const TAB = 0x09;
const SPACE = 0x20;
const NEWLINE = 0x0a;
/** A row's line: before the first cell, between two cells, after the last. */
const FIRST = Buffer.from('│ ');
const BETWEEN_CELLS = Buffer.from(' │ ');
const LAST = Buffer.from(' │\n');

/** Where the cell starting at `start` ends: its tab. */
function cellEnd(b: Uint8Array, start: number): number {
  let i = start;
  while (i < b.length && b[i] !== TAB) i++;
  return i;
}

/**
 * The separators as one little-endian 32-bit word and what follows it: `│ ` is four bytes, ` │` four
 * and one more (a space, or the newline): a word store each and a byte, where a byte loop cost
 * about a fifth of a line (measured: about 510 → 400 ns a row).
 */
export const BAR_SPACE = FIRST.readInt32LE(0);
export const SPACE_BAR = BETWEEN_CELLS.readInt32LE(0);
const SPACES = 0x20202020;

/** Bytes a drawn line may need at most: the separators, the padding (no more than the widths) and `cellBytes` of cells. */
export const lineBytes = (widths: readonly number[], cellBytes: number): number =>
  widths.reduce((n, w) => n + BETWEEN_CELLS.length + w, LAST.length + cellBytes);

/** A rule line of a table with these columns' widths (one space of padding each side), as cli-table3 draws it. */
export function boxRule(widths: readonly number[], left: string, mid: string, right: string): string {
  return left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right + '\n';
}

/** A cell's separator (` │ `) at `p` of `dv`'s buffer (room checked by the caller); returns where it ends. */
export function putBetween(dv: DataView, p: number): number {
  dv.setInt32(p, SPACE_BAR, true);
  dv.setUint8(p + 4, SPACE);
  return p + 5;
}

/** `pad` spaces at `p` of `dv`'s buffer (room checked by the caller); returns where they end. */
export function writeSpaces(dv: DataView, p: number, pad: number): number {
  for (; pad >= 4; pad -= 4, p += 4) dv.setInt32(p, SPACES, true);
  for (; pad > 0; pad--) dv.setUint8(p++, SPACE);
  return p;
}

/**
 * A boxed table drawn exactly as cli-table3 draws one with its default characters and one space
 * of padding (a rule between every two rows), but in time linear in its rows: cli-table3 is
 * quadratic (docs/performance.md, "Dependencies"), which a summary of 200,000 connections cannot afford. Rows are kept
 * as their cells' UTF-8 bytes, each cell ended by a tab, outside the garbage-collected heap; the
 * columns' widths grow as rows are added, so the table is drawn in one pass at the end.
 */
export class BoxTable {
  private readonly widths: number[];
  private readonly rows: RowChunks;
  /** The head as a row's bytes, and the most bytes of a row (head or added): what a line may need. */
  private readonly headCells: Buffer;
  private longestRow: number;
  rowCount = 0;

  constructor(head: readonly string[], limits: RowChunkLimits = DEFAULT_ROW_LIMITS) {
    this.rows = new RowChunks(limits);
    this.widths = head.map(cellWidth);
    this.headCells = Buffer.from(head.map((h) => `${h}\t`).join(''));
    this.longestRow = this.headCells.length;
  }

  /** Adds a row given as its cells' bytes, each ended by a tab: one cell a column. Measured, then copied by one `set`. */
  add(cells: Uint8Array): void {
    const widths = this.widths;
    let i = 0;
    for (let col = 0; col < widths.length; col++) {
      const cell = i;
      let plain = true; // printable ASCII (0x20-0x7e, one unsigned comparison): a column a byte
      for (let x = cells[i]; x !== TAB; x = cells[++i]) {
        if (x === undefined) throw new Error(`a row of ${widths.length} cells ends at cell ${col + 1}`);
        if ((x - 0x20) >>> 0 > 0x5e) plain = false;
      }
      const w = plain ? i - cell : cellBytesWidth(cells, cell, i);
      if (w > (widths[col] as number)) widths[col] = w;
      i++;
    }
    this.rows.add(i === cells.length ? cells : cells.subarray(0, i));
    if (i > this.longestRow) this.longestRow = i;
    this.rowCount++;
  }

  /** Adds a row of text cells (missing ones are empty). */
  addRow(cells: readonly string[]): void {
    this.add(Buffer.from(this.widths.map((_, i) => `${cells[i] ?? ''}\t`).join('')));
  }

  /** The rows as text cells, in order (small tables are drawn by cli-table3 from these). */
  *textRows(): Generator<string[]> {
    for (const chunk of this.rows.sealed()) {
      for (let start = 0; start < chunk.length; ) {
        const cells: string[] = [];
        for (let col = 0; col < this.widths.length; col++) {
          const end = cellEnd(chunk, start);
          cells.push(chunk.toString('utf8', start, end));
          start = end + 1;
        }
        yield cells;
      }
    }
  }

  /**
   * Draws the table into `out`, every line ended by a newline, rows in the order added. `spill` is
   * given `out` whenever it holds WRITE_BYTES (byte-lines.ts) or more (to write it out and take it).
   */
  draw(out: ByteLines, spill: (out: ByteLines) => void = () => undefined): void {
    // At most: the separators, the padding (no more than the columns' widths) and the cells' bytes.
    const most = lineBytes(this.widths, this.longestRow);
    out.utf8(boxRule(this.widths, '┌', '┬', '┐'));
    this.line(out.space(most), out, this.headCells, 0);
    const between = Buffer.from(boxRule(this.widths, '├', '┼', '┤'));
    for (const chunk of this.rows.sealed()) {
      for (let start = 0; start < chunk.length; ) {
        out.bytes(between);
        start = this.line(out.space(most), out, chunk, start);
        if (out.length >= WRITE_BYTES) spill(out);
      }
    }
    out.utf8(boxRule(this.widths, '└', '┴', '┘'));
  }

  /** Closes the spill file, if rows went to one: after the table is drawn. */
  close(): void {
    this.rows.close();
  }

  /**
   * The line of the row whose cells start at `start`, written by one loop into `out`, the space of
   * `to`; returns where the next row starts.
   */
  private line(out: Buffer, to: ByteLines, b: Uint8Array, start: number): number {
    const widths = this.widths;
    const dv = to.spaceView();
    let p = to.length;
    let i = start;
    for (let col = 0; col < widths.length; col++) {
      if (col === 0) {
        dv.setInt32(p, BAR_SPACE, true);
        p += 4;
      } else p = putBetween(dv, p);
      const cell = i;
      let plain = true; // printable ASCII: a column a byte
      for (let x = b[i] as number; x !== TAB; x = b[++i] as number) {
        out[p++] = x;
        if ((x - 0x20) >>> 0 > 0x5e) plain = false;
      }
      const pad = (widths[col] as number) - (plain ? i - cell : cellBytesWidth(b, cell, i));
      p = writeSpaces(dv, p, pad);
      i++;
    }
    dv.setInt32(p, SPACE_BAR, true);
    out[p + 4] = NEWLINE;
    to.setLength(p + 5);
    return i;
  }
}
