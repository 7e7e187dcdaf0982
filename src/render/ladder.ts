import type { NoteTone } from './notes.js';
import { notesText, rowTone } from './notes.js';
import type { Endpoint, PacketRow } from '../flow/connection.js';
import { TcpFlag } from '../decode/segment.js';
import type { TcpState } from '../tcp/states.js';
import { bold, paint } from './color.js';
import { flagNames, rowPrefix } from './info.js';
import type { RowsOf, TextOptions } from './text.js';
import type { Cause } from '../analysis/causes.js';
import { TimeFormatter } from './time.js';
import { LABELS } from './labels.js';
import { causeName } from './causes.js';
import { cellWidth } from './table.js';

/**
 * The ladder diagram (docs/pictures.md, "--ladder"): the textbook picture of a connection, two lifelines with the
 * segments crossing between them and each side's state written where it changes. This module
 * holds the model both renderers share (`ladderSteps`) and the terminal renderer; svg.ts draws the
 * same steps for the HTML report.
 */

/** One segment drawn as one arrow. States are set only where they changed (the first row: always). */
export interface PacketStep {
  kind: 'packet';
  row: PacketRow;
  /** `FIN, ACK  Seq=9 Ack=20 Len=0`: flags, relative sequence numbers, payload length. */
  label: string;
  tone: NoteTone;
  clientState: TcpState | undefined;
  serverState: TcpState | undefined;
  /** Wireshark's analysis prefixes (`[TCP Retransmission]`) and the row's notes. */
  note: string;
}

/** A run of ordinary data and ACK segments drawn as one arrow: `12 segments, 3400 bytes`. */
export interface FoldStep {
  kind: 'fold';
  first: PacketRow;
  last: PacketRow;
  segments: number;
  bytes: number;
  /** Segments in each direction: the fold's arrow has a head on each side that sent any. */
  toServer: number;
  toClient: number;
  label: string;
}

export type LadderStep = PacketStep | FoldStep;

/** A run of at least this many foldable rows becomes one arrow: short exchanges (a request, its reply and their ACKs) stay visible, bulk transfers fold. */
export const FOLD_MIN = 8;

export function segmentLabel(r: PacketRow): string {
  return `${flagNames(r.flags)}  Seq=${r.seq}${r.flags & TcpFlag.ACK ? ` Ack=${r.ack}` : ''} Len=${r.len}`;
}

/**
 * A row that may fold: no SYN, FIN or RST, no note (notes mark what the reader must see), and
 * neither side's state changed. The first row never folds.
 */
function foldable(r: PacketRow, prev: PacketRow | undefined): boolean {
  return prev !== undefined && (r.flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) === 0 && r.notes.length === 0
    && r.client === prev.client && r.server === prev.server;
}

/** The mark each cause's evidence packet gets on its arrow: `◀ cause: path-reset`. */
function causeMarks(causes: readonly Cause[] | undefined, lang: TextOptions['lang']): Map<number, string> {
  const marks = new Map<number, string>();
  for (const c of causes ?? []) {
    for (const no of c.evidence) {
      const had = marks.get(no);
      const name = causeName(c.id, lang);
      marks.set(no, had === undefined ? `${LABELS[lang].causeMark}${name}` : `${had}${LABELS[lang].comma}${name}`);
    }
  }
  return marks;
}

/** The steps of a connection's ladder, from its rows (none when rows were not kept). */
export function ladderSteps(f: RowsOf, lang: TextOptions['lang']): LadderStep[] {
  const rows = f.rows ?? [];
  const marks = causeMarks(f.causes, lang);
  const steps: LadderStep[] = [];
  let prev: PacketRow | undefined;
  let i = 0;
  while (i < rows.length) {
    let end = i;
    while (end < rows.length && foldable(rows[end] as PacketRow, end === 0 ? undefined : rows[end - 1]) && !marks.has((rows[end] as PacketRow).no)) end++;
    if (end - i >= FOLD_MIN) {
      const run = rows.slice(i, end);
      const bytes = run.reduce((n, r) => n + r.len, 0);
      const toServer = run.filter((r) => r.fromClient).length;
      steps.push({
        kind: 'fold', first: run[0] as PacketRow, last: run[run.length - 1] as PacketRow, segments: run.length, bytes,
        toServer, toClient: run.length - toServer, label: LABELS[lang].fold(run.length, bytes),
      });
      prev = run[run.length - 1];
      i = end;
      continue;
    }
    const r = rows[i] as PacketRow;
    const prefix = rowPrefix(r.wire).trim();
    steps.push({
      kind: 'packet', row: r, label: segmentLabel(r), tone: rowTone(r.notes),
      clientState: prev?.client === r.client ? undefined : r.client,
      serverState: prev?.server === r.server ? undefined : r.server,
      note: [prefix, notesText(r.notes, lang), marks.get(r.no)].filter(Boolean).join(' '),
    });
    prev = r;
    i++;
  }
  return steps;
}

