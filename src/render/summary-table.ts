/**
 * The summary table: one row a connection, drawn at the end, since its columns' widths need every
 * row. Every report draws it here, whatever its size: the streamed text report from the connection
 * store's columns (cli/analyze-text.ts), and any report of FlowReports (analyze with packet rows,
 * live's summary on Ctrl-C) through summaryText. Until drawn, a row is kept as a small binary record
 * (numbers and codes, about 45 bytes) in chunks outside the heap, spilled to a temporary file beyond
 * 16 MiB (row-chunks.ts), and written as text once, straight into the drawn line with its padding.
 * Measured on the benchmark's 210,413 rows: about 290 → 180 ms (rows 115, drawing 65, in-process),
 * where the rows were written as cells, measured, copied and scanned again to be drawn; cli-table3,
 * which drew tables of up to 1,000 rows before, is quadratic (docs/performance.md, "The summary table").
 */
import type { ConnectionView, SideView } from '../flow/view.js';
import { VERDICT_KEYS, verdictNamesNo } from '../analysis/verdict-keys.js';
import type { FlowReport, TeardownReport } from '../analysis/report.js';
import type { Verdict } from '../analysis/teardown.js';
import { BAR_SPACE, boxRule, lineBytes, putBetween, writeSpaces } from './box.js';
import { ByteLines, MAX_DIGITS, WRITE_BYTES, digitCount, putDigits, putQuad } from './byte-lines.js';
import type { RowChunkLimits } from './row-chunks.js';
import { DEFAULT_ROW_LIMITS, RowChunks } from './row-chunks.js';
import { cellBytesWidth, cellWidth } from './table.js';
import { statesNo, statesText, writeEndpoint } from './text-columns.js';
import type { Cause } from '../analysis/causes.js';
import type { SummaryOf } from './text.js';
import { endpointText, summaryLine } from './text.js';
import type { Lang } from './notes.js';
import { LABELS } from './labels.js';
import { className, detailName, sideName } from './names.js';
import { causeName } from './causes.js';
import type { Who } from '../analysis/verdict-keys.js';

/** The table's columns, in English (labels.ts has them in each language). */
export const SUMMARY_COLUMNS = LABELS.en.summaryColumns;

// SUMMARY_COLUMNS by index: the verdict's four names and its causes from CLASS_COL on.
const ID_COL = 0;
const CLIENT_COL = 1;
const SERVER_COL = 2;
const CLASS_COL = 3;
const TRAILING_COL = 8;
const PACKETS_COL = 9;
const STATES_COL = 10;
/**
 * What a narrow terminal drops, in this order, once the columns no row fills are gone
 * (docs/contract.md, "Terminal width"): the connection number, endpoints, class and final states stay.
 */
const DROP_ORDER = [PACKETS_COL, TRAILING_COL, 6, 5, 7, 4];

// A row's record, little-endian: fixed fields, then the client's endpoint and the server's.
const ID = 0; // u32
const NAMES = 4; // u16: the table's number of the verdict's names (class, detail, closer, reset by)
const STATES = 6; // u16: the table's number of the final states
const FIRST = 8; // f64: first packet
const LAST = 16; // f64: last packet
const TRAILING = 24; // f64: trailing bytes (0: an empty cell)
const ENDPOINTS = 32;
// An endpoint: a kind byte, then an IPv4 address (u32) and port (u16), or a text cell's byte length
// (u16), width (u16) and bytes.
const IPV4 = 0;
const TEXT = 1;
const IPV4_BYTES = 7;
const TEXT_HEAD = 5;
/** The longest record with two IPv4 endpoints. */
const RECORD_BYTES = ENDPOINTS + 2 * IPV4_BYTES;
/** The most distinct names or final states a table numbers (a record's u16 field). */
const MAX_NOS = 0xffff;

const HASH = 0x23;
const COLON = 0x3a;
const EN_DASH = Buffer.from('–');
const EN_DASH_BYTES = EN_DASH.length;
/** Bytes of the en dash beyond the one column it takes. */
const EN_DASH_EXTRA = EN_DASH_BYTES - 1;

/** How many numbers verdictNamesNo (a verdict key's 16 closer and reset-by pairs) and statesNo (two 8-bit states) give. */
const NAMES_NOS = VERDICT_KEYS.length * 16;
const STATES_NOS = 65536;

