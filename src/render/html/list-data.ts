import { deflateRawSync } from 'node:zlib';
import type { FlowReport } from '../../analysis/report.js';
import type { CauseId } from '../../analysis/causes.js';
import type { TeardownClass, TeardownDetail } from '../../analysis/verdict-keys.js';
import { Varints } from './varints.js';
import type { HtmlOptions } from '../html.js';
import { cardBody, cardVerdict } from '../html.js';
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

/** A connection's kind: its words' template and what the list filters and sorts by. */
export type Kind = [template: string, cls: TeardownClass, detail: TeardownDetail | null, causes: CauseId[]];

const micros = (seconds: number): number => Math.round(seconds * 1e6);

export class ListData {
  private readonly cols: Record<Column, Varints>;
  count = 0;
  readonly strings: string[] = [];
  private readonly stringNo = new Map<string, number>();
  readonly kinds: Kind[] = [];
  private readonly kindNo = new Map<string, number>();
  /** The summary's counts, of the connections shown. */
  readonly byClass = new Map<TeardownClass, number>();
  readonly byCause = new Map<CauseId, number>();
  readonly byServer = new Map<string, number>();
  readonly byPort = new Map<number, number>();
  /** Connections by the whole second of capture time they started in. */
  readonly bySecond = new Map<number, number>();
  /** Deflated card bodies, base64, BODY_BLOCK connections a block. */
  readonly blocks: string[] = [];
  private pending: string[] = [];
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
   * the digits after a leading 1 (which keeps leading zeros: `0.042` is 10 and 1042).
   */
  private template(f: FlowReport): string {
    const o = this.options();
    const w = PAGE_WORDS[o.lang];
    const t = f.teardown;
    const [verdict = '', explanation = '', evidence = ''] = cardVerdict(f, o.lang, this.verdictBytes);
    const facts = [evidence.trim(), `${w.packets} #${f.firstPacket}–#${f.lastPacket}`, w.handshake(handshakeName(f.handshake, o.lang)), ...(f.via ? [viaText(f.via, o.lang)] : [])];
    const text = [verdict, explanation.trim(), ...t.causes.map((c) => causeLine(c, t, o.lang)), facts.join(' · ')].join('\n');
    const nums = this.cols.nums;
    const seen: number[] = [];
    return text.replace(/\d+/g, (d: string, at: number) => {
      if (d.length > 15) return d;
      if (text[at - 1] === '#') {
        // The evidence names the explanation's packets again: a packet named before is its index.
        const rel = Number(d) - f.firstPacket;
        const before = seen.indexOf(rel);
        if (before >= 0) nums.push(2 * before + 1);
        else {
          nums.push(2 * (rel < 0 ? -2 * rel - 1 : 2 * rel));
          seen.push(rel);
        }
      } else nums.push(Number(`1${d}`));
      return HOLE;
    });
  }

  private kind(f: FlowReport): number {
    const t = f.teardown;
    const k: Kind = [this.template(f), t.class, t.detail, t.causes.map((c) => c.id)];
    // The words name the class, its detail and each cause's id: they are the kind's key.
    return intern(this.kindNo, this.kinds, k[0], k);
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
      this.pending.push(cardBody(f, this.options()));
      if (this.pending.length === BODY_BLOCK) this.flushBodies();
    }
  }

  private flushBodies(): void {
    if (this.pending.length === 0) return;
    this.blocks.push(deflateRawSync(Buffer.from(JSON.stringify(this.pending), 'utf8'), { level: 9 }).toString('base64'));
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

