import type { Instant } from '../flow/connection.js';
import type { SideNo } from '../flow/columns.js';
import { CLIENT, NO_PACKET, SERVER, cellOf, finAckNo, finNo, hasFinAckTime, hasFinTime, listItem, listLength, otherSideNo, pushList, sideName, synNo } from '../flow/columns.js';
import type { ConnectionStore } from '../flow/store.js';
import { RST_NOS, DATA_AFTER_PEER_FIN, TRAILING_NOS, SAW_HANDSHAKE_ACK, SAW_SYN } from '../flow/store.js';
import { verdictKeyNo } from './verdict-keys.js';
import type { TeardownClass, TeardownDetail, Who } from './verdict-keys.js';

/** The verdict without its explanation text (render/explanations/ words it). */
export interface Verdict {
  class: TeardownClass;
  detail: TeardownDetail | null;
  closer: Who;
  resetBy: Who;
  trailingBytes: number;
  stuckFor: number | null;
  evidence: number[];
  /** True when the last ACK of a graceful close was captured. */
  lastAckSeen: boolean;
  /** class/detail as an index into VERDICT_KEYS (verdict-keys.ts): what renderers look their words up by. */
  keyNo: number;
}

/** Where a connection's facts are: a slot of the connection store (flow/stored.ts's cursor is one). */
export interface StoredSlot {
  readonly store: ConnectionStore;
  readonly slot: number;
}

const seconds = (fromSec: number, fromNsec: number, to: Instant): number => to.sec - fromSec + (to.nsec - fromNsec) / 1e9;

function who(client: boolean, server: boolean): Who {
  return client && server ? 'both' : client ? 'client' : server ? 'server' : null;
}

/** Of two packet numbers (NO_PACKET when not set), the side of the earlier, or undefined. */
function earlierSide(clientNo: number, serverNo: number): SideNo | undefined {
  if (clientNo === NO_PACKET) return serverNo === NO_PACKET ? undefined : SERVER;
  return serverNo === NO_PACKET || clientNo < serverNo ? CLIENT : SERVER;
}

/** A side that sent a RST after its own FIN (SPEC 4, rst-after-close). */
function rstAfterOwnFin(s: ConnectionStore, slot: number): SideNo | undefined {
  if (rstAfterFin(s, cellOf(slot, CLIENT))) return CLIENT;
  if (rstAfterFin(s, cellOf(slot, SERVER))) return SERVER;
  return undefined;
}

function rstAfterFin(s: ConnectionStore, cell: number): boolean {
  const fin = finNo(s, cell);
  if (fin === NO_PACKET) return false;
  const n = listLength(s, cell, RST_NOS);
  for (let i = 0; i < n; i++) if (listItem(s, cell, RST_NOS, i) > fin) return true;
  return false;
}

function pushIfSet(to: number[], no: number): void {
  if (no !== NO_PACKET) to.push(no);
}

/** The packet numbers in order, each once (insertion sort: a verdict cites a handful). */
function sortedUnique(nos: number[]): void {
  for (let i = 1; i < nos.length; i++) {
    const x = nos[i] as number;
    let j = i - 1;
    for (; j >= 0 && (nos[j] as number) > x; j--) nos[j + 1] = nos[j] as number;
    nos[j + 1] = x;
  }
  let kept = 0;
  for (let i = 0; i < nos.length; i++) if (i === 0 || nos[i] !== nos[i - 1]) nos[kept++] = nos[i] as number;
  if (kept < nos.length) nos.length = kept;
}

export function newVerdict(): Verdict {
  return { class: 'open', detail: null, closer: null, resetBy: null, trailingBytes: 0, stuckFor: null, evidence: [], lastAckSeen: false, keyNo: verdictKeyNo('open', null) };
}

/**
 * SPEC 4, decided from the packets in this order: refused, rst-after-close, abort, half-close,
 * graceful, stuck, open. `captureEnd` is the last record's time (or a pcapng statistics end time).
 * Reads the store's columns and fills in `v` (a new verdict unless one is given to reuse: this
 * runs for every connection, and the ndjson report keeps nothing of it).
 */
export function classify(c: StoredSlot, captureEnd: Instant, v: Verdict = newVerdict()): Verdict {
  const { store: s, slot } = c;
  const client = cellOf(slot, CLIENT);
  const server = cellOf(slot, SERVER);
  const firstFin = earlierSide(finNo(s, client), finNo(s, server));
  v.class = 'open';
  v.detail = null;
  v.closer = null;
  v.resetBy = who(listLength(s, client, RST_NOS) > 0, listLength(s, server, RST_NOS) > 0);
  v.trailingBytes = firstFin === undefined ? 0 : (s.trailingBytes[cellOf(slot, otherSideNo(firstFin))] as number);
  v.stuckFor = null;
  v.lastAckSeen = false;
  // A new array: emptying the last one (length = 0) was a runtime call and a regrown backing store.
  const evidence: number[] = (v.evidence = []);
  pushIfSet(evidence, finNo(s, client));
  pushIfSet(evidence, finAckNo(s, client));
  pushIfSet(evidence, finNo(s, server));
  pushIfSet(evidence, finAckNo(s, server));
  decide(s, slot, v, firstFin, captureEnd);
  sortedUnique(evidence);
  v.keyNo = verdictKeyNo(v.class, v.detail);
  return v;
}

