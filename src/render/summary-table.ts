/**
 * The summary table of the streamed text report (cli/analyze-text.ts), from the connection store's
 * columns. The table is drawn at the end, since its columns' widths need every row; until then a
 * row is kept as a small binary record (numbers and codes, about 45 bytes) rather than as text,
 * and written as text once, straight into the drawn line with its padding. The same table as
 * text.ts's summaryCells drawn by cli-table3 (or BoxTable): test/unit/text-columns.test.ts holds
 * them side by side. Measured on the benchmark's 210,413 rows: about 290 → 180 ms (rows 115,
 * drawing 65, in-process), where the rows were written as cells, measured and copied into a
 * BoxTable, then scanned again to be drawn.
 */
import type { SideNo } from '../flow/columns.js';
import { CLIENT, SERVER, addressText } from '../flow/columns.js';
import type { ConnectionStore } from '../flow/store.js';
import { VERDICT_KEYS, verdictNamesNo } from '../analysis/verdict-keys.js';
import type { StoredSlot, Verdict } from '../analysis/teardown.js';
import { BAR_SPACE, boxRule, lineBytes, putBetween, writeSpaces } from './box.js';
import { ByteLines, MAX_DIGITS, WRITE_BYTES, digitCount, putDigits, putQuad } from './byte-lines.js';
import type { RowChunkLimits } from './row-chunks.js';
import { DEFAULT_ROW_LIMITS, RowChunks } from './row-chunks.js';
import { cellBytesWidth, cellWidth } from './table.js';
import { statesNo, statesText, writeEndpoint } from './text-columns.js';
import { SUMMARY_COLUMNS } from './text.js';

// SUMMARY_COLUMNS by index: the verdict's four names from CLASS_COL on.
const ID_COL = 0;
const CLIENT_COL = 1;
const SERVER_COL = 2;
const CLASS_COL = 3;
const TRAILING_COL = 7;
const PACKETS_COL = 8;
const STATES_COL = 9;

// A row's record, little-endian: fixed fields, then the client's endpoint and the server's.
const ID = 0; // u32
const NAMES = 4; // u16: verdictNamesNo (class, detail, closer, reset by)
const STATES = 6; // u16: statesNo (final states)
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

const HASH = 0x23;
const COLON = 0x3a;
const EN_DASH = Buffer.from('–');
const EN_DASH_BYTES = EN_DASH.length;
/** Bytes of the en dash beyond the one column it takes. */
const EN_DASH_EXTRA = EN_DASH_BYTES - 1;
/** Room for any cell textRows writes: a text endpoint's bytes (u16 length) or two numbers. */
const MAX_CELL = 0x10000 + 4 * MAX_DIGITS;

/** The cells kept by number: the verdict's four names by verdictNamesNo, the final states by statesNo (built as first met). */
const namesCells: Array<readonly string[] | undefined> = [];
const statesCells: Array<string | undefined> = [];

/** How many numbers verdictNamesNo and statesNo give (both below a 16-bit record field). */
const NAMES_NOS = 256;
const STATES_NOS = 65536;
if (VERDICT_KEYS.length * 16 > NAMES_NOS) throw new Error('verdictNamesNo outgrew the summary record');

/** The numbers flagged in `flags`. */
function* met(flags: Uint8Array): Generator<number> {
  for (let no = 0; no < flags.length; no++) if (flags[no] === 1) yield no;
}

/** Characters of a dotted quad. */
function quadWidth(addr: number): number {
  return 3 + digitCount((addr >>> 24) & 255) + digitCount((addr >>> 16) & 255) + digitCount((addr >>> 8) & 255) + digitCount(addr & 255);
}

/** Characters of `#first–#last`. */
const rangeWidth = (first: number, last: number): number => 3 + digitCount(first) + digitCount(last);

/**
 * The summary table of the streamed report: rows added as connections are released, in id order
 * (`add`, or `rowCopy` and later `keep` for one released early), drawn at the end (`draw`, or
 * `textRows` for cli-table3).
 */
