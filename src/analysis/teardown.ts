import type { Instant } from '../flow/connection.js';
import type { ConnectionView, SideView } from '../flow/view.js';
import type { Cause } from './causes.js';
import { NO_CAUSES, findCauses } from './causes.js';
import { verdictKeyNo } from './verdict-keys.js';
import { earlier, firstRst, overAt, resetterOf } from './ending.js';
import { roundMicros, secondsBetween } from '../flow/connection.js';
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
  /** Why it ended, where the packets show it, most telling first (causes.ts). */
  causes: readonly Cause[];
  /** class/detail as an index into VERDICT_KEYS (verdict-keys.ts): what renderers look their words up by. */
  keyNo: number;
}



function who(client: boolean, server: boolean): Who {
  return client && server ? 'both' : client ? 'client' : server ? 'server' : null;
}

/** Whether a side sent a RST after its own FIN, before the connection was over (rst-after-close). */
function rstAfterOwnFin(side: SideView, over: number): boolean {
  const fin = side.finNo;
  return fin !== undefined && side.rstNos.some((rst) => rst > fin && rst < over);
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

function pushIfSet(to: number[], no: number | undefined): void {
  if (no !== undefined) to.push(no);
}

export function newVerdict(): Verdict {
  return { class: 'open', detail: null, closer: null, resetBy: null, trailingBytes: 0, stuckFor: null, evidence: [], lastAckSeen: false, causes: NO_CAUSES, keyNo: verdictKeyNo('open', null) };
}

/**
 * docs/contract.md, "Teardown classes": decided from the packets in this order: refused,
 * unanswered, rst-after-close, abort, half-close, graceful, stuck, open; then the causes. `captureEnd` is the last record's time
 * (or a pcapng statistics end time). Fills in `v` (a new verdict unless one is given to reuse: this
 * runs for every connection, and the ndjson report keeps nothing of it).
 */
export function classify(c: ConnectionView, captureEnd: Instant, v: Verdict = newVerdict()): Verdict {
  const { client, server } = c;
  const firstFin = earlier(client, client.finNo, server, server.finNo);
  v.class = 'open';
  v.detail = null;
  v.closer = null;
  v.resetBy = who(client.rstNosCount > 0, server.rstNosCount > 0);
  v.trailingBytes = firstFin === undefined ? 0 : firstFin.peer.trailingBytes;
  v.stuckFor = null;
  v.lastAckSeen = false;
  // A new array: emptying the last one (length = 0) was a runtime call and a regrown backing store.
  const evidence: number[] = (v.evidence = []);
  pushIfSet(evidence, client.finNo);
  pushIfSet(evidence, client.finAckNo);
  pushIfSet(evidence, server.finNo);
  pushIfSet(evidence, server.finAckNo);
  decide(c, v, firstFin, captureEnd);
  sortedUnique(evidence);
  v.causes = findCauses(c, v, captureEnd);
  v.keyNo = verdictKeyNo(v.class, v.detail);
  return v;
}

/** The rules, in order: the first that applies fills in `v` (class 'open' when none does). */
function decide(c: ConnectionView, v: Verdict, firstFin: SideView | undefined, captureEnd: Instant): void {
  const { client, server } = c;
  const refusedNo = c.refusedNo;
  if (refusedNo !== undefined) {
    v.class = 'refused';
    v.closer = 'server';
    v.trailingBytes = 0;
    v.evidence.push(client.synNo ?? c.firstPacket, refusedNo);
    return;
  }
  // SYNs and nothing else, from either side (Zeek's S0). A client that sent more (data, a FIN, a RST)
  // believed it was connected, or gave up: a one-sided capture or an abort, not an unanswered SYN.
  if (c.sawSyn && !c.sawSynAck && server.lastNo === 0 && server.rstNosCount === 0 &&
    client.rstNosCount === 0 && client.lastAck === undefined && client.bytes === 0 && client.finNo === undefined) {
    v.class = 'unanswered';
    v.trailingBytes = 0;
    v.evidence.push(client.synNo ?? c.firstPacket);
    return;
  }

  const over = overAt(c);
  const closedThenReset = rstAfterOwnFin(client, over) ? client : rstAfterOwnFin(server, over) ? server : undefined;
  if (closedThenReset !== undefined) {
    const peer = closedThenReset.peer;
    v.class = 'rst-after-close';
    v.detail = peer.dataAfterPeerFinCount > 0 ? 'data-after-close' : 'other';
    v.closer = (firstFin ?? closedThenReset).name;
    v.evidence.push(...peer.dataAfterPeerFin, ...closedThenReset.rstNos);
    return;
  }

  const resetter = resetterOf(c, over);
  if (resetter !== undefined) {
    const rstNo = firstRst(resetter, over) as number;
    const peerFin = resetter.peer.finNo;
    const peerClosed = peerFin !== undefined && peerFin < rstNo;
    const inHandshake = c.sawSyn && !c.sawHandshakeAck && client.bytes === 0 && server.bytes === 0;
    v.class = 'abort';
    v.detail = peerClosed ? 'peer-had-closed' : inHandshake ? 'handshake' : 'established';
    v.closer = (firstFin ?? resetter).name;
    if (!peerClosed) v.trailingBytes = 0;
    v.evidence.push(...client.rstNos, ...server.rstNos);
    return;
  }

  if (firstFin === undefined) return;
  const last = firstFin.peer;
  const lastFinNo = last.finNo;
  const firstFinAckNo = firstFin.finAckNo;
  v.closer = firstFin.name;
  if (lastFinNo !== undefined) {
    v.lastAckSeen = firstFinAckNo !== undefined && last.finAckNo !== undefined;
    if (v.trailingBytes > 0) {
      v.class = 'half-close';
      v.evidence.push(...last.trailingNos);
      return;
    }
    // Simultaneous when the second FIN does not acknowledge the first.
    const simultaneous = firstFinAckNo === undefined || firstFinAckNo > lastFinNo;
    v.class = 'graceful';
    v.detail = simultaneous ? 'simultaneous' : firstFinAckNo === lastFinNo ? 'three-way' : 'four-way';
    if (simultaneous) v.closer = 'both';
    return;
  }
  // Stuck since the FIN was acknowledged, else since it was sent.
  const acked = firstFin.finAckTime;
  const since = acked ?? firstFin.finTime;
  v.class = 'stuck';
  v.detail = acked !== undefined ? 'close-wait' : 'fin-wait-1';
  v.stuckFor = Math.max(0, roundMicros(since === undefined ? 0 : secondsBetween(since, captureEnd)));
}
