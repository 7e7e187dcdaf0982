/**
 * Zeek's conn.log (docs/contract.md, "Zeek's conn.log"): one record a connection, as Zeek's ASCII
 * writer lays it out (tab-separated, under the `#separator` ... `#types` header, `#close` at the
 * end) or as its JSON writer does (one object a line, keys like `id.orig_h`, unset fields left
 * out). Zeek's own columns are filled where teardown knows the value and unset (`-`) where it
 * does not; the verdict's class, detail, causes and closer follow them.
 */
import type { Instant } from '../flow/connection.js';
import { historyText } from '../flow/history.js';
import type { ByteLines } from './byte-lines.js';
import { Encoded } from './byte-lines.js';
import type { FlowJsonSide, FlowJsonSource, FlowJsonVerdict } from './json-columns.js';
import { epochDigits } from './json-columns.js';
import { epochSeconds } from './time.js';

/**
 * Zeek's conn_state for a verdict: the value of Zeek's `conn_state()` (base/protocols/conn/main.zeek)
 * for the same wire pattern, one of those docs/verdicts.md ("Zeek: how its labels line up") lists
 * for the class. `history` is Zeek's letters, the client's upper case.
 */
export function zeekConnState(
  v: Pick<FlowJsonVerdict, 'class' | 'closer' | 'resetBy'>, handshake: 'complete' | 'partial' | 'none', history: string,
): string {
  // Zeek calls an endpoint inactive (or partial) until it has seen its SYN: its S, its h.
  const clientActive = history.includes('S');
  const serverActive = history.includes('h');
  switch (v.class) {
    case 'refused':
      return 'REJ';
    case 'graceful':
    case 'half-close':
      return 'SF';
    case 'rst-after-close':
    case 'abort':
      // A reset from the server is Zeek's first test, one from the client its second; when both
      // reset, Zeek (measured on the peer corpus) goes by the first RST: after it, it stops tracking.
      if (v.resetBy === 'server' || (v.resetBy === 'both' && history.indexOf('r') < history.indexOf('R'))) {
        // The client sent nothing but its SYN: a refused attempt.
        if (/^S+[a-z]*$/.test(history.replace(/R/g, ''))) return 'REJ';
        return clientActive ? 'RSTR' : 'RSTRH';
      }
      if (serverActive) return 'RSTO';
      return /^\^?S[^HAFGIQ]*R/.test(history) ? 'RSTOS0' : 'OTH';
    case 'stuck':
      if (v.closer === 'client') return serverActive ? 'S2' : 'SH';
      if (v.closer === 'server') return clientActive ? 'S3' : 'SHR';
      return 'OTH';
    case 'unanswered':
      return 'S0';
    case 'open':
      if (handshake === 'complete') return 'S1';
      if (clientActive && !serverActive && !/[a-z]/.test(history)) return 'S0';
      return clientActive && serverActive ? 'S1' : 'OTH';
  }
}

/** Zeek's conn.log columns, then ours, with their Zeek types. */
export const ZEEK_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['ts', 'time'], ['uid', 'string'], ['id.orig_h', 'addr'], ['id.orig_p', 'port'], ['id.resp_h', 'addr'], ['id.resp_p', 'port'],
  ['proto', 'enum'], ['service', 'string'], ['duration', 'interval'], ['orig_bytes', 'count'], ['resp_bytes', 'count'],
  ['conn_state', 'string'], ['local_orig', 'bool'], ['local_resp', 'bool'], ['missed_bytes', 'count'], ['history', 'string'],
  ['orig_pkts', 'count'], ['orig_ip_bytes', 'count'], ['resp_pkts', 'count'], ['resp_ip_bytes', 'count'],
  ['tunnel_parents', 'set[string]'],
  ['class', 'string'], ['detail', 'string'], ['causes', 'set[string]'], ['closer', 'string'],
];

/** ZEEK_FIELDS' positions that the rows write by name. */
const enum Field { Ts, Uid, OrigH, OrigP, RespH, RespP, Proto, Service, Duration, OrigBytes, RespBytes, ConnState, LocalOrig, LocalResp, MissedBytes, History, OrigPkts, OrigIpBytes, RespPkts, RespIpBytes, TunnelParents, Class, Detail, Causes, Closer }

/** Before each field of a JSON row: `{"ts":` for the first (always set), `,"name":` for the others. */
const JSON_KEYS = ZEEK_FIELDS.map(([name], i) => Encoded.latin1(`${i === 0 ? '{' : ','}${JSON.stringify(name)}:`));
const TAB = 0x09;
const QUOTE = 0x22;
const TCP = Encoded.latin1('tcp');

/**
 * One row of the log, written as bytes into the output (no value list, cell strings or join):
 * `key` starts a field (its key in JSON, a tab before every field but the first in TSV), `unset`
 * stands for a field teardown does not know (`-` in TSV, nothing in JSON, as Zeek's writers do).
 */
class Row {
  constructor(private readonly json: boolean) {}

  key(out: ByteLines, field: Field): void {
    if (this.json) out.encoded(JSON_KEYS[field] as Encoded);
    else if (field !== Field.Ts) out.byte(TAB);
  }

  unset(out: ByteLines, field: Field): void {
    if (this.json) return;
    this.key(out, field);
    out.byte(0x2d);
  }

