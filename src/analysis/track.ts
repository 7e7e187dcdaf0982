import type { TcpSegment } from '../decode/segment.js';
import { TcpFlag } from '../decode/segment.js';
import type { Instant } from '../flow/connection.js';
import { newBytes } from '../flow/covered.js';
import { seqAdd, seqDiff, seqGe, seqGt, seqLe } from '../flow/seq.js';
import type { ConnectionStore } from '../flow/store.js';
import { K, isSet, markSet, markUnset } from '../flow/store.js';
import type { RareSide } from '../flow/rare.js';
import type { ConnectionView, SideNo } from '../flow/view.js';
import { CLIENT, SERVER, otherSideNo, sideName } from '../flow/view.js';
import { finAcked, finSent, inSynReceived, inTimeWait, reset, startMidstream, synAckSent, synAcked, synSent } from '../tcp/machine.js';
import type { NoteRef } from '../flow/notes.js';

/** How many packet numbers of one kind a verdict keeps as evidence: enough to point at, bounded. */
const EVIDENCE_CAP = 8;

/** A packet number that is not set (they count from 1). */
const NO_PACKET = 0;

/** The columns of one side of connection `slot`: cell slot * 2 + side (store-columns.generated.ts). */
const cellOf = (slot: number, side: SideNo): number => slot * 2 + side;

type PacketList = K.RST_NOS | K.DATA_AFTER_PEER_FIN | K.TRAILING_NOS;
const listLength = (s: ConnectionStore, cell: number, list: PacketList): number => s.listLength(cell * K.LISTS + list);

/** Adds one to a u8 counter, stopping at 255. */
const bump = (counts: Uint8Array, at: number): void => {
  if ((counts[at] as number) < 255) counts[at] = (counts[at] as number) + 1;
};


/** Sets or clears bits of a side's causeBits. */
const setBits = (s: ConnectionStore, cell: number, bits: number): void => {
  s.causeBits[cell] = (s.causeBits[cell] as number) | bits;
};
const clearBits = (s: ConnectionStore, cell: number, bits: number): void => {
  s.causeBits[cell] = (s.causeBits[cell] as number) & ~bits;
};

/**
 * What the side at `cell` has sent up to, as the capture shows it: the end of its FIN, else of its
 * highest payload, else its ISN + 1; undefined when none is known (it sent no SYN and no data yet).
 */
function sendNext(s: ConnectionStore, cell: number): number | undefined {
  const set = s.sideFlags[cell] as number;
  if (set & K.FIN_END_SET) return s.finEnd[cell] as number;
  if (set & K.HIGH_END_SET) return s.highEnd[cell] as number;
  if (set & K.ISN_SET) return seqAdd(s.isn[cell] as number, 1);
  return undefined;
}

/** Adds a packet number to one of a side's lists (RST_NOS ...), up to EVIDENCE_CAP. */
function remember(s: ConnectionStore, cell: number, list: PacketList, no: number): void {
  if (listLength(s, cell, list) < EVIDENCE_CAP) s.addToList(cell * K.LISTS + list, no);
}

/**
 * Steps one connection by one segment: both endpoints' states (docs/contract.md, "Endpoint
 * states"), the facts the verdict needs ("Teardown classes"), the connection's last packet, and the notes of the packet's row, added to `notes`
 * (null when no row is made: then no note is built). Returns `notes`. `from` is the sender's side.
 *
 * This runs for every packet, so it works on the store's columns at the sides' cells (cellOf), not
 * through the view's getters (view.ts): a getter is a chain of loads, and each time it reads is an
 * object (an Instant) made per packet.
 */
