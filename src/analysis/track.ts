import type { TcpSegment } from '../decode/segment.js';
import { ACK, FIN, RST, SYN } from '../decode/segment.js';
import type { Instant } from '../flow/connection.js';
import { seqAdd, seqDiff, seqGe } from '../flow/seq.js';
import type { ConnectionStore } from '../flow/store.js';
import * as K from '../flow/store.js';
import { isSet, markSet, markUnset } from '../flow/store.js';
import type { ConnectionView, SideNo } from '../flow/view.js';
import { CLIENT, SERVER, otherSideNo, sideName } from '../flow/view.js';
import { finAcked, finSent, reset, startMidstream, synAckSent, synAcked, synSent } from '../tcp/machine.js';
import type { NoteRef } from '../flow/notes.js';

/** How many packet numbers of one kind a verdict keeps as evidence: enough to point at, bounded. */
const EVIDENCE_CAP = 8;

/** A packet number that is not set. */
const NO_PACKET = -1;

/** The columns of one side of connection `slot`: cell slot * 2 + side (store-columns.generated.ts). */
const cellOf = (slot: number, side: SideNo): number => slot * 2 + side;

type PacketList = typeof K.RST_NOS | typeof K.DATA_AFTER_PEER_FIN | typeof K.TRAILING_NOS;
const listLength = (s: ConnectionStore, cell: number, list: PacketList): number => s.listLength(cell * K.LISTS + list);

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
  const isSyn = (seg.flags & SYN) !== 0;
  const hasAck = (seg.flags & ACK) !== 0;
  const isRst = (seg.flags & RST) !== 0;

  if (s.firstPacket[slot] === seg.no && !isSyn) startMidstream(s.state, me);

  if (isSyn) trackSyn(s, slot, seg, from, notes);
  else if (hasAck && !isRst) trackAck(s, slot, seg, from, time, notes);

  if (seg.payloadLen > 0 && !isSyn) trackPayload(s, slot, seg, from, notes);

  if ((seg.flags & FIN) !== 0 && !isRst) {
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
      notes?.push({ id: 'fin-retransmitted', params: { side: sideName(from) } });
    }
  }

  if (isRst) trackRst(s, slot, from, seg.no, notes);

  s.lastPacket[slot] = seg.no;
  s.endSec[slot] = time.sec;
  s.endNsec[slot] = time.nsec;
  return notes;
}

function trackSyn(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const again = s.synNo[me] !== NO_PACKET;
  if (!again) {
    s.synNo[me] = seg.no;
    s.isn[me] = seg.seq;
    markSet(s, me, K.ISN_SET);
  }
  if ((seg.flags & ACK) === 0) {
    s.flags[slot] = (s.flags[slot] as number) | K.SAW_SYN;
    synSent(s.state, me);
    notes?.push({ id: again ? 'syn-retransmitted' : 'syn', params: { side: sideName(from) } });
  } else {
    s.flags[slot] = (s.flags[slot] as number) | K.SAW_SYN_ACK;
    synAckSent(s.state, me);
    notes?.push({ id: 'syn-ack', params: { side: sideName(from) } });
  }
}

function trackAck(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, time: Instant, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const peer = cellOf(slot, otherSideNo(from));
  const flags = s.flags[slot] as number;
  // The client's ACK of the SYN-ACK completes the handshake (RFC 9293 §3.5).
  if ((flags & (K.SAW_HANDSHAKE_ACK | K.SAW_SYN_ACK)) === K.SAW_SYN_ACK && from === CLIENT && isSet(s, peer, K.ISN_SET) &&
    seg.ack === seqAdd(s.isn[peer] as number, 1)) {
    s.flags[slot] = flags | K.SAW_HANDSHAKE_ACK;
    synAcked(s.state, me);
    if (seg.payloadLen === 0 && (seg.flags & FIN) === 0) notes?.push({ id: 'handshake-ack', params: {} });
  }
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

/** Payload: counts new bytes once, and spots data that follows the other side's FIN. */
function trackPayload(s: ConnectionStore, slot: number, seg: TcpSegment, from: SideNo, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const peer = cellOf(slot, otherSideNo(from));
  const end = seqAdd(seg.seq, seg.payloadLen);
  const hadData = isSet(s, me, K.HIGH_END_SET);
  const beyond = hadData ? seqDiff(end, s.highEnd[me] as number) : 0;
  const fresh = hadData ? Math.max(0, Math.min(seg.payloadLen, beyond)) : seg.payloadLen;
  if (!hadData || beyond > 0) {
    s.highEnd[me] = end;
    markSet(s, me, K.HIGH_END_SET);
  }
  s.bytes[me] = (s.bytes[me] as number) + fresh;
  if (s.finNo[peer] === NO_PACKET || !isSet(s, peer, K.FIN_END_SET)) return;
  remember(s, me, K.DATA_AFTER_PEER_FIN, seg.no);
  s.bytesAfterPeerFin[me] = (s.bytesAfterPeerFin[me] as number) + fresh;
  // docs/contract.md, "Classes", half-close: new payload whose ACK covers the FIN was sent after the FIN arrived.
  if ((seg.flags & ACK) !== 0 && seqGe(seg.ack, s.finEnd[peer] as number)) {
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

function trackRst(s: ConnectionStore, slot: number, from: SideNo, no: number, notes: NoteRef[] | null): void {
  const me = cellOf(slot, from);
  const peer = cellOf(slot, otherSideNo(from));
  remember(s, me, K.RST_NOS, no);
  const flags = s.flags[slot] as number;
  if (from === SERVER && (flags & (K.SAW_SYN | K.SAW_SYN_ACK)) === K.SAW_SYN && s.refusedNo[slot] === NO_PACKET &&
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
