import { cellWidth } from './table.js';

/**
 * A boxed table drawn exactly as cli-table3 draws one with its default characters and one space
 * of padding (a rule between every two rows), but in time linear in its rows: cli-table3 is
 * quadratic (its issue #68), which a summary of 200,000 connections cannot afford.
 */
export class BoxTable {
  private readonly widths: number[];

  constructor(private readonly head: readonly string[]) {
    this.widths = head.map(cellWidth);
  }

  /** Widen the columns for a row that will be drawn. */
  measure(cells: readonly string[]): void {
    for (let i = 0; i < cells.length; i++) {
      const w = cellWidth(cells[i] ?? '');
      if (w > (this.widths[i] ?? 0)) this.widths[i] = w;
    }
  }

  private rule(left: string, mid: string, right: string): string {
    return left + this.widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  }

  private line(cells: readonly string[]): string {
    let s = '│';
    for (let i = 0; i < this.widths.length; i++) {
      const text = cells[i] ?? '';
      s += ' ' + text + ' '.repeat((this.widths[i] ?? 0) - cellWidth(text)) + ' │';
    }
    return s;
  }

  /** The table's lines (without newlines), rows in the order given; every row measured first. */
  *draw(rows: Iterable<readonly string[]>): Generator<string> {
    const between = this.rule('├', '┼', '┤');
    yield this.rule('┌', '┬', '┐');
    yield this.line(this.head);
    for (const r of rows) {
      yield between;
      yield this.line(r);
    }
    yield this.rule('└', '┴', '┘');
  }
}
