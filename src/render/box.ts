/**
 * The box the summary table (summary-table.ts) is drawn in: light box-drawing rules and bars, one
 * space of padding each side of a cell, a rule between every two rows (the look cli-table3's
 * defaults gave it, which the report has kept). Bars are written as 32-bit words: `│ ` is four
 * bytes, ` │` four and one more (a space, or the newline): a word store each and a byte, where a byte
 * loop cost about a fifth of a line (measured: about 510 → 400 ns a row).
 */
const SPACE = 0x20;
const BETWEEN_CELLS = Buffer.from(' │ ');
const LAST = Buffer.from(' │\n');

/** `│ ` (before a row's first cell) as one little-endian 32-bit word. */
export const BAR_SPACE = Buffer.from('│ ').readInt32LE(0);
const SPACE_BAR = BETWEEN_CELLS.readInt32LE(0);
const SPACES = 0x20202020;

/** Bytes a drawn line may need at most: the separators, the padding (no more than the widths) and `cellBytes` of cells. */
export const lineBytes = (widths: readonly number[], cellBytes: number): number =>
  widths.reduce((n, w) => n + BETWEEN_CELLS.length + w, LAST.length + cellBytes);

/** A rule line of a table with these columns' widths (one space of padding each side). */
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