export function trackSegment(c: ConnectionView, seg: TcpSegment, from: SideNo, time: Instant, notes: NoteRef[] | null = []): NoteRef[] | null {
  const { store: s, slot } = c;
  const me = cellOf(slot, from);
  const isSyn = (seg.flags & TcpFlag.SYN) !== 0;
  const hasAck = (seg.flags & TcpFlag.ACK) !== 0;
  const isRst = (seg.flags & TcpFlag.RST) !== 0;

  if (s.firstPacket[slot] === seg.no && !isSyn) startMidstream(s.state, me);
  const quiet = trackSilence(s, slot, seg.no, time);
  if (!isRst) trackSender(s, slot, seg, from, quiet);

  if (isSyn) trackSyn(s, slot, seg, from, notes);
  else if (hasAck && !isRst) trackAck(s, slot, seg, from, time, notes);

  if (seg.payloadLen > 0 && !isSyn) trackPayload(s, slot, seg, from, time, notes);

  if ((seg.flags & TcpFlag.FIN) !== 0 && !isRst) {
    if (s.finNo[me] === NO_PACKET) {
      s.finNo[me] = seg.no;
      s.finSeq[me] = seg.seq;
      s.finEnd[me] = seqAdd(seg.seq, seg.payloadLen + 1);
      s.finSec[me] = time.sec;
      s.finNsec[me] = time.nsec;
      markSet(s, me, K.FIN_SEQ_SET | K.FIN_END_SET | K.FIN_TIME_SET);
      finSent(s.state, me);
      notes?.push({ id: 'fin', params: { side: sideName(from) } });
    } else {
      s.finAgainNo[me] = seg.no;
      notes?.push({ id: 'fin-retransmitted', params: { side: sideName(from) } });
    }
  }

  if (isRst) trackRst(s, slot, seg, from, notes);

  s.lastPacket[slot] = seg.no;
  s.endSec[slot] = time.sec;
  s.endNsec[slot] = time.nsec;
  return notes;
}

/**
 * Keep-alive probes come at least a second apart (Linux's smallest TCP_KEEPINTVL), so an unanswered
 * one follows this much silence of the connection; only such packets are looked at as probes.
 */
const PROBE_SILENCE_S = 0.5;

/**
 * The longest silence between two packets of the connection, and the packet that ended it
 * (docs/causes.md, "idle-timeout"). Returns whether this packet came after PROBE_SILENCE_S or more.
 */
function trackSilence(s: ConnectionStore, slot: number, no: number, time: Instant): boolean {
  const wholeSeconds = time.sec - (s.endSec[slot] as number);
  if (wholeSeconds < 1) {
    if (s.silenceEndNo[slot] !== 0) bump(s.sinceSilence, slot);
    return false;
  }
  const gap = wholeSeconds + (time.nsec - (s.endNsec[slot] as number)) / 1e9;
  if (gap > (s.silence[slot] as number)) {
    s.silence[slot] = gap;
    s.silenceEndNo[slot] = no;
    s.sinceSilence[slot] = 0;
  } else bump(s.sinceSilence, slot);
  return gap >= PROBE_SILENCE_S;
}

/**
 * What every packet but a RST says of its sender (docs/causes.md): its TTL range, its latest
 * packet, its window, its keep-alive probes; and that it is still there, so the other side's
 * probes were answered and the other side's unacceptable RST was ignored. The common packet (one
 * TTL, a window open, nothing pending on the other side) takes the first lines only: the rest is
 * out of line, so that this stays small enough for V8 to inline into trackSegment.
 */
function trackSender(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, quiet: boolean): void {
  const me = cellOf(slot, from);
  const ttl = seg.ttl ?? 0;
  if (s.lastNo[me] === 0) {
    s.ttlMin[me] = ttl;
    s.ttlMax[me] = ttl;
  } else if (ttl !== s.ttlMin[me]) {
    // Most packets of a side carry one TTL: one comparison.
    if (ttl < (s.ttlMin[me] as number)) s.ttlMin[me] = ttl;
    else if (ttl > (s.ttlMax[me] as number)) s.ttlMax[me] = ttl;
  }
  s.lastNo[me] = seg.no;
  const peer = cellOf(slot, otherSideNo(from));
  if (((s.causeBits[peer] as number) & (K.SUSPECT_RST | K.PROBING)) !== 0) peerAnswered(s, peer);
  if ((seg.flags & TcpFlag.SYN) !== 0) return;
  if (seg.window === 0 || ((s.causeBits[me] as number) & K.WINDOW_CLOSED) !== 0) trackWindow(s, me, seg);
  if (quiet) trackProbe(s, me, seg);
}

