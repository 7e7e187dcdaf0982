import { deflateRawSync } from 'node:zlib';
import type { FlowReport } from '../../analysis/report.js';
import type { CauseId } from '../../analysis/causes.js';
import type { TeardownClass, TeardownDetail } from '../../analysis/verdict-keys.js';
import { DEFLATE_LEVEL, Varints, outsideHeap } from './varints.js';
import type { HtmlOptions } from '../html.js';
import { cardBody } from '../html.js';
import { writeReportVerdict } from '../text-columns.js';
import type { Lang } from '../notes.js';
import { PAGE_WORDS } from './words.js';
import { causeLine } from '../causes.js';
import { handshakeName } from '../names.js';
import { viaText } from '../via.js';
import { ByteLines } from '../byte-lines.js';

/**
 * The large report's connection data (docs/report.md, "The data"), packed as each connection is
 * released so that nothing of it is kept but the packed bytes: one varint column a field (most as
 * the difference from the connection before), addresses and history strings as indexes into one
 * string table, and a connection's words (verdict, explanation, causes, evidence, written by the
 * text report's writer, html.ts cardVerdict) as a template shared by many connections with the
 * numbers taken out into a column. Each column is raw-deflated here as it grows (varints.ts), which
 * the browser's DecompressionStream reads, and written as base64.
 *
 * Packet rows, when kept, are the small page's card body (html.ts cardBody: the ladder and the
 * packet table, the one writer of both) for BODY_BLOCK connections at a time, deflated together.
 */

/** The columns, in the order the page reads them (list-assets.ts LIST_SCRIPT names them too). */
export const COLUMNS = ['id', 'cip', 'cport', 'sip', 'sport', 'kind', 'start', 'dur', 'first', 'span', 'cbytes', 'sbytes', 'hist', 'rows', 'nums'] as const;
type Column = (typeof COLUMNS)[number];

/** Connections whose card bodies are deflated together: the page inflates one block to open one. */
export const BODY_BLOCK = 16;

/** Where a template had a number: the page puts it back (list-assets.ts). */
export const HOLE = '\u0001';
const HOLE_BYTE = HOLE.charCodeAt(0);

/** A connection's kind: its words' template and what the list filters and sorts by. */
export type Kind = [template: string, cls: TeardownClass, detail: TeardownDetail | null, causes: CauseId[]];

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/** ' · ', between a card's facts. */
const FACT_SEP = ' · ';
/** 10 ** n, exactly, for the digits of a number up to 15 long. */
const POW10 = Array.from({ length: 16 }, (_, n) => Number(`1${'0'.repeat(n)}`));

/** Where the line starting at `from` ends (its newline, or the end). */
function lineEnd(b: Uint8Array, from: number): number {
  const at = b.indexOf(0x0a, from);
  return at < 0 ? b.length : at;
}

const asciiSpace = (ch: number): boolean => ch === 0x20 || (ch >= 0x09 && ch <= 0x0d);

/**
 * Bytes `[from, to)` of `b` without the whitespace at either end (none when `from` is past the
 * end). The lines are teardown's own words, whose only whitespace is ASCII: String.prototype.trim
 * would take the same bytes off.
 */
function trimmed(b: Uint8Array, from: number, to: number): Uint8Array {
  let i = Math.min(from, to);
  let j = to;
  while (i < j && asciiSpace(b[i] as number)) i++;
  while (j > i && asciiSpace(b[j - 1] as number)) j--;
  return b.subarray(i, j);
}

const micros = (seconds: number): number => Math.round(seconds * 1e6);

