import type { TcpSegment } from '../decode/segment.js';
import { ACK, FIN, RST, SYN } from '../decode/segment.js';
import type { Connection, Instant, SideFacts } from '../flow/connection.js';
import { keepTime } from '../flow/connection.js';
import { seqAdd, seqDiff, seqGe } from '../flow/seq.js';
import type { Side } from '../tcp/states.js';
import { otherSide } from '../tcp/states.js';
import type { NoteRef } from './annotations.js';

/** How many packet numbers of one kind a verdict keeps as evidence: enough to point at, bounded. */
const EVIDENCE_CAP = 8;

type PacketList = 'rstNos' | 'dataAfterPeerFin' | 'trailingNos';

/** Adds a packet number to one of a side's lists (copied: lists start as one shared empty list). */
function remember(f: SideFacts, list: PacketList, no: number): void {
  const l = f[list];
  // concat: an exact-size copy (a spread leaves room for 16 more, 150 bytes a connection).
  if (l.length < EVIDENCE_CAP) f[list] = l.concat(no);
}


/**
 * Steps one connection by one segment: both endpoints' states (SPEC 3), the facts the verdict
 * needs (SPEC 4), and the notes of the packet's row, added to `notes` (null when no row is made:
 * then no note is built). Returns `notes`.
 */
export function trackSegment(c: Connection, seg: TcpSegment, from: Side, time: Instant, notes: NoteRef[] | null = []): NoteRef[] | null {
  const to = otherSide(from);
  const me = c.facts[from];
  const peer = c.facts[to];
  const m = c.machine;
  const isSyn = (seg.flags & SYN) !== 0;
  const hasAck = (seg.flags & ACK) !== 0;
  const isRst = (seg.flags & RST) !== 0;

  if (c.firstPacket === seg.no && !isSyn) m.startMidstream();

  if (isSyn) trackSyn(c, seg, from, notes);
  else if (hasAck && !isRst) trackAck(c, seg, from, time, notes);

  if (seg.payloadLen > 0 && !isSyn) trackPayload(me, peer, seg, to, notes);

  if ((seg.flags & FIN) !== 0 && !isRst) {
    if (me.finNo === undefined) {
      me.finNo = seg.no;
      me.finSeq = seg.seq;
      me.finEnd = seqAdd(seg.seq, seg.payloadLen + 1);
      me.finTime = keepTime(time);
      m.finSent(from);
      notes?.push({ id: 'fin', params: { side: from } });
    } else {
      notes?.push({ id: 'fin-retransmitted', params: { side: from } });
    }
  }

  if (isRst) trackRst(c, from, to, seg.no, notes);
  return notes;
}

function trackSyn(c: Connection, seg: TcpSegment, from: Side, notes: NoteRef[] | null): void {
  const me = c.facts[from];
  const again = me.synNo !== undefined;
  if (!again) {
    me.synNo = seg.no;
    me.isn = seg.seq;
  }
  if ((seg.flags & ACK) === 0) {
    c.sawSyn = true;
    c.machine.synSent(from);
    notes?.push({ id: again ? 'syn-retransmitted' : 'syn', params: { side: from } });
  } else {
    c.sawSynAck = true;
    c.machine.synAckSent(from);
    notes?.push({ id: 'syn-ack', params: { side: from } });
  }
}

function trackAck(c: Connection, seg: TcpSegment, from: Side, time: Instant, notes: NoteRef[] | null): void {
  const to = otherSide(from);
  const peer = c.facts[to];
  const me = c.facts[from];
  // The client's ACK of the SYN-ACK completes the handshake (RFC 9293 §3.5).
  if (!c.sawHandshakeAck && from === 'client' && c.sawSynAck && peer.isn !== undefined && seg.ack === seqAdd(peer.isn, 1)) {
    c.sawHandshakeAck = true;
    c.machine.synAcked(from);
    if (seg.payloadLen === 0 && (seg.flags & FIN) === 0) notes?.push({ id: 'handshake-ack', params: {} });
  }
  // SPEC 3: a FIN is covered by an ACK that reaches its sequence number + length + 1.
  if (peer.finEnd !== undefined && peer.finAckNo === undefined && seqGe(seg.ack, peer.finEnd)) {
    peer.finAckNo = seg.no;
    peer.finAckTime = keepTime(time);
    c.machine.finAcked(from);
    notes?.push({ id: 'fin-ack', params: { side: to } });
  } else if (me.finNo !== undefined && peer.trailingEnd !== undefined && seqGe(seg.ack, peer.trailingEnd) && seg.payloadLen === 0) {
    // The closer acknowledging data that arrived after its FIN.
    peer.trailingEnd = undefined;
    notes?.push({ id: 'trailing-ack', params: {} });
  }
}

/** Payload: counts new bytes once, and spots data that follows the other side's FIN. */
function trackPayload(me: SideFacts, peer: SideFacts, seg: TcpSegment, to: Side, notes: NoteRef[] | null): void {
  const end = seqAdd(seg.seq, seg.payloadLen);
  const fresh = me.highEnd === undefined ? seg.payloadLen : Math.max(0, Math.min(seg.payloadLen, seqDiff(end, me.highEnd)));
  if (me.highEnd === undefined || seqDiff(end, me.highEnd) > 0) me.highEnd = end;
  me.bytes += fresh;
  if (peer.finNo === undefined || peer.finEnd === undefined) return;
  remember(me, 'dataAfterPeerFin', seg.no);
  me.bytesAfterPeerFin += fresh;
  // SPEC 4, half-close: new payload whose ACK covers the FIN was sent after the FIN arrived.
  if ((seg.flags & ACK) !== 0 && seqGe(seg.ack, peer.finEnd)) {
    if (fresh > 0) {
      me.trailingBytes += fresh;
      remember(me, 'trailingNos', seg.no);
      me.trailingEnd = end;
    }
    notes?.push({ id: 'trailing-data', params: { side: to, bytes: seg.payloadLen } });
  } else {
    notes?.push({ id: 'data-after-fin', params: { side: to, bytes: seg.payloadLen } });
  }
}

function trackRst(c: Connection, from: Side, to: Side, no: number, notes: NoteRef[] | null): void {
  const me = c.facts[from];
  const peer = c.facts[to];
  remember(me, 'rstNos', no);
  if (from === 'server' && c.sawSyn && !c.sawSynAck && c.refusedNo === undefined && me.rstNos.length === 1 && c.facts.client.finNo === undefined) {
    c.refusedNo = no;
    notes?.push({ id: 'rst-refused', params: { side: from } });
  } else if (me.finNo !== undefined) {
    notes?.push({ id: peer.dataAfterPeerFin.length > 0 ? 'rst-closed-socket' : 'rst-after-fin', params: { side: from } });
  } else {
    notes?.push({ id: 'rst-abort', params: { side: from } });
  }
  c.machine.reset();
}