/** The side at `peer` heard from the other: its probes were answered, its unacceptable RST ignored. */
function peerAnswered(s: ConnectionStore, peer: number): void {
  const other = s.rareSide(peer);
  if ((s.causeBits[peer] as number) & K.SUSPECT_RST) rstIgnored(s, peer, other);
  other.probeCount = 0;
  other.probeFirstNo = 0;
  clearBits(s, peer, K.PROBING);
}

/** A zero window (its first packet kept), or the window open again. */
function trackWindow(s: ConnectionStore, me: number, seg: TcpSegment): void {
  if (seg.window === 0) {
    const mine = s.rareSide(me);
    if (mine.zeroWindowNo === 0) mine.zeroWindowNo = seg.no;
    setBits(s, me, K.WINDOW_CLOSED);
  } else clearBits(s, me, K.WINDOW_CLOSED);
}

/**
 * After a silence: Wireshark's keep-alive is at most one byte, one below what the sender had sent,
 * no SYN, FIN or RST (Linux's window probes have the same form). Only before its FIN.
 */
function trackProbe(s: ConnectionStore, me: number, seg: TcpSegment): void {
  if (seg.payloadLen > 1 || (seg.flags & TcpFlag.FIN) !== 0 || isSet(s, me, K.FIN_END_SET)) return;
  const next = sendNext(s, me);
  if (next !== undefined && seg.seq === seqAdd(next, -1)) {
    const mine = s.rareSide(me);
    if (mine.probeCount === 0) mine.probeFirstNo = seg.no;
    mine.probeCount++;
    setBits(s, me, K.PROBING);
  }
}

/** The receiver went on after a RST it could not accept: the RST ended nothing (RFC 5961; docs/causes.md, "rst-ignored"). */
function rstIgnored(s: ConnectionStore, cell: number, rare: RareSide): void {
  const no = rare.suspectRstNo;
  s.removeFromList(cell * K.LISTS + K.RST_NOS, no);
  if (rare.ignoredRstNo === 0) rare.ignoredRstNo = no;
  rare.ignoredRstCount++;
  rare.suspectRstNo = 0;
  clearBits(s, cell, K.SUSPECT_RST);
}

/**
 * Takes the RSTs so far off their lists at the first SYN-ACK, and the refusal with them: the server
 * accepted the SYN, so no RST of its refused it. The client's answered an older connection's packets;
 * the server's that came after the client's SYN stay: they bear the server's address but the server
 * went on to accept, so they came from the path (a forged RST racing the SYN-ACK: docs/causes.md,
 * "path-reset" and "rst-ignored").
 */
function forgetRsts(s: ConnectionStore, slot: number): void {
  const synNo = s.synNo[cellOf(slot, CLIENT)] as number;
  for (const cell of [cellOf(slot, CLIENT), cellOf(slot, SERVER)]) {
    const at = cell * K.LISTS + K.RST_NOS;
    if (cell === cellOf(slot, SERVER) && synNo !== NO_PACKET && s.listLength(at) > 0 && (s.listFirst[at] as number) > synNo) continue;
    for (const no of s.list(at)) s.removeFromList(at, no);
    s.rstTtl[cell] = 0;
    clearBits(s, cell, K.RST_BARE | K.SUSPECT_RST);
  }
  s.refusedNo[slot] = NO_PACKET;
}