export class ListData {
  private readonly cols: Record<Column, Varints>;
  count = 0;
  readonly strings: string[] = [];
  private readonly stringNo = new Map<string, number>();
  readonly kinds: Kind[] = [];
  /** Each kind's template as UTF-8, and the kinds by a hash of it. */
  private readonly kindBytes: Uint8Array[] = [];
  private readonly kindsByHash = new Map<number, number[]>();
  /** The words of the connection at hand, before and after holing, and its packets named so far. */
  private readonly text = new ByteLines();
  private readonly holed = new ByteLines();
  private readonly seen: number[] = [];
  private readonly handshakes = new Map<FlowReport['handshake'], string>();
  /** The summary's counts, of the connections shown. */
  readonly byClass = new Map<TeardownClass, number>();
  readonly byCause = new Map<CauseId, number>();
  readonly byServer = new Map<string, number>();
  readonly byPort = new Map<number, number>();
  /** Connections by the whole second of capture time they started in. */
  readonly bySecond = new Map<number, number>();
  /** Deflated card bodies, BODY_BLOCK connections a block (base64 once written, as the columns: varints.ts). */
  readonly blocks: Buffer[] = [];
  /**
   * The block's card bodies so far, each as its JSON string's UTF-8 bytes: a body is a string of
   * thousands of pieces, and connections with rows are released far apart on a long capture, so a
   * body kept as a string until its block was full outlived the young generation, and every one
   * of them was copied into the old one as garbage (docs/report.md, "Memory").
   */
  private pending: Buffer[] = [];
  private prev = { id: 0, cport: 0, start: 0, first: 0 };
  private readonly verdictBytes = new ByteLines();

  constructor(private readonly options: () => HtmlOptions) {
    this.cols = Object.fromEntries(COLUMNS.map((c) => [c, new Varints()])) as Record<Column, Varints>;
  }

  private string(s: string): number {
    return intern(this.stringNo, this.strings, s, s);
  }

  /**
   * A connection's words with each number taken out into `nums`: `#N` as N - first (zigzag, times
   * two) or, when the words named it before, its index among them (times two, plus one); others as
   * the digits after a leading 1 (which keeps leading zeros: `0.042` is 10 and 1042). The words are
   * the card's (cardVerdict's lines, the causes, then the facts), written and holed as UTF-8 bytes
   * in reused buffers and looked up by their bytes: no string is made for a connection whose kind
   * is known. Made as strings, they were half the report's CPU and the garbage that grew its heap
   * by tens of MB on the 8 M-packet capture (docs/report.md, "Memory").
   */
  private kind(f: FlowReport): number {
    const lang = this.options().lang;
    const v = this.verdictBytes;
    v.setLength(0);
    writeReportVerdict(v, f, lang);
    const text = this.text;
    text.setLength(0);
    this.writeWords(f, v.written(), text, lang);
    const t = text.written();
    const n = t.length;
    const holed = this.holed;
    holed.setLength(0);
    const h = holed.space(n);
    const nums = this.cols.nums;
    const seen = this.seen;
    seen.length = 0;
    let p = 0;
    for (let i = 0; i < n; ) {
      const ch = t[i] as number;
      if (ch < 0x30 || ch > 0x39) {
        h[p++] = ch;
        i++;
        continue;
      }
      let j = i;
      let d = 0;
      while (j < n && (t[j] as number) >= 0x30 && (t[j] as number) <= 0x39) d = d * 10 + (t[j++] as number) - 0x30;
      if (j - i > 15) {
        while (i < j) h[p++] = t[i++] as number;
        continue;
      }
      if (i > 0 && t[i - 1] === 0x23) {
        // The evidence names the explanation's packets again: a packet named before is its index.
        const rel = d - f.firstPacket;
        const before = seen.indexOf(rel);
        if (before >= 0) nums.push(2 * before + 1);
        else {
          nums.push(2 * (rel < 0 ? -2 * rel - 1 : 2 * rel));
          seen.push(rel);
        }
      } else nums.push((POW10[j - i] as number) + d);
      h[p++] = HOLE_BYTE;
      i = j;
    }
    holed.setLength(p);
    return this.kindOf(holed.written(), f);
  }

  /**
   * The words as text: `[verdict, explanation.trim(), ...causes, facts.join(' · ')].join('\n')`,
   * the facts being the evidence, trimmed, the packets, the handshake and the tunnel.
   */
  private writeWords(f: FlowReport, lines: Uint8Array, text: ByteLines, lang: Lang): void {
    const w = PAGE_WORDS[lang];
    const n = lines.length;
    const e0 = lineEnd(lines, 0);
    const e1 = e0 < n ? lineEnd(lines, e0 + 1) : n;
    const e2 = e1 < n ? lineEnd(lines, e1 + 1) : n;
    const explanation = trimmed(lines, e0 + 1, e1);
    const evidence = trimmed(lines, e1 + 1, e2);
    text.bytes(lines.subarray(0, e0));
    text.byte(0x0a);
    text.bytes(explanation);
    text.byte(0x0a);
    const t = f.teardown;
    for (const c of t.causes) {
      text.utf8(causeLine(c, t, lang));
      text.byte(0x0a);
    }
    text.bytes(evidence);
    text.utf8(FACT_SEP);
    text.utf8(w.packets);
    text.utf8(' #');
    text.number(f.firstPacket);
    text.utf8('–#');
    text.number(f.lastPacket);
    text.utf8(FACT_SEP);
    text.utf8(this.handshakeWords(f.handshake, lang));
    if (f.via) {
      text.utf8(FACT_SEP);
      text.utf8(viaText(f.via, lang));
    }
  }