export class SummaryTable {
  private readonly widths = SUMMARY_COLUMNS.map(cellWidth);
  private readonly rows: RowChunks;
  /** A row made to wait (rowCopy), and what a text endpoint is written into first. */
  private readonly record = new ByteLines();
  private readonly scratch = new ByteLines();
  /** The most bytes of a record's text endpoints (what a drawn line may need beyond the numbers). */
  private longestText = 0;
  /** The verdict names and final states numbers met (1 at the number): the padded cells drawn for them. */
  private readonly namesMet = new Uint8Array(NAMES_NOS);
  private readonly statesMet = new Uint8Array(STATES_NOS);
  rowCount = 0;

  constructor(limits: RowChunkLimits = DEFAULT_ROW_LIMITS) {
    this.rows = new RowChunks(limits);
  }

  /** Adds the connection's row (rows are drawn in the order added), measured: the columns widen for it. */
  add(c: StoredSlot, v: Verdict): void {
    this.encode(this.rows.writer, c, v);
    this.rows.endRow();
    this.rowCount++;
  }

  /** The connection's row as bytes of its own, measured, for a row that waits for those before it (then `keep`). */
  rowCopy(c: StoredSlot, v: Verdict): Buffer {
    this.record.setLength(0);
    this.encode(this.record, c, v);
    return Buffer.from(this.record.written());
  }

  /** Adds a row `rowCopy` gave. */
  keep(row: Uint8Array): void {
    this.rows.add(row);
    this.rowCount++;
  }

  /** Writes the connection's record at the end of `out` and widens the columns for it. */
  private encode(out: ByteLines, c: StoredSlot, v: Verdict): void {
    const { store: s, slot } = c;
    const names = verdictNamesNo(v);
    const states = statesNo(s, slot);
    const nameCells = (namesCells[names] ??= [v.class, v.detail ?? '', v.closer ?? '', v.resetBy ?? '']);
    if (this.namesMet[names] === 0) {
      this.namesMet[names] = 1;
      nameCells.forEach((cell, i) => this.widen(CLASS_COL + i, cell.length));
    }
    if (this.statesMet[states] === 0) {
      this.statesMet[states] = 1;
      this.widen(STATES_COL, (statesCells[states] ??= statesText(s, slot)).length);
    }
    const id = s.id[slot] as number;
    const first = s.firstPacket[slot] as number;
    const last = s.lastPacket[slot] as number;
    this.widen(ID_COL, digitCount(id));
    if (v.trailingBytes) this.widen(TRAILING_COL, digitCount(v.trailingBytes));
    this.widen(PACKETS_COL, rangeWidth(first, last));

    const at = out.length;
    out.space(RECORD_BYTES);
    const dv = out.spaceView();
    dv.setUint32(at + ID, id, true);
    dv.setUint16(at + NAMES, names, true);
    dv.setUint16(at + STATES, states, true);
    dv.setFloat64(at + FIRST, first, true);
    dv.setFloat64(at + LAST, last, true);
    dv.setFloat64(at + TRAILING, v.trailingBytes, true);
    out.setLength(at + ENDPOINTS);
    this.endpoint(out, s, slot, CLIENT, CLIENT_COL);
    this.endpoint(out, s, slot, SERVER, SERVER_COL);
  }

  private widen(col: number, width: number): void {
    if (width > (this.widths[col] as number)) this.widths[col] = width;
  }