function trackSyn(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const again = s.synNo[me] !== NO_PACKET;
  if ((s.causeBits[me] as number) & K.SYN_SEEN) {
    const mine = s.rareSide(me);
    mine.synCount = mine.synCount === 0 ? 2 : mine.synCount + 1;
  } else setBits(s, me, K.SYN_SEEN);
  if (!again) {
    s.synNo[me] = seg.no;
    s.isn[me] = seg.seq;
    markSet(s, me, K.ISN_SET);
  }
  if ((seg.flags & TcpFlag.ACK) === 0) {
    s.flags[slot] = (s.flags[slot] as number) | K.SAW_SYN;
    synSent(s.state, me);
    notes?.push({ id: again ? 'syn-retransmitted' : 'syn', params: { side: sideName(from) } });
  } else {
    // A SYN-ACK again after the client's handshake ACK: the server dropped that ACK (docs/causes.md, "listen-overflow").
    if ((s.flags[slot] as number) & K.SAW_HANDSHAKE_ACK) {
      const rare = s.rareOf(slot);
      if (rare.synAckAgainNo === 0) rare.synAckAgainNo = seg.no;
    }
    // RSTs before the first SYN-ACK ended nothing of this connection: they answered an older one's
    // packets (a challenge ACK from a socket in CLOSE_WAIT, answered by the client's RST, before its SYN is retried).
    if (((s.flags[slot] as number) & K.SAW_SYN_ACK) === 0 && (listLength(s, cellOf(slot, CLIENT), K.RST_NOS) > 0 || listLength(s, cellOf(slot, SERVER), K.RST_NOS) > 0)) forgetRsts(s, slot);
    s.flags[slot] = (s.flags[slot] as number) | K.SAW_SYN_ACK;
    synAckSent(s.state, me);
    notes?.push({ id: 'syn-ack', params: { side: sideName(from) } });
  }
}

function trackAck(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, time: Instant, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const peer = cellOf(slot, otherSideNo(from));
  const flags = s.flags[slot] as number;
  // The client's ACK of the SYN-ACK completes the handshake (RFC 9293 §3.5); in a split handshake the
  // client sent the SYN-ACK, and the server's ACK of it does.
  if ((flags & (K.SAW_HANDSHAKE_ACK | K.SAW_SYN_ACK)) === K.SAW_SYN_ACK && (from === CLIENT || inSynReceived(s.state, peer)) && isSet(s, peer, K.ISN_SET) &&
    seg.ack === seqAdd(s.isn[peer] as number, 1)) {
    s.flags[slot] = flags | K.SAW_HANDSHAKE_ACK;
    synAcked(s.state, me);
    if (seg.payloadLen === 0 && (seg.flags & TcpFlag.FIN) === 0) notes?.push({ id: 'handshake-ack', params: {} });
  }
  // New data acknowledged: the peer's retransmissions so far were answered.
  const mySet = s.sideFlags[me] as number;
  if ((s.causeBits[peer] as number) & K.RETRANSMITTING && (!(mySet & K.LAST_ACK_SET) || seqGt(seg.ack, s.lastAck[me] as number))) {
    const other = s.rareSide(peer);
    other.retransCount = 0;
    other.retransFirstNo = 0;
    clearBits(s, peer, K.RETRANSMITTING);
  }
  s.lastAck[me] = seg.ack;
  if (!(mySet & K.LAST_ACK_SET)) s.sideFlags[me] = mySet | K.LAST_ACK_SET;
  // An ACK beyond what the other side was seen sending: the capture lacks something.
  const next = sendNext(s, peer);
  if (next !== undefined && seqGt(seg.ack, next)) trackUnseen(s, slot, seg, from, time, next, notes);
  // docs/contract.md, "State rules": a FIN is covered by an ACK that reaches its sequence number + length + 1.
  if (isSet(s, peer, K.FIN_END_SET) && s.finAckNo[peer] === NO_PACKET && seqGe(seg.ack, s.finEnd[peer] as number)) {
    s.finAckNo[peer] = seg.no;
    s.finAckSec[peer] = time.sec;
    s.finAckNsec[peer] = time.nsec;
    markSet(s, peer, K.FIN_ACK_TIME_SET);
    finAcked(s.state, me);
    notes?.push({ id: 'fin-ack', params: { side: sideName(otherSideNo(from)) } });
  } else if (s.finNo[me] !== NO_PACKET && isSet(s, peer, K.TRAILING_END_SET) && seqGe(seg.ack, s.trailingEnd[peer] as number) && seg.payloadLen === 0) {
    // The closer acknowledging data that arrived after its FIN.
    markUnset(s, peer, K.TRAILING_END_SET);
    notes?.push({ id: 'trailing-ack', params: {} });
  }
}

