// Generated from src/flow/schema.ts by scripts/generate-store.mjs (`npm run generate`): do not edit.
import type { TcpState } from '../tcp/states.js';
import { TCP_STATES } from '../tcp/states.js';
import type { Instant } from './connection.js';
import { grown } from './grown.js';
import { historyText } from './history.js';

/**
 * The numbers the columns are read with, as one const enum: tsc writes each member into the code
 * that uses it as a number literal. An imported `const` is read from its module's cell, with a
 * check that it is initialised, at every use: on the packet path (analysis/track.ts) those loads
 * were about a tenth of its instructions (docs/performance.md, "Constants").
 */
export const enum K {
  // The bits of the flags columns (`flags` a connection's, `causeBits` a side's).
  SAW_SYN = 1, // flags
  SAW_SYN_ACK = 2, // flags
  SAW_HANDSHAKE_ACK = 4, // flags
  PORT_REUSED = 8, // flags
  TEXT_IDS = 16, // flags
  HAS_EXTRA = 32, // flags
  ENDED_SEEN = 64, // flags
  HAS_RARE = 128, // flags
  SYN_SEEN = 1, // causeBits
  WINDOW_CLOSED = 2, // causeBits
  FIN_INFERRED = 4, // causeBits
  RST_BARE = 8, // causeBits
  PROBING = 16, // causeBits
  SUSPECT_RST = 32, // causeBits
  RETRANSMITTING = 64, // causeBits
  HAS_HOLES = 128, // causeBits
  // A side's presence bits (the `sideFlags` column): which optional facts are set.
  BASE_SET = 1,
  ISN_SET = 2,
  FIN_SEQ_SET = 4,
  FIN_END_SET = 8,
  HIGH_END_SET = 16,
  TRAILING_END_SET = 32,
  FIN_TIME_SET = 64,
  FIN_ACK_TIME_SET = 128,
  LAST_ACK_SET = 256,
  // A side's packet lists: list `l` of the side at cell `c` is at list cell `c * LISTS + l`.
  RST_NOS = 0,
  DATA_AFTER_PEER_FIN = 1,
  TRAILING_NOS = 2,
  LISTS = 3,
}

/**
 * The columns of the connection store: a fact of connection `slot` is at [slot], a side's at
 * [slot * 2 + side] (0 client, 1 server), a side's packet list at [(slot * 2 + side) * LISTS + list].
 */