/** What a summary row shows of a FlowReport. */
export type SummaryFlow = Pick<FlowReport, 'id' | 'client' | 'server' | 'firstPacket' | 'lastPacket' | 'finalState'> & {
  teardown: Pick<TeardownReport, 'class' | 'detail' | 'closer' | 'resetBy' | 'trailingBytes' | 'causes'>;
};

/** The Cause cell: the causes' names, most telling first. */
const causeCell = (causes: readonly Cause[], lang: Lang): string => causes.map((c) => causeName(c.id, lang)).join(LABELS[lang].comma);

/** The verdict's cells in the language: class, detail, closer, reset by, causes (an empty cell for none). */
function verdictCells(t: Pick<TeardownReport, 'class' | 'detail' | 'closer' | 'resetBy' | 'causes'>, lang: Lang): string[] {
  const side = (w: Who): string => (w === null ? '' : sideName(w, lang));
  return [className(t.class, lang), t.detail ? detailName(t.detail, lang) : '', side(t.closer), side(t.resetBy), causeCell(t.causes, lang)];
}

/** Characters of a dotted quad. */
function quadWidth(addr: number): number {
  return 3 + digitCount((addr >>> 24) & 255) + digitCount((addr >>> 16) & 255) + digitCount((addr >>> 8) & 255) + digitCount(addr & 255);
}

/** Characters of `#first–#last`. */
const rangeWidth = (first: number, last: number): number => 3 + digitCount(first) + digitCount(last);

/**
 * The summary table, fed one row at a time in the order drawn: a connection of the store (`add`, or
 * `rowCopy` and later `keep` for one released early) or a FlowReport (`addFlow`). Each row widens
 * the columns as it comes; `draw` writes the table at the end, `close` lets go of its spill file.
 */
export class SummaryTable {
  private readonly columns: readonly string[];
  private readonly widths: number[];
  private readonly rows: RowChunks;
  /** A row made to wait (rowCopy), and what a text endpoint is written into first. */
  private readonly record = new ByteLines();
  private readonly scratch = new ByteLines();
  /** The most bytes of a record's text endpoints (what a drawn line may need beyond the numbers). */
  private longestText = 0;
  /**
   * The distinct verdict names and final states of the rows, numbered as met: a record keeps the
   * number, the drawing pads each once. Found by the store's numbers (verdictNamesNo, statesNo; the
   * table's number plus one, 0 for not met yet) or, for a FlowReport, by their text.
   */
  private readonly names: Array<readonly string[]> = [];
  private readonly states: string[] = [];
  private readonly namesByNo = new Uint16Array(NAMES_NOS);
  private readonly statesByNo = new Uint16Array(STATES_NOS);
  private readonly namesByText = new Map<string, number>();
  private readonly statesByText = new Map<string, number>();
  /** Whether a row has trailing bytes (an empty Trailing column is dropped first on a narrow terminal). */
  private anyTrailing = false;
  rowCount = 0;

  constructor(limits: RowChunkLimits = DEFAULT_ROW_LIMITS, private readonly lang: Lang = 'en') {
    this.rows = new RowChunks(limits);
    this.columns = LABELS[lang].summaryColumns;
    this.widths = this.columns.map(cellWidth);
  }

  /** Adds the connection's row from the store's columns. */
  add(c: ConnectionView, v: Verdict): void {
    this.encode(this.rows.writer, c, v);
    this.rows.endRow();
    this.rowCount++;
  }

  /** The connection's row as bytes of its own, measured, for a row that waits for those before it (then `keep`). */
  rowCopy(c: ConnectionView, v: Verdict): Buffer {
    this.record.setLength(0);
    this.encode(this.record, c, v);
    return Buffer.from(this.record.written());
  }

  /** Adds a row `rowCopy` gave. */
  keep(row: Uint8Array): void {
    this.rows.add(row);
    this.rowCount++;
  }

  /** Adds a FlowReport's row. */
  addFlow(f: SummaryFlow): void {
    const t = f.teardown;
    const names = this.namesOfText(verdictCells(t, this.lang));
    const statesCell = `${f.finalState.client} / ${f.finalState.server}`;
    let states = this.statesByText.get(statesCell);
    if (states === undefined) this.statesByText.set(statesCell, (states = this.newStates(statesCell)));
    const out = this.rows.writer;
    this.fixed(out, f.id, names, states, f.firstPacket, f.lastPacket, t.trailingBytes);
    this.textEndpoint(out, endpointText(f.client), CLIENT_COL);
    this.textEndpoint(out, endpointText(f.server), SERVER_COL);
    this.rows.endRow();
    this.rowCount++;
  }

