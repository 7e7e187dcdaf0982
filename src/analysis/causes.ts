/**
 * Why a connection ended, where the packets show it (docs/causes.md): each cause's observable rule
 * over the facts tracking kept (track.ts), read after the class is decided (teardown.ts). Most
 * connections have none, and then nothing is allocated.
 */
import type { Instant } from '../flow/connection.js';
import { roundMicros, secondsBetween } from '../flow/connection.js';
import { firstRst, overAt, resetterOf } from './ending.js';
import type { ConnectionView, SideView } from '../flow/view.js';
import type { Side } from '../tcp/states.js';

export const CAUSE_IDS = [
  'connect-timeout', 'listen-overflow', 'keepalive-timeout', 'idle-timeout', 'retransmission-timeout', 'zero-window',
  'peer-lost-state', 'fin-wait-2-timeout', 'time-wait-assassination', 'last-ack-lost', 'path-reset', 'rst-ignored',
  'capture-gap',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/** One cause: what it is, the endpoint it is about (or the path between them), its packets, its duration. */
export interface Cause {
  id: CauseId;
  side: Side | 'path';
  evidence: number[];
  seconds: number | null;
  /** path-reset by TTL: the RST's TTL and the range of its purported sender's other packets (for the explanation). */
  ttl?: { rst: number; low: number; high: number };
}

export const NO_CAUSES: readonly Cause[] = Object.freeze([]);
const NO_SIDES: readonly SideView[] = Object.freeze([]);

/** Silence at least this long, then an ending: docs/causes.md, "idle-timeout". */
export const IDLE_TIMEOUT_S = 30;
/** An ending at most this many of the connection's packets after that silence follows from it. */
const IDLE_ENDING_WITHIN = 30;
/**
 * Data reaching a closed socket is answered by RST whether the orphaned FIN_WAIT_2 socket is still
 * there or has timed out: only the time tells. Data this long after the close was acknowledged is
 * read as the timeout (Linux's tcp_fin_timeout is 60 s by default; a lab sets it to a few seconds).
 */
const FIN_WAIT_2_LATE_S = 1;
/** Retransmissions, none acknowledged, before an ending: docs/causes.md, "retransmission-timeout". */
const RETRANSMISSIONS = 2;

/** The facts of the verdict the causes read (teardown.ts's Verdict). */
export interface Ending {
  class: string;
  detail: string | null;
}

const nos = (...list: Array<number | undefined>): number[] => {
  const out: number[] = [];
  for (const n of list) if (n !== undefined && n > 0 && !out.includes(n)) out.push(n);
  return out.sort((a, b) => a - b);
};

/** `cause` added to `found`, made on the first (most connections find none). */
function add(found: Cause[] | undefined, cause: Cause): Cause[] {
  if (found === undefined) return [cause];
  found.push(cause);
  return found;
}

/**
 * The causes of connection `c` whose class is `v`, most telling first (docs/contract.md, "Causes").
 * `captureEnd` is where the capture stopped.
 */
export function findCauses(c: ConnectionView, v: Ending, captureEnd: Instant): readonly Cause[] {
  if (!worthALook(c)) return NO_CAUSES;
  let found: Cause[] | undefined;
  const { client, server } = c;
  const over = overAt(c);
  const resetter = v.class === 'refused' ? server : resetterOf(c, over);
  const rstNo = resetter === undefined ? undefined : (v.class === 'refused' ? c.refusedNo : firstRst(resetter, over));
  // What only RareFacts can show is looked at only when the connection has one.
  const rare = c.hasRare;

  // connect-timeout: SYNs unanswered, or a SYN-ACK so late that the client's host had given up.
  if (rare && client.rare.synCount >= 2 && (v.class === 'unanswered' || (v.class === 'abort' && v.detail === 'handshake' && resetter === client))) {
    found = add(found, { id: 'connect-timeout', side: 'client', evidence: nos(client.synNo, client.lastNo, rstNo), seconds: roundMicros(secondsBetween(c.startTime, c.endTime)) });
  }

  // listen-overflow: the server's SYN-ACK again after the handshake ACK, or its reset of a handshake it never served.
  let overflow = false;
  if (rare && c.rare.synAckAgainNo !== 0) {
    overflow = true;
    found = add(found, { id: 'listen-overflow', side: 'server', evidence: nos(server.synNo, c.rare.synAckAgainNo), seconds: null });
  } else if (resetter === server && rstNo !== undefined && c.sawHandshakeAck && server.bytes === 0 && server.finNo === undefined &&
    server.rstBare && (server.lastAck === undefined || (client.isn !== undefined && server.lastAck === ((client.isn + 1) >>> 0)))) {
    overflow = true;
    found = add(found, { id: 'listen-overflow', side: 'server', evidence: nos(server.synNo, rstNo), seconds: null });
  }

  // keepalive-timeout: the prober's probes went unanswered, then it reset.
  // Window probes look the same (Linux): probes into a window the other side had shut are those.
  const keepalive = rare && resetter !== undefined && rstNo !== undefined && resetter.rare.probeCount > 0 && resetter.rare.probeFirstNo < rstNo && resetter.finNo === undefined &&
    !resetter.peer.windowClosed;
  if (keepalive) found = add(found, { id: 'keepalive-timeout', side: resetter.name, evidence: nos(resetter.rare.probeFirstNo, rstNo), seconds: null });

  // retransmission-timeout: a side retransmitted with nothing acknowledged, then reset or fell silent.
  const rto = rare ? retransmissionTimeout(c, v, resetter, rstNo, captureEnd) : undefined;

  // idle-timeout: a long silence, then an ending soon after it.
  // Only a RST that ended the connection (a RST class) is judged: one after a close ended nothing.
  const rstEnded = v.class === 'refused' || v.class === 'abort' || v.class === 'rst-after-close';
  const path = rstEnded && resetter !== undefined && rstNo !== undefined ? pathReset(resetter, rstNo) : undefined;
  const endingNo = rstNo ?? rto?.evidence[0];
  if (c.silence >= IDLE_TIMEOUT_S && endingNo !== undefined && c.silenceEndNo <= endingNo && c.sinceSilence <= IDLE_ENDING_WITHIN && !keepalive) {
    found = add(found, { id: 'idle-timeout', side: path !== undefined ? 'path' : (resetter ?? rto?.about ?? client).name, evidence: nos(c.silenceEndNo, endingNo), seconds: roundMicros(c.silence) });
  }
  if (rto !== undefined) found = add(found, rto.cause);

  // zero-window: the receiver's window stayed shut and the sender's ending followed from it.
  let zeroWindow = false;
  for (const receiver of !rare || (client.rare.zeroWindowNo === 0 && server.rare.zeroWindowNo === 0) ? NO_SIDES : [client, server]) {
    const sender = receiver.peer;
    if (receiver.rare.zeroWindowNo === 0) continue;
    const endedBySender = (v.class === 'abort' || v.class === 'rst-after-close') && resetter === sender;
    if ((v.class === 'stuck' || v.class === 'open') && receiver.windowClosed || endedBySender) {
      zeroWindow = true;
      found = add(found, { id: 'zero-window', side: receiver.name, evidence: nos(receiver.rare.zeroWindowNo, sender.rare.probeFirstNo, endedBySender ? rstNo : sender.finNo), seconds: null });
    }
  }

  // peer-lost-state: a bare RST (a host with no socket) answering the other side on a connection it never closed.
  if (resetter !== undefined && rstNo !== undefined && v.class === 'abort' && v.detail !== 'handshake' && path === undefined && !overflow && !keepalive && !zeroWindow &&
    resetter.finNo === undefined && resetter.rstBare && resetter.lastNo !== 0 && resetter.lastNo < rstNo && resetter.peer.lastNo > resetter.lastNo) {
    found = add(found, { id: 'peer-lost-state', side: resetter.name, evidence: nos(resetter.lastNo, resetter.peer.lastNo, rstNo), seconds: null });
  }

  // fin-wait-2-timeout: the closer's host answers the other side's late FIN, or data FIN_WAIT_2_LATE_S or more
  // after its close was acknowledged, with a bare RST: its orphaned socket had timed out.
  if (v.class === 'rst-after-close' && resetter !== undefined && rstNo !== undefined && resetter.rstBare && resetter.finNo !== undefined) {
    const peer = resetter.peer;
    const ackedAt = resetter.finAckTime;
    const late = ackedAt === undefined ? 0 : secondsBetween(ackedAt, c.endTime);
    const ackNo = resetter.finAckNo ?? rstNo;
    const lateFin = peer.finNo !== undefined && peer.finNo > ackNo && peer.finNo < rstNo && peer.dataAfterPeerFinCount === 0;
    const lateData = peer.dataAfterPeerFinCount > 0 && late >= FIN_WAIT_2_LATE_S;
    if (ackedAt !== undefined && (!rare || c.rare.timeWaitRstNo !== rstNo) && (lateFin || lateData)) {
      found = add(found, { id: 'fin-wait-2-timeout', side: resetter.name, evidence: nos(resetter.finNo, resetter.finAckNo, lateFin ? peer.finNo : peer.dataAfterPeerFin[0], rstNo), seconds: roundMicros(late) });
    }
  }

  // time-wait-assassination: a RST reached a side in TIME_WAIT (RFC 1337).
  if (rare && c.rare.timeWaitRstNo !== 0) {
    const from = client.rstNos.includes(c.rare.timeWaitRstNo) ? client : server;
    found = add(found, { id: 'time-wait-assassination', side: from.peer.name, evidence: [c.rare.timeWaitRstNo], seconds: null });
  }

  // last-ack-lost: both FINs, the second one retransmitted and never acknowledged.
  if (client.finNo !== undefined && server.finNo !== undefined && (v.class === 'graceful' || v.class === 'half-close')) {
    const last = client.finNo > server.finNo ? client : server;
    if (last.finAckNo === undefined && last.finAgainNo !== 0) found = add(found, { id: 'last-ack-lost', side: last.name, evidence: nos(last.finNo, last.finAgainNo), seconds: null });
  }

  if (path !== undefined) found = add(found, path);

  // rst-ignored: a RST its receiver could not accept, after which the receiver went on.
  for (const side of !rare || (client.rare.ignoredRstCount === 0 && server.rare.ignoredRstCount === 0) ? NO_SIDES : [client, server]) {
    if (side.rare.ignoredRstCount > 0) found = add(found, { id: 'rst-ignored', side: side.name, evidence: [side.rare.ignoredRstNo], seconds: null });
  }

  // capture-gap: a FIN known only from its ACK, or ACKs of bytes the capture lacks.
  if (client.finInferred || server.finInferred || (rare && (client.rare.ackedUnseenNo !== 0 || server.rare.ackedUnseenNo !== 0))) {
    const gap = nos(
      client.finInferred ? client.finNo : undefined, server.finInferred ? server.finNo : undefined,
      client.rare.ackedUnseenNo, server.rare.ackedUnseenNo,
    );
    const lacking = client.finInferred || server.rare.ackedUnseenNo !== 0 ? client : server;
    found = add(found, { id: 'capture-gap', side: lacking.name, evidence: gap, seconds: null });
  }
  return found ?? NO_CAUSES;
}

/**
 * Whether any cause could apply: most connections (no RST, no retransmission, no probe, no zero
 * window, no long silence, nothing missing) are done with here, without a list or a closure.
 */
function worthALook(c: ConnectionView): boolean {
  const { client, server } = c;
  return c.silence >= IDLE_TIMEOUT_S || c.hasRare || client.rstNosCount > 0 || server.rstNosCount > 0 || client.finInferred || server.finInferred ||
    (client.finAgainNo !== 0 && client.finAckNo === undefined) || (server.finAgainNo !== 0 && server.finAckNo === undefined);
}

/**
 * path-reset: a RST its purported sender did not send. Its TTL fits none of that sender's other
 * packets, or that sender went on sending after it (Weaver, Sommer and Paxson, NDSS 2009).
 */
function pathReset(resetter: SideView, rstNo: number): Cause | undefined {
  const ttl = resetter.rstTtl;
  if (resetter.lastNo !== 0 && ttl !== 0 && resetter.ttlMin !== 0 && (ttl < resetter.ttlMin || ttl > resetter.ttlMax)) {
    return { id: 'path-reset', side: 'path', evidence: [rstNo], seconds: null, ttl: { rst: ttl, low: resetter.ttlMin, high: resetter.ttlMax } };
  }
  if (resetter.lastNo > rstNo) return { id: 'path-reset', side: 'path', evidence: [rstNo, resetter.lastNo], seconds: null };
  return undefined;
}

function retransmissionTimeout(c: ConnectionView, v: Ending, resetter: SideView | undefined, rstNo: number | undefined, captureEnd: Instant):
  { cause: Cause; about: SideView; evidence: number[] } | undefined {
  for (const side of c.client.rare.retransCount < RETRANSMISSIONS && c.server.rare.retransCount < RETRANSMISSIONS ? NO_SIDES : [c.client, c.server]) {
    if (side.rare.retransCount < RETRANSMISSIONS || side.rare.retransFirstNo === 0) continue;
    const resetAfter = resetter === side && rstNo !== undefined && rstNo > side.rare.retransFirstNo;
    const silentAfter = (v.class === 'open' || v.class === 'stuck') && side.rare.retransLastNo === side.lastNo && c.lastPacket === side.rare.retransLastNo;
    if (!resetAfter && !silentAfter) continue;
    const until = resetAfter ? c.endTime : captureEnd;
    const evidence = nos(side.rare.retransFirstNo, side.rare.retransLastNo, resetAfter ? rstNo : undefined);
    const since = until.sec + until.nsec / 1e9 - side.rare.retransSince;
    return { cause: { id: 'retransmission-timeout', side: side.name, evidence, seconds: roundMicros(Math.max(0, since)) }, about: side, evidence };
  }
  return undefined;
}
