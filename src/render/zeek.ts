/**
 * Zeek's conn.log (docs/contract.md, "Zeek's conn.log"): one record a connection, as Zeek's ASCII
 * writer lays it out (tab-separated, under the `#separator` ... `#types` header, `#close` at the
 * end) or as its JSON writer does (one object a line, keys like `id.orig_h`, unset fields left
 * out). Zeek's own columns are filled where teardown knows the value and unset (`-`) where it
 * does not; the verdict's class, detail, causes and closer follow them.
 */
import type { Instant } from '../flow/connection.js';
import { historyText } from '../flow/history.js';
import { ipv4Text } from '../flow/view.js';
import type { ByteLines } from './byte-lines.js';
import type { FlowJsonSide, FlowJsonSource, FlowJsonVerdict } from './json-columns.js';
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

/** The types whose values are written as JSON numbers. */
const NUMBER_TYPES = new Set(['time', 'interval', 'count', 'port']);

/** A field's value: a number or text as it is written, a set, or unset. */
type Value = string | number | readonly string[] | undefined;

const address = (side: FlowJsonSide): string => (typeof side.addressId === 'string' ? side.addressId : ipv4Text(side.addressId));

/**
 * A connection's values in ZEEK_FIELDS' order. Times are microseconds, as Zeek writes them; the
 * uid is `C` and the connection number, unique within the log as Zeek's random one is.
 */
function values(c: FlowJsonSource, v: FlowJsonVerdict): Value[] {
  const history = historyText(c.historyDigits);
  const start: Instant = { sec: c.startSec, nsec: c.startNsec };
  const micros = (c.endSec - c.startSec) * 1e6 + Math.floor(c.endNsec / 1000) - Math.floor(c.startNsec / 1000);
  return [
    epochSeconds(start, 6), `C${c.id}`, address(c.client), c.client.port, address(c.server), c.server.port,
    'tcp', undefined, epochSeconds({ sec: Math.floor(micros / 1e6), nsec: (micros % 1e6) * 1000 }, 6), c.client.bytes, c.server.bytes,
    zeekConnState(v, c.handshake, history), undefined, undefined, undefined, history,
    undefined, undefined, undefined, undefined,
    undefined,
    v.class, v.detail ?? undefined, v.causes.map((cause) => cause.id), v.closer ?? undefined,
  ];
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

  constructor(private readonly json: boolean) {}

  head(out: ByteLines, first: Instant | undefined): void {
    if (this.headed || this.json) return;
    this.headed = true;
    out.ascii('#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n');
    out.ascii(`#open\t${logTime(first)}\n`);
    out.ascii(`#fields\t${ZEEK_FIELDS.map(([name]) => name).join('\t')}\n`);
    out.ascii(`#types\t${ZEEK_FIELDS.map(([, type]) => type).join('\t')}\n`);
  }

  add(out: ByteLines, c: FlowJsonSource, v: FlowJsonVerdict, first: Instant | undefined): void {
    const row = values(c, v);
    if (this.json) {
      // Numbers as written here (Zeek's microseconds), not as a double's shortest form.
      const fields = ZEEK_FIELDS.flatMap(([name, type], i) => {
        const value = row[i];
        if (value === undefined) return [];
        const json = typeof value === 'number' || NUMBER_TYPES.has(type) ? String(value) : JSON.stringify(value);
        return [`${JSON.stringify(name)}:${json}`];
      });
      out.ascii(`{${fields.join(',')}}\n`);
      return;
    }
    this.head(out, first);
    out.ascii(row.map(cell).join('\t') + '\n');
  }

  close(out: ByteLines, first: Instant | undefined, last: Instant | undefined): void {
    this.head(out, first);
    if (!this.json) out.ascii(`#close\t${logTime(last)}\n`);
  }
}

/** A TSV cell: unset `-`, an empty set `(empty)`, a set comma-joined. Every value here is plain ASCII without tabs. */
function cell(value: Value): string {
  if (value === undefined) return '-';
  if (typeof value === 'object') return value.length === 0 ? '(empty)' : value.join(',');
  return String(value);
}
