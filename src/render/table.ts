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
 * A plain column table that grows linearly with its rows (cli-table3 is quadratic: its issue #68),
 * for the packet rows. Columns are separated by two spaces; the last column is not padded.
 */
export class ColumnTable {
  readonly widths: number[];

  constructor(readonly headers: string[]) {
    this.widths = headers.map(cellWidth);
  }

  /** Widen the columns for a row that will be printed. */
  measure(cells: string[]): void {
    for (let i = 0; i < cells.length; i++) {
      const w = cellWidth(cells[i] ?? '');
      if (w > (this.widths[i] ?? 0)) this.widths[i] = w;
    }
  }

  line(cells: string[]): string {
    let s = '';
    const last = cells.length - 1;
    for (let i = 0; i <= last; i++) {
      const text = cells[i] ?? '';
      if (i === last) s += text;
      else s += text + ' '.repeat(Math.max(0, (this.widths[i] ?? 0) - cellWidth(text))) + '  ';
    }
    return s.trimEnd();
  }
}