export class StoreColumns {
  /** 1 while the slot holds an open connection. */
  active = new Uint8Array(0);
  /** The connection number: 1, 2, 3 ... in order of first packet. */
  id = new Int32Array(0);
  /** The client's IPv4 address as a 32-bit integer (an address kept as text: the Extra). */
  clientAddr = new Int32Array(0);
  /** The server's IPv4 address, likewise. */
  serverAddr = new Int32Array(0);
  /** The client's port. */
  clientPort = new Uint16Array(0);
  /** The server's port. */
  serverPort = new Uint16Array(0);
  /** The connection's first packet number. */
  firstPacket = new Float64Array(0);
  /** Its latest packet number. */
  lastPacket = new Float64Array(0);
  /** The first packet's capture time. Whole seconds. */
  startSec = new Float64Array(0);
  /** Its nanoseconds. */
  startNsec = new Int32Array(0);
  /** The latest packet's capture time. Whole seconds. */
  endSec = new Float64Array(0);
  /** Its nanoseconds. */
  endNsec = new Int32Array(0);
  /** The RST that answered the first SYN before any SYN-ACK: a refused connect(). 0: none (packets count from 1). */
  refusedNo = new Float64Array(0);
  /** Handshake packets seen (client SYN, server SYN-ACK, the ACK of it); a reused 4-tuple; addresses kept as text (IPv6); an Extra kept; its end reported; a RareFacts kept (rare.ts). */
  flags = new Uint8Array(0);
  /** The longest silence between two of its packets, in seconds. */
  silence = new Float64Array(0);
  /** The packet that ended that silence (0: none). */
  silenceEndNo = new Uint32Array(0);
  /** Its packets after that silence, up to 255: an ending soon after it follows from it. */
  sinceSilence = new Uint8Array(0);
  /** Zeek's history letters (one each, in order of first appearance; client upper case). The letters seen, as bits. */
  historyMask = new Uint16Array(0);
  /** The letters in order, as base-16 digits (history.ts). */
  historySeq = new Float64Array(0);
  /** The endpoint's TCP state after the latest packet. An index into TCP_STATES. */
  state = new Uint8Array(0);
  /** Wireshark's base sequence number (relative numbers start here; the port-reuse rule compares a SYN with it). Set when BASE_SET is in sideFlags. */
  base = new Uint32Array(0);
  /** The initial sequence number of its first SYN (or SYN-ACK). Set when ISN_SET is in sideFlags. */
  isn = new Uint32Array(0);
  /** The sequence number of its first FIN. Set when FIN_SEQ_SET is in sideFlags. */
  finSeq = new Uint32Array(0);
  /** What an ACK must reach to cover that FIN: its sequence number + payload + 1. Set when FIN_END_SET is in sideFlags. */
  finEnd = new Uint32Array(0);
  /** The highest sequence end of its payload. Set when HIGH_END_SET is in sideFlags. */
  highEnd = new Uint32Array(0);
  /** The sequence end of its trailing data until an ACK covers it. Set when TRAILING_END_SET is in sideFlags. */
  trailingEnd = new Uint32Array(0);
  /** The time of its first FIN. Whole seconds. */
  finSec = new Float64Array(0);
  /** Its nanoseconds. */
  finNsec = new Int32Array(0);
  /** The time of the first ACK that covered its FIN. Whole seconds. */
  finAckSec = new Float64Array(0);
  /** Its nanoseconds. */
  finAckNsec = new Int32Array(0);
  /** Its first SYN (or SYN-ACK). 0: none (packets count from 1). */
  synNo = new Float64Array(0);
  /** Its first FIN. 0: none (packets count from 1). */
  finNo = new Float64Array(0);
  /** The other side's first packet whose ACK covered this side's FIN. 0: none (packets count from 1). */
  finAckNo = new Float64Array(0);
  /** Payload bytes it sent, each byte counted once (retransmissions do not add). */
  bytes = new Float64Array(0);
  /** Payload bytes it sent after the other side's FIN. */
  bytesAfterPeerFin = new Float64Array(0);
  /** Payload bytes it sent that acknowledge the other side's first FIN: data sent after that FIN arrived. */
  trailingBytes = new Float64Array(0);
  /** The acknowledgement number of its latest ACK. Set when LAST_ACK_SET is in sideFlags. */
  lastAck = new Uint32Array(0);
  /** Its latest packet other than a RST (0: none). */
  lastNo = new Uint32Array(0);
  /** The lowest TTL (hop limit) of its packets other than RSTs; set once lastNo is. */
  ttlMin = new Uint8Array(0);
  /** The highest, likewise. */
  ttlMax = new Uint8Array(0);
  /** The TTL of its first accepted RST. */
  rstTtl = new Uint8Array(0);
  /** Its latest retransmitted FIN (0: none): common enough (a tail-loss probe) to be a column. */
  finAgainNo = new Uint32Array(0);
  /** It sent a SYN; its latest window is 0; its FIN is known only from the other side's ACK of it (finNo is that ACK); its first accepted RST had no ACK flag; and whether its RareFacts side (rare.ts) has unanswered probes, an unacceptable RST, unanswered retransmissions, holes in its sequence space. */
  causeBits = new Uint8Array(0);
  /** Which of the side's optional sequence numbers and times are set (the *_SET bits). */
  sideFlags = new Uint16Array(0);
  /** The length of each packet list. */
  listCount = new Uint8Array(0);
  /** The first packet number of each list (longer lists: ConnectionStore.list); read only when listCount says it is there. */
  listFirst = new Float64Array(0);

