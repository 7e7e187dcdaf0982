/**
 * TCP packets in no connection (analysis/unplaced.ts; docs/contract.md, "TCP packets in no
 * connection"): their Info column as tshark 4.0 prints it, their note and their JSON objects (their
 * text table: text.ts, unplacedLines). Loaded by every output path: nothing here draws a table.
 */
import type { UnplacedList, UnplacedPacket } from '../analysis/unplaced.js';
import type { Endpoint, Instant } from '../flow/connection.js';
import { headerFields, SNAPPED } from './info.js';
import { LABELS } from './labels.js';
import type { Lang } from './notes.js';
import { nanosBetween } from './time.js';

/** What tshark 4.0 appends where a read passed the length the IP header gives (a ReportedBoundsError). */
const MALFORMED = '[Malformed Packet]';

/**
 * The Info column: the ports, then what tshark read before it stopped (flags, numbers, window, the
 * urgent pointer), then why it stopped (`Info` of `dissect_tcp`, packet-tcp.c).
 */
export function unplacedInfo(p: UnplacedPacket): string {
  const h = p.header;
  let s = `${p.src.port} → ${p.dst.port}`;
  if (h !== undefined) s += headerFields(h.flags, h.seq, h.ack, h.win, h.urgent);
  if (p.stop === 'bogus') return `${s}, bogus TCP header length (${p.dataOffset * 4}, must be at least 20)`;
  return s + (p.stop === 'snapped' ? SNAPPED : MALFORMED);
}

/** Why the packet is in no connection, in plain words. */
export function unplacedNote(p: UnplacedPacket, lang: Lang): string {
  const n = p.why === 'data-offset' ? p.dataOffset : p.why === 'header-length' ? p.dataOffset * 4 : p.why === 'ip-short' ? p.ipLength : p.readable;
  return LABELS[lang].unplacedWhy[p.why](n, p.ipLength);
}

/** One packet in no connection as JSON lists it (docs/contract.md, "JSON fields"); `time` in seconds since `origin`. */
export interface UnplacedJson {
  no: number;
  time: number;
  src: Endpoint;
  dst: Endpoint;
  info: string;
  reason: string;
  why: string;
  note: string;
}

/** The JSON document's and the ndjson summary line's `unplaced` and `unplacedMore` (the latter only when some were not listed). */
export function unplacedJson(list: UnplacedList, lang: Lang, origin: Instant | undefined): { unplaced: UnplacedJson[]; unplacedMore?: number } {
  const first = origin ?? { sec: 0, nsec: 0 };
  const unplaced = list.packets.map((p) => ({
    no: p.no, time: nanosBetween(first, p.time) / 1e9, src: p.src, dst: p.dst, info: unplacedInfo(p), reason: p.reason, why: p.why, note: unplacedNote(p, lang),
  }));
  return list.more > 0 ? { unplaced, unplacedMore: list.more } : { unplaced };
}
