/**
 * The facts a verdict's explanation names (its sides and the packet numbers of its evidence), read
 * from the connection's columns. The words around them are render/'s (render/explanations/).
 */
import { NO_PACKET, SERVER, CLIENT, cellOf, finAckNo, finNo, listItem, listLength, otherSideNo, sideName } from '../flow/columns.js';
import type { PacketListNo } from '../flow/columns.js';
import type { ConnectionStore } from '../flow/store.js';
import { DATA_AFTER_PEER_FIN, RST_NOS, TRAILING_NOS } from '../flow/store.js';
import type { Side } from '../tcp/states.js';
import type { StoredSlot, Verdict } from './teardown.js';

/** Below this many seconds a FIN without an answer may just be a close still under way. */
export const STUCK_UNSURE_BELOW = 1;

/** What an explanation text may refer to: the sides and the packet numbers of the evidence. */
export interface ExplainFacts {
  closer: Side;
  other: Side;
  port: number;
  fin?: number;
  finAck?: number;
  peerFin?: number;
  peerFinAck?: number;
  rst?: number;
  data: readonly number[];
  bytes: number;
  stuckFor: number;
  lastAckSeen: boolean;
}

const packetOrUndefined = (no: number): number | undefined => (no === NO_PACKET ? undefined : no);

/** The facts an explanation names, from the connection's columns and its verdict, written into `f`. */
export function explainFacts(c: StoredSlot, v: Verdict, f: ExplainFacts = newFacts()): ExplainFacts {
  const { store: s, slot } = c;
  const closer = v.closer === 'server' ? SERVER : CLIENT;
  const me = cellOf(slot, closer);
  const peer = cellOf(slot, otherSideNo(closer));
  const dataAfterClose = v.class === 'rst-after-close';
  f.closer = sideName(closer);
  f.other = sideName(otherSideNo(closer));
  f.port = s.serverPort[slot] as number;
  f.fin = packetOrUndefined(finNo(s, me));
  f.finAck = packetOrUndefined(finAckNo(s, me));
  f.peerFin = packetOrUndefined(finNo(s, peer));
  f.peerFinAck = packetOrUndefined(finAckNo(s, peer));
  f.rst = v.class === 'refused' ? packetOrUndefined(s.refusedNo[slot] as number) : v.resetBy === null ? undefined : v.class === 'abort' ? firstRstOfBoth(s, slot) : rstAfter(s, me);
  f.data = listCopy(s, peer, dataAfterClose ? DATA_AFTER_PEER_FIN : TRAILING_NOS);
  f.bytes = dataAfterClose ? (s.bytesAfterPeerFin[peer] as number) : v.trailingBytes;
  f.stuckFor = v.stuckFor ?? 0;
  f.lastAckSeen = v.lastAckSeen;
  return f;
}

/** Facts to fill in with explainFacts (one reused object saves one per connection). */
export function newFacts(): ExplainFacts & { data: number[] } {
  return { closer: 'client', other: 'server', port: 0, data: [], bytes: 0, stuckFor: 0, lastAckSeen: false };
}

/** The smallest RST number of either side (undefined when neither sent one). */
function firstRstOfBoth(s: ConnectionStore, slot: number): number | undefined {
  let first = Infinity;
  for (let cell = slot * 2; cell < slot * 2 + 2; cell++) {
    const n = listLength(s, cell, RST_NOS);
    for (let i = 0; i < n; i++) first = Math.min(first, listItem(s, cell, RST_NOS, i));
  }
  return first;
}

/** The side's first RST after its own FIN (after packet 0 when it sent none). */
function rstAfter(s: ConnectionStore, cell: number): number | undefined {
  const fin = finNo(s, cell);
  const after = fin === NO_PACKET ? 0 : fin;
  const n = listLength(s, cell, RST_NOS);
  for (let i = 0; i < n; i++) {
    const r = listItem(s, cell, RST_NOS, i);
    if (r > after) return r;
  }
  return undefined;
}

/** A side's packet list as a new array (emptying a reused one, length = 0, was a runtime call each time). */
function listCopy(s: ConnectionStore, cell: number, list: PacketListNo): number[] {
  const out: number[] = [];
  const n = listLength(s, cell, list);
  for (let i = 0; i < n; i++) out.push(listItem(s, cell, list, i));
  return out;
}

/** A stuck close seen for less than STUCK_UNSURE_BELOW: its explanation ends with a sentence saying so. */
export const stuckUnsure = (v: Verdict): boolean => v.class === 'stuck' && (v.stuckFor ?? 0) < STUCK_UNSURE_BELOW;