  /**
   * Every column of `slot` a reused slot must not keep, back to its reset value (0). Not reset: what a
   * new connection always writes (schema.ts, setOnCreate), and what is read only when a presence bit
   * (sideFlags) or a list length (listCount) says it is set. A slot never used is all 0 already
   * (ConnectionStore.allocate does not call this for it).
   */
  protected resetColumns(slot: number): void {
    const client = slot * 2;
    const server = client + 1;
    this.active[slot] = 0;
    this.refusedNo[slot] = 0;
    this.flags[slot] = 0;
    this.silence[slot] = 0;
    this.silenceEndNo[slot] = 0;
    this.sinceSilence[slot] = 0;
    this.historyMask[slot] = 0;
    this.historySeq[slot] = 0;
    this.state[client] = 0;
    this.state[server] = 0;
    this.synNo[client] = 0;
    this.synNo[server] = 0;
    this.finNo[client] = 0;
    this.finNo[server] = 0;
    this.finAckNo[client] = 0;
    this.finAckNo[server] = 0;
    this.bytes[client] = 0;
    this.bytes[server] = 0;
    this.bytesAfterPeerFin[client] = 0;
    this.bytesAfterPeerFin[server] = 0;
    this.trailingBytes[client] = 0;
    this.trailingBytes[server] = 0;
    this.lastNo[client] = 0;
    this.lastNo[server] = 0;
    this.ttlMin[client] = 0;
    this.ttlMin[server] = 0;
    this.ttlMax[client] = 0;
    this.ttlMax[server] = 0;
    this.rstTtl[client] = 0;
    this.rstTtl[server] = 0;
    this.finAgainNo[client] = 0;
    this.finAgainNo[server] = 0;
    this.causeBits[client] = 0;
    this.causeBits[server] = 0;
    this.sideFlags[client] = 0;
    this.sideFlags[server] = 0;
    for (let l = client * K.LISTS; l < (server + 1) * K.LISTS; l++) this.listCount[l] = 0;
  }

  /** Every column made `slots` connections long, what is there kept. */
  protected growColumns(slots: number): void {
    this.active = grown(this.active, slots);
    this.id = grown(this.id, slots);
    this.clientAddr = grown(this.clientAddr, slots);
    this.serverAddr = grown(this.serverAddr, slots);
    this.clientPort = grown(this.clientPort, slots);
    this.serverPort = grown(this.serverPort, slots);
    this.firstPacket = grown(this.firstPacket, slots);
    this.lastPacket = grown(this.lastPacket, slots);
    this.startSec = grown(this.startSec, slots);
    this.startNsec = grown(this.startNsec, slots);
    this.endSec = grown(this.endSec, slots);
    this.endNsec = grown(this.endNsec, slots);
    this.refusedNo = grown(this.refusedNo, slots);
    this.flags = grown(this.flags, slots);
    this.silence = grown(this.silence, slots);
    this.silenceEndNo = grown(this.silenceEndNo, slots);
    this.sinceSilence = grown(this.sinceSilence, slots);
    this.historyMask = grown(this.historyMask, slots);
    this.historySeq = grown(this.historySeq, slots);
    this.state = grown(this.state, slots * 2);
    this.base = grown(this.base, slots * 2);
    this.isn = grown(this.isn, slots * 2);
    this.finSeq = grown(this.finSeq, slots * 2);
    this.finEnd = grown(this.finEnd, slots * 2);
    this.highEnd = grown(this.highEnd, slots * 2);
    this.trailingEnd = grown(this.trailingEnd, slots * 2);
    this.finSec = grown(this.finSec, slots * 2);
    this.finNsec = grown(this.finNsec, slots * 2);
    this.finAckSec = grown(this.finAckSec, slots * 2);
    this.finAckNsec = grown(this.finAckNsec, slots * 2);
    this.synNo = grown(this.synNo, slots * 2);
    this.finNo = grown(this.finNo, slots * 2);
    this.finAckNo = grown(this.finAckNo, slots * 2);
    this.bytes = grown(this.bytes, slots * 2);
    this.bytesAfterPeerFin = grown(this.bytesAfterPeerFin, slots * 2);
    this.trailingBytes = grown(this.trailingBytes, slots * 2);
    this.lastAck = grown(this.lastAck, slots * 2);
    this.lastNo = grown(this.lastNo, slots * 2);
    this.ttlMin = grown(this.ttlMin, slots * 2);
    this.ttlMax = grown(this.ttlMax, slots * 2);
    this.rstTtl = grown(this.rstTtl, slots * 2);
    this.finAgainNo = grown(this.finAgainNo, slots * 2);
    this.causeBits = grown(this.causeBits, slots * 2);
    this.sideFlags = grown(this.sideFlags, slots * 2);
    this.listCount = grown(this.listCount, slots * 2 * K.LISTS);
    this.listFirst = grown(this.listFirst, slots * 2 * K.LISTS);
  }
}

