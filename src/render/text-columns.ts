/**
 * The text report of a connection without packet rows, written from the connection store's columns
 * and its verdict straight into a ByteLines buffer: its block (heading, verdict, explanation,
 * evidence), the same text as text.ts's flowText of the FlowReport, without the FlowReport or a
 * string per line (its summary row: summary-table.ts).
 * test/unit/text-columns.test.ts holds the two side by side on every fixture.
 */
import type { SideNo } from '../flow/columns.js';
import { CLIENT, SERVER, addressText, cellOf, handshakeOf, stateName } from '../flow/columns.js';
import type { ConnectionStore } from '../flow/store.js';
import { verdictNamesNo } from '../analysis/explain.js';
import type { StoredSlot, Verdict } from '../analysis/teardown.js';
import type { Lang } from '../analysis/annotations.js';
import type { ByteLines } from './byte-lines.js';
import { Encoded } from './byte-lines.js';
import { BOLD, RESET } from './color.js';
import { writeExplanationText } from './explanation-bytes.js';

const NEWLINE = 0x0a;
const HASH = 0x23;
const utf8 = Encoded.utf8;
const CONNECTION = utf8('Connection ');
const COLON_SPACE = utf8(': ');
const TRAILING_BYTES = utf8(', trailing bytes ');
const EN_DASH = utf8('–');
const ARROW = utf8(' → ');
const CLIENT_TO_SERVER = utf8(' (client → server), packets ');
const HANDSHAKE = { complete: utf8(', handshake complete'), partial: utf8(', handshake partial'), none: utf8(', handshake none') };
const EVIDENCE = utf8('\n  Evidence: ');

/**
 * What depends on a few names only is encoded once, in the block's wording and in the summary's
 * cells, and kept by a small number: the verdict's names (verdictNo) and the final states (statesNo).
 * Measured: about 70 ms less CPU than writing the names, on the benchmark's 210,000 connections.
 */
const verdictNo = verdictNamesNo;
export const statesNo = (s: ConnectionStore, slot: number): number => (s.state[cellOf(slot, CLIENT)] as number) * 256 + (s.state[cellOf(slot, SERVER)] as number);
const verdictLines: Array<Encoded | undefined> = [];
const statesLines: Array<Encoded | undefined> = [];

/** `client / server` states. */
export function statesText(s: ConnectionStore, slot: number): string {
  return `${stateName(s, cellOf(slot, CLIENT))} / ${stateName(s, cellOf(slot, SERVER))}`;
}

/** `ip:port`, or `[ip]:port` for an address with colons (IPv6), as text.ts writes an endpoint. */
export function writeEndpoint(out: ByteLines, s: ConnectionStore, slot: number, side: SideNo): void {
  const text = addressText(s, slot, side);
  if (text === undefined) out.dottedQuad((side === CLIENT ? s.clientAddr[slot] : s.serverAddr[slot]) as number);
  else if (text.includes(':')) {
    out.byte(0x5b);
    out.utf8(text);
    out.byte(0x5d);
  } else out.utf8(text);
  out.byte(0x3a);
  out.digits((side === CLIENT ? s.clientPort[slot] : s.serverPort[slot]) as number);
}

/** `#first–#last`. */
function packetRange(out: ByteLines, s: ConnectionStore, slot: number): void {
  out.byte(HASH);
  out.number(s.firstPacket[slot] as number);
  out.encoded(EN_DASH);
  out.byte(HASH);
  out.number(s.lastPacket[slot] as number);
}

/** The connection's block as flowText writes it without rows, and the blank line after it. */
export function writeFlowBlock(out: ByteLines, c: StoredSlot, v: Verdict, lang: Lang, color: boolean): void {
  const { store: s, slot } = c;
  if (color) out.ascii(BOLD);
  out.encoded(CONNECTION);
  out.number(s.id[slot] as number);
  out.encoded(COLON_SPACE);
  writeEndpoint(out, s, slot, CLIENT);
  out.encoded(ARROW);
  writeEndpoint(out, s, slot, SERVER);
  out.encoded(CLIENT_TO_SERVER);
  packetRange(out, s, slot);
  out.encoded(HANDSHAKE[handshakeOf(s.flags[slot] as number)]);
  if (color) out.ascii(RESET);
  out.encoded((verdictLines[verdictNo(v)] ??= utf8(
    `\nVerdict: ${v.class}${v.detail ? ` (${v.detail})` : ''}, closer ${v.closer ?? '-'}, reset by ${v.resetBy ?? '-'}`,
  )));
  if (v.trailingBytes) {
    out.encoded(TRAILING_BYTES);
    out.number(v.trailingBytes);
  }
  if (v.stuckFor !== null) out.ascii(`, stuck for ${v.stuckFor.toFixed(3)} s`);
  out.encoded((statesLines[statesNo(s, slot)] ??= utf8(`, final states ${statesText(s, slot)}\n  `)));
  writeExplanationText(out, c, v, lang);
  out.encoded(EVIDENCE);
  if (v.evidence.length === 0) out.byte(0x2d);
  for (let i = 0; i < v.evidence.length; i++) {
    if (i > 0) out.byte(0x20);
    out.byte(HASH);
    out.number(v.evidence[i] as number);
  }
  out.byte(NEWLINE);
  out.byte(NEWLINE);
}