/**
 * An ACK beyond what the capture shows the other side sent (Wireshark's "ACKed unseen segment"):
 * the capture lacks packets (docs/causes.md, "capture-gap"). An ACK of exactly one more than the
 * other side's data, from a side that has not seen its FIN, acknowledges a FIN the capture lacks:
 * that FIN is inferred here, at this ACK, so the verdict knows who closed.
 */
function trackUnseen(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, time: Instant, next: number, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const peer = cellOf(slot, otherSideNo(from));
  if (seg.ack === seqAdd(next, 1) && s.finNo[peer] === NO_PACKET && (seg.flags & TcpFlag.FIN) === 0 && seg.payloadLen === 0) {
    s.finNo[peer] = seg.no;
    s.finSeq[peer] = next;
    s.finEnd[peer] = seg.ack;
    s.finSec[peer] = time.sec;
    s.finNsec[peer] = time.nsec;
    setBits(s, peer, K.FIN_INFERRED);
    markSet(s, peer, K.FIN_SEQ_SET | K.FIN_END_SET | K.FIN_TIME_SET);
    finSent(s.state, peer);
    notes?.push({ id: 'fin-inferred', params: { side: sideName(otherSideNo(from)) } });
  } else {
    const mine = s.rareSide(me);
    if (mine.ackedUnseenNo === 0) mine.ackedUnseenNo = seg.no;
  }
}

/** Payload: counts new bytes once, and spots data that follows the other side's FIN. */
function trackPayload(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, time: Instant, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const peer = cellOf(slot, otherSideNo(from));
  const end = seqAdd(seg.seq, seg.payloadLen);
  // Before its first data, a side with a SYN has sent up to ISN + 1: a first segment beyond it leaves a hole.
  if (!isSet(s, me, K.HIGH_END_SET) && isSet(s, me, K.ISN_SET)) {
    s.highEnd[me] = seqAdd(s.isn[me] as number, 1);
    markSet(s, me, K.HIGH_END_SET);
  }
  const hadData = isSet(s, me, K.HIGH_END_SET);
  const fresh = hadData ? newBytes(s, me, s.highEnd[me] as number, seg.seq, seg.payloadLen) : seg.payloadLen;
  if (!hadData || seqDiff(end, s.highEnd[me] as number) > 0) {
    s.highEnd[me] = end;
    markSet(s, me, K.HIGH_END_SET);
  }
  s.bytes[me] = (s.bytes[me] as number) + fresh;
  // A retransmission (nothing new, and not a one-byte probe): docs/causes.md, "retransmission-timeout".
  if (fresh === 0 && seg.payloadLen > 1) {
    const mine = s.rareSide(me);
    if (mine.retransCount === 0) {
      mine.retransFirstNo = seg.no;
      mine.retransSince = time.sec + time.nsec / 1e9;
    }
    mine.retransLastNo = seg.no;
    mine.retransCount++;
    setBits(s, me, K.RETRANSMITTING);
  }
  if (s.finNo[peer] === NO_PACKET || !isSet(s, peer, K.FIN_END_SET)) return;
  remember(s, me, K.DATA_AFTER_PEER_FIN, seg.no);
  s.bytesAfterPeerFin[me] = (s.bytesAfterPeerFin[me] as number) + fresh;
  // docs/contract.md, "Classes", half-close: new payload whose ACK covers the FIN was sent after the FIN arrived.
  if ((seg.flags & TcpFlag.ACK) !== 0 && seqGe(seg.ack, s.finEnd[peer] as number)) {
    if (fresh > 0) {
      s.trailingBytes[me] = (s.trailingBytes[me] as number) + fresh;
      remember(s, me, K.TRAILING_NOS, seg.no);
      s.trailingEnd[me] = end;
      markSet(s, me, K.TRAILING_END_SET);
    }
    notes?.push({ id: 'trailing-data', params: { side: sideName(otherSideNo(from)), bytes: seg.payloadLen } });
  } else {
    notes?.push({ id: 'data-after-fin', params: { side: sideName(otherSideNo(from)), bytes: seg.payloadLen } });
  }
}