  /** The number of a verdict's cells, found by their text. */
  private namesOfText(cells: readonly string[]): number {
    const key = cells.join('\t');
    let names = this.namesByText.get(key);
    if (names === undefined) this.namesByText.set(key, (names = this.newNames(cells)));
    return names;
  }

  /** Numbers new verdict names, widening their columns. */
  private newNames(cells: readonly string[]): number {
    cells.forEach((cell, i) => this.widen(CLASS_COL + i, cellWidth(cell)));
    return this.number(this.names, cells);
  }

  /** Numbers new final states, widening their column. */
  private newStates(cell: string): number {
    this.widen(STATES_COL, cellWidth(cell));
    return this.number(this.states, cell);
  }

  private number<T>(list: T[], item: T): number {
    if (list.length === MAX_NOS) throw new Error('too many distinct cells for a summary record');
    return list.push(item) - 1;
  }

  /** Writes the connection's record at the end of `out` and widens the columns for it. */
  private encode(out: ByteLines, c: ConnectionView, v: Verdict): void {
    let names: number;
    if (v.causes.length > 0) {
      // Few connections have causes: their cells are found by text.
      names = this.namesOfText(verdictCells(v, this.lang));
    } else {
      const namesNo = verdictNamesNo(v);
      names = (this.namesByNo[namesNo] as number) - 1;
      if (names < 0) {
        names = this.newNames(verdictCells(v, this.lang));
        this.namesByNo[namesNo] = names + 1;
      }
    }
    const statesAt = statesNo(c);
    let states = (this.statesByNo[statesAt] as number) - 1;
    if (states < 0) {
      states = this.newStates(statesText(c));
      this.statesByNo[statesAt] = states + 1;
    }
    this.fixed(out, c.id, names, states, c.firstPacket, c.lastPacket, v.trailingBytes);
    this.endpoint(out, c.client, CLIENT_COL);
    this.endpoint(out, c.server, SERVER_COL);
  }

  /** Writes a record's fixed fields at the end of `out` and widens the columns of the numbers. */
  private fixed(out: ByteLines, id: number, names: number, states: number, first: number, last: number, trailing: number): void {
    this.widen(ID_COL, digitCount(id));
    if (trailing) {
      this.widen(TRAILING_COL, digitCount(trailing));
      this.anyTrailing = true;
    }
    this.widen(PACKETS_COL, rangeWidth(first, last));
    const at = out.length;
    out.space(RECORD_BYTES);
    const dv = out.spaceView();
    dv.setUint32(at + ID, id, true);
    dv.setUint16(at + NAMES, names, true);
    dv.setUint16(at + STATES, states, true);
    dv.setFloat64(at + FIRST, first, true);
    dv.setFloat64(at + LAST, last, true);
    dv.setFloat64(at + TRAILING, trailing, true);
    out.setLength(at + ENDPOINTS);
  }

  private widen(col: number, width: number): void {
    if (width > (this.widths[col] as number)) this.widths[col] = width;
  }

  /** One endpoint of the record being written into `out`: an IPv4 one as numbers, any other as its cell's bytes. */
  private endpoint(out: ByteLines, side: SideView, col: number): void {
    const at = out.length;
    const addr = side.addressId;
    if (typeof addr === 'number') {
      const port = side.port;
      out.space(IPV4_BYTES);
      const dv = out.spaceView();
      dv.setUint8(at, IPV4);
      dv.setUint32(at + 1, addr, true);
      dv.setUint16(at + 5, port, true);
      out.setLength(at + IPV4_BYTES);
      this.widen(col, quadWidth(addr) + 1 + digitCount(port));
      return;
    }
    const text = this.scratch;
    text.setLength(0);
    writeEndpoint(text, side);
    this.textCell(out, text.written(), col);
  }

  /** An endpoint given as its cell's text. */
  private textEndpoint(out: ByteLines, cell: string, col: number): void {
    const text = this.scratch;
    text.setLength(0);
    text.utf8(cell);
    this.textCell(out, text.written(), col);
  }