/** `127.0.0.1:80`, `[::1]:80` (as the text table's heading writes endpoints). */
export const endpointText = (e: Endpoint): string => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);

/** Width of the state columns: the longest state name. */
const STATE_WIDTH = 'SYN_RECEIVED'.length;
const MIN_ARROW = 36;

/** `│──── label ────▶│`'s inside: the label centred on a line of `─`, heads where given. */
function arrow(label: string, width: number, left: boolean, right: boolean): string {
  const body = width - (left ? 1 : 0) - (right ? 1 : 0);
  const text = ` ${label} `;
  const before = Math.max(1, Math.floor((body - cellWidth(text)) / 2));
  const after = Math.max(1, body - cellWidth(text) - before);
  return `${left ? '◀' : ''}${'─'.repeat(before)}${text}${'─'.repeat(after)}${right ? '▶' : ''}`;
}

/** Text centred on column `at` (clamped to the line start); columns counted as a terminal shows them (wide characters two). */
function centredAt(line: string, text: string, at: number): string {
  const end = cellWidth(line);
  const start = Math.max(end === 0 ? 0 : end + 1, at - Math.floor(cellWidth(text) / 2));
  return line + ' '.repeat(Math.max(0, start - end)) + text;
}

/** `text` padded to `width` columns, on the left (`start`) or the right. */
const pad = (text: string, width: number, start: boolean): string => {
  const fill = ' '.repeat(Math.max(0, width - cellWidth(text)));
  return start ? fill + text : text + fill;
};

/**
 * The largest of `least` and `width` over `items`, in a loop: `Math.max(...array)` passes every
 * element as an argument and overflows the stack past about 120,000 (a connection of that many
 * packets that do not fold).
 */
function widest<T>(least: number, items: readonly T[], width: (item: T) => number): number {
  let w = least;
  for (const item of items) w = Math.max(w, width(item));
  return w;
}

/** The ladder of one connection, one string per line; no lines when rows were not kept. */
export function ladderLines(f: RowsOf, o: TextOptions): string[] {
  if (!f.rows) return [];
  const steps = ladderSteps(f, o.lang);
  const times = new TimeFormatter(o.time, o.origin, o.digits);
  const cells = steps.map((s) => s.kind === 'packet'
    ? { no: `#${s.row.no}`, time: times.format(s.row.time) }
    : { no: `#${s.first.no}–#${s.last.no}`, time: times.format(s.first.time) });
  const w = LABELS[o.lang];
  const noWidth = widest(cellWidth(w.no), cells, (c) => c.no.length);
  const timeWidth = widest(cellWidth(w.time), cells, (c) => c.time.length);
  const width = widest(MIN_ARROW, steps, (s) => cellWidth(s.label) + 6);
  const prefixWidth = noWidth + 2 + timeWidth + 2 + STATE_WIDTH + 1;
  const clientAt = prefixWidth;
  const serverAt = prefixWidth + 1 + width;

  const head = centredAt(centredAt('', `${w.client} ${endpointText(f.client)}`, clientAt), `${w.server} ${endpointText(f.server)}`, serverAt);
  const rule = `${pad(w.no, noWidth, true)}  ${pad(w.time, timeWidth, false)}  ${''.padEnd(STATE_WIDTH)} │${' '.repeat(width)}│`;
  const lines = [bold(head, o.color), rule];
  steps.forEach((s, i) => {
    const c = cells[i] ?? { no: '', time: '' };
    const lead = `${c.no.padStart(noWidth)}  ${c.time.padEnd(timeWidth)}  `;
    if (s.kind === 'fold') {
      const a = arrow(s.label, width, s.toClient > 0, s.toServer > 0);
      lines.push(`${lead}${''.padEnd(STATE_WIDTH)} │${a}│`);
      return;
    }
    const a = arrow(s.label, width, !s.row.fromClient, s.row.fromClient);
    const tail = `${(s.serverState ?? '').padEnd(STATE_WIDTH)}  ${paint(s.note, s.tone, o.color)}`.trimEnd();
    lines.push(`${lead}${(s.clientState ?? '').padStart(STATE_WIDTH)} │${paint(a, s.tone, o.color)}│ ${tail}`.trimEnd());
  });
  lines.push(`${' '.repeat(prefixWidth)}│${' '.repeat(width)}│`.trimEnd());
  return lines;
}