/** The rules, in SPEC 4's order: each fills in `v` (class 'open' when none applies). */
function decide(s: ConnectionStore, slot: number, v: Verdict, firstFin: SideNo | undefined, captureEnd: Instant): void {
  const client = cellOf(slot, CLIENT);
  const server = cellOf(slot, SERVER);
  const refusedNo = s.refusedNo[slot] as number;
  if (refusedNo !== NO_PACKET) {
    v.class = 'refused';
    v.closer = 'server';
    v.trailingBytes = 0;
    const syn = synNo(s, client);
    v.evidence.push(syn === NO_PACKET ? (s.firstPacket[slot] as number) : syn, refusedNo);
    return;
  }

  const closedThenReset = rstAfterOwnFin(s, slot);
  if (closedThenReset !== undefined) {
    const peer = cellOf(slot, otherSideNo(closedThenReset));
    v.class = 'rst-after-close';
    v.detail = listLength(s, peer, DATA_AFTER_PEER_FIN) > 0 ? 'data-after-close' : 'other';
    v.closer = sideName(firstFin ?? closedThenReset);
    pushList(v.evidence, s, peer, DATA_AFTER_PEER_FIN);
    pushList(v.evidence, s, cellOf(slot, closedThenReset), RST_NOS);
    return;
  }

  const resetter = earlierSide(firstRst(s, client), firstRst(s, server));
  if (resetter !== undefined) {
    const rstNo = firstRst(s, cellOf(slot, resetter));
    const peerFin = finNo(s, cellOf(slot, otherSideNo(resetter)));
    const peerClosed = peerFin !== NO_PACKET && peerFin < rstNo;
    const flags = s.flags[slot] as number;
    const inHandshake = (flags & SAW_SYN) !== 0 && (flags & SAW_HANDSHAKE_ACK) === 0 && s.bytes[client] === 0 && s.bytes[server] === 0;
    v.class = 'abort';
    v.detail = peerClosed ? 'peer-had-closed' : inHandshake ? 'handshake' : 'established';
    v.closer = sideName(firstFin ?? resetter);
    if (!peerClosed) v.trailingBytes = 0;
    pushList(v.evidence, s, client, RST_NOS);
    pushList(v.evidence, s, server, RST_NOS);
    return;
  }

  if (firstFin !== undefined) {
    const first = cellOf(slot, firstFin);
    const last = cellOf(slot, otherSideNo(firstFin));
    const lastFinNo = finNo(s, last);
    const firstFinAckNo = finAckNo(s, first);
    v.closer = sideName(firstFin);
    if (lastFinNo !== NO_PACKET) {
      v.lastAckSeen = firstFinAckNo !== NO_PACKET && finAckNo(s, last) !== NO_PACKET;
      if (v.trailingBytes > 0) {
        v.class = 'half-close';
        pushList(v.evidence, s, last, TRAILING_NOS);
        return;
      }
      // SPEC 4: simultaneous when the second FIN does not acknowledge the first.
      const simultaneous = firstFinAckNo === NO_PACKET || firstFinAckNo > lastFinNo;
      const threeWay = firstFinAckNo === lastFinNo;
      v.class = 'graceful';
      v.detail = simultaneous ? 'simultaneous' : threeWay ? 'three-way' : 'four-way';
      if (simultaneous) v.closer = 'both';
      return;
    }
    // Stuck since the FIN was acknowledged, else since it was sent.
    const acked = hasFinAckTime(s, first);
    const since = acked ? seconds(s.finAckSec[first] as number, s.finAckNsec[first] as number, captureEnd)
      : hasFinTime(s, first) ? seconds(s.finSec[first] as number, s.finNsec[first] as number, captureEnd) : 0;
    v.class = 'stuck';
    v.detail = acked ? 'close-wait' : 'fin-wait-1';
    v.stuckFor = Math.max(0, Math.round(since * 1e6) / 1e6);
  }
}

/** A side's first RST, or NO_PACKET. */
function firstRst(s: ConnectionStore, cell: number): number {
  return listLength(s, cell, RST_NOS) > 0 ? listItem(s, cell, RST_NOS, 0) : NO_PACKET;
}