/** What the views read lists through (ConnectionStore). */
export interface ListColumns extends StoreColumns {
  list(at: number): readonly number[];
  listLength(at: number): number;
}

const packetNo = (n: number): number | undefined => (n === 0 ? undefined : n);

/** The getters of a connection's own facts (view.ts adds the rest). */
export abstract class ConnectionFacts {
  abstract readonly store: ListColumns;
  abstract slot: number;

  /** The connection number: 1, 2, 3 ... in order of first packet. */
  get id(): number { return this.store.id[this.slot] as number; }

  /** The connection's first packet number. */
  get firstPacket(): number { return this.store.firstPacket[this.slot] as number; }

  /** Its latest packet number. */
  get lastPacket(): number { return this.store.lastPacket[this.slot] as number; }

  /** The first packet's capture time. A copy. */
  get startTime(): Instant { return { sec: this.store.startSec[this.slot] as number, nsec: this.store.startNsec[this.slot] as number }; }

  /** Its whole seconds and nanoseconds, for the code that reads it per connection without making an Instant. */
  get startSec(): number { return this.store.startSec[this.slot] as number; }

  get startNsec(): number { return this.store.startNsec[this.slot] as number; }

  /** The latest packet's capture time. A copy. */
  get endTime(): Instant { return { sec: this.store.endSec[this.slot] as number, nsec: this.store.endNsec[this.slot] as number }; }

  /** Its whole seconds and nanoseconds, for the code that reads it per connection without making an Instant. */
  get endSec(): number { return this.store.endSec[this.slot] as number; }

  get endNsec(): number { return this.store.endNsec[this.slot] as number; }

  /** The RST that answered the first SYN before any SYN-ACK: a refused connect(). */
  get refusedNo(): number | undefined { return packetNo(this.store.refusedNo[this.slot] as number); }

  get sawSyn(): boolean { return ((this.store.flags[this.slot] as number) & K.SAW_SYN) !== 0; }

  get sawSynAck(): boolean { return ((this.store.flags[this.slot] as number) & K.SAW_SYN_ACK) !== 0; }

  get sawHandshakeAck(): boolean { return ((this.store.flags[this.slot] as number) & K.SAW_HANDSHAKE_ACK) !== 0; }

  get portReused(): boolean { return ((this.store.flags[this.slot] as number) & K.PORT_REUSED) !== 0; }

  get textIds(): boolean { return ((this.store.flags[this.slot] as number) & K.TEXT_IDS) !== 0; }

  get hasExtra(): boolean { return ((this.store.flags[this.slot] as number) & K.HAS_EXTRA) !== 0; }

  get endedSeen(): boolean { return ((this.store.flags[this.slot] as number) & K.ENDED_SEEN) !== 0; }

  get hasRare(): boolean { return ((this.store.flags[this.slot] as number) & K.HAS_RARE) !== 0; }

  /** The longest silence between two of its packets, in seconds. */
  get silence(): number { return this.store.silence[this.slot] as number; }