  /** A string field: ASCII text without tabs, quotes or backslashes (names, letters, addresses). */
  text(out: ByteLines, field: Field, text: string): void {
    this.key(out, field);
    if (this.json) out.byte(QUOTE);
    out.ascii(text);
    if (this.json) out.byte(QUOTE);
  }

  /** An address: IPv4 from its integer, IPv6 as its text. */
  address(out: ByteLines, field: Field, side: FlowJsonSide): void {
    this.key(out, field);
    if (this.json) out.byte(QUOTE);
    out.address(side.addressId);
    if (this.json) out.byte(QUOTE);
  }

  /** A set of strings: TSV comma-joined or `(empty)`, JSON an array. */
  set(out: ByteLines, field: Field, items: readonly { id: string }[]): void {
    this.key(out, field);
    if (!this.json) {
      if (items.length === 0) out.ascii('(empty)');
      for (let i = 0; i < items.length; i++) {
        if (i > 0) out.byte(0x2c);
        out.ascii((items[i] as { id: string }).id);
      }
      return;
    }
    out.byte(0x5b);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out.byte(0x2c);
      out.byte(QUOTE);
      out.ascii((items[i] as { id: string }).id);
      out.byte(QUOTE);
    }
    out.byte(0x5d);
  }

  end(out: ByteLines): void {
    if (this.json) out.byte(0x7d);
    out.byte(0x0a);
  }
}

/** `sec.nsec` as epochSeconds (time.ts) writes it with microseconds, Zeek's time and interval. */
function micros(out: ByteLines, sec: number, nsec: number): void {
  if (sec >= 0 && Number.isSafeInteger(sec)) epochDigits(out, sec, nsec, 6);
  else out.ascii(epochSeconds({ sec, nsec }, 6));
}

/** Zeek's `#open`/`#close` time, `2026-11-21-22-38-49` (UTC here: capture time, not the clock's). */
function logTime(t: Instant | undefined): string {
  if (t === undefined) return '-';
  const d = new Date(t.sec * 1000);
  if (Number.isNaN(d.getTime())) return '-';
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}`;
}

/**
 * The log, written as connections are released: the header with the first connection (the
 * capture's first time is known by then) or at the end when there is none, `add` for each
 * connection, `close` at the end. The JSON form has neither header nor footer.
 */
export class ZeekLog {
  private headed = false;
  private readonly row: Row;

  constructor(private readonly json: boolean) {
    this.row = new Row(json);
  }

  head(out: ByteLines, first: Instant | undefined): void {
    if (this.headed || this.json) return;
    this.headed = true;
    out.ascii('#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n');
    out.ascii(`#open\t${logTime(first)}\n`);
    out.ascii(`#fields\t${ZEEK_FIELDS.map(([name]) => name).join('\t')}\n`);
    out.ascii(`#types\t${ZEEK_FIELDS.map(([, type]) => type).join('\t')}\n`);
  }

  /**
   * A connection's row, in ZEEK_FIELDS' order. Times are microseconds, as Zeek writes them; the
   * uid is `C` and the connection number, unique within the log as Zeek's random one is.
   */
  add(out: ByteLines, c: FlowJsonSource, v: FlowJsonVerdict, first: Instant | undefined): void {
    if (!this.json) this.head(out, first);
    const row = this.row;
    const history = historyText(c.historyDigits);
    row.key(out, Field.Ts);
    micros(out, c.startSec, c.startNsec);
    row.key(out, Field.Uid);
    if (this.json) out.byte(QUOTE);
    out.byte(0x43);
    out.number(c.id);
    if (this.json) out.byte(QUOTE);
    row.address(out, Field.OrigH, c.client);
    row.key(out, Field.OrigP);
    out.digits(c.client.port);
    row.address(out, Field.RespH, c.server);
    row.key(out, Field.RespP);
    out.digits(c.server.port);
    row.key(out, Field.Proto);
    if (this.json) out.byte(QUOTE);
    out.encoded(TCP);
    if (this.json) out.byte(QUOTE);
    row.unset(out, Field.Service);
    row.key(out, Field.Duration);
    const span = (c.endSec - c.startSec) * 1e6 + Math.floor(c.endNsec / 1000) - Math.floor(c.startNsec / 1000);
    micros(out, Math.floor(span / 1e6), (span % 1e6) * 1000);
    row.key(out, Field.OrigBytes);
    out.number(c.client.bytes);
    row.key(out, Field.RespBytes);
    out.number(c.server.bytes);
    row.text(out, Field.ConnState, zeekConnState(v, c.handshake, history));
    row.unset(out, Field.LocalOrig);
    row.unset(out, Field.LocalResp);
    row.unset(out, Field.MissedBytes);
    row.text(out, Field.History, history);
    row.unset(out, Field.OrigPkts);
    row.unset(out, Field.OrigIpBytes);
    row.unset(out, Field.RespPkts);
    row.unset(out, Field.RespIpBytes);
    row.unset(out, Field.TunnelParents);
    row.text(out, Field.Class, v.class);
    if (v.detail === null) row.unset(out, Field.Detail);
    else row.text(out, Field.Detail, v.detail);
    row.set(out, Field.Causes, v.causes);
    if (v.closer === null) row.unset(out, Field.Closer);
    else row.text(out, Field.Closer, v.closer);
    row.end(out);
  }

  close(out: ByteLines, first: Instant | undefined, last: Instant | undefined): void {
    this.head(out, first);
    if (!this.json) out.ascii(`#close\t${logTime(last)}\n`);
  }
}
