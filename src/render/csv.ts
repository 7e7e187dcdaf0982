/**
 * The csv report (docs/contract.md, "CSV"): one row a connection under a header row, as RFC 4180
 * lays it out (CRLF line ends; a field with a comma, quote or line break quoted, its quotes
 * doubled). The columns are the ndjson flow's fields, named by their JSON paths, lists space-separated.
 */
import type { Instant } from '../flow/connection.js';
import type { ConnectionView } from '../flow/view.js';
import { TCP_STATES } from '../tcp/states.js';
import type { Verdict } from '../analysis/teardown.js';
import { explainFacts, newFacts, stuckUnsure } from '../analysis/explain-facts.js';
import { ByteLines, Encoded, MAX_DIGITS, putDigits } from './byte-lines.js';
import { writeExplanation } from './explanations/bytes.js';
import { AbsoluteTimes, historyLetters, putFraction } from './json-columns.js';
import type { Lang } from './notes.js';

export const CSV_COLUMNS = [
  'id', 'client.ip', 'client.port', 'server.ip', 'server.port', 'handshake', 'firstPacket', 'lastPacket',
  'startTime', 'endTime', 'bytes.client', 'bytes.server', 'history',
  'teardown.class', 'teardown.detail', 'teardown.closer', 'teardown.resetBy', 'teardown.trailingBytes',
  'teardown.stuckFor', 'teardown.evidence', 'teardown.explanation', 'teardown.causes',
  'finalState.client', 'finalState.server', 'startIso', 'endIso', 'startEpoch', 'endEpoch',
] as const;

const facts = newFacts();
/** The explanation of the row being written, before it is quoted (if it must be) into the row. */
const scratch = new ByteLines();

const latin1 = Encoded.latin1;
const COMMA = 0x2c;
const QUOTE = 0x22;
const SPACE = 0x20;
const HANDSHAKE = { complete: latin1('complete'), partial: latin1('partial'), none: latin1('none') };
const STATES = TCP_STATES.map((name) => latin1(name));
const CLOSED = latin1('CLOSED');
/** The row's last four columns and its end (json-columns.ts writes them for ndjson too). */
const absoluteTimes = new AbsoluteTimes({ startIso: latin1(','), endIso: latin1(','), startEpoch: latin1(','), endEpoch: latin1(','), end: latin1('\r\n') });

/** The rows: `head` before the first, `add` for each connection as it is released. */
export class CsvTable {
  private headed = false;

  head(out: ByteLines): void {
    if (this.headed) return;
    this.headed = true;
    out.ascii(CSV_COLUMNS.join(',') + '\r\n');
  }

  /**
   * `first` is the capture's first record time, `digits` its precision (Analyzer.digits). Written
   * straight into `out` as bytes: every field but the explanation is a number or a name that needs
   * no quotes; the explanation is quoted when it must be (writeCsvField).
   */
  add(out: ByteLines, c: ConnectionView, v: Verdict, lang: Lang, first: Instant | undefined, digits: 6 | 9): void {
    this.head(out);
    const originSec = first?.sec ?? 0;
    const originNsec = first?.nsec ?? 0;
    out.number(c.id);
    out.byte(COMMA);
    out.address(c.client.addressId);
    out.byte(COMMA);
    out.digits(c.client.port);
    out.byte(COMMA);
    out.address(c.server.addressId);
    out.byte(COMMA);
    out.digits(c.server.port);
    out.byte(COMMA);
    out.encoded(HANDSHAKE[c.handshake]);
    out.byte(COMMA);
    out.number(c.firstPacket);
    out.byte(COMMA);
    out.number(c.lastPacket);
    out.byte(COMMA);
    span(out, (c.startSec - originSec) * 1e9 + (c.startNsec - originNsec), digits);
    out.byte(COMMA);
    span(out, (c.endSec - originSec) * 1e9 + (c.endNsec - originNsec), digits);
    out.byte(COMMA);
    out.number(c.client.bytes);
    out.byte(COMMA);
    out.number(c.server.bytes);
    out.byte(COMMA);
    historyLetters(out, c.historyDigits);
    out.byte(COMMA);
    out.ascii(v.class);
    out.byte(COMMA);
    if (v.detail !== null) out.ascii(v.detail);
    out.byte(COMMA);
    if (v.closer !== null) out.ascii(v.closer);
    out.byte(COMMA);
    if (v.resetBy !== null) out.ascii(v.resetBy);
    out.byte(COMMA);
    out.number(v.trailingBytes);
    out.byte(COMMA);
    if (v.stuckFor !== null) out.number(v.stuckFor);
    out.byte(COMMA);
    for (let i = 0; i < v.evidence.length; i++) {
      if (i > 0) out.byte(SPACE);
      out.number(v.evidence[i] as number);
    }
    out.byte(COMMA);
    scratch.setLength(0);
    writeExplanation(scratch, v.keyNo, explainFacts(c, v, facts), lang, stuckUnsure(v), 'text');
    writeCsvField(out, scratch.written());
    out.byte(COMMA);
    for (let i = 0; i < v.causes.length; i++) {
      if (i > 0) out.byte(SPACE);
      out.ascii((v.causes[i] as Verdict['causes'][number]).id);
    }
    out.byte(COMMA);
    out.encoded(STATES[c.client.stateNo] ?? CLOSED);
    out.byte(COMMA);
    out.encoded(STATES[c.server.stateNo] ?? CLOSED);
    absoluteTimes.write(out, c, digits);
  }
}

/** A span of `nanos` nanoseconds as formatSpan (time.ts) writes it: seconds, `digits` decimals. */
function span(out: ByteLines, nanos: number, digits: 6 | 9): void {
  const abs = Math.abs(nanos);
  const sec = Math.floor(abs / 1e9);
  const b = out.space(MAX_DIGITS + 11);
  let p = out.length;
  if (nanos < 0) b[p++] = 0x2d;
  p = putDigits(b, p, sec);
  b[p++] = 0x2e;
  out.setLength(putFraction(b, p, abs - sec * 1e9, digits));
}

/**
 * UTF-8 text as one field, as RFC 4180 writes it: in quotes, its quotes doubled, only when it holds
 * a quote, comma or line break (bytes below 0x80 are never part of a longer UTF-8 character).
 */
export function writeCsvField(out: ByteLines, text: Uint8Array): void {
  let plain = true;
  for (let i = 0; i < text.length && plain; i++) {
    const ch = text[i] as number;
    plain = ch !== QUOTE && ch !== COMMA && ch !== 0x0d && ch !== 0x0a;
  }
  if (plain) {
    out.bytes(text);
    return;
  }
  out.byte(QUOTE);
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== QUOTE) continue;
    out.range(text, from, i + 1);
    out.byte(QUOTE);
    from = i + 1;
  }
  out.range(text, from, text.length);
  out.byte(QUOTE);
}