/**
 * Whether the receiver of a RST from `me` can accept it: its sequence number lies between what the
 * receiver last acknowledged and what `me` had sent (RFC 5961 §3.2 accepts only the exact next
 * sequence number; the capture may lag either end). Unknown ends accept anything.
 */
function acceptable(s: ConnectionStore, me: number, peer: number, seq: number): boolean {
  if (!isSet(s, peer, K.LAST_ACK_SET)) return true;
  if (seqGe(seq, s.lastAck[peer] as number)) {
    const next = sendNext(s, me);
    return next === undefined || seqLe(seq, next);
  }
  return false;
}

function trackRst(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const peer = cellOf(slot, otherSideNo(from));
  const no = seg.no;
  remember(s, me, K.RST_NOS, no);
  const flags = s.flags[slot] as number;
  // A client in SYN-SENT accepts a RST only with the ACK of its SYN (RFC 9293 §3.10.7.3).
  const toSynSent = from === SERVER && (flags & (K.SAW_SYN | K.SAW_SYN_ACK)) === K.SAW_SYN && isSet(s, peer, K.ISN_SET) &&
    s.finNo[peer] === NO_PACKET;
  if (toSynSent ? (seg.flags & TcpFlag.ACK) === 0 || seg.ack !== seqAdd(s.isn[peer] as number, 1) : !acceptable(s, me, peer, seg.seq)) {
    // The receiver drops it or answers a challenge ACK: the states stay, until the receiver shows which.
    s.rareSide(me).suspectRstNo = no;
    setBits(s, me, K.SUSPECT_RST);
    notes?.push({ id: toSynSent ? 'rst-unacknowledged-syn' : 'rst-unacceptable', params: { side: sideName(from) } });
    return;
  }
  if (s.rstTtl[me] === 0 && listLength(s, me, K.RST_NOS) === 1) {
    s.rstTtl[me] = seg.ttl ?? 0;
    if ((seg.flags & TcpFlag.ACK) === 0) setBits(s, me, K.RST_BARE);
  }
  if (inTimeWait(s.state, peer)) {
    const rare = s.rareOf(slot);
    if (rare.timeWaitRstNo === 0) rare.timeWaitRstNo = no;
  }
  if (toSynSent && s.refusedNo[slot] === NO_PACKET &&
    listLength(s, me, K.RST_NOS) === 1 && s.finNo[cellOf(slot, CLIENT)] === NO_PACKET) {
    s.refusedNo[slot] = no;
    notes?.push({ id: 'rst-refused', params: { side: sideName(from) } });
  } else if (s.finNo[me] !== NO_PACKET) {
    notes?.push({ id: listLength(s, peer, K.DATA_AFTER_PEER_FIN) > 0 ? 'rst-closed-socket' : 'rst-after-fin', params: { side: sideName(from) } });
  } else {
    notes?.push({ id: 'rst-abort', params: { side: sideName(from) } });
  }
  reset(s.state, me);
}
