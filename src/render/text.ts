import type { Lang } from './notes.js';
import { notesText, rowTone } from './notes.js';
import type { FlowReport, Report } from '../analysis/report.js';
import type { Endpoint, Instant, PacketRow } from '../flow/connection.js';
import { bold, paint } from './color.js';
import { ColumnTable } from './table.js';
import type { Cause } from '../analysis/causes.js';
import { SUPPORTED_LINK_TYPES, linkTypeName } from '../decode/link.js';
import type { TimeMode } from './time.js';
import { TimeFormatter } from './time.js';
import { rowInfo } from './info.js';

export interface TextOptions {
  color: boolean;
  lang: Lang;
  time: TimeMode;
  /** Capture time of the first record: the origin of relative times. */
  origin: Instant;
  /** Decimals of the Time column: 9 for nanosecond captures. */
  digits: 6 | 9;
}

/** docs/contract.md, "Packet table": the text table's columns. */
export const PACKET_COLUMNS = ['No.', 'Time', 'Source', 'Src Port', 'Destination', 'Dst Port', 'Protocol', 'Info', 'Client', 'Server', 'Note'];

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
  const table = new ColumnTable(PACKET_COLUMNS);
  const cells = rows.map((r) => {
    const row = packetCells(r, f.client, f.server, times, o.lang);
    table.measure(row);
    return row;
  });
  const lines = [bold(table.line(PACKET_COLUMNS), o.color)];
  cells.forEach((row, i) => lines.push(paint(table.line(row), rowTone(rows[i]?.notes ?? []), o.color)));
  return lines;
}

/** What the summary line needs of a report. */
export type SummaryOf = Pick<Report, 'summary'> & Partial<Pick<Report, 'capture'>>;

/** The `Summary:` line (how many connections, by class) and what was not analysed. */
export function summaryLine(report: SummaryOf): string {
  const counts = Object.entries(report.summary.byClass).map(([k, v]) => `${k} ${v}`).join(', ');
  const skipped = report.capture ? skippedLines(report.capture).map((l) => l + '\n').join('') : '';
  const causes = Object.entries(report.summary.byCause ?? {}).map(([k, v]) => `${k} ${v}`).join(', ');
  return `Summary: ${report.summary.flows} connection${report.summary.flows === 1 ? '' : 's'}${counts ? ` (${counts})` : ''}${causes ? `; causes: ${causes}` : ''}\n${skipped}`;
}

/** What was not analysed: records that are not TCP, by reason, and link types we do not open. */
export function skippedLines(capture: Report['capture']): string[] {
  const lines: string[] = [];
  if (capture.dropped) lines.push(`The capture dropped ${capture.dropped} packet${capture.dropped === 1 ? '' : 's'} (pcapng interface statistics): verdicts may rest on packets it lacks`);
  const reasons = Object.entries(capture.skipped);
  if (reasons.length) {
    const total = reasons.reduce((n, [, v]) => n + v, 0);
    lines.push(`Not analysed: ${total} of ${capture.packets} records (${reasons.map(([k, v]) => `${k} ${v}`).join(', ')})`);
  }
  const { reassembled, fragmentsDropped } = capture;
  if (reassembled || fragmentsDropped) {
    const parts = [`${reassembled ?? 0} datagram${reassembled === 1 ? '' : 's'} reassembled`];
    if (fragmentsDropped) parts.push(`${fragmentsDropped} fragment${fragmentsDropped === 1 ? '' : 's'} dropped`);
    lines.push(`IP fragments: ${parts.join(', ')}`);
  }
  for (const t of capture.linkTypes) {
    if (!SUPPORTED_LINK_TYPES.has(t)) lines.push(`  ${linkTypeName(t)} is not supported: its records were counted, not decoded`);
  }
  return lines;
}
