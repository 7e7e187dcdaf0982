// string-width 4 rather than 8: 8 took about 60 ms more to load and first use (docs/performance.md, "Dependencies").
import stringWidth from 'string-width';

/**
 * Terminal width of a cell: a quick path for printable ASCII plus the en dash and arrow our cells
 * use (one column each, as string-width measures them), string-width for the rest.
 */
export function cellWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\x20-\x7e\u2013\u2192]*$/.test(text) ? text.length : stringWidth(text);
}

/**
 * cellWidth of a cell kept as UTF-8 bytes: the same quick set (printable ASCII, the en dash E2 80 93
 * and the arrow E2 86 92), string-width for anything else.
 */
export function cellBytesWidth(b: Uint8Array, start: number, end: number): number {
  let width = 0;
  for (let i = start; i < end; width++) {
    const x = b[i] as number;
    if (x >= 0x20 && x <= 0x7e) i++;
    else if (x === 0xe2 && i + 2 < end && ((b[i + 1] === 0x80 && b[i + 2] === 0x93) || (b[i + 1] === 0x86 && b[i + 2] === 0x92))) i += 3;
    else return stringWidth(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'));
  }
  return width;
}

/** `text` cut to `width` columns, its last one an ellipsis when anything was cut. */
export function truncateCell(text: string, width: number): string {
  if (cellWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = cellWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + '…';
}

/**
 * What a table may give up to fit a terminal (docs/contract.md, "Terminal width"): columns to drop,
 * first first, and columns to cut, each down to a least width, the first cut first.
 */
export interface FitRules {
  drop: readonly string[];
  cut: ReadonlyArray<readonly [string, number]>;
}

/**
 * A plain column table that grows linearly with its rows, for the packet rows. Columns are separated by two spaces; the last column is not padded.
 */
export class ColumnTable {
  readonly widths: number[];
  /** The columns drawn, by index (fit may leave some out). */
  private shown: number[];
  /** The widths a cell is cut to (with an ellipsis), by column; Infinity: never cut. */
  private readonly limits: number[];

  constructor(readonly headers: string[]) {
    this.widths = headers.map(cellWidth);
    this.shown = headers.map((_, i) => i);
    this.limits = headers.map(() => Infinity);
  }

  /** Widen the columns for a row that will be printed. */
  measure(cells: string[]): void {
    for (let i = 0; i < cells.length; i++) {
      const w = cellWidth(cells[i] ?? '');
      if (w > (this.widths[i] ?? 0)) this.widths[i] = w;
    }
  }

  /** The width of a drawn line with every cell at its column's width. */
  private total(): number {
    return this.shown.reduce((n, i) => n + Math.min(this.widths[i] ?? 0, this.limits[i] ?? Infinity), 0) + 2 * (this.shown.length - 1);
  }

  /**
   * Fits the table, once measured, into `width` columns: drops the rules' columns one by one, then
   * cuts theirs, each no further than its least width, until it fits (or nothing is left to give).
   * The rules name columns as `names` does (the headers unless given: the English names of headers
   * drawn in another language).
   */
  fit(width: number, rules: FitRules, names: readonly string[] = this.headers): void {
    for (const name of rules.drop) {
      if (this.total() <= width) return;
      const col = names.indexOf(name);
      this.shown = this.shown.filter((i) => i !== col);
    }
    for (const [name, least] of rules.cut) {
      const over = this.total() - width;
      if (over <= 0) return;
      const col = names.indexOf(name);
      const now = Math.min(this.widths[col] ?? 0, this.limits[col] ?? Infinity);
      this.limits[col] = Math.max(least, Math.max(cellWidth(this.headers[col] ?? name), now - over));
    }
  }

  line(cells: string[]): string {
    let s = '';
    const last = this.shown.length - 1;
    for (let k = 0; k <= last; k++) {
      const i = this.shown[k] as number;
      const limit = this.limits[i] as number;
      const text = limit === Infinity ? (cells[i] ?? '') : truncateCell(cells[i] ?? '', limit);
      if (k === last) s += text;
      else s += text + ' '.repeat(Math.max(0, Math.min(this.widths[i] ?? 0, limit) - cellWidth(text))) + '  ';
    }
    return s.trimEnd();
  }
}
