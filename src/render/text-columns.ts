/**
 * The text report of a connection without packet rows, written from the connection store's columns
 * and its verdict straight into ByteLines buffers: its block (heading, verdict, explanation,
 * evidence) and its cells of the summary table, the same text as text.ts's flowText and
 * summaryCells of the FlowReport, without the FlowReport or a string per line or cell.
 * test/unit/text-columns.test.ts holds the two side by side on every fixture.
 */
import type { SideNo } from '../flow/columns.js';
import { CLIENT, SERVER, addressText, cellOf, handshakeOf, stateName } from '../flow/columns.js';
import type { ConnectionStore } from '../flow/store.js';
import type { StoredSlot, Verdict } from '../analysis/teardown.js';
import type { ByteLines } from './byte-lines.js';
import { BOLD, RESET } from './color.js';

const TAB = 0x09;
const NEWLINE = 0x0a;
const HASH = 0x23;
const EN_DASH = Buffer.from('–');
const ARROW = Buffer.from(' → ');
const CLIENT_TO_SERVER = Buffer.from(' (client → server), packets ');

/** `ip:port`, or `[ip]:port` for an address with colons (IPv6), as text.ts writes an endpoint. */
function endpoint(out: ByteLines, s: ConnectionStore, slot: number, side: SideNo): void {
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
  out.bytes(EN_DASH);
  out.byte(HASH);
  out.number(s.lastPacket[slot] as number);
}

/** `client / server` states. */
function finalStates(out: ByteLines, s: ConnectionStore, slot: number): void {
  out.ascii(stateName(s, cellOf(slot, CLIENT)));
  out.ascii(' / ');
  out.ascii(stateName(s, cellOf(slot, SERVER)));
}

/** The connection's block as flowText writes it without rows, and the blank line after it. */
export function writeFlowBlock(out: ByteLines, c: StoredSlot, v: Verdict, explanation: string, color: boolean): void {
  const { store: s, slot } = c;
  if (color) out.ascii(BOLD);
  out.ascii('Connection ');
  out.number(s.id[slot] as number);
  out.ascii(': ');
  endpoint(out, s, slot, CLIENT);
  out.bytes(ARROW);
  endpoint(out, s, slot, SERVER);
  out.bytes(CLIENT_TO_SERVER);
  packetRange(out, s, slot);
  out.ascii(', handshake ');
  out.ascii(handshakeOf(s.flags[slot] as number));
  if (color) out.ascii(RESET);
  out.ascii('\nVerdict: ');
  out.ascii(v.class);
  if (v.detail) {
    out.ascii(' (');
    out.ascii(v.detail);
    out.byte(0x29);
  }
  out.ascii(', closer ');
  out.ascii(v.closer ?? '-');
  out.ascii(', reset by ');
  out.ascii(v.resetBy ?? '-');
  if (v.trailingBytes) {
    out.ascii(', trailing bytes ');
    out.number(v.trailingBytes);
  }
  if (v.stuckFor !== null) out.ascii(`, stuck for ${v.stuckFor.toFixed(3)} s`);
  out.ascii(', final states ');
  finalStates(out, s, slot);
  out.ascii('\n  ');
  out.utf8(explanation);
  out.ascii('\n  Evidence: ');
  if (v.evidence.length === 0) out.byte(0x2d);
  for (let i = 0; i < v.evidence.length; i++) {
    if (i > 0) out.byte(0x20);
    out.byte(HASH);
    out.number(v.evidence[i] as number);
  }
  out.byte(NEWLINE);
  out.byte(NEWLINE);
}

/** The connection's summaryCells, each ended by a tab (BoxTable's row form). */
export function writeSummaryCells(out: ByteLines, c: StoredSlot, v: Verdict): void {
  const { store: s, slot } = c;
  out.number(s.id[slot] as number);
  out.byte(TAB);
  endpoint(out, s, slot, CLIENT);
  out.byte(TAB);
  endpoint(out, s, slot, SERVER);
  out.byte(TAB);
  out.ascii(v.class);
  out.byte(TAB);
  out.ascii(v.detail ?? '');
  out.byte(TAB);
  out.ascii(v.closer ?? '');
  out.byte(TAB);
  out.ascii(v.resetBy ?? '');
  out.byte(TAB);
  if (v.trailingBytes) out.number(v.trailingBytes);
  out.byte(TAB);
  packetRange(out, s, slot);
  out.byte(TAB);
  finalStates(out, s, slot);
  out.byte(TAB);
}