  /** An endpoint of the record being written into `out` as its cell's bytes. */
  private textCell(out: ByteLines, bytes: Uint8Array, col: number): void {
    const width = cellBytesWidth(bytes, 0, bytes.length);
    const at = out.length;
    out.space(TEXT_HEAD);
    const dv = out.spaceView();
    dv.setUint8(at, TEXT);
    dv.setUint16(at + 1, bytes.length, true);
    dv.setUint16(at + 3, width, true);
    out.setLength(at + TEXT_HEAD);
    out.bytes(bytes);
    if (bytes.length > this.longestText) this.longestText = bytes.length;
    this.widen(col, width);
  }

  /**
   * Draws the table into `out`, every line ended by a newline, rows in the order added; a table of
   * no rows is not drawn at all. `spill` is given `out` whenever it holds WRITE_BYTES
   * (byte-lines.ts) or more (to write it out and take it).
   */
  draw(out: ByteLines, spill: (out: ByteLines) => void = () => undefined, width?: number): void {
    if (this.rowCount === 0) return;
    const w = this.widths;
    const shown = width === undefined ? SUMMARY_COLUMNS.map(() => true) : this.fit(width);
    const padded = (cells: readonly string[], from: number): string =>
      cells.flatMap((c, i) => (shown[from + i] ? [c + ' '.repeat((w[from + i] as number) - cellWidth(c))] : [])).join(' │ ');
    const shownWidths = w.filter((_, i) => shown[i]);
    // What depends only on a few names is written once, padded: the verdict's four cells and the final states.
    const between = Buffer.from(boxRule(shownWidths, '├', '┼', '┤'));
    const names = this.names.map((cells) => Buffer.from(`${padded(cells, CLASS_COL)} │ `));
    const states = this.states.map((cell) => Buffer.from(`${padded([cell], STATES_COL)} │\n`));
    const look: Look = {
      between, names, states, widths: w, trailing: shown[TRAILING_COL] === true, packets: shown[PACKETS_COL] === true,
      betweenLength: between.length, namesLengths: names.map((b) => b.length), statesLengths: states.map((b) => b.length),
    };
    const longest = (lengths: number[]): number => lengths.reduce((a, b) => Math.max(a, b), 0);
    const most = between.length + lineBytes(w, 2 * this.longestText + 4 * MAX_DIGITS + 32) + longest(look.namesLengths) + longest(look.statesLengths);
    out.utf8(boxRule(shownWidths, '┌', '┬', '┐'));
    out.utf8(`│ ${padded(this.columns, 0)} │\n`);
    for (const chunk of this.rows.sealed()) {
      const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
      for (let at = 0; at < chunk.length; ) {
        at = line(out.space(most), out, chunk, dv, at, look);
        if (out.length >= WRITE_BYTES) spill(out);
      }
    }
    out.utf8(boxRule(shownWidths, '└', '┴', '┘'));
  }

  /**
   * The columns drawn in a box `width` wide: all when they fit, else DROP_ORDER's dropped one by
   * one (those no row fills first) until the box fits or only the essential ones are left.
   */
  private fit(width: number): boolean[] {
    const shown = SUMMARY_COLUMNS.map(() => true);
    const filled = (col: number): boolean =>
      col === PACKETS_COL || (col === TRAILING_COL ? this.anyTrailing : this.names.some((cells) => cells[col - CLASS_COL] !== ''));
    // A cell is `│ `, its text and a space; the box ends with `│`.
    const boxWidth = (): number => this.widths.reduce((n, w, i) => n + (shown[i] ? w + 3 : 0), 1);
    for (const col of [...DROP_ORDER.filter((c) => !filled(c)), ...DROP_ORDER.filter(filled)]) {
      if (boxWidth() <= width) break;
      shown[col] = false;
    }
    return shown;
  }

  /** Closes the spill file, if rows went to one: after the table is drawn. */
  close(): void {
    this.rows.close();
  }
}

/** The summary of verdicts as text: the `Summary:` line, then one row a connection. */
export function summaryText(flows: readonly SummaryFlow[], report: SummaryOf, lang: Lang = 'en', width?: number): string {
  const table = new SummaryTable(DEFAULT_ROW_LIMITS, lang);
  for (const f of flows) table.addFlow(f);
  const drawn = new ByteLines();
  table.draw(drawn, undefined, width);
  table.close();
  return summaryLine(report, lang) + drawn.take().toString('utf8');
}

