/**
 * The facts a verdict's explanation names (its sides and the packet numbers of its evidence), read
 * from the connection's columns. The words around them are render/'s (render/explanations/).
 */
import type { ConnectionView, SideView } from '../flow/view.js';
import type { Side } from '../tcp/states.js';
import type { Verdict } from './teardown.js';

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

/** The facts an explanation names, from the connection and its verdict, written into `f`. */
export function explainFacts(c: ConnectionView, v: Verdict, f: ExplainFacts = newFacts()): ExplainFacts {
  const me = v.closer === 'server' ? c.server : c.client;
  const peer = me.peer;
  const dataAfterClose = v.class === 'rst-after-close';
  f.closer = me.name;
  f.other = peer.name;
  f.port = c.server.port;
  f.fin = me.finNo;
  f.finAck = me.finAckNo;
  f.peerFin = peer.finNo;
  f.peerFinAck = peer.finAckNo;
  f.rst = v.class === 'refused' ? c.refusedNo : v.resetBy === null ? undefined : v.class === 'abort' ? firstRstOfBoth(c) : rstAfter(me);
  // Not copied: a list read from the store is a new array or one never changed (addToList replaces a list).
  f.data = dataAfterClose ? peer.dataAfterPeerFin : peer.trailingNos;
  f.bytes = dataAfterClose ? peer.bytesAfterPeerFin : v.trailingBytes;
  f.stuckFor = v.stuckFor ?? 0;
  f.lastAckSeen = v.lastAckSeen;
  return f;
}

/** Facts to fill in with explainFacts (one reused object saves one per connection). */
export function newFacts(): ExplainFacts & { data: number[] } {
  return { closer: 'client', other: 'server', port: 0, data: [], bytes: 0, stuckFor: 0, lastAckSeen: false };
}

/** The smallest RST number of either side (Infinity when neither sent one: the abort rule says one did). */
const firstRstOfBoth = (c: ConnectionView): number => Math.min(...c.client.rstNos, ...c.server.rstNos);

/** The side's first RST after its own FIN (after packet 0 when it sent none). */
function rstAfter(side: SideView): number | undefined {
  const after = side.finNo ?? 0;
  return side.rstNos.find((rst) => rst > after);
}

/** A stuck close seen for less than STUCK_UNSURE_BELOW: its explanation ends with a sentence saying so. */
export const stuckUnsure = (v: Verdict): boolean => v.class === 'stuck' && (v.stuckFor ?? 0) < STUCK_UNSURE_BELOW;