  /** The packet that ended that silence (0: none). */
  get silenceEndNo(): number { return this.store.silenceEndNo[this.slot] as number; }

  /** Its packets after that silence, up to 255: an ending soon after it follows from it. */
  get sinceSilence(): number { return this.store.sinceSilence[this.slot] as number; }

  /** Zeek's history letters (one each, in order of first appearance; client upper case). */
  get history(): string { return historyText(this.store.historySeq[this.slot] as number); }
}

/** The getters of one side's facts (view.ts adds its address and port). */
export abstract class SideFacts {
  abstract readonly store: ListColumns;
  /** slot * 2 + side. */
  abstract readonly cell: number;

  private has(bit: number): boolean { return ((this.store.sideFlags[this.cell] as number) & bit) !== 0; }

  /** The endpoint's TCP state after the latest packet. */
  get state(): TcpState { return TCP_STATES[this.store.state[this.cell] as number] ?? 'CLOSED'; }

  /** Wireshark's base sequence number (relative numbers start here; the port-reuse rule compares a SYN with it). */
  get base(): number | undefined { return this.has(K.BASE_SET) ? (this.store.base[this.cell] as number) : undefined; }

  /** The initial sequence number of its first SYN (or SYN-ACK). */
  get isn(): number | undefined { return this.has(K.ISN_SET) ? (this.store.isn[this.cell] as number) : undefined; }

  /** The sequence number of its first FIN. */
  get finSeq(): number | undefined { return this.has(K.FIN_SEQ_SET) ? (this.store.finSeq[this.cell] as number) : undefined; }

  /** What an ACK must reach to cover that FIN: its sequence number + payload + 1. */
  get finEnd(): number | undefined { return this.has(K.FIN_END_SET) ? (this.store.finEnd[this.cell] as number) : undefined; }

  /** The highest sequence end of its payload. */
  get highEnd(): number | undefined { return this.has(K.HIGH_END_SET) ? (this.store.highEnd[this.cell] as number) : undefined; }

  /** The sequence end of its trailing data until an ACK covers it. */
  get trailingEnd(): number | undefined { return this.has(K.TRAILING_END_SET) ? (this.store.trailingEnd[this.cell] as number) : undefined; }

  /** The time of its first FIN. */
  get finTime(): Instant | undefined {
    return this.has(K.FIN_TIME_SET) ? { sec: this.store.finSec[this.cell] as number, nsec: this.store.finNsec[this.cell] as number } : undefined;
  }

  /** The time of the first ACK that covered its FIN. */
  get finAckTime(): Instant | undefined {
    return this.has(K.FIN_ACK_TIME_SET) ? { sec: this.store.finAckSec[this.cell] as number, nsec: this.store.finAckNsec[this.cell] as number } : undefined;
  }

  /** Its first SYN (or SYN-ACK). */
  get synNo(): number | undefined { return packetNo(this.store.synNo[this.cell] as number); }

  /** Its first FIN. */
  get finNo(): number | undefined { return packetNo(this.store.finNo[this.cell] as number); }

  /** The other side's first packet whose ACK covered this side's FIN. */
  get finAckNo(): number | undefined { return packetNo(this.store.finAckNo[this.cell] as number); }

  /** Payload bytes it sent, each byte counted once (retransmissions do not add). */
  get bytes(): number { return this.store.bytes[this.cell] as number; }

  /** Payload bytes it sent after the other side's FIN. */
  get bytesAfterPeerFin(): number { return this.store.bytesAfterPeerFin[this.cell] as number; }

  /** Payload bytes it sent that acknowledge the other side's first FIN: data sent after that FIN arrived. */
  get trailingBytes(): number { return this.store.trailingBytes[this.cell] as number; }

  /** The acknowledgement number of its latest ACK. */
  get lastAck(): number | undefined { return this.has(K.LAST_ACK_SET) ? (this.store.lastAck[this.cell] as number) : undefined; }

  /** Its latest packet other than a RST (0: none). */
  get lastNo(): number { return this.store.lastNo[this.cell] as number; }