  private handshakeWords(h: FlowReport['handshake'], lang: Lang): string {
    let words = this.handshakes.get(h);
    if (words === undefined) this.handshakes.set(h, (words = PAGE_WORDS[lang].handshake(handshakeName(h, lang))));
    return words;
  }

  /**
   * The number of the kind whose template is `holed` (UTF-8), added if new. The template names
   * the class, its detail and each cause's id: it is the kind's key.
   */
  private kindOf(holed: Uint8Array, f: FlowReport): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < holed.length; i++) hash = Math.imul(hash ^ (holed[i] as number), 0x01000193);
    const same = this.kindsByHash.get(hash);
    if (same !== undefined) {
      for (const k of same) if (Buffer.compare(this.kindBytes[k] as Uint8Array, holed) === 0) return k;
    }
    const k = this.kinds.length;
    const t = f.teardown;
    this.kinds.push([Buffer.from(holed).toString('utf8'), t.class, t.detail, t.causes.map((c) => c.id)]);
    this.kindBytes.push(Uint8Array.from(holed));
    if (same === undefined) this.kindsByHash.set(hash, [k]);
    else same.push(k);
    return k;
  }

  /** One connection, packed; the report can be let go. */
  add(f: FlowReport): void {
    const c = this.cols;
    const p = this.prev;
    const start = micros(f.startTime);
    c.id.pushSigned(f.id - p.id);
    c.cip.push(this.string(f.client.ip));
    c.cport.pushSigned(f.client.port - p.cport);
    c.sip.push(this.string(f.server.ip));
    c.sport.push(f.server.port);
    c.kind.push(this.kind(f));
    c.start.pushSigned(start - p.start);
    c.dur.push(Math.max(0, micros(f.endTime) - start));
    c.first.pushSigned(f.firstPacket - p.first);
    c.span.push(f.lastPacket - f.firstPacket);
    c.cbytes.push(f.bytes.client);
    c.sbytes.push(f.bytes.server);
    c.hist.push(this.string(f.history));
    c.rows.push(f.rows ? f.rows.length + 1 : 0);
    this.prev = { id: f.id, cport: f.client.port, start, first: f.firstPacket };
    this.count++;

    const t = f.teardown;
    bump(this.byClass, t.class);
    for (const cause of t.causes) bump(this.byCause, cause.id);
    bump(this.byServer, f.server.ip);
    bump(this.byPort, f.server.port);
    bump(this.bySecond, Math.floor(f.startTime));
    if (f.rows) {
      this.pending.push(Buffer.from(JSON.stringify(cardBody(f, this.options())), 'utf8'));
      if (this.pending.length === BODY_BLOCK) this.flushBodies();
    }
  }

  private flushBodies(): void {
    if (this.pending.length === 0) return;
    // JSON.stringify of the bodies' array, from each body's JSON.
    const parts: Buffer[] = [OPEN];
    for (const [i, body] of this.pending.entries()) parts.push(...(i === 0 ? [body] : [COMMA, body]));
    parts.push(CLOSE);
    this.blocks.push(outsideHeap(deflateRawSync(Buffer.concat(parts), { level: DEFLATE_LEVEL })));
    this.pending = [];
  }

  /** The columns, deflated and in base64 (Varints.finish), once every connection is in: one at a time. */
  *finish(): Generator<[Column, string[]]> {
    this.flushBodies();
    for (const name of COLUMNS) yield [name, this.cols[name].finish()];
  }
}

/** The number of `value` in `list`, added under `key` if new. */
function intern<T>(numbers: Map<string, number>, list: T[], key: string, value: T): number {
  let n = numbers.get(key);
  if (n === undefined) {
    n = list.length;
    list.push(value);
    numbers.set(key, n);
  }
  return n;
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

