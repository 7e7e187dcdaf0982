/**
 * The csv report (docs/contract.md, "CSV"): one row a connection under a header row, as RFC 4180
 * lays it out (CRLF line ends; a field with a comma, quote or line break quoted, its quotes
 * doubled). The columns are the ndjson flow's fields, named by their JSON paths, lists space-separated.
 */
import type { Instant } from '../flow/connection.js';
import { historyText } from '../flow/history.js';
import type { ConnectionView } from '../flow/view.js';
import { TCP_STATES } from '../tcp/states.js';
import type { Verdict } from '../analysis/teardown.js';
import { explainFacts, newFacts, stuckUnsure } from '../analysis/explain-facts.js';
import { ByteLines } from './byte-lines.js';
import { writeExplanation } from './explanations/bytes.js';
import type { Lang } from './notes.js';
import { epochSeconds, formatIso, formatSpan, nanosBetween } from './time.js';

export const CSV_COLUMNS = [
  'id', 'client.ip', 'client.port', 'server.ip', 'server.port', 'handshake', 'firstPacket', 'lastPacket',
  'startTime', 'endTime', 'bytes.client', 'bytes.server', 'history',
  'teardown.class', 'teardown.detail', 'teardown.closer', 'teardown.resetBy', 'teardown.trailingBytes',
  'teardown.stuckFor', 'teardown.evidence', 'teardown.explanation', 'teardown.causes',
  'finalState.client', 'finalState.server', 'startIso', 'endIso', 'startEpoch', 'endEpoch',
] as const;

/** A field as RFC 4180 writes it: quoted only when it must be. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const facts = newFacts();
const scratch = new ByteLines();

/** The explanation as plain text, through the one explanation writer. */
function explanation(c: ConnectionView, v: Verdict, lang: Lang): string {
  scratch.setLength(0);
  writeExplanation(scratch, v.keyNo, explainFacts(c, v, facts), lang, stuckUnsure(v), 'text');
  return scratch.text();
}

const state = (no: number): string => TCP_STATES[no] ?? 'CLOSED';

/** The rows: `head` before the first, `add` for each connection as it is released. */
export class CsvTable {
  private headed = false;

  head(out: ByteLines): void {
    if (this.headed) return;
    this.headed = true;
    out.ascii(CSV_COLUMNS.join(',') + '\r\n');
  }

  /** `first` is the capture's first record time, `digits` its precision (Analyzer.digits). */
  add(out: ByteLines, c: ConnectionView, v: Verdict, lang: Lang, first: Instant | undefined, digits: 6 | 9): void {
    this.head(out);
    const origin = first ?? { sec: 0, nsec: 0 };
    const start = c.startTime;
    const end = c.endTime;
    const cells: Array<string | number> = [
      c.id, c.client.ip, c.client.port, c.server.ip, c.server.port, c.handshake, c.firstPacket, c.lastPacket,
      formatSpan(nanosBetween(origin, start), digits), formatSpan(nanosBetween(origin, end), digits),
      c.client.bytes, c.server.bytes, historyText(c.historyDigits),
      v.class, v.detail ?? '', v.closer ?? '', v.resetBy ?? '', v.trailingBytes,
      v.stuckFor ?? '', v.evidence.join(' '), explanation(c, v, lang), v.causes.map((cause) => cause.id).join(' '),
      state(c.client.stateNo), state(c.server.stateNo),
      formatIso(start, digits), formatIso(end, digits), epochSeconds(start, digits), epochSeconds(end, digits),
    ];
    out.bytes(Buffer.from(cells.map((x) => csvField(String(x))).join(',') + '\r\n', 'utf8'));
  }
}