/** Where the endpoint at `at` of a record ends. */
function endpointEnd(dv: DataView, at: number): number {
  return dv.getUint8(at) === IPV4 ? at + IPV4_BYTES : at + TEXT_HEAD + dv.getUint16(at + 1, true);
}

/** What a drawn row looks like: the rule above it, the verdict's and the final states' padded cells by number, the columns' widths. */
interface Look {
  between: Buffer;
  names: Buffer[];
  states: Buffer[];
  widths: readonly number[];
  /** Whether the Trailing and Packets columns are drawn (a narrow terminal may drop them). */
  trailing: boolean;
  packets: boolean;
  /** between's, names' and states' lengths, as small integers (a Buffer's length is a double in optimized code). */
  betweenLength: number;
  namesLengths: number[];
  statesLengths: number[];
}

/**
 * The line of the record at `at` (in `chunk`, seen through `dv`) and the rule above it, written by
 * one function straight into `b`, the space of `to` (room made for the longest line); returns where
 * the next record starts.
 */
function line(b: Buffer, to: ByteLines, chunk: Buffer, dv: DataView, at: number, look: Look): number {
  const ov = to.spaceView();
  const w = look.widths;
  let p = to.length;
  b.set(look.between, p);
  p += look.betweenLength;
  ov.setInt32(p, BAR_SPACE, true);
  p += 4;
  let start = p;
  p = putDigits(b, p, dv.getUint32(at + ID, true));
  p = writeSpaces(ov, p, (w[ID_COL] as number) - (p - start));
  p = putBetween(ov, p);
  const client = at + ENDPOINTS;
  start = p;
  p = putEndpoint(b, p, chunk, dv, client);
  p = writeSpaces(ov, p, (w[CLIENT_COL] as number) - endpointWidth(dv, client, p - start));
  p = putBetween(ov, p);
  const server = endpointEnd(dv, client);
  start = p;
  p = putEndpoint(b, p, chunk, dv, server);
  p = writeSpaces(ov, p, (w[SERVER_COL] as number) - endpointWidth(dv, server, p - start));
  p = putBetween(ov, p);
  const names = dv.getUint16(at + NAMES, true);
  b.set(look.names[names] as Buffer, p);
  p += look.namesLengths[names] as number;
  if (look.trailing) {
    const trailing = dv.getFloat64(at + TRAILING, true);
    start = p;
    if (trailing) p = putDigits(b, p, trailing);
    p = writeSpaces(ov, p, (w[TRAILING_COL] as number) - (p - start));
    p = putBetween(ov, p);
  }
  if (look.packets) {
    start = p;
    p = putRange(b, p, dv, at);
    p = writeSpaces(ov, p, (w[PACKETS_COL] as number) - (p - start - EN_DASH_EXTRA));
    p = putBetween(ov, p);
  }
  const states = dv.getUint16(at + STATES, true);
  b.set(look.states[states] as Buffer, p);
  to.setLength(p + (look.statesLengths[states] as number));
  return endpointEnd(dv, server);
}

/** Writes the endpoint at `at` of a record as its cell at `p` of `b` (room checked by the caller); returns where it ends. */
function putEndpoint(b: Buffer, p: number, chunk: Uint8Array, dv: DataView, at: number): number {
  if (dv.getUint8(at) === IPV4) {
    p = putQuad(b, p, dv.getUint32(at + 1, true));
    b[p++] = COLON;
    return putDigits(b, p, dv.getUint16(at + 5, true));
  }
  const bytes = dv.getUint16(at + 1, true);
  b.set(chunk.subarray(at + TEXT_HEAD, at + TEXT_HEAD + bytes), p);
  return p + bytes;
}

/** The width of the endpoint cell at `at`, `written` bytes long: an IPv4 one is ASCII, a text one's width was kept. */
function endpointWidth(dv: DataView, at: number, written: number): number {
  return dv.getUint8(at) === IPV4 ? written : dv.getUint16(at + 3, true);
}

/** Writes `#first–#last` of the record at `at`, at `p` of `b`; returns where it ends. */
function putRange(b: Buffer, p: number, dv: DataView, at: number): number {
  b[p++] = HASH;
  p = putDigits(b, p, dv.getFloat64(at + FIRST, true));
  b.set(EN_DASH, p);
  p += EN_DASH_BYTES;
  b[p++] = HASH;
  return putDigits(b, p, dv.getFloat64(at + LAST, true));
}