  /** One endpoint of the record being written into `out`: an IPv4 one as numbers, any other as its cell's bytes. */
  private endpoint(out: ByteLines, s: ConnectionStore, slot: number, side: SideNo, col: number): void {
    const at = out.length;
    if (addressText(s, slot, side) === undefined) {
      const addr = (side === CLIENT ? s.clientAddr[slot] : s.serverAddr[slot]) as number;
      const port = (side === CLIENT ? s.clientPort[slot] : s.serverPort[slot]) as number;
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
    writeEndpoint(text, s, slot, side);
    const bytes = text.written();
    const width = cellBytesWidth(bytes, 0, bytes.length);
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

  /** The rows as text cells, in order (small tables are drawn by cli-table3 from these). */
  *textRows(): Generator<string[]> {
    const cell = new ByteLines();
    for (const chunk of this.rows.sealed()) {
      const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
      for (let at = 0; at < chunk.length; ) {
        const trailing = dv.getFloat64(at + TRAILING, true);
        const client = at + ENDPOINTS;
        const server = endpointEnd(dv, client);
        yield [
          String(dv.getUint32(at + ID, true)),
          cellText(cell, (b, p) => putEndpoint(b, p, chunk, dv, client)),
          cellText(cell, (b, p) => putEndpoint(b, p, chunk, dv, server)),
          ...(namesCells[dv.getUint16(at + NAMES, true)] as readonly string[]),
          trailing ? String(trailing) : '',
          cellText(cell, (b, p) => putRange(b, p, dv, at)),
          statesCells[dv.getUint16(at + STATES, true)] as string,
        ];
        at = endpointEnd(dv, server);
      }
    }
  }

  /**
   * Draws the table into `out`, every line ended by a newline, rows in the order kept. `spill` is
   * given `out` whenever it holds WRITE_BYTES (byte-lines.ts) or more (to write it out and take it).
   */
  draw(out: ByteLines, spill: (out: ByteLines) => void = () => undefined): void {
    const w = this.widths;
    const padded = (cells: readonly string[], from: number): string => cells.map((c, i) => c + ' '.repeat((w[from + i] as number) - cellWidth(c))).join(' │ ');
    // What depends only on a few names is written once, padded: the verdict's four cells and the final states.
    const between = Buffer.from(boxRule(w, '├', '┼', '┤'));
    const look: Look = { between, names: [], states: [], widths: w, betweenLength: between.length, namesLengths: [], statesLengths: [] };
    for (const no of met(this.namesMet)) {
      look.names[no] = Buffer.from(`${padded(namesCells[no] as readonly string[], CLASS_COL)} │ `);
      look.namesLengths[no] = (look.names[no] as Buffer).length;
    }
    for (const no of met(this.statesMet)) {
      look.states[no] = Buffer.from(`${padded([statesCells[no] as string], STATES_COL)} │\n`);
      look.statesLengths[no] = (look.states[no] as Buffer).length;
    }
    const most = lineBytes(w, 2 * this.longestText + 4 * MAX_DIGITS + 32) + look.between.length;
    out.utf8(boxRule(w, '┌', '┬', '┐'));
    out.utf8(`│ ${padded(SUMMARY_COLUMNS, 0)} │\n`);
    for (const chunk of this.rows.sealed()) {
      const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
      for (let at = 0; at < chunk.length; ) {
        at = line(out.space(most), out, chunk, dv, at, look);
        if (out.length >= WRITE_BYTES) spill(out);
      }
    }
    out.utf8(boxRule(w, '└', '┴', '┘'));
  }

  /** Closes the spill file, if rows went to one: after the table is drawn. */
  close(): void {
    this.rows.close();
  }
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
  const trailing = dv.getFloat64(at + TRAILING, true);
  start = p;
  if (trailing) p = putDigits(b, p, trailing);
  p = writeSpaces(ov, p, (w[TRAILING_COL] as number) - (p - start));
  p = putBetween(ov, p);
  start = p;
  p = putRange(b, p, dv, at);
  p = writeSpaces(ov, p, (w[PACKETS_COL] as number) - (p - start - EN_DASH_EXTRA));
  p = putBetween(ov, p);
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

/** A cell written by one of the put functions, as a string (textRows). */
function cellText(cell: ByteLines, put: (b: Buffer, p: number) => number): string {
  cell.setLength(0);
  const b = cell.space(MAX_CELL);
  cell.setLength(put(b, 0));
  return cell.take().toString('utf8');
}
