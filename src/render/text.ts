import type { Lang } from './notes.js';
import { notesText, rowTone } from './notes.js';
import type { FlowReport, Report } from '../analysis/report.js';
import type { Endpoint, Instant, PacketRow } from '../flow/connection.js';
import { bold, paint } from './color.js';
import { ColumnTable } from './table.js';
import type { FitRules } from './table.js';
import type { Cause } from '../analysis/causes.js';
import { SUPPORTED_LINK_TYPES, linkTypeName } from '../decode/link.js';
import type { TimeMode } from './time.js';
import { TimeFormatter } from './time.js';
import { rowInfo } from './info.js';
import type { UnplacedList } from '../analysis/unplaced.js';
import { UNPLACED_KEPT } from '../analysis/unplaced.js';
import { unplacedInfo, unplacedNote } from './unplaced.js';
import { LABELS } from './labels.js';
import { className } from './names.js';
import { causeName } from './causes.js';
import type { CauseId } from '../analysis/causes.js';
import type { TeardownClass } from '../analysis/verdict-keys.js';
import type { SkipReason } from '../decode/segment.js';

export interface TextOptions {
  color: boolean;
  lang: Lang;
  time: TimeMode;
  /** Capture time of the first record: the origin of relative times. */
  origin: Instant;
  /** Decimals of the Time column: 9 for nanosecond captures. */
  digits: 6 | 9;
  /** The terminal's width, which the table is fitted into (docs/contract.md, "Terminal width"); none for a file or a pipe. */
  width?: number | undefined;
}

/**
 * How a packet table fits a terminal: first the columns the connection's heading (its two
 * endpoints) and Info (the ports, the arrow) repeat, then Info and the note cut, Info first.
 */
export const PACKET_FIT: FitRules = {
  drop: ['Protocol', 'Src Port', 'Dst Port', 'Source', 'Destination'],
  cut: [['Info', 32], ['Note', 12], ['Info', 16]],
};

/** docs/contract.md, "Packet table": the text table's columns (in English; labels.ts has them in each language). */
export const PACKET_COLUMNS = LABELS.en.packetColumns;

/** An endpoint as the report writes it: `ip:port`, `[ip]:port` for an address with colons (IPv6). */
export const endpointText = (e: { ip: string; port: number }): string => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);

/** A packet row's cells, in PACKET_COLUMNS order (the packet table and live capture's rows). */
export function packetCells(r: PacketRow, client: Endpoint, server: Endpoint, times: TimeFormatter, lang: Lang): string[] {
  const [src, dst] = r.fromClient ? [client, server] : [server, client];
  return [String(r.no), times.format(r.time), src.ip, String(src.port), dst.ip, String(dst.port), 'TCP', rowInfo(r), r.client, r.server, notesText(r.notes, lang)];
}

/** What a connection's packet table or ladder is drawn from: its rows and its two endpoints. */
export type RowsOf = Pick<FlowReport, 'rows' | 'client' | 'server'> & {
  /** The verdict's causes: the ladder marks their evidence packets. */
  causes?: readonly Cause[];
};

/** The annotated packet table of one connection, one string per line. */
export function packetLines(f: RowsOf, o: TextOptions): string[] {
  const rows = f.rows ?? [];
  const times = new TimeFormatter(o.time, o.origin, o.digits);
  const columns = [...LABELS[o.lang].packetColumns];
  const table = new ColumnTable(columns);
  const cells = rows.map((r) => {
    const row = packetCells(r, f.client, f.server, times, o.lang);
    table.measure(row);
    return row;
  });
  // Fitted by the English names, whatever the language of the headers.
  if (o.width !== undefined) table.fit(o.width, PACKET_FIT, PACKET_COLUMNS);
  const lines = [bold(table.line(columns), o.color)];
  cells.forEach((row, i) => lines.push(paint(table.line(row), rowTone(rows[i]?.notes ?? []), o.color)));
  return lines;
}

/**
 * What the summary line needs of a report. `of`: under a selection, the connections in the whole
 * capture, and `summary` counts those shown (docs/contract.md, "Selection").
 */
export type SummaryOf = Pick<Report, 'summary'> & Partial<Pick<Report, 'capture'>> & { of?: number };

/** The `Summary:` line (how many connections, by class) and what was not analysed. */
export function summaryLine(report: SummaryOf, lang: Lang = 'en'): string {
  const w = LABELS[lang];
  const counts = Object.entries(report.summary.byClass).map(([k, v]) => `${className(k as TeardownClass, lang)} ${v}`).join(w.comma);
  const skipped = report.capture ? skippedLines(report.capture, lang).map((l) => l + '\n').join('') : '';
  const causes = Object.entries(report.summary.byCause ?? {}).map(([k, v]) => `${causeName(k as CauseId, lang)} ${v}`).join(w.comma);
  return `${w.summary(report.summary.flows, report.of)}${counts ? w.inParens(counts) : ''}${causes ? `${w.causes}${causes}` : ''}\n${skipped}`;
}

/** What was not analysed: records that are not TCP, by reason, and link types we do not open. */
export function skippedLines(capture: Report['capture'], lang: Lang = 'en'): string[] {
  const w = LABELS[lang];
  const lines: string[] = [];
  if (capture.dropped) lines.push(w.dropped(capture.dropped));
  const reasons = Object.entries(capture.skipped);
  if (reasons.length) {
    const total = reasons.reduce((n, [, v]) => n + v, 0);
    lines.push(w.notAnalysed(total, capture.packets, reasons.map(([k, v]) => `${w.skipReasons[k as SkipReason] ?? k} ${v}`).join(w.comma)));
  }
  const { reassembled, fragmentsDropped } = capture;
  if (reassembled || fragmentsDropped) lines.push(w.fragments(reassembled ?? 0, fragmentsDropped ?? 0));
  for (const t of capture.linkTypes) {
    if (!SUPPORTED_LINK_TYPES.has(t)) lines.push(w.unsupported(linkTypeName(t)));
  }
  return lines;
}

/** TCP packets in no connection (render/unplaced.ts): the packet table's columns without the two states (such a packet moves neither). */
const UNPLACED_COLUMNS = [0, 1, 2, 3, 4, 5, 6, 7, 10];

/** The table after the connections: its title, a row a packet, and the line for those not listed. */
export function unplacedLines(list: UnplacedList, o: TextOptions): string[] {
  const w = LABELS[o.lang];
  const headers = UNPLACED_COLUMNS.map((i) => w.packetColumns[i] ?? '');
  const table = new ColumnTable(headers);
  const times = new TimeFormatter(o.time, o.origin, o.digits);
  const cells = list.packets.map((p) => {
    const row = [String(p.no), times.format(p.time), p.src.ip, String(p.src.port), p.dst.ip, String(p.dst.port), 'TCP', unplacedInfo(p), unplacedNote(p, o.lang)];
    table.measure(row);
    return row;
  });
  if (o.width !== undefined) table.fit(o.width, PACKET_FIT, UNPLACED_COLUMNS.map((i) => LABELS.en.packetColumns[i] ?? ''));
  const lines = [bold(w.unplacedTitle(list.packets.length + list.more), o.color), bold(table.line(headers), o.color)];
  for (const row of cells) lines.push(table.line(row));
  if (list.more > 0) lines.push(w.unplacedMore(list.more, UNPLACED_KEPT));
  return lines;
}
