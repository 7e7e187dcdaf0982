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

/**
 * A plain column table that grows linearly with its rows, for the packet rows. Columns are separated by two spaces; the last column is not padded.
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