  /** The lowest TTL (hop limit) of its packets other than RSTs; set once lastNo is. */
  get ttlMin(): number { return this.store.ttlMin[this.cell] as number; }

  /** The highest, likewise. */
  get ttlMax(): number { return this.store.ttlMax[this.cell] as number; }

  /** The TTL of its first accepted RST. */
  get rstTtl(): number { return this.store.rstTtl[this.cell] as number; }

  /** Its latest retransmitted FIN (0: none): common enough (a tail-loss probe) to be a column. */
  get finAgainNo(): number { return this.store.finAgainNo[this.cell] as number; }

  /** It sent a SYN; its latest window is 0; its FIN is known only from the other side's ACK of it (finNo is that ACK); its first accepted RST had no ACK flag; and whether its RareFacts side (rare.ts) has unanswered probes, an unacceptable RST, unanswered retransmissions, holes in its sequence space. */
  get synSeen(): boolean { return ((this.store.causeBits[this.cell] as number) & K.SYN_SEEN) !== 0; }

  get windowClosed(): boolean { return ((this.store.causeBits[this.cell] as number) & K.WINDOW_CLOSED) !== 0; }

  get finInferred(): boolean { return ((this.store.causeBits[this.cell] as number) & K.FIN_INFERRED) !== 0; }

  get rstBare(): boolean { return ((this.store.causeBits[this.cell] as number) & K.RST_BARE) !== 0; }

  get probing(): boolean { return ((this.store.causeBits[this.cell] as number) & K.PROBING) !== 0; }

  get suspectRst(): boolean { return ((this.store.causeBits[this.cell] as number) & K.SUSPECT_RST) !== 0; }

  get retransmitting(): boolean { return ((this.store.causeBits[this.cell] as number) & K.RETRANSMITTING) !== 0; }

  get hasHoles(): boolean { return ((this.store.causeBits[this.cell] as number) & K.HAS_HOLES) !== 0; }

  /** The RSTs it sent (the first few). */
  get rstNos(): readonly number[] { return this.store.list(this.cell * K.LISTS + K.RST_NOS); }

  /** How many packets rstNos holds, without building the list. */
  get rstNosCount(): number { return this.store.listLength(this.cell * K.LISTS + K.RST_NOS); }

  /** The first packet of rstNos, without building the list; undefined when it is empty. */
  get rstNosFirst(): number | undefined { const at = this.cell * K.LISTS + K.RST_NOS; return (this.store.listCount[at] as number) > 0 ? (this.store.listFirst[at] as number) : undefined; }

  /** Its packets with payload after the other side's FIN (the first few). */
  get dataAfterPeerFin(): readonly number[] { return this.store.list(this.cell * K.LISTS + K.DATA_AFTER_PEER_FIN); }

  /** How many packets dataAfterPeerFin holds, without building the list. */
  get dataAfterPeerFinCount(): number { return this.store.listLength(this.cell * K.LISTS + K.DATA_AFTER_PEER_FIN); }

  /** The first packet of dataAfterPeerFin, without building the list; undefined when it is empty. */
  get dataAfterPeerFinFirst(): number | undefined { const at = this.cell * K.LISTS + K.DATA_AFTER_PEER_FIN; return (this.store.listCount[at] as number) > 0 ? (this.store.listFirst[at] as number) : undefined; }

  /** Its packets with trailing data (the first few). */
  get trailingNos(): readonly number[] { return this.store.list(this.cell * K.LISTS + K.TRAILING_NOS); }

  /** How many packets trailingNos holds, without building the list. */
  get trailingNosCount(): number { return this.store.listLength(this.cell * K.LISTS + K.TRAILING_NOS); }

  /** The first packet of trailingNos, without building the list; undefined when it is empty. */
  get trailingNosFirst(): number | undefined { const at = this.cell * K.LISTS + K.TRAILING_NOS; return (this.store.listCount[at] as number) > 0 ? (this.store.listFirst[at] as number) : undefined; }
}
